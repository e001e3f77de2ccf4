package phi

import (
	"regexp"
	"strings"
)

// Names found with the word list: a name in apposition after an age and
// sex ("a 55-year-old male, John Smith, …"), a given name before one
// ("Maria, a 20-year-old"), and, with less confidence, a full name or a
// given name that the list knows, anywhere in the text.

var (
	// "a 55-year-old male," "55M," "a 20yo female," "an 8-month-old boy," — then the name.
	ageSexLeadRE = regexp.MustCompile(`^\d{1,3}(?:[ \t\-]*(?:years?|yrs?|y)[ \t\-]*(?:old|o\b|/o\b|\.o\.?)|[ \t]*yo\b|[ \t]*y/o\b|[ \t\-]*months?[ \t\-]*old|[ \t\-]*mo[ \t\-]*old)?(?:[ \t\-]+(?:(?:[A-Za-z][A-Za-z0-9\-]*|African[ \t\-]American)[ \t]+){0,2}(?:male|female|man|woman|boy|girl|gentleman|gent|lady|patient|pt|veteran|infant|toddler|teen|teenager|adolescent|child|son|daughter|mother|father|G\d+P\d+)|[ \t]?[MF])?\b[ \t]*(?:,|\(|-|–|—|named|called)[ \t]*`)
	// "Maria, a 20-year-old", "Maria (20F)", "Maria, 20F,", "Maria, age 20".
	nameThenAgeRE = regexp.MustCompile(`^(?:'s|’s)?[ \t]*(?:,[ \t]*|\([ \t]*|[ \t]+is[ \t]+)(?:(?:a|an)[ \t]+)?(?:age[ \t]+|aged[ \t]+)?\d{1,3}(?:[ \t\-]*(?:years?|yrs?|y)[ \t\-]*(?:old|o\b|/o\b)|[ \t]*yo\b|[ \t]*y/o\b|[ \t]?[MF]\b|[ \t\-]*(?:month|week|day)s?[ \t\-]*old|[ \t]*(?:,|\)))`)
)

// Words that describe a patient after an age and sex without being a name.
var demonyms = setOf(`hispanic latino latina latinx caucasian white black african american asian native indigenous jewish muslim
christian catholic protestant amish mennonite mormon hindu sikh buddhist haitian mexican cuban dominican puerto rican
salvadoran guatemalan honduran colombian venezuelan brazilian chinese japanese korean vietnamese filipino indian pakistani
bangladeshi somali ethiopian eritrean nigerian ghanaian kenyan arab syrian iraqi afghan iranian russian ukrainian polish
italian irish german french british english spanish portuguese greek turkish armenian navajo cherokee lakota ojibwe
spanish-speaking english-speaking non-english jehovah's`)

func appositionNames(d doc, cands []candidate) []candidate {
	lex := theLexicon()
	text := d.text
	for _, r := range d.runs {
		if n := r.end - r.start; n > 3 {
			continue
		}
		if !ageAhead(d.lower, r.end) {
			continue
		}
		m := anchored(ageSexLeadRE, text, r.start, 80)
		if m == nil || m[1] >= len(text) || !hasLetter(text[r.end:m[1]]) {
			continue // "30, Tyler" is a list of numbers, not an age
		}
		q := m[1]
		end := nameAt(text, q, 3, 1)
		if end == q {
			continue
		}
		end = initialAfter(text, end)
		if !nameLike(lex, d, q, end) || medicalPhrase(d, q, end) {
			continue
		}
		cands = d.add(cands, rankName, TypeName, High, q, end, "Looks like the patient's name, given after their age and sex.")
	}
	// "Maria, a 20-year-old", "John Smith (55M)".
	for _, p := range d.caps {
		if afterDoctor(text, p) {
			continue
		}
		if !digitSoon(text, p) {
			continue
		}
		end := nameAt(text, p, 3, 1)
		if end == p || end >= len(text) {
			continue
		}
		end = initialAfter(text, end)
		if !ageLeadAhead(text, end) {
			continue
		}
		if m := anchored(nameThenAgeRE, text, end, 40); m == nil {
			continue
		}
		if !nameLike(lex, d, p, end) {
			continue
		}
		start, e := trimLeadingStopwords(text, p, end)
		if start >= e {
			continue
		}
		cands = d.add(cands, rankName, TypeName, High, start, e, "Looks like the patient's name, given with their age.")
	}
	return cands
}

// nameLike weighs the words between start and end as a person's name: at
// least one the word list knows as a name, or a capitalised word no
// dictionary has; never a demonym, a drug or a disease.
func nameLike(lex *lexiconTable, d doc, start, end int) bool {
	known, unknown := false, false
	for _, w := range strings.Fields(d.lower[start:end]) {
		w = strings.TrimRight(w, ".,")
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if len(w) <= 1 {
			continue
		}
		if w == "april" || w == "may" || w == "june" || w == "august" {
			known = true // nameAt let the month through as a name
			continue
		}
		if demonyms[w] || notNames[w] || notPlaces[w] {
			return false
		}
		f := lex.lookup(w)
		switch {
		case f&(lexDrug|lexMedical) != 0 && f&(lexGivenCommon|lexSurnameCommon) == 0:
			return false
		case f&lexWord != 0 && f&(lexGivenCommon|lexSurnameCommon) == 0:
			return false // "Coma" is a surname too, but rarely
		case f&(lexGiven|lexSurname) != 0:
			known = true
		case f&lexWord == 0 && !wordShaped(w):
			unknown = true
		default:
			return false
		}
	}
	return known || unknown
}

// lexiconNames flags, asking only, a full name that the word list knows
// ("Maria Garcia") and a given name in the middle of a sentence ("why is
// Natasja so tired?").
func lexiconNames(d doc, cands []candidate) []candidate {
	lex := theLexicon()
	text, lower := d.text, d.lower
	lastEnd := -1
	for _, p := range d.caps {
		if p < lastEnd || (p > 0 && isWordByte(text[p-1])) || afterDoctor(text, p) {
			continue
		}
		we := lexWordEnd(lower, p)
		w := strings.TrimSuffix(lower[p:we], ".")
		if len(w) < 2 || !isASCIILetter(text[p]) {
			continue
		}
		f := lex.lookup(w)
		// "Christian" and "Jesus" are names too when a surname follows.
		ambiguous := (demonyms[w] || w == "jesus" || w == "april" || w == "june" || w == "august") && (surnameAt(d, lex, we) || unknownNameAt(d, lex, we) > we)
		if f&lexGiven == 0 || (notNames[w] || demonyms[w]) && !ambiguous || notPlaces[w] || eponyms[w] || roleNouns[w] || placePrefixes[w] ||
			f&(lexDrug|lexMedical|lexState) != 0 || strings.ToUpper(text[p:we]) == text[p:we] || (p > 0 && text[p-1] == '-') ||
			orgAfter(d, we) {
			continue
		}
		// The given name, an optional initial, then a surname.
		q := we
		if q+1 < len(text) && text[q] == ' ' {
			q++
			if q+2 < len(text) && isUpperASCII(text[q]) && text[q+1] == '.' && text[q+2] == ' ' {
				q += 3
			}
			if q < len(text) && isUpperASCII(text[q]) {
				se := lexWordEnd(lower, q)
				sw := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(lower[q:se], "."), "'s"), "’s")
				sf := lex.lookup(sw)
				if len(sw) > 1 && sf&lexSurname != 0 && sf&(lexDrug|lexMedical|lexFacility) == 0 && !notNames[sw] && !notPlaces[sw] &&
					(f&lexWord == 0 || f&lexGivenCommon != 0 && sf&lexSurnameCommon != 0 && sf&lexWord == 0) &&
					strings.ToUpper(text[q:se]) != text[q:se] && !streetAfter(d, se) && !streetSuffixNames[sw] && !orgAfter(d, se) {
					end := q + len(sw)
					if eponymousTerm(text, end) || (placeAfterPreposition(d, p) && f&(lexCity|lexCounty) != 0) || medicalPhrase(d, p, end) {
						continue
					}
					cands = d.add(cands, rankName-1, TypeName, Low, p, end, "Looks like a person's full name.")
					lastEnd = end
					continue
				}
			}
		}
		// A common given name before a capitalised word no list knows:
		// "Elena Raghunathan", "Sarah Kowalczyk".
		if f&lexWord == 0 && f&lexGivenCommon != 0 && !ambiguous {
			if e := unknownNameAt(d, lex, we); e > we && !eponymousTerm(text, e) && !orgAfter(d, e) && !streetAfter(d, e) {
				cands = d.add(cands, rankName-1, TypeName, Low, p, e, "Looks like a person's full name.")
				lastEnd = e
				continue
			}
		}
		// A given name and an initial: "Simone G.", "Ron H. is…".
		if e := initialAfter(text, we); e > we && f&lexWord == 0 && !nextIsCapital(text, e) {
			cands = d.add(cands, rankName-1, TypeName, Low, p, e, "Looks like a person's first name and initial.")
			lastEnd = e
			continue
		}
		// A given name opening a sentence about the patient: "Tara (not her
		// real name) has a lipase of 3000", "Kylie was admitted".
		if sentenceStart(text, p) && f&lexWord == 0 && f&lexGivenCommon != 0 && !ambiguous && patientVerbAfter(text, we) {
			cands = d.add(cands, rankName-1, TypeName, Low, p, we, "Looks like a patient's first name.")
			continue
		}
		// A given name alone, in the middle of a sentence.
		if f&lexWord != 0 || f&lexGivenCommon == 0 || sentenceStart(text, p) || placeAfterPreposition(d, p) || ambiguous {
			continue
		}
		if f&lexCityMajor != 0 || f&lexFacility != 0 {
			continue
		}
		end := p + len(w)
		if end < len(text) && (text[end] == '-' || text[end] == '.' && end+1 < len(text) && isASCIILetter(text[end+1])) {
			continue
		}
		if eponymousTerm(text, end) || nextIsCapital(text, end) || strings.ToUpper(text[p:end]) == text[p:end] {
			continue
		}
		cands = d.add(cands, rankName-1, TypeName, Low, p, end, "Looks like a person's first name.")
	}
	return cands
}

// Words that open a title or a place rather than a name: "Sister Mary
// Joseph nodule", "San Michele", "Fort Worth".
var roleNouns = setOf(`sister brother aunt uncle nurse chief captain officer judge pastor reverend rev father mother saint st lord
lady king queen prince princess president senator governor mayor coach sergeant general major colonel lieutenant private deputy
sheriff agent detective bishop cardinal pope rabbi imam elder deacon grandma grandpa granny nana papa baby little big old young`)

var placePrefixes = setOf(`san santa santo sao são fort ft port mount mt lake new north south east west upper lower la las los
el le saint st ste`)

// Street names in addresses end in these words: "Rennie Union", "Zak Points".
var streetSuffixNames = setOf(`union unions pass points point parks park ridge ridges island islands mills mill falls springs
heights hills village villages ville harbor harbors port ports crossing course creek station square terrace trail valley view
views walk lake lakes meadow meadows garden gardens grove groves fork forks forge forges estate estates flat flats glen glens
green greens junction key keys knoll knolls landing loop mall manor manors mission motorway mount mountain orchard oval overpass
pike pine pines plain plains prairie rapid rapids rest run shoal shoals skyway spur stravenue stream summit throughway trace
track trafficway tunnel turnpike underpass vista vue well wells ways cove coves cape camp canyon cliff cliffs club common commons
corner corners curve dale dam divide drives expressway extension fall ferry field fields freeway gateway haven highway hollow
inlet isle lane lanes light lights lock locks lodge neck parkway parkways passage path plaza radial ramp ranch road roads route
row rue shore shores spring squares streets throughway trail trails via viaduct vista wall way`)

// Words that close a company's name: "Jones, Mitchell and Williams
// Orchestra", "Aunt Bertha Inc".
var orgWords = setOf(`inc inc. llc ltd ltd. plc corp corp. corporation company co co. group partners associates orchestra
technologies technology solutions systems services bank foundation institute university college agency holdings ventures
media consulting analytics software industries enterprises trust labs laboratories insurance capital sons brothers`)

// orgAfter reports whether a run of capitalised words, commas and "and"
// from i ends in a company word.
func orgAfter(d doc, i int) bool {
	pos := i
	for k := 0; k < 8 && pos < len(d.text); k++ {
		for pos < len(d.text) && (d.text[pos] == ' ' || d.text[pos] == ',') {
			pos++
		}
		if pos >= len(d.text) {
			return false
		}
		we := lexWordEnd(d.lower, pos)
		if we == pos {
			return false
		}
		w := d.lower[pos:we]
		if orgWords[w] || orgWords[strings.TrimSuffix(w, ".")] {
			return true
		}
		if !isUpperASCII(d.text[pos]) && w != "and" && w != "&" {
			return false
		}
		pos = we
	}
	return false
}

// afterDoctor reports whether a title for a clinician comes right before p.
func afterDoctor(text string, p int) bool {
	j := p - 1
	for j >= 0 && (text[j] == ' ' || text[j] == '\t') {
		j--
	}
	// Every title below ends in one of these bytes.
	if j < 0 || strings.IndexByte(".rRfeAP", text[j]) < 0 {
		return false
	}
	b := text[max(0, j+1-12) : j+1]
	for _, t := range []string{"Dr.", "Dr", "DR", "DR.", "Doctor", "Prof.", "Prof", "Professor", "dr.", "Nurse", "NP", "PA"} {
		if strings.HasSuffix(b, t) && (len(b) == len(t) || !isASCIILetter(b[len(b)-len(t)-1])) {
			return true
		}
	}
	return false
}

// placeAfterPreposition reports whether the word at p follows "in", "from"
// or "near", where a name is more likely a place ("from Jackson").
func placeAfterPreposition(d doc, p int) bool {
	b := strings.TrimRight(d.before(p, 10), " ")
	for _, w := range []string{"in", "from", "near", "to", "at", "outside"} {
		if strings.HasSuffix(b, " "+w) || b == w {
			return true
		}
	}
	return false
}

func nextIsCapital(text string, end int) bool {
	return end+1 < len(text) && text[end] == ' ' && isUpperASCII(text[end+1])
}

// streetAfter reports whether a street word follows: "Hope Street".
func streetAfter(d doc, end int) bool {
	a := d.after(end, 12)
	for _, w := range []string{" street", " st", " avenue", " ave", " road", " rd", " lane", " drive", " blvd", " way", " court"} {
		if strings.HasPrefix(a, w) && (len(a) == len(w) || !isASCIILetter(a[len(w)])) {
			return true
		}
	}
	return false
}

// ageAhead is a quick look at what follows a number before the age-and-sex
// pattern runs: "y" (year, yo, y/o), "m" (month, male, M) or "f".
func ageAhead(lower string, i int) bool {
	for i < len(lower) && (lower[i] == ' ' || lower[i] == '-' || lower[i] == '\t') {
		i++
	}
	if i >= len(lower) {
		return false
	}
	next := byte(' ')
	if i+1 < len(lower) {
		next = lower[i+1]
	}
	switch lower[i] {
	case 'y':
		return !isASCIILetter(next) || next == 'e' || next == 'r' || next == 'o'
	case 'm': // "mo old", "month-old", "male", "man", "M,"
		return !isASCIILetter(next) || next == 'o' || next == 'a'
	case 'f': // "female", "F,"
		return !isASCIILetter(next) || next == 'e'
	}
	return false
}

// digitSoon is a quick look for an age's lead after a name: a comma, a
// parenthesis or " is " within a name's length, then a digit close after
// it ("Maria, a 20-year-old", "John Smith (55M)").
func digitSoon(text string, p int) bool {
	for i := p; i < len(text) && i < p+48; i++ {
		c := text[i]
		if c == '.' && (i+1 == len(text) || text[i+1] == ' ') || c == ';' || c == '\n' {
			return false
		}
		if c == ',' || c == '(' || c == 'i' && i+3 < len(text) && text[i-1] == ' ' && text[i+1] == 's' && text[i+2] == ' ' {
			for k := i + 1; k < len(text) && k < i+12; k++ {
				if isDigit(text[k]) {
					return true
				}
			}
			if c != 'i' {
				return false
			}
		}
	}
	return false
}

// ageLeadAhead is a quick look after a name for ", a 20", " (20F", " is 20".
func ageLeadAhead(text string, i int) bool {
	if strings.HasPrefix(text[i:], "'s") {
		i += 2
	}
	for i < len(text) && text[i] == ' ' {
		i++
	}
	return i < len(text) && (text[i] == ',' || text[i] == '(' || strings.HasPrefix(text[i:], "is "))
}

// initialAfter extends a name over an initial that follows it ("John S.")
// and returns the new end, or end.
func initialAfter(text string, end int) int {
	if end+3 <= len(text) && text[end] == ' ' && isUpperASCII(text[end+1]) && text[end+2] == '.' &&
		(end+3 == len(text) || !isASCIILetter(text[end+3])) {
		return end + 3
	}
	return end
}

// medicalPhrase reports whether the words from start make up a medical
// term of the word list ("Ramsay Hunt", "Glasgow Coma Scale").
func medicalPhrase(d doc, start, end int) bool {
	e, f := theLexicon().phrase(d.lower, start, lexMedical, 5)
	return f&lexMedical != 0 && e >= end-1
}

// surnameAt reports whether a capitalised surname from the word list
// follows the word that ends at i.
func surnameAt(d doc, lex *lexiconTable, i int) bool {
	if i+1 >= len(d.text) || d.text[i] != ' ' || !isUpperASCII(d.text[i+1]) {
		return false
	}
	e := lexWordEnd(d.lower, i+1)
	w := strings.TrimSuffix(d.lower[i+1:e], ".")
	f := lex.lookup(w)
	return f&lexSurname != 0 && f&(lexWord|lexMedical|lexDrug) == 0 && w != "christ"
}

// Words after a first name that open a sentence about a patient.
var patientVerbs = []string{" (", " has ", " had ", " is a", " is an", " was ", " presented", " presents", " came ", " comes ",
	" developed", " reports", " reported", " denies", " complains", " underwent", " received", " started", " stopped",
	" refused", " declined", " returned", " arrived", " died", " passed", " fell", " collapsed", " needs", " keeps", " wants",
	", a ", ", an ", ", age", ", aged"}

func patientVerbAfter(text string, i int) bool {
	a := text[i:min(len(text), i+14)]
	for _, v := range patientVerbs {
		if strings.HasPrefix(a, v) {
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if isASCIILetter(s[i]) {
			return true
		}
	}
	return false
}

// unknownNameAt returns the end of a capitalised word after the space at i
// that no list knows and that is shaped like a surname, or i.
func unknownNameAt(d doc, lex *lexiconTable, i int) int {
	if i+1 >= len(d.text) || d.text[i] != ' ' || !isUpperASCII(d.text[i+1]) {
		return i
	}
	e := lexWordEnd(d.lower, i+1)
	w := d.lower[i+1 : e]
	if len(w) < 3 || strings.ContainsAny(w, ".") || strings.ToUpper(d.text[i+1:e]) == d.text[i+1:e] {
		return i
	}
	if lex.lookup(w) != 0 || lex.lookup(strings.TrimSuffix(w, "'s")) != 0 || wordShaped(w) || notNames[w] || notPlaces[w] ||
		streetSuffixNames[w] || orgWords[w] || nextIsCapital(d.text, e) {
		return i
	}
	for j := 0; j < len(w); j++ {
		if isDigit(w[j]) {
			return i
		}
	}
	return e
}
