package phi

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"rounds/models/testenv"
)

// presidioSample is one sample of the presidio-research synthetic PII set,
// which lives next to the repository, in the shared data folder (see
// ../shared/data/pii/README.md).
type presidioSample struct {
	FullText string `json:"full_text"`
	Spans    []struct {
		Type  string `json:"entity_type"`
		Value string `json:"entity_value"`
		Start int    `json:"start_position"`
		End   int    `json:"end_position"`
	} `json:"spans"`
	TemplateID int `json:"template_id"`
}

// Which of our types may find each presidio label. Labels missing here are
// not scored: ORGANIZATION, NRP (nationality, religion, politics), TITLE
// (Mr., "nurse") and GPE (countries, states, cities) are not Safe Harbor
// identifiers on their own — a city is one only as part of an address, which
// STREET_ADDRESS covers — and DOMAIN_NAME is a website, flagged here only
// when it points at a person (social profiles, personal pages), which the
// label does not tell.
var presidioTypes = map[string][]string{
	"PERSON":            {TypeName, TypeClinician},
	"STREET_ADDRESS":    {TypeAddress, TypeZIP},
	"ZIP_CODE":          {TypeZIP, TypeAddress},
	"PHONE_NUMBER":      {TypePhone, TypeFax},
	"EMAIL_ADDRESS":     {TypeEmail},
	"US_SSN":            {TypeSSN},
	"CREDIT_CARD":       {TypeCreditCard},
	"IBAN_CODE":         {TypeIBAN},
	"IP_ADDRESS":        {TypeIP},
	"US_DRIVER_LICENSE": {TypeLicense},
	"AGE":               {TypeAge},
	"DATE_TIME":         {TypeDate},
}

var (
	bareYear = regexp.MustCompile(`^\d{4}$`)
	weekday  = regexp.MustCompile(`(?i)^(?:mon|tues|wednes|thurs|fri|satur|sun)day$`)
)

// scoredSpan says whether a span is an identifier under Safe Harbor: ages
// only over 89, dates only when more specific than a year (a bare year or a
// weekday is not).
func scoredSpan(typ, value string) bool {
	switch typ {
	case "AGE":
		var n int
		_, err := fmt.Sscan(value, &n)
		return err == nil && n > 89
	case "DATE_TIME":
		return !bareYear.MatchString(value) && !weekday.MatchString(value)
	}
	_, ok := presidioTypes[typ]
	return ok
}

// Floors set a little below the measured figures, so a regression fails.
// Types with too few spans to measure (AGE > 89 has none) are not asserted.
var presidioRecallFloor = map[string]float64{
	"CREDIT_CARD":       0.99,
	"EMAIL_ADDRESS":     0.99,
	"IBAN_CODE":         0.99,
	"US_SSN":            0.99,
	"IP_ADDRESS":        0.99,
	"PHONE_NUMBER":      0.98,
	"DATE_TIME":         0.98,
	"US_DRIVER_LICENSE": 0.99,
	"ZIP_CODE":          0.89,
	"STREET_ADDRESS":    0.93,
	// Names in everyday sentences with no patient or family word around
	// them are found only when the word list knows them ("Why is Natasja so
	// impulsive?" is still missed: Natasja is not a US given name); see the
	// README. Measured 0.592 (0.438 before the word list).
	"PERSON": 0.57,
}

var presidioPrecisionFloor = map[string]float64{
	TypeCreditCard: 0.99,
	TypeEmail:      0.99,
	TypeIBAN:       0.99,
	TypeSSN:        0.99,
	TypeIP:         0.99,
	TypePhone:      0.98,
	TypeFax:        0.98,
	TypeDate:       0.98,
	TypeAddress:    0.98,
	TypeZIP:        0.98,
	TypeName:       0.97,
	TypeURL:        0.95,
}

type tally struct{ found, total int }

func (t tally) rate() float64 {
	if t.total == 0 {
		return 1
	}
	return float64(t.found) / float64(t.total)
}

func TestPresidioScore(t *testing.T) {
	presidioPath := testenv.SharedData(t, "pii/synth_dataset_v2.json")
	raw, err := os.ReadFile(presidioPath)
	if err != nil {
		t.Fatal(err)
	}
	var samples []presidioSample
	if err := json.Unmarshal(raw, &samples); err != nil {
		t.Fatalf("read %s: %v", presidioPath, err)
	}
	if len(samples) != 1500 {
		t.Fatalf("%s holds %d samples, want 1500 (see its README)", presidioPath, len(samples))
	}

	recall := map[string]*tally{}
	precision := map[string]*tally{}
	var missed, falseAlarms []string
	emptyFlagged := 0
	for i, s := range samples {
		offsets := byteOffsets(s.FullText)
		findings := Scan(s.FullText)
		for _, f := range findings {
			if s.FullText[f.Start:f.End] != f.Text {
				t.Fatalf("sample %d: finding %+v does not match the text at its offsets", i, f)
			}
		}
		type span struct {
			typ        string
			start, end int
			value      string
		}
		var spans []span
		for _, sp := range s.Spans {
			start, end := offsets[sp.Start], offsets[sp.End]
			if s.FullText[start:end] != sp.Value {
				t.Fatalf("sample %d: span %q does not match its code-point offsets", i, sp.Value)
			}
			spans = append(spans, span{sp.Type, start, end, sp.Value})
		}
		if len(spans) == 0 && len(findings) > 0 {
			emptyFlagged++
		}
		for _, sp := range spans {
			if !scoredSpan(sp.typ, sp.value) {
				continue
			}
			tl := recall[sp.typ]
			if tl == nil {
				tl = &tally{}
				recall[sp.typ] = tl
			}
			tl.total++
			if overlapsType(findings, sp.start, sp.end, presidioTypes[sp.typ]) {
				tl.found++
			} else {
				missed = append(missed, fmt.Sprintf("%s %q in %q", sp.typ, sp.value, s.FullText))
			}
		}
		for _, f := range findings {
			tl := precision[f.Type]
			if tl == nil {
				tl = &tally{}
				precision[f.Type] = tl
			}
			tl.total++
			hit := false
			for _, sp := range spans {
				if f.Start < sp.end && sp.start < f.End && contains(presidioTypes[sp.typ], f.Type) {
					hit = true
				}
				// A town or region written as part of an address is part of
				// the address under Safe Harbor, though GPE is not scored.
				if f.Start < sp.end && sp.start < f.End && sp.typ == "GPE" && (f.Type == TypeAddress || f.Type == TypeZIP) {
					hit = true
				}
				// Places and organisations are not scored for recall, but a
				// city or a hospital found where presidio marks one is right.
				if f.Start < sp.end && sp.start < f.End && (sp.typ == "GPE" || sp.typ == "STREET_ADDRESS" || sp.typ == "LOCATION") && f.Type == TypeLocation {
					hit = true
				}
				if f.Start < sp.end && sp.start < f.End && (sp.typ == "ORGANIZATION" || sp.typ == "GPE") && f.Type == TypeFacility {
					hit = true
				}
				// "My website is http://…": a person's own site, which we flag
				// on purpose; DOMAIN_NAME is not scored for recall because
				// journal and guideline links must pass.
				if f.Start < sp.end && sp.start < f.End && sp.typ == "DOMAIN_NAME" && f.Type == TypeURL {
					hit = true
				}
			}
			if hit {
				tl.found++
			} else {
				falseAlarms = append(falseAlarms, fmt.Sprintf("%s %q in %q", f.Type, f.Text, s.FullText))
			}
		}
	}

	t.Logf("presidio synth_dataset_v2: %d samples; recall by presidio label (a span counts as found when a finding of a matching type overlaps it):", len(samples))
	var all tally
	for _, typ := range sortedKeys(recall) {
		tl := recall[typ]
		all.found += tl.found
		all.total += tl.total
		t.Logf("  recall    %-18s %4d/%-4d %.3f", typ, tl.found, tl.total, tl.rate())
	}
	t.Logf("  recall    %-18s %4d/%-4d %.3f", "all scored", all.found, all.total, all.rate())
	t.Logf("precision by our type (a finding counts as right when it overlaps a span of a label mapped to its type):")
	for _, typ := range sortedKeys(precision) {
		tl := precision[typ]
		t.Logf("  precision %-18s %4d/%-4d %.3f", typ, tl.found, tl.total, tl.rate())
	}
	t.Logf("samples with no spans that got a finding: %d of 113", emptyFlagged)
	if testing.Verbose() && os.Getenv("PHI_SCORE_DETAIL") != "" {
		for _, m := range missed {
			t.Logf("missed: %s", m)
		}
		for _, f := range falseAlarms {
			t.Logf("unmatched: %s", f)
		}
	}

	for typ, floor := range presidioRecallFloor {
		if tl := recall[typ]; tl == nil || tl.rate() < floor {
			t.Errorf("recall for %s fell below %.2f: %+v", typ, floor, tl)
		}
	}
	for typ, floor := range presidioPrecisionFloor {
		if tl := precision[typ]; tl != nil && tl.rate() < floor {
			t.Errorf("precision for %s fell below %.2f: %d/%d", typ, floor, tl.found, tl.total)
		}
	}
}

// byteOffsets maps each code-point offset (presidio counts as Python does)
// to a byte offset; the extra last entry is the length of the text.
func byteOffsets(s string) []int {
	offsets := make([]int, 0, len(s)+1)
	for i := range s {
		offsets = append(offsets, i)
	}
	return append(offsets, len(s))
}

func overlapsType(findings []Finding, start, end int, types []string) bool {
	for _, f := range findings {
		if f.Start < end && start < f.End && contains(types, f.Type) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// clinicalNote is one line of testdata/clinical_*.jsonl: a clinician-style
// note and the identifiers it holds.
type clinicalNote struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Want []struct {
		Type       string `json:"type"`
		Text       string `json:"text"`
		Confidence string `json:"confidence"`
	} `json:"want"`
}

func readNotes(t *testing.T, path string) []clinicalNote {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var notes []clinicalNote
	for i, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var n clinicalNote
		if err := json.Unmarshal([]byte(line), &n); err != nil {
			t.Fatalf("%s line %d: %v", path, i+1, err)
		}
		notes = append(notes, n)
	}
	return notes
}

// Types that stand for the same identifier when matching a finding to what
// a note wants: a number labelled "fax" is still a phone number.
func sameKind(want, got string) bool {
	if want == got {
		return true
	}
	kinds := [][]string{{TypePhone, TypeFax}, {TypeAddress, TypeZIP}, {TypeFacility, TypeLocation}, {TypeName, TypeClinician}}
	for _, k := range kinds {
		if contains(k, want) && contains(k, got) {
			return true
		}
	}
	return false
}

// Ordinary clinical prose — doses, labs, vitals, scores, years, durations,
// ages up to 89, eponyms, citations — must not raise a single finding.
func TestClinicalProseIsNotFlagged(t *testing.T) {
	notes := readNotes(t, "testdata/clinical_negatives.jsonl")
	if len(notes) < 60 {
		t.Fatalf("only %d PHI-free notes; keep at least 60", len(notes))
	}
	flagged := 0
	for _, n := range notes {
		if got := Scan(n.Text); len(got) > 0 {
			flagged++
			for _, f := range got {
				t.Errorf("%s: flagged %s %q (%s) in %q", n.ID, f.Type, f.Text, f.Confidence, n.Text)
			}
		}
	}
	t.Logf("clinical negatives: %d notes, %d with a finding", len(notes), flagged)
}

// Notes with identifiers: every high-confidence identifier must be found and
// block; the rest are measured and held above a floor.
func TestClinicalIdentifiersAreFound(t *testing.T) {
	notes := readNotes(t, "testdata/clinical_positives.jsonl")
	if len(notes) < 60 {
		t.Fatalf("only %d notes with identifiers; keep at least 60", len(notes))
	}
	recall := map[string]*tally{}
	var findings, matched int
	for _, n := range notes {
		got := Scan(n.Text)
		used := make([]bool, len(got))
		for _, w := range n.Want {
			start := strings.Index(n.Text, w.Text)
			if start < 0 {
				t.Fatalf("%s: wanted text %q is not in the note", n.ID, w.Text)
			}
			end := start + len(w.Text)
			key := w.Type
			if w.Confidence == High {
				key += " (high)"
			}
			tl := recall[key]
			if tl == nil {
				tl = &tally{}
				recall[key] = tl
			}
			tl.total++
			found := false
			for i, f := range got {
				if f.Start < end && start < f.End && sameKind(w.Type, f.Type) {
					used[i] = true
					if w.Confidence == High && f.Confidence != High {
						t.Errorf("%s: %s %q found with %s confidence, want high", n.ID, w.Type, w.Text, f.Confidence)
					}
					found = true
				}
			}
			if found {
				tl.found++
			} else if w.Confidence == High {
				t.Errorf("%s: missed the high-confidence %s %q in %q", n.ID, w.Type, w.Text, n.Text)
			} else {
				t.Logf("%s: missed %s %q", n.ID, w.Type, w.Text)
			}
		}
		for i, f := range got {
			findings++
			if used[i] {
				matched++
			} else {
				t.Logf("%s: extra finding %s %q (%s)", n.ID, f.Type, f.Text, f.Confidence)
			}
		}
	}
	var all tally
	for _, k := range sortedKeys(recall) {
		tl := recall[k]
		all.found += tl.found
		all.total += tl.total
		t.Logf("  recall    %-20s %3d/%-3d %.3f", k, tl.found, tl.total, tl.rate())
	}
	t.Logf("clinical positives: %d notes; recall %d/%d %.3f; precision %d/%d %.3f",
		len(notes), all.found, all.total, all.rate(), matched, findings, tally{matched, findings}.rate())
	if all.rate() < clinicalRecallFloor {
		t.Errorf("recall on the clinical notes fell below %.2f", clinicalRecallFloor)
	}
	if p := (tally{matched, findings}).rate(); p < clinicalPrecisionFloor {
		t.Errorf("precision on the clinical notes fell below %.2f", clinicalPrecisionFloor)
	}
}

const (
	clinicalRecallFloor    = 0.95
	clinicalPrecisionFloor = 0.95
)

var _ = utf8.RuneLen
