// Command corpusgen writes the PHI guard's development corpus,
// app/phi/testdata/corpus.jsonl: clinician-style queries and case posts
// with every identifier tagged, and identifier-free clinical texts full of
// words that look like names, places and numbers but are not.
//
// It is deterministic (a fixed seed) and reads its names and places from
// the guard's own word list. Fillers are split by a hash of the value: a
// fifth of the given names, surnames, cities and hospitals appear only in
// the "heldout" texts, which were not looked at while the rules were tuned.
//
//	go run ./app/phi/internal/corpusgen > app/phi/testdata/corpus.jsonl
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"log"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
)

type tag struct {
	Type  string `json:"type"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

type note struct {
	ID    string `json:"id"`
	Split string `json:"split"` // dev or heldout
	Kind  string `json:"kind"`  // query, case or negative
	Text  string `json:"text"`
	Want  []tag  `json:"want"`
}

// pools of fillers, one per split.
type pools struct {
	given, surnames, cities, facilities []string
}

var dev, heldout pools

func main() {
	lexPath := flag.String("lexicon", "app/phi/lexicon/lexicon.tsv.gz", "the guard's word list")
	curatedFacilities := flag.String("facilities", "app/phi/lexicon/curated/facilities.txt", "the curated hospitals")
	fresh := flag.Bool("fresh", false, "only the second set of templates (to score them before tuning)")
	flag.Parse()
	loadPools(*lexPath, *curatedFacilities)
	r := rand.New(rand.NewPCG(14, 2026))
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	n := 0
	emit := func(nt note) {
		n++
		nt.ID = fmt.Sprintf("%s-%04d", nt.Kind, n)
		if err := enc.Encode(nt); err != nil {
			log.Fatal(err)
		}
	}
	if *fresh {
		queryTemplates, caseTemplates, negativeTemplates = freshQueryTemplates, freshCaseTemplates, freshNegativeTemplates
	} else {
		queryTemplates = append(queryTemplates, freshQueryTemplates...)
		caseTemplates = append(caseTemplates, freshCaseTemplates...)
		negativeTemplates = append(negativeTemplates, freshNegativeTemplates...)
	}
	for i := 0; i < 1250; i++ {
		split, p := "dev", &dev
		if i%4 == 3 {
			split, p = "heldout", &heldout
		}
		kind, tpl := "query", queryTemplates[r.IntN(len(queryTemplates))]
		if i%2 == 1 {
			kind, tpl = "case", caseTemplates[r.IntN(len(caseTemplates))]
		}
		text, tags := fill(r, p, tpl)
		emit(note{Split: split, Kind: kind, Text: text, Want: tags})
	}
	for i := 0; i < 360; i++ {
		text, _ := fill(r, &dev, negativeTemplates[i%len(negativeTemplates)])
		emit(note{Split: "dev", Kind: "negative", Text: text, Want: []tag{}})
	}
	if err := out.Flush(); err != nil {
		log.Fatal(err)
	}
}

func heldOut(v string) bool {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(v)))
	return h.Sum32()%5 == 0
}

func loadPools(path, facilities string) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		key, flags, _ := strings.Cut(sc.Text(), "\t")
		if strings.ContainsAny(flags, "wmdht") || strings.ContainsAny(key, " .'-") || len(key) < 3 {
			continue
		}
		p := &dev
		if heldOut(key) {
			p = &heldout
		}
		v := title(key)
		switch {
		case strings.Contains(flags, "G") && !strings.ContainsAny(flags, "cC"):
			p.given = append(p.given, v)
		case strings.Contains(flags, "S") && !strings.ContainsAny(flags, "cCgG"):
			p.surnames = append(p.surnames, v)
		case strings.Contains(flags, "C") && !strings.Contains(flags, "G"), strings.Contains(flags, "c") && !strings.ContainsAny(flags, "gGsSk") && len(key) > 4:
			p.cities = append(p.cities, v)
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	raw, err := os.ReadFile(facilities)
	if err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, e := range strings.Split(line, ";") {
			e = strings.TrimSpace(e)
			// Facilities written out in full; one-word ones need a cue the templates may not give.
			if strings.Count(e, " ") >= 1 && !strings.HasPrefix(e, "the ") {
				if heldOut(e) {
					heldout.facilities = append(heldout.facilities, e)
				} else {
					dev.facilities = append(dev.facilities, e)
				}
			}
		}
	}
	for _, p := range []*pools{&dev, &heldout} {
		sort.Strings(p.given)
		sort.Strings(p.surnames)
		sort.Strings(p.cities)
		sort.Strings(p.facilities)
	}
	log.Printf("corpusgen: dev %d given, %d surnames, %d cities, %d facilities; heldout %d, %d, %d, %d",
		len(dev.given), len(dev.surnames), len(dev.cities), len(dev.facilities),
		len(heldout.given), len(heldout.surnames), len(heldout.cities), len(heldout.facilities))
}

func title(s string) string {
	b := []byte(s)
	up := true
	for i, c := range b {
		if up && 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == ' ' || c == '-'
	}
	return string(b)
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// fill replaces each {SLOT} of a template and records where the tagged
// parts of the fillers landed.
func fill(r *rand.Rand, p *pools, tpl string) (string, []tag) {
	var b strings.Builder
	tags := []tag{}
	ctx := &slotContext{r: r, p: p}
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			break
		}
		j := strings.IndexByte(tpl[i:], '}')
		b.WriteString(tpl[:i])
		name := tpl[i+1 : i+j]
		tpl = tpl[i+j+1:]
		slot, ok := slots[name]
		if !ok {
			log.Fatalf("corpusgen: no slot %q", name)
		}
		text, parts := slot(ctx)
		base := b.Len()
		b.WriteString(text)
		for _, pt := range parts {
			k := strings.Index(text, pt.Text)
			if k < 0 {
				log.Fatalf("corpusgen: slot %s: %q not in %q", name, pt.Text, text)
			}
			tags = append(tags, tag{Type: pt.Type, Start: base + k, End: base + k + len(pt.Text), Text: pt.Text})
		}
	}
	return b.String(), tags
}

type part struct{ Type, Text string }

// slotContext keeps the patient of one text, so "{FIRST}" and "{LAST}"
// later in it name the same person.
type slotContext struct {
	r                *rand.Rand
	p                *pools
	first, last, sex string
}

func (c *slotContext) patient() (string, string) {
	if c.first == "" {
		c.first, c.last = pick(c.r, c.p.given), pick(c.r, c.p.surnames)
		c.sex = pick(c.r, []string{"male", "female"})
	}
	return c.first, c.last
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	if b[0] == '0' {
		b[0] = '4'
	}
	return string(b)
}

func letters(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + r.IntN(26))
	}
	return string(b)
}

var states = []string{"AL", "AZ", "CA", "CO", "CT", "FL", "GA", "IL", "IN", "KY", "LA", "MA", "MD", "MI", "MN", "MO", "NC", "NJ",
	"NM", "NV", "NY", "OH", "OK", "OR", "PA", "SC", "TN", "TX", "UT", "VA", "WA", "WI"}
var plainStates = []string{"AZ", "CA", "FL", "IL", "KY", "MN", "NC", "NJ", "NV", "NY", "OH", "TN", "TX", "WA", "WI"}
var stateNames = []string{"Ohio", "Texas", "Georgia", "Michigan", "Kentucky", "Oregon", "Arizona", "Tennessee", "Illinois", "Florida"}
var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var monAbbr = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var boroughs = []string{"Queens", "Brooklyn", "the Bronx", "Staten Island", "Harlem", "Flushing", "Astoria", "Bushwick", "Compton",
	"Roxbury", "Dorchester", "Anacostia", "Hialeah", "Inglewood", "Koreatown", "Bed-Stuy", "Canarsie", "Washington Heights"}
var relatives = []string{"wife", "husband", "daughter", "son", "mother", "father", "sister", "brother", "partner", "granddaughter"}
var streets = []string{"Street", "Avenue", "Road", "Lane", "Drive", "Court", "Blvd", "St", "Ave", "Rd", "Way", "Place"}
var facilityHeads = []string{"Medical Center", "Hospital", "Regional Medical Center", "Memorial Hospital", "General Hospital",
	"Community Hospital", "Health", "Health System", "Cancer Center", "Clinic", "Children's Hospital", "Rehabilitation Center"}

var slots = map[string]func(c *slotContext) (string, []part){
	"FULL": func(c *slotContext) (string, []part) {
		f, l := c.patient()
		return f + " " + l, []part{{"name", f + " " + l}}
	},
	"FIRST": func(c *slotContext) (string, []part) { f, _ := c.patient(); return f, []part{{"name", f}} },
	"FULL2": func(c *slotContext) (string, []part) {
		n := pick(c.r, c.p.given) + " " + pick(c.r, c.p.surnames)
		return n, []part{{"name", n}}
	},
	"REL2":    func(c *slotContext) (string, []part) { n := pick(c.r, c.p.given); return n, []part{{"name", n}} },
	"DIGITS7": func(c *slotContext) (string, []part) { v := digits(c.r, 7); return v, []part{{"account", v}} },
	"DIGITS8": func(c *slotContext) (string, []part) { v := digits(c.r, 8); return v, []part{{"mrn", v}} },
	"INS2": func(c *slotContext) (string, []part) {
		v := letters(c.r, 3) + digits(c.r, 7)
		return pick(c.r, []string{"BCBS ", "Aetna ", "Medicaid ", "UHC "}) + v, []part{{"health_plan", v}}
	},
	"LAST": func(c *slotContext) (string, []part) { _, l := c.patient(); return l, []part{{"name", l}} },
	"FIRSTINIT": func(c *slotContext) (string, []part) {
		f, l := c.patient()
		s := f + " " + l[:1] + "."
		return s, []part{{"name", s}}
	},
	"MR": func(c *slotContext) (string, []part) {
		_, l := c.patient()
		t := "Mr."
		if c.sex == "female" {
			t = pick(c.r, []string{"Mrs.", "Ms.", "Ms"})
		}
		return t + " " + l, []part{{"name", l}}
	},
	"SEX": func(c *slotContext) (string, []part) {
		c.patient()
		if c.sex == "male" {
			return pick(c.r, []string{"male", "man", "gentleman", "M"}), nil
		}
		return pick(c.r, []string{"female", "woman", "lady", "F"}), nil
	},
	"AGE": func(c *slotContext) (string, []part) { return fmt.Sprint(18 + c.r.IntN(70)), nil },
	"AGEY": func(c *slotContext) (string, []part) {
		return fmt.Sprintf(pick(c.r, []string{"%d-year-old", "%dyo", "%d y/o", "%d yo"}), 18+c.r.IntN(70)), nil
	},
	"OLD": func(c *slotContext) (string, []part) {
		s := fmt.Sprintf(pick(c.r, []string{"%d-year-old", "%d yo", "%d y/o"}), 90+c.r.IntN(15))
		return s, []part{{"age", s}}
	},
	"REL": func(c *slotContext) (string, []part) {
		n := pick(c.r, c.p.given)
		return pick(c.r, relatives) + " " + n, []part{{"name", n}}
	},
	"CITYST": func(c *slotContext) (string, []part) {
		var s string
		switch c.r.IntN(6) {
		case 0:
			s = pick(c.r, c.p.cities) + ", " + pick(c.r, stateNames)
		case 1:
			// A town no list has, as generated test data often names them.
			s = pick(c.r, []string{"", "", "Lake ", "Port ", "North ", "East ", "New "}) + pick(c.r, c.p.given) +
				pick(c.r, []string{"ville", "view", "side", "mouth", "borough", "burgh", "port", "ton", "field", "haven"}) +
				", " + pick(c.r, plainStates)
		default:
			s = pick(c.r, c.p.cities) + ", " + pick(c.r, states)
		}
		return s, []part{{"location", s}}
	},
	"CITY": func(c *slotContext) (string, []part) { s := pick(c.r, c.p.cities); return s, []part{{"location", s}} },
	"BORO": func(c *slotContext) (string, []part) {
		s := pick(c.r, boroughs)
		return s, []part{{"location", strings.TrimPrefix(s, "the ")}}
	},
	"COUNTY": func(c *slotContext) (string, []part) {
		s := pick(c.r, c.p.surnames) + " County"
		return s, []part{{"location", s}}
	},
	"FAC": func(c *slotContext) (string, []part) {
		var s string
		switch c.r.IntN(6) {
		case 0, 1:
			s = pick(c.r, c.p.facilities)
		case 2:
			s = "St. " + pick(c.r, c.p.given) + pick(c.r, []string{"'s Hospital", "'s Medical Center", "'s", " Hospital"})
		case 3:
			s = "Children's Hospital " + pick(c.r, []string{"of ", ""}) + pick(c.r, append(stateNames, c.p.cities...))
		default:
			s = pick(c.r, append(c.p.cities, c.p.surnames...)) + " " + pick(c.r, facilityHeads)
		}
		return s, []part{{"facility", s}}
	},
	"DOC": func(c *slotContext) (string, []part) {
		n := pick(c.r, c.p.given) + " " + pick(c.r, c.p.surnames)
		return "Dr. " + n, []part{{"clinician", n}}
	},
	"DOCLAST": func(c *slotContext) (string, []part) {
		n := pick(c.r, c.p.surnames)
		return "Dr. " + n, []part{{"clinician", n}}
	},
	"MRN": func(c *slotContext) (string, []part) {
		v := digits(c.r, 6+c.r.IntN(4))
		return pick(c.r, []string{"MRN ", "MRN: ", "MRN#", "MedRec# ", "medical record number "}) + v, []part{{"mrn", v}}
	},
	"MEDREC": func(c *slotContext) (string, []part) {
		v := digits(c.r, 8)
		return pick(c.r, []string{"MedRec# ", "MRN ", "Med Rec # "}) + v, []part{{"mrn", v}}
	},
	"SSN": func(c *slotContext) (string, []part) {
		v := fmt.Sprintf("%s-%s-%s", digits(c.r, 3), digits(c.r, 2), digits(c.r, 4))
		return "SSN " + v, []part{{"ssn", v}}
	},
	"PHONE": func(c *slotContext) (string, []part) {
		v := fmt.Sprintf(pick(c.r, []string{"(%s) %s-%s", "%s-%s-%s", "%s.%s.%s"}), "6"+digits(c.r, 2), "5"+digits(c.r, 2), digits(c.r, 4))
		return v, []part{{"phone", v}}
	},
	"EMAIL": func(c *slotContext) (string, []part) {
		f, l := c.patient()
		v := strings.ToLower(f+"."+l) + fmt.Sprint(c.r.IntN(90)+10) + pick(c.r, []string{"@gmail.com", "@yahoo.com", "@outlook.com"})
		return v, []part{{"email", v}}
	},
	"INS": func(c *slotContext) (string, []part) {
		v := letters(c.r, 2) + "-" + digits(c.r, 6)
		return fmt.Sprintf(pick(c.r, []string{"(Insurance: %s)", "insurance ID %s", "member ID: %s", "policy # %s", "HMO ID is %s", "subscriber %s"}), v), []part{{"health_plan", v}}
	},
	"HICN": func(c *slotContext) (string, []part) {
		v := digits(c.r, 9) + "A"
		return pick(c.r, []string{"HICN: ", "HICN ", "HBN: ", "Medicare number "}) + v, []part{{"health_plan", v}}
	},
	"IDNUM": func(c *slotContext) (string, []part) {
		v := digits(c.r, 2) + "-" + digits(c.r, 5)
		return pick(c.r, []string{"ID#: ", "ID# ", "ref. code: ", "reference number ", "case # ", "account # ", "Acct "}) + v, []part{{"patient_id", v}}
	},
	"DOB": func(c *slotContext) (string, []part) {
		v := fmt.Sprintf("%02d/%02d/%d", 1+c.r.IntN(12), 1+c.r.IntN(28), 1930+c.r.IntN(60))
		return pick(c.r, []string{"DOB ", "DOB: ", "born ", "date of birth "}) + v, []part{{"date", v}}
	},
	"DATE": func(c *slotContext) (string, []part) {
		m, d, y := 1+c.r.IntN(12), 1+c.r.IntN(28), 2015+c.r.IntN(10)
		var v string
		switch c.r.IntN(6) {
		case 0:
			v = fmt.Sprintf("%d/%d/%d", m, d, y)
		case 1:
			v = fmt.Sprintf("%d-%s-%d", d, monAbbr[m-1], y)
		case 2:
			v = fmt.Sprintf("%s %d, %d", monAbbr[m-1], d, y)
		case 3:
			v = fmt.Sprintf("%s %d", months[m-1], d)
		case 4:
			v = fmt.Sprintf("%d-%02d-%02d", y, m, d)
		default:
			v = fmt.Sprintf("%d %s %d", d, months[m-1], y)
		}
		return v, []part{{"date", v}}
	},
	"MONYR": func(c *slotContext) (string, []part) {
		v := fmt.Sprintf("%s %d", months[c.r.IntN(12)], 2010+c.r.IntN(15))
		return v, []part{{"date", v}}
	},
	"ADDR": func(c *slotContext) (string, []part) {
		v := fmt.Sprintf("%d %s %s", 10+c.r.IntN(9000), pick(c.r, c.p.surnames), pick(c.r, streets))
		return v, []part{{"address", v}}
	},
	// Hard negatives for the identifier-free texts.
	"DRUG":    func(c *slotContext) (string, []part) { return pick(c.r, drugs), nil },
	"EPONYM":  func(c *slotContext) (string, []part) { return pick(c.r, eponymTerms), nil },
	"SCORE":   func(c *slotContext) (string, []part) { return pick(c.r, scores), nil },
	"LAB":     func(c *slotContext) (string, []part) { return pick(c.r, labs), nil },
	"DUR":     func(c *slotContext) (string, []part) { return pick(c.r, durations), nil },
	"YEAR":    func(c *slotContext) (string, []part) { return fmt.Sprint(1995 + c.r.IntN(30)), nil },
	"CITYISH": func(c *slotContext) (string, []part) { return pick(c.r, cityLikeWords), nil },
	"NUM":     func(c *slotContext) (string, []part) { return fmt.Sprint(2 + c.r.IntN(60)), nil },
}
