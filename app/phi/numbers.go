package phi

import (
	"regexp"
	"strings"
)

var (
	ssnRE = regexp.MustCompile(`^\d{3}-\d{2}-\d{4}\b`)
	// A run of digits in groups joined by single spaces or dashes: card numbers.
	cardRE = regexp.MustCompile(`^\d(?:[ \-]?\d){12,18}\b`)
	ibanRE = regexp.MustCompile(`^[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b`)
	// Phone-shaped: optional +, digits in groups joined by space, dot, dash or
	// parentheses, with an optional extension.
	phoneRE = regexp.MustCompile(`^(?:\+|00)?\(?\d[\d().\- ]{5,24}\d(?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,5})?\b`)
	// A North American number: (602)272-9781, 463-612-6138, 1-984-182-0190.
	nanpRE = regexp.MustCompile(`^(?:\+?0{0,2}1[ .\-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}(?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,5})?$`)
)

// Words near a number that say it is a telephone or fax number.
var phoneCues = []string{
	"phone", "tel:", "tel.", "tel ", "telephone", "call", "cell", "mobile", "mob:", "reach",
	"text me", "text her", "text him", "sms", "whatsapp", "pager", "beeper", "landline",
	"answering at", "messages to", "dial", "ring", "ph:", "ph.", "ph ",
}

// Words that name a phone number only when they sit right before it.
var weakPhoneCues = []string{"office", "desk", "contact", "registered", "home", "work", "number", "#"}

func scanNumbers(d doc, cands []candidate) []candidate {
	text := d.text
	ssnEnd, cardEnd, phoneEnd := -1, -1, -1
	for _, r := range d.runs {
		p := r.start
		n := r.end - r.start
		if n == 3 && r.end < len(text) && text[r.end] == '-' && p >= ssnEnd {
			if m := anchored(ssnRE, text, p, 11); m != nil && validSSN(digitsOf(text[m[0]:m[1]])) && !dashedNeighbours(text, m[0], m[1]) {
				cands = d.add(cands, rankExact, TypeSSN, High, m[0], m[1], "Looks like a US Social Security number.")
				ssnEnd = m[1]
			}
		}
		if p >= cardEnd && digitsAhead(text, p, 26) >= 12 {
			if m := anchored(cardRE, text, p, 40); m != nil {
				if luhn(digitsOf(text[m[0]:m[1]])) && !citationContext(d, m[0]) {
					cands = d.add(cands, rankExact, TypeCreditCard, High, m[0], m[1], "Looks like a payment card number (it passes the card checksum).")
					cardEnd = m[1]
				}
			}
		}
		if ps := phoneStart(text, p); ps >= phoneEnd && digitsAhead(text, ps, 28) >= 7 {
			if m := anchored(phoneRE, text, ps, 40); m != nil {
				if tollFree(text[m[0]:m[1]]) {
					phoneEnd = m[1]
					continue
				}
				before := len(cands)
				cands = phoneCandidate(d, cands, m[0], m[1])
				if len(cands) > before {
					phoneEnd = cands[len(cands)-1].End
				}
			}
		}
		if n >= 7 && (r.end == len(text) || !isWordByte(text[r.end])) {
			if !citationContext(d, p) && !followedByUnit(d, r.end) && !decimalNeighbour(text, p, r.end) {
				cands = d.add(cands, rankNumber, TypeNumber, Low, p, r.end, "A long number like this may be a record, account or other identifying number.")
			}
		}
	}
	// IBAN: two capitals and two check digits at the start of a word.
	for i := 0; i+4 <= len(text); i++ {
		if isUpperASCII(text[i]) && isUpperASCII(text[i+1]) && isDigit(text[i+2]) && isDigit(text[i+3]) && (i == 0 || !isWordByte(text[i-1])) {
			if m := anchored(ibanRE, text, i, 50); m != nil && validIBAN(text[m[0]:m[1]]) {
				cands = d.add(cands, rankExact, TypeIBAN, High, m[0], m[1], "Looks like a bank account number (IBAN).")
				i = m[1]
			}
		}
	}
	return cands
}

func isUpperASCII(c byte) bool { return 'A' <= c && c <= 'Z' }

// phoneStart steps back over a "+" or "(" that opens a phone number.
func phoneStart(text string, p int) int {
	if p > 0 && (text[p-1] == '(' || text[p-1] == '+') {
		p--
		if p > 0 && text[p] == '(' && text[p-1] == '+' {
			p--
		}
	}
	return p
}

func phoneCandidate(d doc, cands []candidate, start, end int) []candidate {
	// Trim separators the pattern may have swallowed at the ends, and an
	// unbalanced parenthesis.
	for end > start && strings.IndexByte(" .-(", d.text[end-1]) >= 0 {
		end--
	}
	s := d.text[start:end]
	if strings.Count(s, "(") != strings.Count(s, ")") {
		if s[0] == '(' {
			start++
		}
		s = d.text[start:end]
		if strings.Count(s, "(") != strings.Count(s, ")") {
			return cands
		}
	}
	if strings.ContainsRune(s, '\n') {
		return cands
	}
	main := s
	if i := strings.IndexAny(main, "xe"); i >= 0 {
		main = main[:i]
	}
	n := len(digitsOf(main))
	if n < 7 || n > 15 {
		return cands
	}
	if decimalNeighbour(d.text, start, end) || looksDecimal(main) {
		return cands
	}
	cue, fax := phoneCue(d, start, end)
	if tollFree(s) {
		return cands
	}
	switch {
	case cue:
	case nanpRE.MatchString(s):
	case s[0] == '+' && n >= 8:
	default:
		return cands
	}
	if citationContext(d, start) {
		return cands
	}
	if fax {
		return d.add(cands, rankPhone, TypeFax, High, start, end, "Looks like a fax number.")
	}
	return d.add(cands, rankPhone, TypePhone, High, start, end, "Looks like a telephone number.")
}

// phoneCue looks for a telephone word just before the number (same line) or
// just after it ("-Office", " fax").
func phoneCue(d doc, start, end int) (cue, fax bool) {
	b := d.before(start, 40)
	if strings.TrimSpace(b) == "" {
		// A label alone on the line above: "Phone:\n0496 46 46 70".
		b = d.previousLine(start)
	}
	a := d.after(end, 12)
	// The nearest label wins: "Mobile: … Desk: … Fax: N" is a fax.
	lastFax := lastWord(b, "fax")
	lastOther := -1
	for _, c := range phoneCues {
		if i := lastWord(b, c); i > lastOther {
			lastOther = i
		}
	}
	// Weak cues count only right before the number: "Office: 555…", not
	// "the office is at 17031 2202 Rissik St".
	for _, c := range weakPhoneCues {
		if i := lastWord(b, c); i > lastOther && strings.Trim(b[i+len(c):], " :#\t") == "" {
			lastOther = i
		}
	}
	afterFax := strings.HasPrefix(strings.TrimLeft(a, " -(,\\"), "fax")
	afterPhone := false
	for _, w := range []string{"office", "mobile", "cell", "home", "work", "phone", "tel"} {
		if strings.HasPrefix(strings.TrimLeft(a, " -(,\\"), w) {
			afterPhone = true
		}
	}
	// A label further back than the previous number belongs to that number.
	if lastFax >= 0 || lastOther >= 0 {
		cue = true
	}
	fax = afterFax || (!afterPhone && lastFax > lastOther)
	return cue || afterFax || afterPhone, fax
}

// citationContext is true for numbers that are identifiers of papers, trials
// or clinicians' registry entries rather than of patients: PMID, PMCID, DOI,
// ISBN, ISSN, NCT, NPI, NDC and code systems.
func citationContext(d doc, start int) bool {
	b := d.before(start, 24)
	for _, w := range []string{"pmid", "pmcid", "pmc", "doi", "isbn", "issn", "nct", "npi", "ndc", "loinc", "snomed", "rxnorm", "rxcui", "icd", "cpt", "hcpcs", "cas ", "umls", "cui", "orcid", "arxiv"} {
		if strings.Contains(b, w) {
			return true
		}
	}
	// A DOI suffix: 10.1056/NEJMoa2034577.
	if strings.Contains(b, "10.") && strings.Contains(b, "/") {
		return true
	}
	return false
}

// Units after a number say it is a measurement, not an identifier.
var units = []string{"kg", "lb", "cm", "mm", "%", "bpm", "days", "weeks", "hours", "min", "sec", "times", "copies", "cells", "/ml", "/l", "/mm", "/ul", "/µl", "iu", "u/", "mg", "mcg", "µg", "ng", "pg", "g/", "ml", "mmol", "umol", "µmol", "meq", "units", "x10", "×10", "cfu", "bp", "kb", "base", "steps", "cases", "people", "patients", "deaths", "dollars", "usd", "$"}

func followedByUnit(d doc, end int) bool {
	a := strings.TrimLeft(d.after(end, 12), " ")
	for _, u := range units {
		if strings.HasPrefix(a, u) {
			return true
		}
	}
	return false
}

// decimalNeighbour is true when the number continues as a decimal or a
// thousands group (1,250,000 or 3.14159265), which identifiers never do.
func decimalNeighbour(text string, start, end int) bool {
	if start >= 2 && (text[start-1] == '.' || text[start-1] == ',') && isDigit(text[start-2]) {
		return true
	}
	if end+1 < len(text) && (text[end] == '.' || text[end] == ',') && isDigit(text[end+1]) {
		return true
	}
	return false
}

// dashedNeighbours rejects a 3-2-4 run inside a longer dashed code.
func dashedNeighbours(text string, start, end int) bool {
	return (start >= 2 && text[start-1] == '-' && isDigit(text[start-2])) ||
		(end+1 < len(text) && text[end] == '-' && isDigit(text[end+1]))
}

// looksDecimal rejects lab values and doses joined by spaces: a group with a
// single dot between one- or two-digit pieces, like "7.2 10.5".
func looksDecimal(s string) bool {
	if !strings.Contains(s, ".") {
		return false
	}
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == '.' })
	return len(groups) < 3
}

func validSSN(digits string) bool {
	if len(digits) != 9 {
		return false
	}
	area, group, serial := digits[:3], digits[3:5], digits[5:]
	return area != "000" && area != "666" && group != "00" && serial != "0000"
}

// luhn checks the payment card checksum and a plausible card length.
func luhn(digits string) bool {
	if len(digits) < 13 || len(digits) > 19 {
		return false
	}
	if strings.Trim(digits, "0") == "" {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		n := int(digits[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

// validIBAN checks the ISO 13616 mod-97 checksum.
func validIBAN(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	s = s[4:] + s[:4]
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case 'A' <= c && c <= 'Z':
			v := int(c-'A') + 10
			rem = (rem*100 + v) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// lastWord is the last index of w in s where w starts a word, or -1.
func lastWord(s, w string) int {
	for end := len(s); end > 0; {
		i := strings.LastIndex(s[:end], w)
		if i < 0 {
			return -1
		}
		if i == 0 || !isASCIILetter(s[i-1]) {
			return i
		}
		end = i
	}
	return -1
}

// hasWord reports whether w occurs in s starting a word.
func hasWord(s, w string) bool { return lastWord(s, w) >= 0 }

// tollFree spots North American toll-free numbers (1-800-222-1222, Poison
// Control): they belong to organisations, not to patients.
func tollFree(s string) bool {
	digits := digitsOf(s)
	if len(digits) == 11 && digits[0] == '1' {
		digits = digits[1:]
	}
	if len(digits) != 10 {
		return false
	}
	switch digits[:3] {
	case "800", "833", "844", "855", "866", "877", "888":
		return true
	}
	return false
}
