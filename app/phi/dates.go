package phi

import (
	"regexp"
	"strconv"
	"strings"
)

const monthNames = `jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`

var (
	// 3/14/2024, 14.03.2024, 14-03-2024 (two-digit years only with slashes).
	numericDateRE = regexp.MustCompile(`^(\d{1,2})([/.\-])(\d{1,2})([/.\-])(\d{4}|\d{2})\b`)
	// 2024-03-14, optionally with a time.
	isoDateRE = regexp.MustCompile(`^(\d{4})[\-/.](\d{1,2})[\-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\b`)
	// March 14, March 14th 2024, Mar. 14, 2024.
	monthDayRE = regexp.MustCompile(`^(?i)(` + monthNames + `)\.?[ \t]+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?[ \t]+(\d{4})\b)?`)
	// 14 March 2024, 14th of March.
	dayMonthRE = regexp.MustCompile(`^(?i)(\d{1,2})(?:st|nd|rd|th)?(?:[ \t]+(?:of[ \t]+)?|[\-/.])(` + monthNames + `)\b\.?(?:(?:,?[ \t]+|[\-/.])(\d{4}|\d{2})\b)?`)
	// Feb-17-2023, Feb/17/23.
	monthDashDayRE = regexp.MustCompile(`^(?i)(` + monthNames + `)[\-/.](\d{1,2})[\-/.](\d{4}|\d{2})\b`)
	// March 2024: more specific than a year, flagged when tied to a patient.
	monthYearRE = regexp.MustCompile(`^(?i)(` + monthNames + `)\.?,?[ \t]+(\d{4})\b`)
	// 3/14 with no year, flagged only after a care word ("seen on 3/14").
	monthSlashDayRE = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})\b`)
)

var monthRoots = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// Words that tie a date to a patient's birth.
var birthCues = []string{"dob", "d.o.b", "date of birth", "birth date", "birthdate", "birthday", "born", "b."}

// Words that tie a date to a patient's care or death.
var careCues = []string{
	"admit", "admission", "admitted", "discharg", "died", "death", "deceased", "expired", "passed away",
	"seen", "visit", "presented", "surgery", "operat", "procedure", "delivered", "delivery", "transferred",
	"readmit", "arrived", "appointment", "appt", "follow-up", "follow up", "f/u", "clinic", "ed on",
	"er on", "intubated", "extubated", "diagnosed", "biopsy", "scan on", "date of service", "dos",
	"date of injury", "lmp", "edd", "dod", "date of death", "last seen", "since",
}

func scanDates(d doc, cands []candidate) []candidate {
	if len(d.runs) == 0 {
		return cands
	}
	text := d.text
	months := hasMonthWord(d.lower)
	lastEnd := -1
	for _, r := range d.runs {
		p, n := r.start, r.end-r.start
		if p < lastEnd || r.end >= len(text) {
			continue
		}
		sep := text[r.end]
		switch {
		case n <= 2 && (sep == '/' || sep == '.' || sep == '-'):
			if secondSeparator(text, r.end) {
				if m := anchored(numericDateRE, text, p, 12); m != nil {
					if ok := numericDate(d, m); ok {
						cands = dateFinding(d, cands, m[0], m[1], true)
						lastEnd = m[1]
						continue
					}
				}
			}
			if months && r.end+1 < len(text) && isASCIILetter(text[r.end+1]) {
				if m := anchored(dayMonthRE, text, p, 30); m != nil && properMonth(text[m[4]:m[5]]) {
					cands = dateFinding(d, cands, m[0], m[1], m[6] >= 0)
					lastEnd = m[1]
					continue
				}
			}
			if sep == '/' {
				if m := anchored(monthSlashDayRE, text, p, 6); m != nil {
					a, _ := strconv.Atoi(text[m[2]:m[3]])
					b, _ := strconv.Atoi(text[m[4]:m[5]])
					if validMonthDay(a, b) && !partOfLongerFraction(text, m[0], m[1]) &&
						monthDayCue(d, m[0], m[1]) && !fractionFollows(d, m[1]) {
						cands = dateFinding(d, cands, m[0], m[1], false)
						lastEnd = m[1]
					}
				}
			}
		case n == 4 && (sep == '-' || sep == '/' || sep == '.') && r.end+1 < len(text) && isDigit(text[r.end+1]):
			if m := anchored(isoDateRE, text, p, 24); m != nil {
				mo, _ := strconv.Atoi(text[m[4]:m[5]])
				dy, _ := strconv.Atoi(text[m[6]:m[7]])
				if plausibleYear(text[m[2]:m[3]]) && validMonthDay(mo, dy) && (p == 0 || text[p-1] != '.') {
					cands = dateFinding(d, cands, m[0], m[1], true)
					lastEnd = m[1]
				}
			}
		case n <= 2 && months && (monthAhead(d.lower, r.end) || sep == '-' || sep == '/' || sep == '.'):
			if m := anchored(dayMonthRE, text, p, 30); m != nil && properMonth(text[m[4]:m[5]]) {
				day, _ := strconv.Atoi(text[m[2]:m[3]])
				if day >= 1 && day <= 31 && (m[6] < 0 || len(text[m[6]:m[7]]) == 4 || text[m[3]] != ' ') {
					cands = dateFinding(d, cands, m[0], m[1], m[6] >= 0)
					lastEnd = m[1]
				}
			}
		}
	}
	if !months {
		return cands
	}
	// Month words are walked on their own: a numeric date further on must
	// not hide "Mar 3, 2020" before it.
	lastEnd = -1
	for _, p := range d.wordStarts(monthRoots) {
		if p < lastEnd || covered(cands, p) {
			continue
		}
		if m := anchored(monthDashDayRE, text, p, 20); m != nil && properMonth(text[m[2]:m[3]]) {
			day, _ := strconv.Atoi(text[m[4]:m[5]])
			if day >= 1 && day <= 31 {
				cands = dateFinding(d, cands, m[0], m[1], true)
				lastEnd = m[1]
				continue
			}
		}
		if m := anchored(monthDayRE, text, p, 30); m != nil && properMonth(text[m[2]:m[3]]) {
			day, _ := strconv.Atoi(text[m[4]:m[5]])
			if day >= 1 && day <= 31 && !citationDate(d, m[0], m[1]) && !followedByUnit(d, m[5]) {
				cands = dateFinding(d, cands, m[0], m[1], m[6] >= 0)
				lastEnd = m[1]
				continue
			}
		}
		if m := anchored(monthYearRE, text, p, 20); m != nil && properMonth(text[m[2]:m[3]]) && plausibleYear(text[m[4]:m[5]]) && !citationDate(d, m[0], m[1]) {
			b := d.before(m[0], 60)
			switch cue := dateCue(d, m[0]); {
			case cue == "birth":
				cands = d.add(cands, rankDate, TypeDate, Low, m[0], m[1], "A month and year of birth can help identify a patient.")
			case cue != "":
				cands = d.add(cands, rankDate, TypeDate, Low, m[0], m[1], "A month and year tied to a patient's care can help identify them.")
			case eventBefore(b) && !literatureBefore(b) && !literatureBefore(d.after(m[1], 48)):
				cands = d.add(cands, rankDate, TypeDate, Low, m[0], m[1], "A month and year of an event in a patient's history can help identify them.")
			}
		}
	}
	return cands
}

// secondSeparator reports whether 3/14 goes on as 3/14/…: one or two
// digits after the separator at i, then the same separator again.
func secondSeparator(text string, i int) bool {
	sep := text[i]
	j := i + 1
	for j < len(text) && j-i <= 3 && isDigit(text[j]) {
		j++
	}
	return j-i >= 2 && j-i <= 3 && j < len(text) && text[j] == sep
}

// monthAhead reports whether a month name follows a day number at i
// ("14 March", "14th of March").
func monthAhead(lower string, i int) bool {
	rest := lower[i:min(len(lower), i+12)]
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		rest = strings.TrimPrefix(rest, suffix)
	}
	rest = strings.TrimLeft(rest, " \t")
	rest = strings.TrimPrefix(rest, "of ")
	for _, m := range monthRoots {
		if strings.HasPrefix(rest, m) {
			return true
		}
	}
	return false
}

// numericDate checks a d/m/y match: both separators alike, a plausible day
// and month in either order, four-digit years unless written with slashes,
// and not part of a longer run such as a decimal or 7.21/68/55.
func numericDate(d doc, m []int) bool {
	text := d.text
	sep1, sep2 := text[m[4]:m[5]], text[m[8]:m[9]]
	year := text[m[10]:m[11]]
	if sep1 != sep2 || (sep1 != "/" && len(year) != 4) {
		return false
	}
	a, _ := strconv.Atoi(text[m[2]:m[3]])
	b, _ := strconv.Atoi(text[m[6]:m[7]])
	if !validMonthDay(a, b) && !validMonthDay(b, a) {
		return false
	}
	if m[0] > 0 && (text[m[0]-1] == '/' || text[m[0]-1] == '.') {
		return false
	}
	if m[1] < len(text) && (text[m[1]] == '/' || (text[m[1]] == '.' && m[1]+1 < len(text) && isDigit(text[m[1]+1]))) {
		return false
	}
	return len(year) != 4 || plausibleYear(year)
}

// dateFinding grades a date by what it is tied to: a full date of birth
// blocks, any other specific date asks.
func dateFinding(d doc, cands []candidate, start, end int, full bool) []candidate {
	cue := dateCue(d, start)
	switch {
	case cue == "birth" && full:
		return d.add(cands, rankDate, TypeDate, High, start, end, "Looks like a full date of birth.")
	case cue == "birth":
		return d.add(cands, rankDate, TypeDate, Low, start, end, "A birth date can identify a patient.")
	case cue != "":
		return d.add(cands, rankDate, TypeDate, Low, start, end, dateReasons[cue])
	}
	return d.add(cands, rankDate, TypeDate, Low, start, end, "A date more specific than the year can identify a patient if it is tied to their care.")
}

// What a date is the date of, by the nearest cue before it in the same
// clause: "born 1/2/1950, seen on 3/14" makes the second a visit.
var dateCueKinds = []struct{ cue, kind string }{
	{"dob", "birth"}, {"d.o.b", "birth"}, {"date of birth", "birth"}, {"birth date", "birth"}, {"birthdate", "birth"},
	{"birthday", "birth"}, {"born", "birth"},
	{"admit", "admission"}, {"admission", "admission"}, {"admitted", "admission"}, {"readmit", "admission"},
	{"discharg", "admission"}, {"transferred", "admission"}, {"arrived", "admission"}, {"ed on", "admission"}, {"er on", "admission"},
	{"died", "death"}, {"death", "death"}, {"deceased", "death"}, {"expired", "death"}, {"passed away", "death"}, {"dod", "death"},
	{"date of death", "death"},
	{"seen", "visit"}, {"visit", "visit"}, {"presented", "visit"}, {"appointment", "visit"}, {"appt", "visit"}, {"follow-up", "visit"},
	{"follow up", "visit"}, {"f/u", "visit"}, {"clinic", "visit"}, {"last seen", "visit"}, {"date of service", "visit"}, {"dos", "visit"},
	{"surgery", "procedure"}, {"operat", "procedure"}, {"procedure", "procedure"}, {"biopsy", "procedure"}, {"scan on", "procedure"},
	{"intubated", "procedure"}, {"extubated", "procedure"}, {"delivered", "birth of a child"}, {"delivery", "birth of a child"},
	{"edd", "birth of a child"}, {"lmp", "birth of a child"},
	{"diagnosed", "diagnosis"}, {"date of injury", "injury"}, {"since", "care"},
}

var dateReasons = map[string]string{
	"admission":        "A date of admission, transfer or discharge can identify a patient.",
	"death":            "A date of death can identify a patient.",
	"visit":            "The date of a visit can identify the patient seen that day.",
	"procedure":        "The date of a procedure can identify a patient.",
	"birth of a child": "A delivery or due date can identify a patient.",
	"diagnosis":        "A date of diagnosis can identify a patient.",
	"injury":           "A date of injury can identify a patient.",
	"care":             "A date tied to a patient's care can identify them.",
}

// dateCue returns what kind of date the words just before start make it,
// or "" when none does. It reads back to the start of the clause only.
func dateCue(d doc, start int) string {
	b := d.before(start, 48)
	if i := strings.LastIndexAny(b, ".;!?"); i >= 0 && i+1 < len(b) && b[i+1] == ' ' {
		b = b[i+1:]
	}
	best, kind := -1, ""
	for _, c := range dateCueKinds {
		if i := lastWord(b, c.cue); i > best {
			best, kind = i, c.kind
		}
	}
	// "b." (born) counts only right before the date: "b. 3/4/1931".
	if t := strings.TrimRight(b, " \t"); strings.HasSuffix(t, " b.") || t == "b." {
		return "birth"
	}
	return kind
}

// Words that say a month and year is when something happened to a patient:
// "a stroke in July 2021", "diagnosed in March 2019".
var eventWords = []string{"stroke", "mi", "stemi", "nstemi", "infarct", "arrest", "fall", "fell", "fracture", "seizure", "surgery",
	"diagnos", "admitted", "admission", "hospitali", "discharged", "started", "stopped", "began", "onset", "episode", "attack",
	"bleed", "transplant", "resect", "repair", "replace", "placed", "implant", "delivered", "gave birth", "pregnan", "miscarr",
	"accident", "crash", "injur", "overdose", "arrest", "intubat", "biopsy", "scan", "ct", "mri", "echo", "cath", "pci", "cabg",
	"tavr", "chemo", "radiation", "relapse", "recurr", "remission", "died", "death", "passed", "moved", "immigrated", "arrived",
	"retired", "divorced", "married", "widowed", "covid", "infection", "pneumonia", "sepsis", "dka", "flare", "last seen",
	"seen", "visit", "presented", "since", "until", "in", "on", "from", "by"}

var literatureWords = []string{"published", "publication", "journal", "guideline", "trial", "study", "studies", "approved", "approval",
	"fda", "ema", "label", "updated", "update", "released", "release", "version", "edition", "issue", "vol", "conference",
	"meeting", "congress", "session", "webinar", "course", "exam", "boards", "residency", "fellowship", "joined", "hired",
	"policy", "recommendation", "statement", "consensus", "society", "association", "college", "survey", "data", "cohort",
	"recall", "shortage", "launch", "protocol", "formulary", "pharmacy", "changed", "news", "article", "paper", "review", "abstract", "preprint", "nejm", "jama", "lancet"}

func eventBefore(b string) bool { return nearCue(b, eventWords, nil, nil) }

func literatureBefore(b string) bool { return nearCue(b, literatureWords, nil, nil) }

// covered reports whether a date already found spans position p.
func covered(cands []candidate, p int) bool {
	for _, c := range cands {
		if c.Type == TypeDate && c.Start <= p && p < c.End {
			return true
		}
	}
	return false
}

// nearCue reports whether any cue starts a word in s; the last list holds
// short words that must end s ("seen on 3/14").
func nearCue(s string, cues, more, ending []string) bool {
	for _, c := range cues {
		if hasWord(s, c) {
			return true
		}
	}
	for _, c := range more {
		if hasWord(s, c) {
			return true
		}
	}
	t := strings.TrimRight(s, " \t:")
	for _, c := range ending {
		if strings.HasSuffix(t, c) && (len(t) == len(c) || !isASCIILetter(t[len(t)-len(c)-1])) {
			return true
		}
	}
	return false
}

func validMonthDay(month, day int) bool { return month >= 1 && month <= 12 && day >= 1 && day <= 31 }

func plausibleYear(y string) bool {
	n, err := strconv.Atoi(y)
	return err == nil && n >= 1880 && n <= 2100
}

// "May" and "march" are words too; take them as months only when
// capitalised, and "may" never in lower case.
func properMonth(m string) bool {
	if m == "" {
		return false
	}
	if strings.EqualFold(m, "may") || strings.EqualFold(m, "march") || strings.EqualFold(m, "mar") {
		return m[0] >= 'A' && m[0] <= 'Z'
	}
	return true
}

func hasMonthWord(lower string) bool {
	for _, m := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.Contains(lower, m) {
			return true
		}
	}
	return false
}

// citationDate spots the date of a journal issue, "2021 Mar 4;384(9):…",
// which is about a paper, not a patient.
func citationDate(d doc, start, end int) bool {
	b := d.text[:start]
	b = strings.TrimRight(b, " ")
	yearBefore := len(b) >= 4 && isDigit(b[len(b)-1]) && isDigit(b[len(b)-4])
	a := strings.TrimLeft(d.text[end:], " ")
	return yearBefore && (strings.HasPrefix(a, ";") || strings.HasPrefix(a, ":") || strings.HasPrefix(a, "."))
}

// partOfLongerFraction rejects 3/14 inside 1/2/3 or 120/80/60 runs.
func partOfLongerFraction(text string, start, end int) bool {
	if start > 0 && (text[start-1] == '/' || text[start-1] == '.') {
		return true
	}
	if end < len(text) && (text[end] == '/' || (text[end] == '.' && end+1 < len(text) && isDigit(text[end+1]))) {
		return true
	}
	return false
}

// fractionFollows tells "on 1/2 tab" and "2/6 murmur" from a date.
func fractionFollows(d doc, end int) bool {
	a := strings.TrimLeft(d.after(end, 16), " ")
	for _, w := range []string{"tab", "pill", "dose", "strength", "pain", "murmur", "scale", "of ", "the ", "normal", "saline", "ns", "units", "cup", "glass", "ratio"} {
		if strings.HasPrefix(a, w) {
			return true
		}
	}
	return followedByUnit(d, end)
}

// monthDayCue decides whether a bare 3/14 is a date: a care or birth word
// just before it, or "on 3/14" followed by the end of a clause or a word
// that goes on telling what happened ("on 3/14 she…"), not "on 2/3 measures".
func monthDayCue(d doc, start, end int) bool {
	b := d.before(start, 14)
	if nearCue(b, careCues, birthCues, nil) {
		return true
	}
	if !nearCue(b, nil, nil, []string{"on", "dated"}) {
		return false
	}
	rest := strings.TrimLeft(d.after(end, 16), " \t")
	if rest == "" || strings.IndexByte(".,;:)", rest[0]) >= 0 {
		return true
	}
	for _, w := range []string{"she ", "he ", "they ", "we ", "the ", "pt ", "patient", "was ", "when ", "at ", "and ", "with ", "for ", "after ", "before ", "in ", "her ", "his ", "i ", "our "} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}
