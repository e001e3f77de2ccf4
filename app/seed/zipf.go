package seed

import "math"

// aliasTable draws index k from a fixed discrete distribution in constant
// time with a single 64-bit random number (Vose's alias method). Seeding a
// million posts draws tens of millions of words, so a binary search per word
// would already be a noticeable share of the budget.
type aliasTable struct {
	accept []uint32 // keep column i when the low 32 random bits are below accept[i]
	alias  []uint32 // otherwise take alias[i]
}

func newAliasTable(weights []float64) aliasTable {
	n := len(weights)
	if n == 0 {
		panic("seed: alias table needs at least one weight")
	}
	var sum float64
	for _, w := range weights {
		sum += w
	}
	scaled := make([]float64, n)
	small := make([]int, 0, n)
	large := make([]int, 0, n)
	for i, w := range weights {
		scaled[i] = w * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	t := aliasTable{accept: make([]uint32, n), alias: make([]uint32, n)}
	for len(small) > 0 && len(large) > 0 {
		s := small[len(small)-1]
		small = small[:len(small)-1]
		l := large[len(large)-1]
		t.accept[s] = uint32(scaled[s] * (1 << 32))
		t.alias[s] = uint32(l)
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// Whatever is left is 1 up to rounding error: always keep it.
	for _, i := range append(small, large...) {
		t.accept[i] = math.MaxUint32
		t.alias[i] = uint32(i)
	}
	return t
}

// pick maps one uniform random number to an index: the high half chooses
// the column, the low half decides between the column and its alias.
func (t *aliasTable) pick(r uint64) int {
	i := (r >> 32) * uint64(len(t.accept)) >> 32
	if uint32(r) < t.accept[i] {
		return int(i)
	}
	return int(t.alias[i])
}

// zipfWeights gives rank k (0-based) the weight 1/(k+1)^s, the power law
// word frequencies follow in natural text.
func zipfWeights(n int, s float64) []float64 {
	w := make([]float64, n)
	for k := range w {
		w[k] = 1 / math.Pow(float64(k+1), s)
	}
	return w
}

// wordList is a list of interchangeable terms ordered from most to least
// common, drawn with Zipf frequency.
type wordList struct {
	words []string
	table aliasTable
}

func newWordList(s float64, words []string) *wordList {
	return &wordList{words: words, table: newAliasTable(zipfWeights(len(words), s))}
}

func (l *wordList) pick(r uint64) string {
	return l.words[l.table.pick(r)]
}
