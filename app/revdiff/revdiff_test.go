package revdiff

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func del(s string) string {
	return `<del><span class="visually-hidden">removed: </span>` + s + `<span class="visually-hidden"> end removed</span></del>`
}

func ins(s string) string {
	return `<ins><span class="visually-hidden">added: </span>` + s + `<span class="visually-hidden"> end added</span></ins>`
}

// TestCompare checks the HTML for the edits authors make, escaping and
// scripts other than Latin included.
func TestCompare(t *testing.T) {
	tests := []struct {
		name           string
		old, new       string
		want           string
		added, removed int
	}{
		{"unchanged", "Give 2.5 mg IV.\nReview at 6 h.", "Give 2.5 mg IV.\nReview at 6 h.", "Give 2.5 mg IV.\nReview at 6 h.", 0, 0},
		{"both empty", "", "", "", 0, 0},
		{"a dose changed", "Give 2.5 mg IV.", "Give 5 mg IV.", "Give " + del("2.5") + ins("5") + " mg IV.", 1, 1},
		{"a word added", "Review at 6 h.", "Review again at 6 h.", "Review " + ins("again ") + "at 6 h.", 1, 0},
		{"a word removed", "Stop the thiazide now.", "Stop the thiazide.", "Stop the thiazide" + del(" now") + ".", 0, 1},
		{"from nothing", "", "New text", ins("New text"), 2, 0},
		{"to nothing", "Old text", "", del("Old text"), 0, 2},
		{"a rewritten phrase is one change", "the cat sat on the mat", "a dog sat on a rug",
			del("the cat") + ins("a dog") + " sat on " + del("the mat") + ins("a rug"), 4, 4},
		{"one word between changes is swallowed", "start low dose now", "begin high dose today",
			del("start low dose now") + ins("begin high dose today"), 4, 4},
		{"line breaks are kept", "Plan:\n- fluids\n- review", "Plan:\n- fluids\n- antibiotics\n- review",
			"Plan:\n- fluids\n- " + ins("antibiotics\n- ") + "review", 1, 0},
		{"a change never crosses a line it did not touch", "one two\nkeep\nthree four", "uno dos\nkeep\ntres cuatro",
			del("one two") + ins("uno dos") + "\nkeep\n" + del("three four") + ins("tres cuatro"), 4, 4},
		{"a joined line shows its line break", "first\nsecond", "first second", "first" + del("¶\n") + ins("·") + "second", 0, 0},
		{"script in the old version", "Fine <script>alert(1)</script>", "Fine",
			"Fine" + del(" &lt;script&gt;alert(1)&lt;/script&gt;"), 0, 4},
		{"script in the new version", "Fine", "Fine <img src=x onerror=alert(1)>",
			"Fine" + ins(" &lt;img src=x onerror=alert(1)&gt;"), 6, 0},
		{"markup in both", "<b>bold</b> & \"quoted\"", "<b>bold</b> & 'quoted'",
			"&lt;b&gt;bold&lt;/b&gt; &amp; " + del("&#34;quoted&#34;") + ins("&#39;quoted&#39;"), 1, 1},
		{"accents", "Überweisung an Kardiologie", "Überweisung an Nephrologie", "Überweisung an " + del("Kardiologie") + ins("Nephrologie"), 1, 1},
		{"Japanese", "患者は回復した", "患者は死亡した", "患者は" + del("回復") + ins("死亡") + "した", 2, 2},
		{"Arabic", "الجرعة ٥ ملغ", "الجرعة ١٠ ملغ", "الجرعة " + del("٥") + ins("١٠") + " ملغ", 1, 1},
		{"emoji stay whole", "Thanks 👩\u200d⚕️", "Thanks 👨\u200d⚕️", "Thanks " + del("👩\u200d⚕️") + ins("👨\u200d⚕️"), 0, 0},
		{"markdown link changed", "See [trial](https://doi.org/10.1/a).", "See [trial](https://doi.org/10.1/b).",
			"See [trial](https://doi.org/10.1/" + del("a") + ins("b") + ").", 1, 1},
		{"CRLF is a line break", "a\r\nb", "a\nb", "a\nb", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Compare(tt.old, tt.new)
			if string(d.HTML) != tt.want {
				t.Errorf("HTML\n got %q\nwant %q", d.HTML, tt.want)
			}
			if d.Added != tt.added || d.Removed != tt.removed {
				t.Errorf("added %d, removed %d; want %d, %d", d.Added, d.Removed, tt.added, tt.removed)
			}
			if d.Level != ByWord {
				t.Errorf("level %v, want ByWord", d.Level)
			}
			if d.Unchanged() != (tt.old == tt.new || tt.name == "CRLF is a line break") {
				t.Errorf("Unchanged() = %v", d.Unchanged())
			}
		})
	}
}

// TestCompareNeverLetsMarkupThrough compares texts full of markup and
// checks that the only tags in the HTML are the diff's own.
func TestCompareNeverLetsMarkupThrough(t *testing.T) {
	pieces := []string{"<script>", "</del>", "<ins>", "&amp;", "\"", "'", "<", ">", "&", "word", " ", "\n", "<!--", "]]>", "<span class=\"visually-hidden\">"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		var a, b strings.Builder
		for range 30 {
			a.WriteString(pieces[rng.IntN(len(pieces))])
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		h := string(Compare(a.String(), b.String()).HTML)
		rest := h
		for _, tag := range []string{`<del><span class="visually-hidden">removed: </span>`, `<span class="visually-hidden"> end removed</span></del>`,
			`<ins><span class="visually-hidden">added: </span>`, `<span class="visually-hidden"> end added</span></ins>`} {
			rest = strings.ReplaceAll(rest, tag, "")
		}
		if strings.ContainsAny(rest, "<>\"'") {
			t.Fatalf("case %d: markup got through:\n%q\n%q\n→ %s", i, a.String(), b.String(), h)
		}
		if strings.Count(h, "<del>") != strings.Count(h, "</del>") || strings.Count(h, "<ins>") != strings.Count(h, "</ins>") {
			t.Fatalf("case %d: unbalanced tags: %s", i, h)
		}
	}
}

// TestCompareHugeEdits checks that a post rewritten past MaxEdits is shown
// line by line, and past that whole, and still says everything that
// changed.
func TestCompareHugeEdits(t *testing.T) {
	para := func(prefix string, lines, words int) string {
		var b strings.Builder
		for l := range lines {
			for w := range words {
				fmt.Fprintf(&b, "%s%d-%d ", prefix, l, w)
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	shared := "An unchanged first line.\n"

	// 2,000 words changed on 100 lines, one line kept in the middle.
	old := shared + para("old", 50, 20) + "KEPT LINE\n" + para("was", 50, 20)
	new := shared + para("new", 50, 20) + "KEPT LINE\n" + para("now", 50, 20)
	d := Compare(old, new)
	if d.Level != ByLine {
		t.Fatalf("level %v, want ByLine", d.Level)
	}
	h := string(d.HTML)
	if !strings.HasPrefix(h, shared) || !strings.Contains(h, "</ins>KEPT LINE\n<del>") {
		t.Errorf("unchanged lines not kept out of the changes: %.300s", h)
	}
	if d.Added != 2000 || d.Removed != 2000 {
		t.Errorf("added %d, removed %d; want 2000 each", d.Added, d.Removed)
	}

	// 1,200 lines changed: too many even for lines.
	old = shared + para("old", 1200, 1)
	new = shared + para("new", 1200, 1)
	d = Compare(old, new)
	if d.Level != Whole {
		t.Fatalf("level %v, want Whole", d.Level)
	}
	want := shared + del(strings.TrimSuffix(para("old", 1200, 1), " \n")) + ins(strings.TrimSuffix(para("new", 1200, 1), " \n")) + " \n"
	if string(d.HTML) != want {
		t.Errorf("whole: %.200s…", d.HTML)
	}
}

// TestMyersIsShortest checks the edit script against the longest common
// subsequence found by dynamic programming, and that it turns a into b.
func TestMyersIsShortest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 500 {
		a := make([]int32, rng.IntN(30))
		b := make([]int32, rng.IntN(30))
		for j := range a {
			a[j] = int32(rng.IntN(4))
		}
		for j := range b {
			b[j] = int32(rng.IntN(4))
		}
		ops, ok := myers(a, b, len(a)+len(b))
		if !ok {
			t.Fatalf("case %d: no script", i)
		}
		var gotA, gotB []int32
		edits := 0
		for _, o := range ops {
			switch o.kind {
			case opEqual:
				if a[o.a] != b[o.b] {
					t.Fatalf("case %d: equal op on %d != %d", i, a[o.a], b[o.b])
				}
				gotA, gotB = append(gotA, a[o.a]), append(gotB, b[o.b])
			case opRemove:
				gotA = append(gotA, a[o.a])
				edits++
			case opAdd:
				gotB = append(gotB, b[o.b])
				edits++
			}
		}
		if !reflect.DeepEqual(nilIfEmpty(gotA), nilIfEmpty(a)) || !reflect.DeepEqual(nilIfEmpty(gotB), nilIfEmpty(b)) {
			t.Fatalf("case %d: script does not rebuild the sequences", i)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); edits != want {
			t.Fatalf("case %d: %d edits, shortest is %d", i, edits, want)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); want > 0 {
			if _, ok := myers(a, b, want-1); ok {
				t.Fatalf("case %d: a script within %d edits, shortest is %d", i, want-1, want)
			}
		}
	}
}

func nilIfEmpty(s []int32) []int32 {
	if len(s) == 0 {
		return nil
	}
	return s
}

func lcs(a, b []int32) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Give 2.5 mg, don't stop post-op.", []string{"Give", " ", "2.5", " ", "mg", ",", " ", "don't", " ", "stop", " ", "post-op", "."}},
		{"a  \tb\n\nc", []string{"a", "  \t", "b", "\n", "\n", "c"}},
		{"**bold** _x_", []string{"*", "*", "bold", "*", "*", " ", "_x_"}},
		{"1,000 mg/kg", []string{"1,000", " ", "mg", "/", "kg"}},
		{"患者は", []string{"患", "者", "は"}},
		{"naïve café", []string{"naïve", " ", "café"}},
		{"e\u0301t\u00e9", []string{"e\u0301t\u00e9"}},
		{"👍🏽ok 👩\u200d⚕️!", []string{"👍🏽", "ok", " ", "👩\u200d⚕️", "!"}},
		{"🇫🇷", []string{"🇫", "🇷"}},
		{"end.", []string{"end", "."}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := tokenize(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	var old, new strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&old, "word%d ", i)
		if i%10 == 0 {
			fmt.Fprintf(&new, "changed%d ", i)
		} else {
			fmt.Fprintf(&new, "word%d ", i)
		}
		if i%15 == 0 {
			old.WriteString("\n")
			new.WriteString("\n")
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		Compare(old.String(), new.String())
	}
}

// BenchmarkCompareRewrite compares two unrelated posts of the longest
// size the composer takes (32,000 characters): the word-level comparison
// gives up at MaxEdits and the line-level one finishes.
func BenchmarkCompareRewrite(b *testing.B) {
	post := func(prefix string) string {
		var s strings.Builder
		for i := 0; s.Len() < 32000; i++ {
			fmt.Fprintf(&s, "%s%d ", prefix, i)
			if i%12 == 11 {
				s.WriteString("\n")
			}
		}
		return s.String()[:32000]
	}
	old, new := post("alpha"), post("beta")
	b.ReportAllocs()
	for b.Loop() {
		Compare(old, new)
	}
}
