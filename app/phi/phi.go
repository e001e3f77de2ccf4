// Package phi finds the HIPAA Safe Harbor identifiers that a clinician's
// post can carry — patients' names, dates tied to their care, ages over 89,
// contact details, record and account numbers, addresses and the like — so
// the composer can stop a post before a patient becomes identifiable.
//
// The scanner is rules, not a statistical model: every finding comes with a
// reason a clinician can read and act on. It errs towards asking (a
// low-confidence finding) rather than blocking: only identifiers whose shape
// leaves no doubt (SSN, MRN, phone, fax, e-mail, full date of birth, payment
// card, IBAN, a patient's name, a street address) are high confidence and
// block a post until edited. Ordinary
// clinical prose — doses, lab values, vital signs, scores, years, durations,
// eponyms, citations — must never be flagged; the tests hold it to that.
//
// Names and places need vocabulary as well as patterns: the scanner looks
// capitalised words up in an embedded word list (given names, surnames, US
// places, hospitals, drugs, medical eponyms, common English words; see
// lexicon/NOTICE.md) and weighs that against the words around them, as
// Philter does. A patient's or relative's name and a street address block
// a post; a clinician's name, a hospital and a city ask, since they are
// often harmless alone and identifying together.
package phi

import (
	"sort"
	"strings"
	"unicode"
)

// Confidence says what the composer does with a finding.
const (
	// High blocks the post until the identifier is edited out.
	High = "high"
	// Low asks the author to confirm that the text does not identify a patient.
	Low = "low"
)

// Identifier types, as shown to authors and written by `rounds phi check`.
const (
	TypeName        = "name"
	TypeDate        = "date"
	TypeAge         = "age"
	TypePhone       = "phone"
	TypeFax         = "fax"
	TypeEmail       = "email"
	TypeSSN         = "ssn"
	TypeMRN         = "mrn"
	TypeHealthPlan  = "health_plan"
	TypeAccount     = "account"
	TypeLicense     = "license"
	TypeCertificate = "certificate"
	TypeDevice      = "device"
	TypeVehicle     = "vehicle"
	TypeURL         = "url"
	TypeIP          = "ip_address"
	TypeAddress     = "address"
	TypeZIP         = "zip"
	TypeCreditCard  = "credit_card"
	TypeIBAN        = "iban"
	TypePatientID   = "patient_id"
	TypeNumber      = "id_number"
	// A clinician's name with a case ("seen by Dr. Ruiz at …"): harmless
	// alone, it narrows the patient to one practice.
	TypeClinician = "clinician"
	// A hospital, clinic or health system ("transferred from Mercy").
	TypeFacility = "facility"
	// A city, town, borough or county ("Dayton, OH", "a man from Queens").
	TypeLocation = "location"
)

// Types lists every identifier type Scan can report.
var Types = []string{TypeName, TypeDate, TypeAge, TypePhone, TypeFax, TypeEmail, TypeSSN, TypeMRN, TypeHealthPlan, TypeAccount,
	TypeLicense, TypeCertificate, TypeDevice, TypeVehicle, TypeURL, TypeIP, TypeAddress, TypeZIP, TypeCreditCard, TypeIBAN,
	TypePatientID, TypeNumber, TypeClinician, TypeFacility, TypeLocation}

// Finding is one identifier found in a text.
type Finding struct {
	Type       string `json:"type"`
	Confidence string `json:"confidence"`
	// Start and End are byte offsets into the scanned text: text[Start:End] == Text.
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// Blocking reports whether the finding stops a post until it is edited.
func (f Finding) Blocking() bool { return f.Confidence == High }

// doc is a text being scanned together with an ASCII-lowercased copy of the
// same length, so case-insensitive look-arounds keep byte offsets intact.
type doc struct {
	text  string
	lower string
	runs  []digitRun
	words wordIndex
	caps  []int // where capitalised words start
}

func (d doc) capitals() []int { return d.caps }

// candidate is a finding plus the rank that settles overlaps: when two
// findings overlap, the one from the more specific rule wins.
type candidate struct {
	Finding
	rank int
}

// Ranks, most specific first wins.
const (
	rankLabelled = 90 // an identifier introduced by its own label ("MRN", "SSN:")
	rankExact    = 80 // self-checking shapes: e-mail, card (Luhn), IBAN (mod 97), SSN
	rankDate     = 70
	rankPhone    = 60
	rankWeb      = 55
	rankAge      = 50
	rankAddress  = 40
	rankFacility = 38
	rankLocation = 36
	rankClinic   = 32 // a clinician's name beats a patient's on the same words
	rankName     = 30
	rankNumber   = 10
	// A span taken from a cue ("lives at …") to the end of the clause. It
	// does not compete: the more specific findings inside it are cut out of
	// it, and what is left stays an address.
	rankClause = 5
)

// Scan returns the identifiers found in text, in order of position.
// Overlapping findings are resolved in favour of the more specific rule.
func Scan(text string) []Finding {
	if text == "" {
		return nil
	}
	lower := asciiLower(text)
	d := doc{text: text, lower: lower, runs: digitRuns(text), words: indexWords(lower), caps: capitalStarts(text)}
	var cands []candidate
	cands = scanWeb(d, cands)
	cands = scanNumbers(d, cands)
	cands = scanLabelled(d, cands)
	cands = scanDates(d, cands)
	cands = scanAges(d, cands)
	cands = scanAddresses(d, cands)
	cands = scanPlaces(d, cands)
	cands = scanClinicians(d, cands)
	cands = scanNames(d, cands)
	return resolve(insideLinks(d, cands))
}

// HasBlocking reports whether any finding blocks a post.
func HasBlocking(findings []Finding) bool {
	for _, f := range findings {
		if f.Blocking() {
			return true
		}
	}
	return false
}

func resolve(cands []candidate) []Finding {
	if len(cands) == 0 {
		return nil
	}
	// Best first: higher rank, then high confidence, then longer.
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.rank != b.rank {
			return a.rank > b.rank
		}
		if a.Confidence != b.Confidence {
			return a.Confidence == High
		}
		return a.End-a.Start > b.End-b.Start
	})
	// kept stays sorted by position and free of overlaps, so one binary
	// search tells whether a candidate collides with what is already kept.
	kept := make([]Finding, 0, len(cands))
	insert := func(f Finding) {
		i := sort.Search(len(kept), func(i int) bool { return kept[i].Start >= f.Start })
		kept = append(kept, Finding{})
		copy(kept[i+1:], kept[i:])
		kept[i] = f
	}
	for _, c := range cands {
		if c.rank == rankClause {
			for _, piece := range clip(c.Finding, kept) {
				insert(piece)
			}
			continue
		}
		i := sort.Search(len(kept), func(i int) bool { return kept[i].End > c.Start })
		if i < len(kept) && kept[i].Start < c.End {
			continue
		}
		insert(c.Finding)
	}
	return kept
}

func (d doc) add(cands []candidate, rank int, typ, conf string, start, end int, reason string) []candidate {
	return append(cands, candidate{
		Finding: Finding{Type: typ, Confidence: conf, Start: start, End: end, Text: d.text[start:end], Reason: reason},
		rank:    rank,
	})
}

// asciiLower lowercases ASCII letters only, so byte offsets are unchanged.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// before returns up to n bytes of the lowercased text that end at i, cut at
// the start of the line so a label on a previous line does not count.
func (d doc) before(i, n int) string {
	lo := i - n
	if lo < 0 {
		lo = 0
	}
	s := d.lower[lo:i]
	for j := len(s) - 1; j >= 0; j-- {
		if s[j] == '\n' {
			return s[j+1:]
		}
	}
	return s
}

// previousLine returns the lowercased line above the one holding i.
func (d doc) previousLine(i int) string {
	ls := strings.LastIndexByte(d.lower[:i], '\n')
	if ls <= 0 {
		return ""
	}
	ps := strings.LastIndexByte(d.lower[:ls], '\n') + 1
	if ls-ps > 60 {
		ps = ls - 60
	}
	return d.lower[ps:ls]
}

// after returns up to n bytes of the lowercased text from i, to the end of the line.
func (d doc) after(i, n int) string {
	hi := i + n
	if hi > len(d.lower) {
		hi = len(d.lower)
	}
	s := d.lower[i:hi]
	for j := 0; j < len(s); j++ {
		if s[j] == '\n' {
			return s[:j]
		}
	}
	return s
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isASCIILetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

func digitsOf(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// clip cuts the parts of f that are already covered by kept findings and
// returns what is left, trimmed of spaces and punctuation.
func clip(f Finding, kept []Finding) []Finding {
	pieces := [][2]int{{f.Start, f.End}}
	for _, k := range kept {
		var next [][2]int
		for _, p := range pieces {
			if k.End <= p[0] || p[1] <= k.Start {
				next = append(next, p)
				continue
			}
			if p[0] < k.Start {
				next = append(next, [2]int{p[0], k.Start})
			}
			if k.End < p[1] {
				next = append(next, [2]int{k.End, p[1]})
			}
		}
		pieces = next
	}
	full := f.Text
	var out []Finding
	for _, p := range pieces {
		s, e := p[0]-f.Start, p[1]-f.Start
		for s < e && strings.IndexByte(" \t\n\r,;:.>?-()", full[s]) >= 0 {
			s++
		}
		for e > s && strings.IndexByte(" \t\n\r,;:>?-(", full[e-1]) >= 0 {
			e--
		}
		// A label left over between findings ("Desk:", "Fax:") is not an address.
		if f.Start+e < len(f.Text)+f.Start && e < len(full) && full[e] == ':' {
			continue
		}
		if alnumLen(full[s:e]) < 3 || !strings.ContainsAny(full[s:e], "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") && !nonASCIIUpper(full[s:e]) {
			continue
		}
		g := f
		g.Start, g.End, g.Text = f.Start+s, f.Start+e, full[s:e]
		out = append(out, g)
	}
	return out
}

func nonASCIIUpper(s string) bool {
	for _, r := range s {
		if r > 127 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// insideLinks drops findings inside a link (the digits of a PubMed or DOI
// address are not identifiers); the link itself was judged on its own.
func insideLinks(d doc, cands []candidate) []candidate {
	if !strings.Contains(d.lower, "http") && !strings.Contains(d.lower, "www.") {
		return cands
	}
	links := d.links()
	if len(links) == 0 {
		return cands
	}
	kept := cands[:0]
	for _, c := range cands {
		inside := false
		if c.Type != TypeURL && c.Type != TypeEmail {
			for _, l := range links {
				if l[0] <= c.Start && c.End <= l[1] {
					inside = true
				}
			}
		}
		if !inside {
			kept = append(kept, c)
		}
	}
	return kept
}
