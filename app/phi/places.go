package phi

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Places below the state — a city, a town, a borough, a county — and the
// hospitals a patient was seen at narrow a case to a few people. They are
// found by the word list (lexicon.go) and by the words around them: "<City>,
// <ST>", a city after "in", "from" or "near", a name followed by "Medical
// Center", a capitalised name after "seen at" or "transferred from". They
// ask for confirmation rather than block: alone they are often harmless.

var placeCueWords = []string{"in", "from", "near", "outside", "around", "to", "of", "at"}

// Words after which a capitalised name is where a patient was cared for.
var facilityCues = []string{"seen at", "seen in", "treated at", "followed at", "followed by", "transferred from", "transferred to",
	"transfer from", "transfer to", "admitted to", "admitted at", "presented to", "presented at", "went to", "taken to",
	"brought to", "referred to", "discharged from", "sent to", "sent from", "flown to", "airlifted to", "evaluated at",
	"diagnosed at", "operated on at", "delivered at", "born at", "works at", "work at", "transported to", "came from",
	"outside hospital", "osh", "records from", "care at", "cared for at", "managed at", "hospitalized at", "imaging at",
	"surgery at", "icu at", "ed at", "er at", "clinic at"}

// The last word of a facility's name.
var facilityHeads = map[string]bool{"hospital": true, "hospitals": true, "clinic": true, "clinics": true, "center": true,
	"centre": true, "health": true, "healthcare": true, "medicine": true, "infirmary": true, "institute": true,
	"hospice": true, "system": true, "sanitarium": true, "sanatorium": true}

// Words in a facility's name that do not make it one place rather than
// another: "University Hospital" and "Memorial Medical Center" are everywhere.
var genericFacilityWords = setOf(`general community regional memorial university county children's childrens children medical teaching
academic tertiary rural local private state veterans psychiatric rehabilitation rehab cancer heart women's womens trauma our my your
their the a an this that free specialty outpatient inpatient primary urgent care family internal sleep pain wound dialysis transplant
fertility eye dental mental behavioral public city district national international american health hospital clinic center centre
medicine surgical surgery nursing home skilled long term acute critical level i ii iii iv emergency department dept unit ward
and of & for at in on new old main north south east west central valley`)

// Titles of people that open an eponym rather than a hospital's name.
var honorifics = setOf(`sister brother aunt uncle nurse chief captain officer judge pastor reverend lord lady king queen prince princess`)

// Capitalised words that follow "in" or "from" without being places.
var notPlaces = setOf(`january february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday spring summer fall autumn winter christmas easter thanksgiving english spanish french
german chinese arabic portuguese russian hindi vietnamese korean tagalog creole asl braille latin greek general internal family
emergency medicine surgery triage recovery labor delivery rehab hospice home school church prison jail custody court phase stage
grade class type group arm cohort part section table figure appendix chapter step level zone area bed room bay pod unit ward
clinic office practice service team nursing care study trial protocol guideline guidelines review summary brief addition
conclusion conclusions contrast total general particular short practice fact theory principle sum detail depth advance time
remission progression response relapse isolation quarantine pain distress crisis shock arrest failure vain case cases`)

// Countries are not identifiers under Safe Harbor (and "Peru" or "Mexico"
// after "from" is the country, not the town in Indiana or Missouri).
var countries = setOf(`afghanistan albania algeria angola argentina armenia australia austria bangladesh belarus belgium belize
benin bhutan bolivia bosnia botswana brazil bulgaria burma cambodia cameroon canada chad chile china colombia congo
croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt england eritrea estonia ethiopia fiji finland france
gabon gambia georgia germany ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia
iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya korea kosovo kuwait laos latvia lebanon liberia libya
lithuania luxembourg madagascar malawi malaysia mali malta mexico moldova mongolia morocco mozambique myanmar namibia nepal
netherlands nicaragua niger nigeria norway oman pakistan palestine panama paraguay peru philippines poland portugal qatar
romania russia rwanda samoa scotland senegal serbia sierra singapore slovakia slovenia somalia spain sudan suriname sweden
switzerland syria taiwan tajikistan tanzania thailand togo tonga trinidad tunisia turkey uganda ukraine uruguay uzbekistan
venezuela vietnam wales yemen zambia zimbabwe africa asia europe america canada`)

func scanPlaces(d doc, cands []candidate) []candidate {
	lex := theLexicon()
	text, lower := d.text, d.lower
	// "<City>, <ST>" and "<City>, <State>".
	for i := 0; i+3 < len(text); i++ {
		if text[i] != ',' {
			continue
		}
		j := i + 1
		for j < len(text) && text[j] == ' ' {
			j++
		}
		if j == i+1 || j >= len(text) {
			continue
		}
		stateEnd := -1
		if j+2 <= len(text) && isUpperASCII(text[j]) && j+1 < len(text) && isUpperASCII(text[j+1]) && usStates[text[j:j+2]] &&
			(j+2 == len(text) || !isWordByte(text[j+2])) {
			stateEnd = j + 2
		} else if isUpperASCII(text[j]) {
			if e, f := lex.phrase(lower, j, lexState, 3); f&lexState != 0 && (e == len(text) || !isWordByte(text[e])) {
				stateEnd = e
			}
		}
		if stateEnd < 0 {
			continue
		}
		if start := placeBefore(d, lex, i); start >= 0 {
			cands = d.add(cands, rankLocation, TypeLocation, Low, start, stateEnd, "A city or town with its state narrows down where a patient lives or was treated.")
		}
	}
	// Facilities by name, anywhere: "Mount Sinai", "NYU Langone", "UCSF".
	for _, p := range d.capitals() {
		if p > 0 && isWordByte(text[p-1]) {
			continue
		}
		end, f := lex.phrase(lower, p, lexFacility, 6)
		if f&lexFacility == 0 {
			continue
		}
		name := text[p:end]
		multi := strings.ContainsAny(name, " -")
		acronym := len(name) >= 3 && strings.ToUpper(name) == name
		if (multi && f&lexWord == 0) || (acronym && f&lexWord == 0) || facilityCueBefore(d, p) || headAfter(d, end) {
			if eponymousTerm(text, end) && !headAfter(d, end) {
				continue
			}
			cands = d.add(cands, rankFacility, TypeFacility, Low, p, facilityEnd(d, end), "The name of a hospital or health system narrows down who the patient is.")
		}
	}
	// Facilities by shape: "<Name> Medical Center", "St. Jude's Hospital",
	// "Children's Hospital Colorado".
	for _, p := range d.wordStarts([]string{"hospital", "clinic", "center", "centre", "health", "medicine", "infirmary", "institute", "hospice", "system"}) {
		if !isUpperASCII(text[p]) {
			continue
		}
		we := lexWordEnd(lower, p)
		if !facilityHeads[strings.TrimSuffix(lower[p:we], ".")] {
			continue
		}
		if start, end, ok := facilityByShape(d, lex, p, we); ok {
			cands = d.add(cands, rankFacility, TypeFacility, Low, start, end, "The name of a hospital or clinic narrows down who the patient is.")
		}
	}
	// A place after "in", "from", "near": "lives in Queens", "a farmer from Dayton".
	for _, p := range d.wordStarts(placeCueWords) {
		we := lexWordEnd(lower, p)
		cue := lower[p:we]
		if we+1 >= len(text) || text[we] != ' ' {
			continue
		}
		if !isUpperASCII(text[we+1]) && !(strings.HasPrefix(text[we+1:], "the ") && we+5 < len(text) && isUpperASCII(text[we+5])) {
			continue
		}
		switch cue {
		case "in", "from", "near", "outside", "around", "to", "of", "at":
		default:
			continue
		}
		q := we + 1
		if strings.HasPrefix(text[q:], "the ") && q+4 < len(text) && isUpperASCII(text[q+4]) {
			q += 4 // "from the Bronx"
		}
		if cue == "at" || cue == "to" {
			// "at"/"to" + a name is a facility when a care word comes first;
			// the facility rules above and below handle it.
			if !facilityCueBefore(d, q) {
				if cue == "at" {
					continue
				}
			}
		}
		if cue == "to" && !motionBefore(d, p) {
			continue // "said to Logan" is a person; "moved to Logan" a place
		}
		if cue == "of" && !strings.HasSuffix(strings.TrimRight(d.before(p, 24), " "), "resident") && !strings.HasSuffix(strings.TrimRight(d.before(p, 24), " "), "native") {
			continue
		}
		end, f := lex.phrase(lower, q, lexCity|lexCounty, 4)
		if f&(lexCity|lexCounty) != 0 && placeWordOK(d, q, end, f, cue) {
			cands = d.add(cands, rankLocation, TypeLocation, Low, q, end, "A city, town or borough narrows down where a patient lives or was treated.")
			continue
		}
		// After a care word, a capitalised name that is not a place is
		// most likely a hospital: "transferred from Riverside".
		if facilityCueBefore(d, q) {
			if e := properNameAt(d, lex, q); e > q && !eponymousTerm(text, e) {
				cands = d.add(cands, rankFacility, TypeFacility, Low, q, facilityEnd(d, e), "The name of a hospital or clinic narrows down who the patient is.")
			}
		}
	}
	// "St. Jude's", "Saint Luke's": a saint's name in the possessive is a
	// hospital, unless it is a remedy or a disease (St. John's wort).
	for _, p := range d.wordStarts([]string{"st.", "st ", "saint "}) {
		if !isUpperASCII(text[p]) {
			continue
		}
		q := lexWordEnd(lower, p)
		if q < len(text) && text[q] == ' ' {
			q++
		}
		if q >= len(text) || !isUpperASCII(text[q]) {
			continue
		}
		we := lexWordEnd(lower, q)
		if !strings.HasSuffix(lower[q:we], "'s") || we-q < 4 {
			continue
		}
		if a := d.after(we, 10); strings.HasPrefix(a, " wort") || strings.HasPrefix(a, " dance") || strings.HasPrefix(a, " fire") || strings.HasPrefix(a, " day") {
			continue
		}
		cands = d.add(cands, rankFacility, TypeFacility, Low, p, facilityEnd(d, we), "The name of a hospital or clinic narrows down who the patient is.")
	}
	// "<Name> County".
	for _, p := range d.wordStarts([]string{"county", "parish"}) {
		if !isUpperASCII(text[p]) || p < 2 || text[p-1] != ' ' {
			continue
		}
		start := previousWordStart(text, p-1)
		if start < 0 || !isUpperASCII(text[start]) {
			continue
		}
		w := lower[start : p-1]
		if notPlaces[w] || notNames[w] || w == "the" || w == "a" {
			continue
		}
		// Two-word county names: "Palm Beach County", "San Diego County".
		if s2 := previousWordStart(text, start-1); s2 >= 0 && start >= 1 && text[start-1] == ' ' && isUpperASCII(text[s2]) {
			if _, f := lex.phrase(lower, s2, lexCounty, 3); f&lexCounty != 0 {
				start = s2
			}
		}
		cands = d.add(cands, rankLocation, TypeLocation, Low, start, p+len("county"), "A county narrows down where a patient lives.")
	}
	// "a Brooklyn native", "Dayton EMS".
	for _, p := range d.wordStarts([]string{"native", "resident", "ems", "fire", "police", "area"}) {
		if p < 2 || text[p-1] != ' ' {
			continue
		}
		start := previousWordStart(text, p-1)
		if start < 0 || !isUpperASCII(text[start]) {
			continue
		}
		end, f := lex.phrase(lower, start, lexCity|lexCounty, 4)
		if end == p-1 && f&(lexCity|lexCounty) != 0 && f&(lexWord|lexMedical|lexDrug|lexState) == 0 && !notNames[lower[start:end]] {
			cands = d.add(cands, rankLocation, TypeLocation, Low, start, end, "A city, town or borough narrows down where a patient lives or was treated.")
		}
	}
	return cands
}

// placeBefore returns where the city that ends at the comma at i starts,
// or -1: up to three capitalised words, found in the word list.
func placeBefore(d doc, lex *lexiconTable, i int) int {
	starts := make([]int, 0, 3)
	pos := i
	for k := 0; k < 3; k++ {
		s := previousWordStart(d.text, pos)
		if s < 0 || !(isUpperASCII(d.text[s]) || d.text[s] >= 0x80) {
			break
		}
		starts = append(starts, s)
		if s < 2 || d.text[s-1] != ' ' {
			break
		}
		pos = s - 1
	}
	for k := len(starts) - 1; k >= 0; k-- {
		s := starts[k]
		end, f := lex.phrase(d.lower, s, lexCity|lexCounty, 4)
		if end == i && f&(lexCity|lexCounty) != 0 {
			// "Smith, MD" is a clinician's credential, not Smith in Maryland.
			if strings.HasPrefix(d.text[i:], ", MD") || strings.HasPrefix(d.text[i:], ", PA") || strings.HasPrefix(d.text[i:], ", DO") {
				if f&(lexSurname|lexGiven) != 0 && f&lexCityMajor == 0 {
					continue
				}
			}
			if notNames[d.lower[s:end]] {
				continue
			}
			return s
		}
	}
	// A town the word list lacks, before a state code that nothing in a
	// clinical text shares ("Port Jessicaview, TX", not "Cardiology, ID").
	if len(starts) > 0 && i+4 <= len(d.text) && plainStateCodes[d.text[i+2:i+4]] && d.text[i+1] == ' ' {
		for k := len(starts) - 1; k >= 0; k-- {
			if townLike(d, lex, starts[k], i) {
				return starts[k]
			}
		}
	}
	return -1
}

// State codes that are not also clinical shorthand (MD, PA, OR, ME, CO,
// ID, MS, MI, CT, GA…) or English words (IN, OK, HI).
var plainStateCodes = setOf("AK AZ CA DC FL IL KS KY MN NC NH NJ NM NV NY OH RI SD TN TX UT VT WA WI WV WY")

// townLike reports whether the capitalised words from s to the comma at i
// read as a town's name: no common word standing alone, no clinical word,
// no person's name with a credential.
func townLike(d doc, lex *lexiconTable, s, i int) bool {
	words := strings.Fields(d.lower[s:i])
	proper := false
	for _, w := range words {
		w = strings.TrimSuffix(w, ".")
		f := lex.lookup(w)
		switch {
		case notNames[w] || notPlaces[w] || demonyms[w] || countries[w] || f&(lexDrug|lexMedical|lexState) != 0 || wordShaped(w):
			return false
		case placePrefixes[w] || f&(lexCity|lexCounty) != 0:
		case f&lexWord == 0:
			proper = true
		}
	}
	return proper
}

// previousWordStart returns where the word that ends at i (exclusive)
// starts, or -1 when there is no word right there.
func previousWordStart(text string, i int) int {
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if unicode.IsLetter(r) || r == '\'' || r == '’' || r == '-' || (r == '.' && j == i) {
			j -= size
			continue
		}
		break
	}
	if j == i {
		return -1
	}
	return j
}

// placeWordOK weighs a place name found after "in", "from"…: a common
// word ("in Mobile") or a drug ("from Norco") needs more than itself.
func placeWordOK(d doc, start, end int, f uint16, cue string) bool {
	w := d.lower[start:end]
	if notPlaces[w] || notNames[w] || eponyms[w] || countries[w] || f&(lexDrug|lexMedical) != 0 {
		return false
	}
	if f&lexFacility != 0 && f&lexCity == 0 {
		return false
	}
	if end < len(d.text) && (d.text[end] == '\'' || strings.HasPrefix(d.text[end:], "’")) {
		return false // "in Parkinson's", "from Graves'"
	}
	if eponymousTerm(d.text, end) {
		return false
	}
	// Title Case: "Sepsis in Older Adults".
	if next := strings.TrimLeft(d.text[end:min(len(d.text), end+3)], " "); next != "" && isUpperASCII(next[0]) && d.text[end] == ' ' {
		if _, nf := theLexicon().phrase(d.lower, end+1, lexCity|lexCounty|lexState, 3); nf == 0 {
			return false
		}
	}
	if f&lexWord != 0 {
		// "in Reading" is a word unless the city is a known one, the
		// sentence is not in Title Case, and what follows ends the place
		// ("lives in Mobile with her son", not "in Mobile units").
		if f&lexCityMajor == 0 || cue == "to" || cue == "at" || !placeEndsAt(d, end) {
			return false
		}
	}
	if cue == "to" && f&lexCityMajor == 0 {
		return false
	}
	return true
}

// facilityCueBefore reports whether a care word sits right before p.
func facilityCueBefore(d doc, p int) bool {
	b := strings.TrimRight(d.before(p, 32), " ")
	b = strings.TrimSuffix(b, " the")
	for _, c := range facilityCues {
		if strings.HasSuffix(b, c) && (len(b) == len(c) || !isASCIILetter(b[len(b)-len(c)-1])) {
			return true
		}
	}
	return false
}

// headAfter reports whether a facility word follows: "Mayo Clinic".
func headAfter(d doc, end int) bool {
	if end+1 >= len(d.text) || d.text[end] != ' ' || !isUpperASCII(d.text[end+1]) {
		return false
	}
	we := lexWordEnd(d.lower, end+1)
	return facilityHeads[d.lower[end+1:we]] || d.lower[end+1:we] == "medical"
}

// facilityEnd extends a facility's name over a head that follows it
// ("Mayo" + " Clinic", "Mercy" + " Medical Center").
func facilityEnd(d doc, end int) int {
	for k := 0; k < 3 && end+1 < len(d.text) && d.text[end] == ' ' && isUpperASCII(d.text[end+1]); k++ {
		we := lexWordEnd(d.lower, end+1)
		w := d.lower[end+1 : we]
		if !facilityHeads[w] && w != "medical" && w != "memorial" && w != "regional" && w != "general" && w != "children's" {
			break
		}
		end = we
	}
	return end
}

// facilityByShape reads the name in front of a facility word and checks
// that it names one place: "Riverside Medical Center" yes, "Memorial
// Hospital" or "Anticoagulation Clinic" no.
func facilityByShape(d doc, lex *lexiconTable, head, headEnd int) (int, int, bool) {
	text, lower := d.text, d.lower
	start := head
	proper := false
	for k := 0; k < 6; k++ {
		if start < 2 || text[start-1] != ' ' {
			break
		}
		s := previousWordStart(text, start-1)
		if s < 0 {
			if start >= 3 && text[start-2] == '&' && text[start-3] == ' ' {
				start -= 2
				continue
			}
			break
		}
		w := strings.TrimSuffix(lower[s:start-1], ".")
		capital := isUpperASCII(text[s]) || text[s] >= 0x80
		if !capital && w != "of" && w != "and" && w != "for" {
			break
		}
		if honorifics[w] {
			return 0, 0, false // "Sister Kenny Institute" is history, not a place of care
		}
		if capital && s > 0 && sentenceStart(text, s) && lex.lookup(w)&lexWord != 0 && !genericFacilityWords[w] {
			break // "Yesterday Mercy Hospital…": stop at the sentence's first word
		}
		start = s
		if capital && properWord(lex, w) {
			proper = true
		}
	}
	// Trim connecting words at the front.
	for {
		we := lexWordEnd(lower, start)
		w := lower[start:we]
		if (w == "of" || w == "and" || w == "for" || w == "the") && we+1 < head {
			start = we + 1
			continue
		}
		break
	}
	end := headEnd
	// After the head: "of Philadelphia", "Colorado", "at Dartmouth".
	rest := end
	if strings.HasPrefix(text[rest:], " of ") || strings.HasPrefix(text[rest:], " at ") {
		rest += 4
	} else if strings.HasPrefix(text[rest:], " ") {
		rest++
	} else {
		rest = -1
	}
	if rest > 0 && rest < len(text) && isUpperASCII(text[rest]) {
		if e, f := lex.phrase(lower, rest, lexCity|lexState|lexCounty|lexFacility, 4); f != 0 && f&lexWord == 0 {
			end = e
			proper = true
		} else if e := properNameAt(d, lex, rest); e > rest && text[rest-1] != ' ' || (e > rest && strings.HasPrefix(text[end:], " of ")) {
			end = e
			proper = true
		}
	}
	if !proper || start == head && end == headEnd || eponymousTerm(text, end) {
		return 0, 0, false
	}
	return start, end, true
}

// properWord reports whether a word of a facility's name points at one
// place: a name, a place, a known hospital, or a word no dictionary has.
func properWord(lex *lexiconTable, w string) bool {
	if genericFacilityWords[w] || notNames[w] {
		return false
	}
	f := lex.lookup(w)
	if f&(lexFacility|lexCity|lexCounty|lexState) != 0 {
		return true
	}
	if f&lexWord != 0 || f&(lexMedical|lexDrug) != 0 || wordShaped(w) {
		return f&(lexGiven|lexSurname) != 0 && f&lexWord == 0
	}
	return true
}

// properNameAt reads one to four capitalised words at p that look like a
// proper name (not a department, a month or a clinical word) and returns
// where they end, or p.
func properNameAt(d doc, lex *lexiconTable, p int) int {
	end := p
	pos := p
	for k := 0; k < 4 && pos < len(d.text); k++ {
		if !isUpperASCII(d.text[pos]) {
			break
		}
		we := lexWordEnd(d.lower, pos)
		if we == pos {
			break
		}
		w := strings.TrimSuffix(d.lower[pos:we], ".")
		if notPlaces[w] || notNames[w] || genericFacilityWords[w] && k == 0 {
			break
		}
		f := lex.lookup(w)
		if f&(lexMedical|lexDrug) != 0 || (f&lexWord != 0 && f&(lexFacility|lexCity|lexGiven|lexSurname) == 0) {
			break
		}
		end = pos + len(strings.TrimSuffix(d.text[pos:we], "."))
		if we+1 >= len(d.text) || d.text[we] != ' ' {
			break
		}
		pos = we + 1
	}
	// An acronym alone ("ICU", "OR") is not a hospital's name.
	if end > p && strings.ToUpper(d.text[p:end]) == d.text[p:end] && lex.lookup(d.lower[p:end])&lexFacility == 0 {
		return p
	}
	return end
}

// sentenceStart reports whether the word at i opens a sentence or a line.
func sentenceStart(text string, i int) bool {
	j := i - 1
	for j >= 0 && (text[j] == ' ' || text[j] == '\t' || text[j] == '"' || text[j] == '(' || text[j] == '*' || text[j] == '-') {
		j--
	}
	return j < 0 || strings.IndexByte(".!?\n:;", text[j]) >= 0
}

// Verbs of going somewhere, before "to": "moved to Tulsa".
var motionVerbs = []string{"moved", "move", "moving", "relocated", "went", "go", "going", "drove", "drive", "flew", "fly", "traveled",
	"travelled", "travel", "trip", "returned", "return", "transferred", "transfer", "sent", "taken", "brought", "headed", "came back",
	"commutes", "commute", "evacuated", "deployed", "emigrated", "immigrated", "visiting", "visit", "back"}

func motionBefore(d doc, p int) bool {
	b := strings.TrimRight(d.before(p, 24), " ")
	for _, v := range motionVerbs {
		if strings.HasSuffix(b, v) && (len(b) == len(v) || !isASCIILetter(b[len(b)-len(v)-1])) {
			return true
		}
	}
	return false
}

// Words that can follow a place name without being part of a phrase with it.
var afterPlaceWords = setOf(`with and for since until where who but or to at on last this when before after because area county
in near from by was is has had lives lived living works worked, where's`)

// placeEndsAt reports whether the place that ends at end is followed by
// punctuation, the end of the text or a word that does not continue it.
func placeEndsAt(d doc, end int) bool {
	if end >= len(d.text) || strings.IndexByte(".,;:!?)\n", d.text[end]) >= 0 {
		return true
	}
	if d.text[end] != ' ' {
		return false
	}
	we := lexWordEnd(d.lower, end+1)
	return afterPlaceWords[d.lower[end+1:we]]
}
