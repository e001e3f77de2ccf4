package phi

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Running every pattern over the whole post is far too slow for a composer
// that scans as the author types: Go's regexp has no literal prefix to skip
// ahead with when a pattern starts with a class or a case-insensitive word.
// Instead the scanner finds where a pattern can start — a run of digits, a
// label word, a capitalised word — with plain byte loops and strings.Index,
// and runs each pattern, anchored with ^, on a short window from there.

// digitRun is a run of ASCII digits that starts a word.
type digitRun struct{ start, end int }

// digitRuns lists the runs of digits that begin at a word boundary
// ("A-1234" yes, "NCT0428" no).
func digitRuns(text string) []digitRun {
	var runs []digitRun
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if i == 0 || !isWordByte(text[i-1]) {
			runs = append(runs, digitRun{i, j})
		}
		i = j
	}
	return runs
}

func isWordByte(c byte) bool { return isDigit(c) || isASCIILetter(c) || c == '_' }

// wordIndex maps the first two bytes of every word in the lowercased text
// to where those words start, so a label can be looked up without a pass
// over the whole text per label.
type wordIndex map[[2]byte][]int

func indexWords(lower string) wordIndex {
	idx := make(wordIndex, 64)
	for i := 0; i+1 < len(lower); i++ {
		c := lower[i]
		if (i > 0 && isWordByte(lower[i-1])) || !(isASCIILetter(c) || c >= 0x80) {
			continue
		}
		k := [2]byte{c, lower[i+1]}
		idx[k] = append(idx[k], i)
	}
	return idx
}

// wordStarts returns where any of the lowercase roots starts a word, sorted
// and without repeats. Roots are at least two bytes long.
func (d doc) wordStarts(roots []string) []int {
	var at []int
	for _, r := range roots {
		for _, p := range d.words[[2]byte{r[0], r[1]}] {
			if strings.HasPrefix(d.lower[p:], r) {
				at = append(at, p)
			}
		}
	}
	if len(at) < 2 {
		return at
	}
	sort.Ints(at)
	out := at[:1]
	for _, p := range at[1:] {
		if p != out[len(out)-1] {
			out = append(out, p)
		}
	}
	return out
}

// anchored runs re (which starts with ^) on the window of text that begins
// at pos and returns its submatch offsets in text, or nil.
func anchored(re *regexp.Regexp, text string, pos, window int) []int {
	end := pos + window
	if end > len(text) {
		end = len(text)
	}
	m := re.FindStringSubmatchIndex(text[pos:end])
	if m == nil {
		return nil
	}
	for i := range m {
		if m[i] >= 0 {
			m[i] += pos
		}
	}
	return m
}

// endingAt runs re (which ends with $) on the window of text that ends at
// pos and returns its submatch offsets in text, or nil.
func endingAt(re *regexp.Regexp, text string, pos, window int) []int {
	start := pos - window
	if start < 0 {
		start = 0
	}
	m := re.FindStringSubmatchIndex(text[start:pos])
	if m == nil {
		return nil
	}
	for i := range m {
		if m[i] >= 0 {
			m[i] += start
		}
	}
	return m
}

// capitalStarts lists the words that start with a capital letter.
func capitalStarts(text string) []int {
	var at []int
	prevWord := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		isLetter := unicode.IsLetter(r) || r == '\'' || r == '’'
		if !prevWord && unicode.IsUpper(r) {
			at = append(at, i)
		}
		prevWord = isLetter || (r < utf8.RuneSelf && isDigit(byte(r)))
		i += size
	}
	return at
}

// digitsAhead counts the digits from pos on, across the separators a phone
// or card number uses, stopping at anything else or after limit bytes.
func digitsAhead(text string, pos, limit int) int {
	n := 0
	for i := pos; i < len(text) && i < pos+limit; i++ {
		c := text[i]
		switch {
		case isDigit(c):
			n++
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+' || c == '/':
		default:
			return n
		}
	}
	return n
}
