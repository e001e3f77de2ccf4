package search

import (
	"fmt"
	"os"
	"testing"
)

// TestRankingTuning measures the default ranking and each change of one
// of its figures on both collections: nDCG@10 on the odd-numbered queries
// (which the defaults were chosen on) and the even-numbered ones (held
// out), each less textbook BM25's on the same queries, then nDCG@10 on
// all of them with its lead over BM25, and recall@100's lead. It only
// runs when asked (about ten minutes):
//
//	ROUNDS_IR_TUNE=1 go test -run TestRankingTuning -v ./search/
func TestRankingTuning(t *testing.T) {
	if os.Getenv("ROUNDS_IR_TUNE") == "" {
		t.Skip("set ROUNDS_IR_TUNE=1 to compare rankings")
	}
	type loaded struct {
		c irCollection
		x *Index
	}
	cols := []loaded{}
	{
		c := cranfieldCollection(t)
		cols = append(cols, loaded{c, loadCollection(t, c)})
	}
	if _, err := os.Stat("../../shared/data/ir/med/MED.ALL"); err == nil {
		c := medCollection(t)
		cols = append(cols, loaded{c, loadCollection(t, c)})
	}
	d := defaultRanking
	candidates := []struct {
		name string
		r    ranking
	}{{"default", d}}
	// Each change is made to the ranking of short and of long questions
	// alike.
	add := func(name string, change func(r *ranking)) {
		r := d
		change(&r)
		if d.long != nil {
			long := *d.long
			change(&long)
			r.long = &long
		}
		candidates = append(candidates, struct {
			name string
			r    ranking
		}{name, r})
	}
	candidates = append(candidates, struct {
		name string
		r    ranking
	}{"one ranking", func() ranking { r := d; r.long = nil; return r }()})
	add("tiers", func(r *ranking) { r.tiers = true })
	add("shard stats", func(r *ranking) { r.global = false })
	for _, k1 := range []float64{1.2, 2} {
		add(fmt.Sprintf("k1 %.1f", k1), func(r *ranking) { r.k1 = k1 })
	}
	for _, b := range []float64{0.6, 0.9} {
		add(fmt.Sprintf("b %.2f", b), func(r *ranking) { r.b = b })
	}
	for _, w := range []float64{0.5, 0.75} {
		add(fmt.Sprintf("title %.2f", w), func(r *ranking) { r.title = w })
	}
	for _, tb := range []float64{0, 0.5, 1} {
		add(fmt.Sprintf("titleB %.2f", tb), func(r *ranking) { r.titleB = tb })
	}
	add("near 0.25", func(r *ranking) { r.near = 0.25 })
	half := func(f irFigures, c irCollection, parity int) float64 {
		sum, n := 0.0, 0
		for _, q := range c.queries {
			if parity < 0 || q.id%2 == parity {
				sum += f.perQuery[q.id][0]
				n++
			}
		}
		return sum / float64(n)
	}
	for _, cand := range candidates {
		line := fmt.Sprintf("%-14s", cand.name)
		for _, l := range cols {
			l.x.ranking = cand.r
			for _, short := range []bool{false, true} {
				r := evaluate(t, l.x, l.c, short)
				kind := "long"
				if short {
					kind = "short"
				}
				line += fmt.Sprintf(" | %s %-5s tune %+.4f held %+.4f all %.4f (%+.4f) r %+.4f", l.c.name[:3], kind,
					half(r.ours, l.c, 1)-half(r.bm25, l.c, 1), half(r.ours, l.c, 0)-half(r.bm25, l.c, 0),
					r.ours.ndcg10, r.ours.ndcg10-r.bm25.ndcg10, r.ours.recall100-r.bm25.recall100)
			}
		}
		t.Log(line)
	}
}
