package phi

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"strings"
	"sync"
)

// The word list (see lexicon/NOTICE.md) is embedded compressed and
// unpacked once, on the first scan, into one string of sorted lines with an
// index of where each entry starts. A look-up is a binary search over
// substrings of that string and of the scanned text, so it allocates nothing.

//go:embed lexicon/lexicon.tsv.gz
var lexiconGz []byte

// What an entry is; an entry can be several things ("Jackson" is a given
// name, a surname, a city and a county).
const (
	lexGiven uint16 = 1 << iota
	lexGivenCommon
	lexSurname
	lexSurnameCommon
	lexCity
	lexCityMajor
	lexCounty
	lexState
	lexFacility
	lexDrug
	lexMedical
	lexWord
	lexPrefix
)

var lexLetters = [128]uint16{
	'g': lexGiven, 'G': lexGivenCommon, 's': lexSurname, 'S': lexSurnameCommon, 'c': lexCity, 'C': lexCityMajor,
	'k': lexCounty, 't': lexState, 'h': lexFacility, 'd': lexDrug, 'm': lexMedical, 'w': lexWord, 'p': lexPrefix,
}

type lexiconTable struct {
	text  string
	start []uint32
	keyN  []uint8
	flags []uint16
	// first[b0<<8|b1] is the first entry whose key starts with those two
	// bytes or later ones, so a search only looks at entries sharing them.
	first []uint32
}

var (
	lexOnce sync.Once
	lexTab  lexiconTable
)

func theLexicon() *lexiconTable {
	lexOnce.Do(func() { lexTab = loadLexicon(lexiconGz) })
	return &lexTab
}

// loadLexicon unpacks the list; a broken embedded file is a build defect,
// so it panics rather than scan without the list.
func loadLexicon(gz []byte) lexiconTable {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		panic("phi: read the embedded word list: " + err.Error())
	}
	var buf bytes.Buffer
	buf.Grow(len(gz) * 4)
	if _, err := io.Copy(&buf, zr); err != nil {
		panic("phi: unpack the embedded word list: " + err.Error())
	}
	text := buf.String()
	n := strings.Count(text, "\n")
	t := lexiconTable{text: text, start: make([]uint32, 0, n), keyN: make([]uint8, 0, n), flags: make([]uint16, 0, n)}
	for i := 0; i < len(text); {
		end := strings.IndexByte(text[i:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += i
		}
		tab := strings.IndexByte(text[i:end], '\t')
		if tab > 0 && tab < 256 {
			var f uint16
			for j := i + tab + 1; j < end; j++ {
				f |= lexLetters[text[j]&0x7f]
			}
			t.start = append(t.start, uint32(i))
			t.keyN = append(t.keyN, uint8(tab))
			t.flags = append(t.flags, f)
		}
		i = end + 1
	}
	t.first = make([]uint32, 1<<16+1)
	next := 0
	for p := 0; p <= 1<<16; p++ {
		for next < len(t.start) && prefix2(t.key(next)) < p {
			next++
		}
		t.first[p] = uint32(next)
	}
	return t
}

// prefix2 packs the first two bytes of a key (a one-byte key sorts before
// every longer key that starts with the same byte).
func prefix2(k string) int {
	if len(k) == 1 {
		return int(k[0]) << 8
	}
	return int(k[0])<<8 | int(k[1])
}

func (t *lexiconTable) key(i int) string {
	s := int(t.start[i])
	return t.text[s : s+int(t.keyN[i])]
}

// lookup returns what a lowercased entry is, or 0.
func (t *lexiconTable) lookup(key string) uint16 {
	if key == "" || len(key) > 255 {
		return 0
	}
	p := prefix2(key)
	lo, hi := int(t.first[p]), int(t.first[p+1])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.key(m) < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if i := lo; i < len(t.start) && t.key(i) == key {
		return t.flags[i]
	}
	return 0
}

// lexWordEnd returns the end of the word that starts at i in the lowered
// text: letters, with inner apostrophes, hyphens and periods ("o'brien",
// "st.", "wilkes-barre").
func lexWordEnd(lower string, i int) int {
	j := i
	for j < len(lower) {
		c := lower[j]
		switch {
		case isASCIILetter(c) || c >= 0x80:
			j++
		case (c == '\'' || c == '-') && j > i && j+1 < len(lower) && isASCIILetter(lower[j+1]):
			j++
		case c == '.' && j > i && j-i <= 3:
			// "St." "Mt." "Ft.": a short abbreviation keeps its period.
			return j + 1
		default:
			return j
		}
	}
	return j
}

// phrase finds the longest entry that starts at i in the lowered text and
// has one of the wanted flags; it returns its end and flags, or i and 0.
// Words of an entry are separated by one space.
func (t *lexiconTable) phrase(lower string, i int, want uint16, maxWords int) (int, uint16) {
	bestEnd, bestFlags := i, uint16(0)
	end := i
	for w := 0; w < maxWords; w++ {
		e := lexWordEnd(lower, end)
		if e == end {
			break
		}
		f := t.lookup(lower[i:e])
		if f == 0 && e > end && lower[e-1] == '.' {
			// "St." is an entry; "Jones." at the end of a sentence is "jones".
			e--
			f = t.lookup(lower[i:e])
		}
		if f&want != 0 {
			bestEnd, bestFlags = e, f
		}
		if f&lexPrefix == 0 || e+1 >= len(lower) || lower[e] != ' ' {
			break
		}
		end = e + 1
	}
	return bestEnd, bestFlags
}
