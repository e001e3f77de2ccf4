package phi

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	// 92-year-old, 92 year old, 92 yo, 92 y/o, 92yo, 92 yrs old, 92 years of age.
	ageYearsRE = regexp.MustCompile(`^(?i)(\d{2,3})(?:[ \t\-]*(?:years?|yrs?|y)[ \t\-]*(?:old|of[ \t]+age|o\b|/o\b|\.o\.?)|[ \t]*yo[mf]?\b|(?:st|nd|rd|th)[ \t]+birthday)`)
	// 94F, 92M: clinicians' shorthand for age and sex.
	ageSexRE = regexp.MustCompile(`^(\d{2,3})[ ]?[MF]\b`)
	// aged 95, age: 101, age of 93, turned 94.
	ageLabelRE = regexp.MustCompile(`^(?i)(?:aged?|age[ \t]+of|turned|turning|turns)[ \t]*[:=]?[ \t]*(\d{2,3})\b`)
	// he is 91, she was 94, she's now 96.
	agePronounRE = regexp.MustCompile(`^(?i)(?:he|she)(?:'s|’s|[ \t]+is|[ \t]+was|[ \t]+turned)[ \t]+(?:now[ \t]+|just[ \t]+)?(\d{2,3})\b`)
	// in her 90s, in his late nineties.
	ageDecadeRE = regexp.MustCompile(`^(?i)(?:his|her|their)[ \t]+(?:early[ \t]+|mid[ \t\-]+|late[ \t]+)?(?:90s|90's|90’s|nineties)\b`)
	// Words that name an age over 89 on their own.
	ageWordRE = regexp.MustCompile(`^(?i)(?:nonagenarian|centenarian|supercentenarian)s?\b`)
)

func scanAges(d doc, cands []candidate) []candidate {
	const reason = "An age over 89 is an identifier; write \"90 or older\" instead."
	add := func(m []int) {
		n, err := strconv.Atoi(d.text[m[2]:m[3]])
		if err != nil || n <= 89 || n > 125 {
			return
		}
		// "90+" and "90 or older" are the aggregated forms Safe Harbor
		// allows, and "aged 90-99" is a range in a study, not a patient.
		if rangeOrAggregate(d.lower, m[3]) {
			return
		}
		cands = d.add(cands, rankAge, TypeAge, Low, m[0], m[1], reason)
	}
	for _, r := range d.runs {
		if n := r.end - r.start; (n == 2 || n == 3) && yearsAhead(d.lower, r.end) {
			if m := anchored(ageYearsRE, d.text, r.start, 24); m != nil {
				add(m)
			}
		}
	}
	for _, r := range d.runs {
		if n := r.end - r.start; (n == 2 || n == 3) && r.end < len(d.text) && (d.text[r.end] == 'M' || d.text[r.end] == 'F' || d.text[r.end] == ' ') {
			if m := anchored(ageSexRE, d.text, r.start, 6); m != nil && !temperatureBefore(d, r.start) {
				add(m)
			}
		}
	}
	for _, p := range d.wordStarts([]string{"age", "turn"}) {
		if m := anchored(ageLabelRE, d.text, p, 20); m != nil {
			add(m)
		}
	}
	for _, p := range d.wordStarts([]string{"he ", "she ", "he'", "she'", "he’", "she’"}) {
		if m := anchored(agePronounRE, d.text, p, 24); m != nil && !followedByUnit(d, m[1]) && !decimalNeighbour(d.text, m[2], m[3]) {
			if rest := d.after(m[1], 8); !strings.HasPrefix(rest, "%") && !strings.HasPrefix(rest, "/") {
				add(m)
			}
		}
	}
	for _, p := range d.wordStarts([]string{"his ", "her ", "their "}) {
		if m := anchored(ageDecadeRE, d.text, p, 30); m != nil {
			cands = d.add(cands, rankAge, TypeAge, Low, m[0], m[1], reason)
		}
	}
	// A year of birth more than 89 years ago gives the age away just the same.
	thisYear := time.Now().Year()
	for _, r := range d.runs {
		if r.end-r.start != 4 || (r.end < len(d.text) && isWordByte(d.text[r.end])) {
			continue
		}
		y, err := strconv.Atoi(d.text[r.start:r.end])
		if err != nil || y < 1880 || y > thisYear-90 || !nearCue(d.before(r.start, 20), birthCues, nil, nil) {
			continue
		}
		cands = d.add(cands, rankAge, TypeAge, Low, r.start, r.end, "A birth year this long ago shows an age over 89; write \"90 or older\" instead.")
	}
	for _, p := range d.wordStarts([]string{"nonagenarian", "centenarian", "supercentenarian"}) {
		if m := anchored(ageWordRE, d.text, p, 20); m != nil {
			cands = d.add(cands, rankAge, TypeAge, Low, m[0], m[1], reason)
		}
	}
	return cands
}

// yearsAhead is a quick look for "y" (year, yo, y/o) or a birthday ordinal
// right after a number, before the age patterns run.
func yearsAhead(lower string, i int) bool {
	rest := lower[i:min(len(lower), i+16)]
	rest = strings.TrimLeft(rest, " \t-")
	if strings.HasPrefix(rest, "y") {
		return true
	}
	return strings.Contains(rest, "birthday")
}

// temperatureBefore tells "Tmax 101F" from "101F" meaning a 101-year-old woman.
func temperatureBefore(d doc, start int) bool {
	b := d.before(start, 32)
	for _, w := range []string{"temp", "tmax", "t max", "fever", "febrile", "spiked", "t:", "°"} {
		if strings.Contains(b, w) {
			return true
		}
	}
	t := strings.TrimRight(b, " ")
	return strings.HasSuffix(t, " t") || t == "t" || strings.HasSuffix(t, " to")
}

func rangeOrAggregate(lower string, end int) bool {
	rest := lower[end:min(len(lower), end+16)]
	if strings.HasPrefix(rest, "+") {
		return true
	}
	for _, w := range []string{"-", "–", " - ", " – ", " to "} {
		if strings.HasPrefix(rest, w) && len(rest) > len(w) && isDigit(rest[len(w)]) {
			return true
		}
	}
	for _, w := range []string{" or older", " or over", " and older", " and over", " or above", " and above"} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}
