package phi

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// A capitalised word of a place name, in any script.
	placeWord = `\p{Lu}[\p{L}'’.\-]*`
	// English street types, capitalised as they are written in addresses.
	streetTypes = `Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Square|Sq|Terrace|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Trail|Crescent|Close|Row|Alley|Plaza|Pike|Gardens|Grove|Mews|Walk|Parade|Heights|Crossing|Gateway|Causeway|Expressway|Turnpike`
	// Words that open a street name in other languages: Via Roma 131.
	streetPrefixes = `Via|Viale|Vicolo|Rua|Rúa|Rue|Calle|Avda\.?|Avenida|Av\.|ul\.|Ul\.|Ulica|Piazza|Plaza|Praça|Largo|Strada|Carrer|Camino|Paseo|Chemin|Allée|Boulevard|Trg|trg|Plac|Aleja|Caminho|Travessa`
	// Endings of one-word street names in other languages: Friedhofstrasse 33.
	streetSuffixes = `strasse|straße|str\.|weg|gasse|platz|allee|katu|tie|kuja|gata|gatan|vej|vägen|veien|laan|straat|plein|utca|braut|vegur|stræde|gränd|ulice`
)

var (
	// 14 Crown Street, 2437 Main St, 1668 Glyn St, 90 Whitchurch Road (+ unit, city, state, ZIP).
	streetRE = regexp.MustCompile(`^\d{1,6}[A-Za-z]?(?:[ \t]+\d{1,5})?(?:[ \t]+` + placeWord + `){1,4}?[ \t]+(?:` + streetTypes + `)\b\.?(?:[ \t]+(?:NW|NE|SW|SE|N|S|E|W)\b\.?)?` + unitTail + cityStateZIPTail)
	// Via Roma 131, Rua do Arenque 1634, ul. Słowicza 10.
	streetPrefixRE = regexp.MustCompile(`^(?:` + streetPrefixes + `)[ \t]+(?:[\p{L}'’.\-]+[ \t]+){1,4}?\d{1,5}[A-Za-z]?\b` + unitTail)
	// Friedhofstrasse 33, Kiannonkatu 98, Brucker Bundesstrasse 31: the part before the number…
	streetSuffixRE = regexp.MustCompile(`(?:\b\d{1,6}[ \t]+)?(?:\b\p{Lu}\p{L}+[ \t]+)?\b(?:\p{L}+(?:` + streetSuffixes + `)|Strasse|Straße|Str\.|tér|út|utca|Gasse|Platz|Allee)[ \t]+$`)
	// …and the number with any unit after it.
	houseNumberRE = regexp.MustCompile(`^\d{1,5}[a-z]?\b` + unitTail)
	// 28245 Puruntie 82, 583 Magrethevej 298: a house number, a name and a number.
	numberNameNumberRE = regexp.MustCompile(`^\d{3,6}[ \t]+(?:\d{1,5}[ \t]+)?\p{Lu}\p{Ll}[\p{L}'’.\-]*` + `(?:[ \t]+[\p{L}'’.\-]+){0,3}?[ \t]+\d{1,5}\b\.?` + unitTail)
	// 29 Rue de Tanger, 770 26 rue des lieutemants Thomazo: a number, then the street word.
	numberThenPrefixRE = regexp.MustCompile(`^\d{1,6}[ \t]+(?:\d{1,5}[ \t]+)?(?:Rue|Rua|Rúa|Calle|Avenida|Avda\.?|Via|Viale|Strada|rue|rua|rúa|calle|avenida|avda\.?)[ \t]+[\p{L}'’\-]+(?:[ \t]+[\p{L}'’\-]+){0,3}`)
	// in Bjert 6091, in København K 1421: a place name before a postal code…
	placeBeforePostalRE = regexp.MustCompile(`\b(?:in|at|near|from)[ \t]+\p{Lu}[\p{L}'’\-]*(?:[ \t]+[\p{L}'’\-]+){0,3}?[ \t]+$`)
	// …and the code.
	postalRE = regexp.MustCompile(`^\d{4,5}(?:-\d{3,4})?\b`)
	unitRE   = regexp.MustCompile(`^(?:Apt|APT|apt|Apartment|Suite|SUITE|Ste|Flat)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?\b`)
	poBoxRE  = regexp.MustCompile(`^(?i)(?:(?:p\.?[ \t]?o\.?[ \t]?box|postbox|post[ \t]+office[ \t]+box|box)[ \t]+\d{1,6}\b|(?:psc|unit|usns|usnv|uss|uscgc)[ \t]+[\p{L}\d]+(?:[ \t]+\p{L}+)?,?[ \t]+box[ \t]+\d{1,6}\b|(?:apo|fpo|dpo)[ \t]+(?:aa|ae|ap)[ \t]+\d{5}\b)`)
	// ZIP: 4943, zip code 90010-170, postal code B0J 2H0.
	zipLabelRE = regexp.MustCompile(`^(?i)(?:zip(?:[ \t]*code)?|postal[ \t]*code|post[ \t]*code|postcode|plz)[ \t]*(?:is|:|#)?[ \t]*([A-Z0-9]{2,5}(?:[ \-][A-Z0-9]{2,4})?)\b`)
	// A line that ends in a postal code, after an address: "Estonia 62488".
	trailingZIPRE = regexp.MustCompile(`(?m)(?:^|[ \t,])(\d{4,5}(?:-\d{3,4})?|[A-Z]\d[A-Z][ \t]\d[A-Z]\d)\.?[ \t]*$`)
	// Sentences that introduce an address.
	addressCueRE = regexp.MustCompile(`^(?i)(?:address(?:es)?[ \t]*(?::|is|was|here[ \t]+they[ \t]+are:?)|(?:home|billing|mailing|postal|street|new|her|his|their|my|your|patient's)[ \t]+address(?:es)?(?:[ \t]*(?:is|was|,|with))?|lives?[ \t]+(?:at|on)|lived[ \t]+(?:at|on|in)|live[ \t]+in|moved[ \t]+to|sent[ \t]+to|send[ \t]+it[ \t]+to|deliver(?:ed)?[ \t]+to|located[ \t]+at|meet[ \t]+(?:me|you|us)?[ \t]*at|return[ \t]+to|arrived[ \t]+at|corner[ \t]+of|resides[ \t]+at|residing[ \t]+at|home[ \t]+at|taxi[ \t]+to|drops?[ \t]+you[ \t]+off[ \t]+at)[ \t]*:?(?:[ \t]*here[ \t]+they[ \t]+are[ \t]*:?)?[ \t\n]*`)
)

var (
	streetPrefixWords = []string{"Via", "Viale", "Vicolo", "Rua", "Rúa", "Rue", "Calle", "Avda", "Avenida", "Av.", "ul.", "Ul.", "Ulica", "Piazza", "Plaza", "Praça", "Largo", "Strada", "Carrer", "Camino", "Paseo", "Chemin", "Allée", "Boulevard", "Trg", "trg", "Plac", "Aleja", "Caminho", "Travessa"}
	streetSuffixWords = strings.Split(strings.ReplaceAll(streetSuffixes, `\.`, "."), "|")
	poBoxRoots        = []string{"p.o", "po box", "p o box", "postbox", "post office", "box", "psc", "unit", "usns", "usnv", "uss", "uscgc", "apo", "fpo", "dpo"}
	addressCueRoots   = []string{"address", "home", "billing", "mailing", "postal", "street", "new", "her", "his", "their", "my", "your", "patient", "live", "moved", "sent", "send", "deliver", "located", "meet", "return", "arrived", "corner", "resid", "taxi", "drop"}
	usStates          = setOf("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR")
	streetSuffixExact = setOf("Strasse Straße Str. tér út utca Gasse Platz Allee")
)

// After a street: Apt. 105, Suite 321, #4B.
const unitTail = `(?:,?[ \t]+(?:Apt|APT|apt|Apartment|Suite|SUITE|Ste|Unit|Flat|#)\.?[ \t]*#?\d{1,5}[A-Za-z]?\b)*`

// After a street: , Springfield, IL 62704.
const cityStateZIPTail = `(?:,?[ \t]+` + placeWord + `(?:[ \t]+` + placeWord + `){0,2},?[ \t]+[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?\b)?`

func scanAddresses(d doc, cands []candidate) []candidate {
	text := d.text
	before := len(cands)
	const street = "Looks like a street address, which identifies where a patient lives."
	lastEnd := -1
	for _, r := range d.runs {
		p := r.start
		if p >= lastEnd && streetAhead(text, d.lower, r.end) {
			for _, re := range []*regexp.Regexp{streetRE, numberThenPrefixRE, numberNameNumberRE} {
				m := anchored(re, text, p, 120)
				if m == nil || (re == numberNameNumberRE && (!addressShaped(d, m[0], m[1]) || followedByUnit(d, m[1]))) {
					continue
				}
				end := len(strings.TrimRight(text[:m[1]], " \t,"))
				cands = d.add(cands, rankAddress, TypeAddress, High, m[0], end, street)
				lastEnd = end
				break
			}
		}
		// A street name ending in -strasse, -katu, -vej… before the number.
		if w := wordBefore(text, p); w != "" && streetSuffix(w) {
			if m := endingAt(streetSuffixRE, text, p, 80); m != nil {
				if t := anchored(houseNumberRE, text, p, 60); t != nil {
					cands = d.add(cands, rankAddress, TypeAddress, High, m[0], t[1], street)
				}
			}
		}
		if n := r.end - r.start; n == 5 && p >= 3 && (text[p-1] == ' ' || text[p-1] == '\t') && usStates[text[p-3:p-1]] &&
			(p == 3 || text[p-4] == ' ' || text[p-4] == ',' || text[p-4] == '\t') {
			end := r.end
			if end+5 <= len(text) && text[end] == '-' && digitsAhead(text, end+1, 4) == 4 {
				end += 5
			}
			if end == len(text) || !isWordByte(text[end]) {
				cands = d.add(cands, rankAddress, TypeZIP, Low, p, end, "Looks like a ZIP code in an address.")
			}
		}
		if n := r.end - r.start; (n == 4 || n == 5) && p > 0 && (text[p-1] == ' ' || text[p-1] == '\t') {
			if m := endingAt(placeBeforePostalRE, text, p, 60); m != nil && addressShaped(d, m[0]+strings.IndexAny(text[m[0]:], " \t"), p) {
				if t := anchored(postalRE, text, p, 12); t != nil && !plausibleYear(text[t[0]:t[1]]) && !followedByUnit(d, t[1]) {
					cands = d.add(cands, rankAddress, TypeZIP, Low, t[0], t[1], "Looks like a postal code after a place name.")
				}
			}
		}
	}
	for _, w := range streetPrefixWords {
		for off := 0; ; {
			i := strings.Index(text[off:], w)
			if i < 0 {
				break
			}
			p := off + i
			off = p + len(w)
			if p > 0 && isWordByte(text[p-1]) {
				continue
			}
			if m := anchored(streetPrefixRE, text, p, 120); m != nil {
				start := p
				// Take a house number written before the street word.
				if b := strings.TrimRight(text[:p], " \t"); len(b) < p && len(b) > 0 && isDigit(b[len(b)-1]) {
					j := len(b)
					for j > 0 && isDigit(b[j-1]) {
						j--
					}
					if j == 0 || !isWordByte(b[j-1]) {
						start = j
					}
				}
				cands = d.add(cands, rankAddress, TypeAddress, High, start, m[1], street)
			}
		}
	}
	for _, p := range d.wordStarts([]string{"apt", "apartment", "suite", "ste", "flat"}) {
		if m := anchored(unitRE, text, p, 30); m != nil {
			cands = d.add(cands, rankAddress, TypeAddress, High, m[0], m[1], "Looks like part of a postal address.")
		}
	}
	for _, p := range d.wordStarts(poBoxRoots) {
		if m := anchored(poBoxRE, text, p, 60); m != nil {
			if strings.HasPrefix(d.lower[p:], "box") && !nearAddress(cands[before:], p) {
				continue
			}
			cands = d.add(cands, rankAddress, TypeAddress, High, m[0], m[1], "Looks like part of a postal address.")
		}
	}
	for _, p := range d.wordStarts([]string{"zip", "postal", "post", "plz"}) {
		if m := anchored(zipLabelRE, text, p, 40); m != nil && len(digitsOf(text[m[2]:m[3]])) >= 2 {
			cands = d.add(cands, rankLabelled, TypeZIP, Low, m[2], m[3], "Looks like a ZIP or postal code.")
		}
	}
	// Sentences that say "address" or "lives at": the rest of the clause is the address.
	for _, p := range d.wordStarts(addressCueRoots) {
		m := anchored(addressCueRE, text, p, 60)
		if m == nil {
			continue
		}
		start, end := m[1], clauseEnd(text, m[1])
		if end-start < 4 || !addressClause(text[start:end]) {
			continue
		}
		cands = d.add(cands, rankClause, TypeAddress, High, start, end, "Looks like an address, which can identify a patient.")
	}
	// A postal code closing a line of an address block.
	if len(d.runs) > 0 && strings.IndexByte(text, '\n') >= 0 && len(cands) > before {
		for _, m := range trailingZIPRE.FindAllStringSubmatchIndex(text, -1) {
			if nearAddress(cands[before:], m[2]) {
				cands = d.add(cands, rankAddress, TypeZIP, Low, m[2], m[3], "Looks like a postal code in an address.")
			}
		}
	}
	return cands
}

// streetAhead is a quick look at what follows a number before the street
// patterns run: a capitalised word (after a second number at most), or a
// street word such as "rue". "5 mg" and "3 days" stop here.
func streetAhead(text, lower string, i int) bool {
	if i < len(text) && isASCIILetter(text[i]) && i+1 < len(text) && (text[i+1] == ' ' || text[i+1] == '\t') {
		i++ // 221B Baker Street
	}
	for k := 0; k < 2; k++ {
		if i >= len(text) || (text[i] != ' ' && text[i] != '\t') {
			return false
		}
		i++
		if i >= len(text) {
			return false
		}
		c := text[i]
		if isUpperASCII(c) || c >= 0x80 {
			return true
		}
		for _, w := range []string{"rue ", "rua ", "calle ", "avenida ", "avda"} {
			if strings.HasPrefix(lower[i:], w) {
				return true
			}
		}
		if !isDigit(c) {
			return false
		}
		for i < len(text) && isDigit(text[i]) {
			i++
		}
	}
	return false
}

// wordBefore returns the word that ends one space before p.
func wordBefore(text string, p int) string {
	if p < 2 || (text[p-1] != ' ' && text[p-1] != '\t') {
		return ""
	}
	e := p - 1
	s := e
	for s > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:s])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		s -= size
	}
	return text[s:e]
}

func streetSuffix(w string) bool {
	if streetSuffixExact[w] {
		return true
	}
	for _, suf := range streetSuffixWords {
		if len(w) > len(suf) && strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// addressShaped keeps "583 Magrethevej 298" and drops clinical runs like
// "3 Doses 5" or "2 Units 4": the name must not be a clinical word.
func addressShaped(d doc, start, end int) bool {
	s := d.lower[start:end]
	for _, w := range strings.Fields(s) {
		if clinicalWords[strings.Trim(w, ".,")] {
			return false
		}
	}
	return true
}

// Capitalised words that start clinical shorthand, never street names.
var clinicalWords = map[string]bool{
	"grade": true, "stage": true, "class": true, "type": true, "day": true, "days": true, "week": true, "weeks": true,
	"month": true, "months": true, "year": true, "years": true, "dose": true, "doses": true, "units": true, "unit": true,
	"hours": true, "hour": true, "mg": true, "figure": true, "table": true, "level": true, "levels": true, "bed": true,
	"room": true, "gcs": true, "nyha": true, "asa": true, "bmi": true, "lead": true, "leads": true, "zone": true,
	"cycle": true, "cycles": true, "tab": true, "tabs": true, "of": true, "to": true, "and": true, "or": true,
	"vs": true, "x": true, "for": true, "in": true, "at": true, "on": true, "step": true, "phase": true, "score": true,
	"points": true, "point": true, "children": true, "patients": true, "cases": true, "trials": true, "ref": true,
	"version": true, "vol": true, "volume": true, "issue": true, "page": true, "pages": true, "chapter": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "may": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "january": true, "february": true, "march": true, "april": true,
	"june": true, "july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
}

func nearAddress(found []candidate, pos int) bool {
	for _, c := range found {
		if c.Type == TypeAddress && c.Start <= pos && pos-c.End < 120 {
			return true
		}
	}
	return false
}

// clauseEnd finds where an address after a cue ends: at a sentence end, a
// question mark, or a blank line; an address block may span a few lines.
func clauseEnd(text string, start int) int {
	lines := 0
	for i := start; i < len(text); i++ {
		// A connecting word in lower case ends the address: "…, and travels", "… with her son".
		if text[i] == ' ' && i > start {
			rest := text[i+1:]
			for _, w := range connectors {
				if strings.HasPrefix(rest, w) && (len(rest) == len(w) || rest[len(w)] == ' ') {
					return i
				}
			}
		}
		switch c := text[i]; c {
		case '?', '!', ';':
			return i
		case '.':
			if i+1 >= len(text) || text[i+1] == ' ' && i+2 < len(text) && text[i+2] >= 'A' && text[i+2] <= 'Z' && !abbreviationBefore(text, i) {
				return i
			}
			if i+1 < len(text) && text[i+1] == '\n' {
				return i
			}
		case '\n':
			lines++
			if lines > 4 || (i+1 < len(text) && text[i+1] == '\n') {
				return i
			}
		}
		if i-start > 160 {
			return i
		}
	}
	return len(text)
}

var connectors = []string{"and", "with", "for", "but", "who", "since", "until", "in", "after", "before", "because", "which", "when", "where", "if", "so", "then", "is", "was", "has", "had", "to"}

func abbreviationBefore(text string, dot int) bool {
	j := dot
	for j > 0 && isASCIILetter(text[j-1]) {
		j--
	}
	w := strings.ToLower(text[j:dot])
	switch w {
	case "st", "apt", "ave", "rd", "ste", "dr", "blvd", "ul", "avda", "no", "mr", "mrs", "ms":
		return true
	}
	return len(w) == 1
}

// addressClause accepts the text after an address cue when it reads like an
// address: a number and a capitalised word, not "home with her daughter".
func addressClause(s string) bool {
	hasDigit, hasName := false, false
	prev := ' '
	var last rune
	for _, r := range s {
		if r >= '0' && r <= '9' {
			hasDigit = true
		}
		if unicode.IsLower(r) && unicode.IsUpper(last) && !unicode.IsLetter(prev) {
			hasName = true
		}
		prev, last = last, r
	}
	return hasDigit && hasName
}
