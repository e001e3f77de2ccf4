package phi

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names are found only where the words around them say a person is meant:
// a title (Mr., Mrs.), a patient or relative word ("pt:", "his wife"), a
// naming phrase ("named", "Name:"), or what follows a full name ("lives
// at", "was admitted", ", a 92-year-old"). A capitalised word on its own is
// not a name: clinical prose is full of eponyms and drug names. Clinicians'
// names after "Dr." or "Prof." are not patient identifiers and are left alone.
var (
	// A title, then the name.
	titleCueRE = regexp.MustCompile(`^(?i)(?:mr|mrs|ms|miss|mx|mister|madam|señor|señora|sra|herr|frau|mme|mlle|monsieur|madame)\b\.?[ \t]+`)
	// A patient, relative or naming word, then the name.
	personCueRE = regexp.MustCompile(`^(?i)(?:(?:patient|pt|client|resident|decedent)(?:'s|’s)?[ \t]*(?:name[ \t]*(?:is|was|:)?|named|called|:|,|-)?|(?:wife|husband|son|daughter|mother|father|mom|mum|dad|brother|sister|partner|spouse|guardian|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|niece|nephew|aunt|uncle|cousin|caregiver|carer|neighbou?r|friend|boyfriend|girlfriend|fianc[eé]e?|kid|child|baby|twin|sibling|roommate|employer|boss|landlord|beneficiary|grandchild|stepson|stepdaughter|stepfather|stepmother)(?:'s|’s)?[ \t]*(?:name[ \t]*(?:is|was|:)?|named|called|,|:|-)?|name[ \t]*:|named|called|call[ \t]+me|my[ \t]+name[ \t]+is|name[ \t]+is|name[ \t]+was|known[ \t]+as|goes[ \t]+by|maiden[ \t]+name(?:[ \t]+is)?|last[ \t]+name(?:[ \t]+is)?|first[ \t]+name(?:[ \t]+is)?|surname(?:[ \t]+is)?|nickname(?:[ \t]+is)?|under[ \t]+the[ \t]+name|(?:billing|mailing|shipping)[ \t]+address[ \t]*:|add|change[ \t]+it[ \t]+to|correct[ \t]+it[ \t]+to|it's[ \t]+under|under|speak[ \t]+to|i'm|i[ \t]+am|name\?|calls[ \t]+me|said|says|told|asked|shouted[ \t]+at|follow(?:[ \t\-]*up)?[ \t]+with|f/u[ \t]+with)(?:\b|[ \t]+|$)[ \t]*\(?`)
	// One name, then words that only fit a person: "Jacob lives on",
	// "Matej's address", "Anna's daughter".
	singleNameThenCueRE = regexp.MustCompile(`^(\p{Lu}\p{Ll}[\p{L}\-]*)(?:(?:'s|’s)[ \t]+(?:wife|husband|daughter|son|mother|father|kid|address|family|widow|widower|phone|number|email|e-mail)\b|[ \t]+(?:lives|lived)[ \t]+(?:at|on|in)\b|[ \t]+had[ \t]+given\b)`)
	// A full name, then words that say it is a person's: "Maria Garcia was
	// admitted", "John Smith, a 67-year-old", "Anna Ruiz lives at".
	nameThenCueRE = regexp.MustCompile(`^(\p{Lu}\p{Ll}[\p{L}'’\-]*(?:[ \t]+\p{Lu}\.?)?(?:[ \t]+\p{Lu}\p{Ll}[\p{L}'’\-]*){1,2})(?:'s|’s)?(?:,[ \t]*|[ \t]+)(?:lives|lived|was[ \t]+(?:admitted|seen|discharged|transferred|born|found|brought|referred|diagnosed)|is[ \t]+(?:a|an)[ \t]+\d+|a[ \t]+\d+|aged?[ \t]+\d+|\d{1,3}(?:[MF]|[ \t]*(?:yo|y/o|y\.o\.|years?|yrs?|months?|mo)|,[ \t]*\w+)|\(?dob|\(?mrn|presented|presents|died|passed[ \t]+away|had[ \t]+given|shouted|said|says|is[ \t]+from|from[ \t]+\p{Lu}|will[ \t]+be|spent|began|(?:wife|husband|daughter|son|mother|father|kid|address|family|widow|widower))\b`)
)

var (
	titleRoots  = []string{"mr", "ms", "miss", "mx", "mister", "madam", "señor", "señora", "sra", "herr", "frau", "mme", "mlle", "monsieur"}
	personRoots = []string{"patient", "pt", "client", "resident", "decedent", "wife", "husband", "son", "daughter", "mother", "father",
		"mom", "mum", "dad", "brother", "sister", "partner", "spouse", "guardian", "grand", "niece", "nephew", "aunt", "uncle", "cousin",
		"caregiver", "carer", "neighbo", "friend", "boyfriend", "girlfriend", "fianc", "kid", "child", "baby", "twin", "sibling",
		"roommate", "employer", "boss", "landlord", "beneficiary", "step", "name", "called", "call", "my", "known", "goes", "maiden",
		"last", "first", "surname", "nickname", "under", "billing", "mailing", "shipping", "add", "change", "correct", "it's",
		"speak", "i'm", "i am", "calls", "follow", "f/u", "said", "says", "told", "asked", "shouted"}
)

func scanNames(d doc, cands []candidate) []candidate {
	text := d.text
	for _, p := range d.wordStarts(titleRoots) {
		if m := anchored(titleCueRE, text, p, 16); m != nil {
			if end := nameAt(text, m[1], 3, 1); end > m[1] {
				cands = d.add(cands, rankName, TypeName, High, m[1], end, "Looks like a person's name (after a title such as Mr. or Mrs.).")
			}
		}
	}
	for _, p := range d.wordStarts(personRoots) {
		m := anchored(personCueRE, text, p, 40)
		if m == nil {
			continue
		}
		cue := strings.TrimSpace(d.lower[m[0]:m[1]])
		// "Child-Pugh", "son-in-law": a hyphenated word, not a relative and a name.
		if strings.Contains(cue, "-") && !strings.Contains(cue, " ") {
			continue
		}
		// "PT" in capitals is physical therapy ("PT Eval"), unless it labels a name ("PT: …").
		if strings.TrimSpace(text[m[0]:m[1]]) == "PT" {
			continue
		}
		// Loose cues ("add", "under", "I'm") need a full name; the rest take one word.
		minTokens := 1
		switch cue {
		case "add", "under", "i'm", "i am", "speak to", "it's under", "billing address:", "mailing address:", "shipping address:":
			minTokens = 2
		}
		end := nameAt(text, m[1], 3, minTokens)
		if end == m[1] {
			continue
		}
		rest := d.lower[end:min(len(text), end+4)]
		switch cue {
		case "add":
			// "add Maria Lopez as guardian", not "add Metoprolol Succinate".
			if !strings.HasPrefix(rest, " as ") {
				continue
			}
		case "i'm", "i am", "under":
			// "I'm Anna Berg, from…", not "I am Board Certified in…".
			if rest != "" && strings.IndexByte(",.;!?)\n", rest[0]) < 0 {
				continue
			}
		}
		// "Chief Resident Conference": a common word after the cue is no name.
		if !nameLike(theLexicon(), d, m[1], end) {
			continue
		}
		cands = d.add(cands, rankName, TypeName, High, m[1], end, "Looks like the name of a patient or a relative.")
	}
	lastEnd := -1
	for _, p := range d.caps {
		if p < lastEnd || afterDoctor(text, p) {
			continue
		}
		w, next, _ := wordAt(text, p)
		if w == "" || next >= len(text) {
			continue
		}
		// A full name: the next word is capitalised too.
		if next+1 < len(text) && (text[next] == ' ' || text[next] == '\t') {
			if r, _ := utf8.DecodeRuneInString(text[next+1:]); unicode.IsUpper(r) {
				if m := anchored(nameThenCueRE, text, p, 120); m != nil {
					start, end := trimLeadingStopwords(text, m[2], m[3])
					if nameTokens(text[start:end]) >= 2 && nameLike(theLexicon(), d, start, end) && !medicalPhrase(d, start, end) && !medicalPhrase(d, m[2], end) {
						cands = d.add(cands, rankName, TypeName, High, start, end, "Looks like a patient's full name.")
						lastEnd = end
						continue
					}
				}
			}
		}
		// One name: "Jacob lives on", "Matej's address".
		rest := d.lower[next:min(len(text), next+16)]
		if strings.HasPrefix(rest, "'s ") || strings.HasPrefix(rest, "’s ") || strings.HasPrefix(rest, " live") || strings.HasPrefix(rest, " had given") {
			if m := anchored(singleNameThenCueRE, text, p, 40); m != nil && !stopword(w, text, next) {
				cands = d.add(cands, rankName, TypeName, High, m[2], m[3], "Looks like the name of a patient or a relative.")
			}
		}
	}
	cands = initialsNames(d, cands)
	cands = appositionNames(d, cands)
	cands = lexiconNames(d, cands)
	return dropEponymousTerms(d, repeatedNames(d, dropEponymousTerms(d, contactBlockNames(d, cands))))
}

func dropEponymousTerms(d doc, cands []candidate) []candidate {
	kept := cands[:0]
	for _, c := range cands {
		if c.Type == TypeName && eponymousTerm(d.text, c.End) {
			continue
		}
		kept = append(kept, c)
	}
	return kept
}

// eponymousTerm reports whether the words after a name make it part of a
// clinical term ("Sister Mary Joseph nodule", "Virchow node").
func eponymousTerm(text string, end int) bool {
	rest := strings.ToLower(text[end:min(len(text), end+24)])
	rest = strings.TrimPrefix(rest, "'s")
	rest = strings.TrimPrefix(rest, "’s")
	rest = strings.TrimLeft(rest, " \t")
	for _, w := range eponymTermWords {
		if strings.HasPrefix(rest, w) && (len(rest) == len(w) || !isASCIILetter(rest[len(w)])) {
			return true
		}
	}
	return false
}

var eponymTermWords = []string{"institute", "hospital", "clinic", "foundation", "center", "centre", "university",
	"college", "school", "society", "association", "memorial", "award", "lecture", "fellowship", "prize", "trial",
	"protocol", "index", "nodule", "node", "sign", "signs", "syndrome", "disease", "reflex", "phenomenon", "maneuver",
	"manoeuvre", "test", "score", "criteria", "classification", "fracture", "procedure", "operation", "ulcer", "lesion",
	"triad", "law", "rule", "catheter", "tube", "hernia", "palsy", "cyst", "spots", "murmur", "tumor", "tumour", "lymphoma",
	"sarcoma", "scale", "formula", "equation", "method", "technique", "incision", "block", "point", "line", "bodies", "cells",
	"body", "stage", "staging", "grade", "class", "surgery", "repair", "reconstruction", "ligament", "tear", "graft", "pump",
	"phenomenon", "effect", "curve", "plot", "estimator", "correction", "distribution", "exact", "approach", "position",
	"valve", "shunt", "stent", "filter", "drain", "needle", "forceps", "retractor", "splint", "cast", "brace", "boot",
	"mask", "score's", "questionnaire", "inventory", "assessment", "tool", "model", "algorithm", "pathway", "program",
	"guideline", "guidelines", "textbook", "manual", "handbook", "principles", "lectures", "rounds", "award", "grant",
	"proceedings", "journal", "review", "reviews", "bulletin", "press", "publishing", "library", "collection"}

// repeatedNames flags the other places a flagged name appears: once "Maria
// Garcia" is a patient's name, a later "Maria" or "Garcia" is too.
func repeatedNames(d doc, cands []candidate) []candidate {
	seen := map[string]bool{}
	var names []string
	conf := map[string]string{}
	for _, c := range cands {
		if c.Type != TypeName {
			continue
		}
		for _, w := range append(strings.Fields(c.Text), c.Text) {
			w = strings.TrimRight(w, ".,")
			if utf8.RuneCountInString(w) < 3 || seen[w] || notNames[strings.ToLower(w)] || eponyms[strings.ToLower(w)] {
				continue
			}
			seen[w] = true
			names = append(names, w)
			conf[w] = c.Confidence
		}
	}
	for _, name := range names {
		for off := 0; ; {
			i := strings.Index(d.text[off:], name)
			if i < 0 {
				break
			}
			start := off + i
			end := start + len(name)
			off = end
			if r, _ := utf8.DecodeLastRuneInString(d.text[:start]); start > 0 && unicode.IsLetter(r) {
				continue
			}
			if r, _ := utf8.DecodeRuneInString(d.text[end:]); end < len(d.text) && unicode.IsLetter(r) {
				continue
			}
			if nameCovers(cands, start, end) {
				continue
			}
			cands = d.add(cands, rankName, TypeName, conf[name], start, end, "The same name as one flagged elsewhere in this text.")
		}
	}
	return cands
}

// contactBlockNames flags a line that holds only a full name when an
// address, phone number or e-mail address follows within a few lines: a
// signature or a contact card.
func contactBlockNames(d doc, cands []candidate) []candidate {
	if strings.IndexByte(d.text, '\n') < 0 {
		return cands
	}
	var contacts []int
	for _, c := range cands {
		switch c.Type {
		case TypeAddress, TypePhone, TypeFax, TypeEmail, TypeZIP:
			contacts = append(contacts, c.Start)
		}
	}
	if len(contacts) == 0 {
		return cands
	}
	// Only the first line of a block is taken as a name (a company or a
	// town can look like one further down), and any later line that repeats it.
	firstOfBlock := true
	named := map[string]bool{}
	lineStart := 0
	for lineStart < len(d.text) {
		lineEnd := strings.IndexByte(d.text[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(d.text)
		} else {
			lineEnd += lineStart
		}
		s := lineStart
		for s < lineEnd && strings.IndexByte(" \t>?*-:", d.text[s]) >= 0 {
			s++
		}
		blank := s >= lineEnd
		e := nameAt(d.text, s, 4, 2)
		isName := e > s && strings.TrimSpace(d.text[e:lineEnd]) == "" && (firstOfBlock || named[d.text[s:e]])
		if !blank {
			firstOfBlock = false
		} else {
			firstOfBlock = true
		}
		if isName {
			named[d.text[s:e]] = true
			for _, c := range contacts {
				if c > e && strings.Count(d.text[e:c], "\n") <= 8 {
					cands = d.add(cands, rankName, TypeName, Low, s, e, "Looks like a person's name in a contact block.")
					break
				}
			}
		}
		lineStart = lineEnd + 1
	}
	return cands
}

// nameAt reads a name of up to max capitalised words starting at i and
// returns where it ends, or i when there is no name of at least min words.
// Initials ("T." or "T") may sit between words.
func nameAt(text string, i, max, min int) int {
	end, tokens := i, 0
	pos := i
	for tokens < max {
		w, next, initial := wordAt(text, pos)
		if w == "" {
			break
		}
		if !initial && stopword(w, text, next) && !(tokens == 0 && monthAsName(text, w, next)) {
			break
		}
		if initial && tokens == 0 {
			break
		}
		tokens++
		if !initial {
			end = next
		}
		// One space (or tab) between the words of a name.
		if next < len(text) && (text[next] == ' ' || text[next] == '\t') {
			pos = next + 1
		} else {
			break
		}
	}
	named := nameTokens(text[i:end])
	if named < min || end == i {
		return i
	}
	return end
}

// wordAt returns the capitalised word at i, the index after it, and whether
// it is an initial. Words need a lowercase letter, so acronyms (COPD, ICU)
// are not names.
func wordAt(text string, i int) (string, int, bool) {
	r, size := utf8.DecodeRuneInString(text[i:])
	if !unicode.IsUpper(r) {
		return "", i, false
	}
	j := i + size
	lower := false
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if unicode.IsLetter(r) {
			if unicode.IsLower(r) {
				lower = true
			}
			j += size
			continue
		}
		if (r == '\'' || r == '’' || r == '-') && j+size < len(text) {
			n, _ := utf8.DecodeRuneInString(text[j+size:])
			if unicode.IsLetter(n) && !(r != '-' && (n == 's') && (j+size+1 == len(text) || !unicode.IsLetter(rune(text[j+size+1])))) {
				j += size
				continue
			}
		}
		break
	}
	w := text[i:j]
	if utf8.RuneCountInString(w) == 1 {
		if j < len(text) && text[j] == '.' {
			return w, j + 1, true
		}
		return w, j, true
	}
	if !lower {
		return "", i, false
	}
	return w, j, false
}

func nameTokens(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if utf8.RuneCountInString(strings.TrimSuffix(f, ".")) > 1 {
			n++
		}
	}
	return n
}

func trimLeadingStopwords(text string, start, end int) (int, int) {
	for start < end {
		w, next, _ := wordAt(text, start)
		if w == "" || !stopword(w, text, next) {
			break
		}
		start = next
		for start < end && (text[start] == ' ' || text[start] == '\t') {
			start++
		}
	}
	return start, end
}

// stopword reports whether a capitalised word is not a name here: a common
// word at the start of a sentence, a clinical term, or an eponym used for a
// disease ("Parkinson's disease", "Graves disease").
func stopword(w, text string, next int) bool {
	lw := strings.ToLower(w)
	if notNames[lw] {
		return true
	}
	// "Mcguinness" ends like "kindness", but the word list knows it is a surname.
	if wordShaped(lw) {
		if f := theLexicon().lookup(lw); f&(lexGiven|lexSurname) == 0 || f&lexWord != 0 {
			return true
		}
	}
	if eponyms[lw] {
		rest := strings.ToLower(text[next:min(len(text), next+12)])
		rest = strings.TrimLeft(rest, "'’")
		if strings.HasPrefix(rest, "s") || strings.HasPrefix(rest, " disease") || strings.HasPrefix(rest, " syndrome") ||
			strings.HasPrefix(rest, " sign") || strings.HasPrefix(rest, " lymphoma") || strings.HasPrefix(rest, " triad") {
			return true
		}
	}
	return false
}

// wordShaped reports whether a capitalised word has the ending of an
// English verb or noun rather than of a name: "Pt Ambulating", "Son
// Updated", "Patient Instructions", "Resident Physician".
func wordShaped(lw string) bool {
	n := utf8.RuneCountInString(lw)
	if n < 5 {
		return false
	}
	for _, suf := range wordEndings {
		if strings.HasSuffix(lw, suf) {
			return true
		}
	}
	return false
}

var wordEndings = []string{"ated", "uted", "cted", "pted", "rted", "sted", "nted", "ided", "ized", "ised", "ined", "ened",
	"ied", "lled", "tion", "tions", "sion", "sions", "ment", "ments", "ness", "able", "ible", "ician",
	"icians", "ful", "less", "ities", "ures", "ists", "ogy", "ologist", "iatric", "itis", "osis", "emia", "ectomy", "otomy",
	"plasty", "scopy", "graphy", "ware", "ating", "iting", "uting", "izing", "ising"}

// Capitalised words that are not names where the cues above look for one.
var notNames = setOf(`the a an he she his her hers him they them their we our i it its this that these those there here
was is are were be been has had have who whom whose which what when where why how with without and but or nor so yet
on in at to for from by of as also then than today yesterday tomorrow tonight now later earlier again still just
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
october november december patient patients pt pts dr doctor prof professor nurse mr mrs ms miss sir madam
hospital clinic ed er icu ward unit department team service history presented presents admitted discharged seen plan
assessment note notes labs vitals hx pmh psh no yes not none denies reports complains age aged male female man woman
boy girl baby infant child mother father son daughter wife husband family name names unknown anonymous
med meds medication medications home house nursing facility rehab hospice emergency urgent primary care
both all any each every some many most more less few several other another one two three four five six seven eight
nine ten first second third last next previous prior recent new old young elderly adult pediatric
after before during since until while because although though if unless whether
please thanks thank hi hello dear regards best cheers ok okay sorry
blood urine stool chest abdomen head neck back left right bilateral acute chronic severe mild moderate
covid sars influenza flu strep staph mrsa cdiff hiv hep hepatitis cancer tumor diabetes
english spanish french german chinese arabic portuguese russian hindi interpreter
christmas easter thanksgiving ramadan
god lord jesus allah
inc ltd llc llp plc corp corporation company co group partners markets technologies technology solutions systems
services bank university college institute foundation orchestra society association network labs laboratories
capital data insights health healthcare medical center centre pharmaceuticals pharma holdings ventures media
consulting analytics software international global associates agency industries enterprises trust
cardiology neurology nephrology oncology surgery radiology pathology pharmacy nursing ortho orthopedics gi psych
psychiatry pulm pulmonology rheum rheumatology endo endocrinology hematology heme urology dermatology derm ent obgyn
ob gyn peds pediatrics anesthesia palliative social case management security administration admin legal risk
billing transport ems pcp attending resident fellow intern charge staff everyone everybody anyone someone nobody
google chatgpt epic cerner uptodate pubmed twitter reddit
medrec medicare medicaid tricare aetna cigna humana anthem bcbs unitedhealthcare optum uninsured insurance insurer hmo ppo
neuro neurosurgery nsgy gen medicine hospitalist hospitalists chief ir nicu picu ccu pacu micu sicu cvicu
rapid response code blue red stroke trauma sepsis poison control team teams consult consults bedside
safety committee portal experience advocate advocacy relations education rights outcomes satisfaction access
navigator quality compliance ethics chaplain chaplaincy interpreter interpreters
aspirin tylenol motrin advil benadryl zofran lasix coumadin eliquis xarelto keppra ativan haldol narcan
epipen plavix lipitor insulin humalog lantus ozempic mounjaro
endocrine infectious diseases hepatology allergy immunology sleep wound vascular plastics transplant bariatrics
podiatry audiology optometry ophthalmology genetics nutrition dietitian ot speech physio physiotherapy physical
occupational therapy counseling behavioral mental internal sports pain headache memory movement epilepsy heart lung
kidney liver breast spine hand foot eye dental oral general local regional sedation eval evaluation recs note
aware baseline request friendly unavailable available present absent agrees consents prefers wants understands
decision proxy surrogate poa hcp consent permission supportive concerned worried upset bedside`)

// Eponyms that name diseases and signs; as a name they are left alone only
// when the disease is meant.
var eponyms = setOf(`parkinson alzheimer cushing hodgkin crohn graves addison hashimoto down turner marfan wilson kawasaki
bell guillain barre raynaud sjogren sjögren huntington tourette conn barrett wernicke korsakoff kaposi burkitt ewing
wilms paget meniere ménière osler horner brugada wolff still whipple reiter behcet behçet takayasu buerger bowen
dupuytren peyronie osgood legg perthes kienbock kienböck scheuermann charcot hirschsprung meckel zenker mallory weiss
budd chiari dandy walker arnold tay sachs gaucher niemann pick fabry pompe hurler hunter duchenne becker klinefelter
noonan angelman prader willi rett fanconi diamond blackfan bernard soulier glanzmann von willebrand waldenstrom
waldenström hashimoto de quervain riedel sheehan nelson bartter gitelman liddle fanconi alport goodpasture berger
henoch schonlein schönlein wegener churg strauss kikuchi castleman lyme bornholm epstein barr coxsackie norwalk
lou gehrig ménétrier menetrier zollinger ellison lambert eaton myasthenia fisher miller jacob creutzfeldt`)

func setOf(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// nameCovers reports whether a name already found spans start to end.
func nameCovers(cands []candidate, start, end int) bool {
	for _, c := range cands {
		if c.Type == TypeName && c.Start <= start && end <= c.End {
			return true
		}
	}
	return false
}

// initialsNames flags initials given for a patient: "initials J.D.", "pt J.D.".
func initialsNames(d doc, cands []candidate) []candidate {
	for _, p := range d.wordStarts([]string{"initials", "pt ", "patient "}) {
		q := strings.IndexByte(d.text[p:], ' ')
		if q < 0 {
			continue
		}
		q += p + 1
		if m := anchored(initialsRE, d.text, q, 12); m != nil {
			cands = d.add(cands, rankName, TypeName, Low, m[0], m[1], "A patient's initials can identify them with the rest of the case.")
		}
	}
	return cands
}

var initialsRE = regexp.MustCompile(`^[A-Z]\.[ ]?[A-Z]\.(?:[ ]?[A-Z]\.)?`)

// monthAsName reports whether a month that is also a given name (April,
// May, June, August) is a name here: a surname or a pause follows it, not
// a day ("June Coppedge", "his partner June,", not "June 5").
func monthAsName(text, w string, next int) bool {
	switch strings.ToLower(w) {
	case "april", "may", "june", "august":
	default:
		return false
	}
	if next >= len(text) {
		return false
	}
	if strings.IndexByte(",:;)", text[next]) >= 0 {
		return true
	}
	if text[next] != ' ' || next+1 >= len(text) || !isUpperASCII(text[next+1]) {
		return false
	}
	e := lexWordEnd(asciiLower(text[next+1:min(len(text), next+30)]), 0)
	nw := strings.ToLower(text[next+1 : next+1+e])
	return !notNames[nw] && !isMonth(nw)
}

func isMonth(w string) bool {
	for _, m := range monthRoots {
		if strings.HasPrefix(w, m) {
			return true
		}
	}
	return false
}
