package phi

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// The development corpus (testdata/corpus.jsonl) is written by
// internal/corpusgen: clinician-style queries and case posts with every
// identifier tagged by offset, and identifier-free clinical texts. Names
// and places in the "heldout" texts come from a fifth of the word list
// that the rules were not tuned on.
type corpusNote struct {
	ID    string `json:"id"`
	Split string `json:"split"`
	Kind  string `json:"kind"`
	Text  string `json:"text"`
	Want  []struct {
		Type       string `json:"type"`
		Start, End int
		Text       string `json:"text"`
	} `json:"want"`
}

// Families of types: a finding of any type in the family catches a tagged
// identifier of the family (a street named for a person found as a name
// still keeps it out of the post).
var corpusFamilies = map[string]string{
	TypeName: "names", TypeClinician: "names",
	TypeLocation: "places", TypeFacility: "places", TypeAddress: "places", TypeZIP: "places",
	TypeMRN: "numbers", TypeHealthPlan: "numbers", TypeAccount: "numbers", TypePatientID: "numbers", TypeNumber: "numbers",
	TypeLicense: "numbers", TypeSSN: "numbers", TypeDevice: "numbers", TypeCertificate: "numbers", TypeVehicle: "numbers",
	TypePhone: "phones", TypeFax: "phones",
}

func corpusFamily(typ string) string {
	if f, ok := corpusFamilies[typ]; ok {
		return f
	}
	return typ
}

// Floors a little under what the scanner reaches, so a regression fails.
var corpusFloors = struct {
	recall, names, places, precision, specificity float64
	heldoutRecall, heldoutNames, heldoutPlaces    float64
}{
	recall: 0.99, names: 0.99, places: 0.99, precision: 0.99, specificity: 0.99,
	heldoutRecall: 0.99, heldoutNames: 0.99, heldoutPlaces: 0.99,
}

func TestCorpusScore(t *testing.T) {
	raw, err := os.ReadFile("testdata/corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var notes []corpusNote
	for i, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var n corpusNote
		if err := json.Unmarshal([]byte(line), &n); err != nil {
			t.Fatalf("corpus line %d: %v", i+1, err)
		}
		for _, w := range n.Want {
			if n.Text[w.Start:w.End] != w.Text {
				t.Fatalf("%s: tag %q does not match its offsets", n.ID, w.Text)
			}
		}
		notes = append(notes, n)
	}
	type score struct{ found, total int }
	recall := map[string]map[string]*score{"dev": {}, "heldout": {}, "all": {}}
	add := func(split, key string, found bool) {
		s := recall[split][key]
		if s == nil {
			s = &score{}
			recall[split][key] = s
		}
		s.total++
		if found {
			s.found++
		}
	}
	var positives, negatives, flaggedNegatives, findings, rightFindings, tags int
	byType := map[string]*score{} // precision by the type of finding
	var detail []string
	for _, n := range notes {
		got := Scan(n.Text)
		if n.Kind == "negative" {
			negatives++
			if len(got) > 0 {
				flaggedNegatives++
				for _, f := range got {
					detail = append(detail, fmt.Sprintf("%s: false alarm %s %q in %q", n.ID, f.Type, f.Text, n.Text))
				}
			}
			continue
		}
		positives++
		used := make([]bool, len(got))
		for _, w := range n.Want {
			tags++
			found := false
			for i, f := range got {
				if f.Start < w.End && w.Start < f.End && corpusFamily(f.Type) == corpusFamily(w.Type) {
					found, used[i] = true, true
				}
			}
			for _, key := range []string{w.Type, "family " + corpusFamily(w.Type), "all"} {
				add(n.Split, key, found)
				add("all", key, found)
			}
			if !found {
				detail = append(detail, fmt.Sprintf("%s: missed %s %q in %q", n.ID, w.Type, w.Text, n.Text))
			}
		}
		for i, f := range got {
			findings++
			pt := byType[f.Type]
			if pt == nil {
				pt = &score{}
				byType[f.Type] = pt
			}
			pt.total++
			if used[i] {
				rightFindings++
				pt.found++
				continue
			}
			// A finding overlapping a tag of another family still flags PHI.
			for _, w := range n.Want {
				if f.Start < w.End && w.Start < f.End {
					used[i] = true
				}
			}
			if used[i] {
				rightFindings++
				pt.found++
			} else {
				detail = append(detail, fmt.Sprintf("%s: extra %s %q in %q", n.ID, f.Type, f.Text, n.Text))
			}
		}
	}
	rate := func(s *score) float64 {
		if s == nil || s.total == 0 {
			return 1
		}
		return float64(s.found) / float64(s.total)
	}
	t.Logf("corpus: %d texts with %d tagged identifiers, %d identifier-free texts", positives, tags, negatives)
	for _, split := range []string{"dev", "heldout", "all"} {
		for _, k := range sortedKeys(recall[split]) {
			s := recall[split][k]
			t.Logf("  %-8s recall %-22s %4d/%-4d %.3f", split, k, s.found, s.total, rate(s))
		}
	}
	for _, k := range sortedKeys(byType) {
		t.Logf("  precision %-12s %4d/%-4d %.3f", k, byType[k].found, byType[k].total, rate(byType[k]))
	}
	precision := float64(rightFindings) / float64(max(findings, 1))
	specificity := 1 - float64(flaggedNegatives)/float64(max(negatives, 1))
	t.Logf("  precision %d/%d %.3f; identifier-free texts left unflagged %d/%d %.3f",
		rightFindings, findings, precision, negatives-flaggedNegatives, negatives, specificity)
	if os.Getenv("PHI_SCORE_DETAIL") != "" {
		for _, d := range detail {
			t.Log(d)
		}
	}
	checks := []struct {
		name       string
		got, floor float64
	}{
		{"dev recall", rate(recall["dev"]["all"]), corpusFloors.recall},
		{"dev recall on names", rate(recall["dev"]["family names"]), corpusFloors.names},
		{"dev recall on places", rate(recall["dev"]["family places"]), corpusFloors.places},
		{"held-out recall", rate(recall["heldout"]["all"]), corpusFloors.heldoutRecall},
		{"held-out recall on names", rate(recall["heldout"]["family names"]), corpusFloors.heldoutNames},
		{"held-out recall on places", rate(recall["heldout"]["family places"]), corpusFloors.heldoutPlaces},
		{"precision", precision, corpusFloors.precision},
		{"identifier-free texts unflagged", specificity, corpusFloors.specificity},
	}
	for _, c := range checks {
		if c.got < c.floor {
			t.Errorf("%s %.3f fell below %.2f", c.name, c.got, c.floor)
		}
	}
	if positives < 1000 || tags < 2000 || negatives < 300 {
		t.Errorf("the corpus shrank: %d texts, %d identifiers, %d identifier-free texts", positives, tags, negatives)
	}
}
