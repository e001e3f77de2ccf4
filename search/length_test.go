package search

import (
	"fmt"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

// measured is what measuring x's open index finds now.
func measured(t *testing.T, x *Index) lengthFigures {
	t.Helper()
	docs, err := x.current.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	f, err := measureLength(x.current, docs)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// kept is what x's open index keeps under keyLength.
func kept(t *testing.T, x *Index) (lengthFigures, bool) {
	t.Helper()
	raw, err := x.internal(keyLength)
	if err != nil {
		t.Fatal(err)
	}
	return decodeLength(raw)
}

// The average lengths BM25 needs are measured by reading every term's
// count, which maps pages of the whole index into the server's memory: a
// rebuild keeps them in the index, a server reads them from there, and
// figures a server measures again go into the index with its next batch.
func TestAverageLengthsAreKeptInTheIndex(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		w := newWorld(t, store)
		write := func(n int) {
			for i := range n {
				topic, _ := w.topic(t, w.board, fmt.Sprintf("Syncope workup %d", i), "Tilt table after a normal echo and Holter.")
				w.reply(t, topic, fmt.Sprintf("Reply %d: orthostatic vitals first, then consider an implantable loop recorder.", i))
			}
		}
		write(10)
		x := w.open(t) // built here, with twenty posts
		want := measured(t, x)
		if got, ok := kept(t, x); !ok || got != want {
			t.Fatalf("the rebuilt index keeps %+v (%v), want %+v", got, ok, want)
		}

		// A server reads the kept figures rather than measuring: made up
		// ones show it.
		madeUp := lengthFigures{docs: want.docs, avg: 7.25, avgT: 3.5}
		if err := x.current.SetInternal(keyLength, madeUp.encode()); err != nil {
			t.Fatal(err)
		}
		x.Close()
		x = w.reopen(t)
		if avg, avgT := x.averageLength(); avg != madeUp.avg || avgT != madeUp.avgT {
			t.Fatalf("averageLength %v, %v; want the kept %v, %v", avg, avgT, madeUp.avg, madeUp.avgT)
		}

		// Past a tenth more posts, the figures are measured again, and the
		// tailer keeps them at its next pass, with nothing new to apply.
		write(2)
		w.catchUp(t)
		grown := measured(t, x)
		if avg, avgT := x.averageLength(); avg != grown.avg || avgT != grown.avgT {
			t.Fatalf("averageLength after growth %v, %v; want %+v", avg, avgT, grown)
		}
		if got, _ := kept(t, x); got != madeUp {
			t.Fatalf("kept %+v before the tailer's next pass, want still %+v", got, madeUp)
		}
		w.catchUp(t)
		if got, ok := kept(t, x); !ok || got != grown {
			t.Fatalf("after the tailer's next pass the index keeps %+v (%v), want %+v", got, ok, grown)
		}
		if x.lengthUnsaved() {
			t.Error("the figures the tailer kept are not marked saved")
		}
		// A batch of posts carries figures measured again, too.
		write(3)
		w.catchUp(t)
		regrown := measured(t, x)
		if avg, avgT := x.averageLength(); avg != regrown.avg || avgT != regrown.avgT {
			t.Fatalf("averageLength after more growth %v, %v; want %+v", avg, avgT, regrown)
		}
		write(1)
		w.catchUp(t)
		if got, ok := kept(t, x); !ok || got != regrown {
			t.Fatalf("after the next batch of posts the index keeps %+v (%v), want %+v", got, ok, regrown)
		}

		// Kept figures for a count of posts far from the index's are not
		// used.
		stale := lengthFigures{docs: grown.docs * 2, avg: 7.25, avgT: 3.5}
		if err := x.current.SetInternal(keyLength, stale.encode()); err != nil {
			t.Fatal(err)
		}
		x.Close()
		x = w.reopen(t)
		now := measured(t, x)
		if avg, avgT := x.averageLength(); avg != now.avg || avgT != now.avgT {
			t.Fatalf("averageLength with stale kept figures %v, %v; want the measured %+v", avg, avgT, now)
		}
	})
}

func TestLengthFiguresRoundTrip(t *testing.T) {
	f := lengthFigures{docs: 1_000_000, avg: 39.903788, avgT: 5.386280000000001}
	got, ok := decodeLength(f.encode())
	if !ok || got != f {
		t.Fatalf("decode(encode(%+v)) = %+v, %v", f, got, ok)
	}
	for _, bad := range []string{"", "1 2", "0 5 5", "10 0.5 2", "10 NaN 2", "x 5 5", "10 5 5 5"} {
		if _, ok := decodeLength([]byte(bad)); ok {
			t.Errorf("decodeLength(%q) accepted", bad)
		}
	}
}
