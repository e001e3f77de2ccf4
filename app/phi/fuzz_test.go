package phi

import (
	"testing"
	"unicode/utf8"
)

// Scan runs on whatever an author types: it must not panic, and its
// findings must point at the text they quote, in order, without overlap.
func FuzzScan(f *testing.F) {
	for _, seed := range []string{
		"Pt: Maria Garcia, MRN 48213377, DOB 03/14/1932, (617) 555-0142",
		"Billing address: Ana Dias\n    31401 ul. Słowicza 10 Apt. 360\n   Wrocław\n    53-320",
		"a 92-year-old, aged 95, age: 101, 3/14, 2024-01-05 10:30:00, Jan 5",
		"GB82 WEST 1234 5698 7654 32 4111 1111 1111 1111 123-45-6789 ::1 fe80::1:2:3",
		"https://www.instagram.com/x/ jane@example.org 10.0.0.1",
		"Mr. \nMrs.", "patient", "1", "(", "+", "@", "::", "DOB", "12 Elm", "Strasse 1", "Finland 12345\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		prevEnd := 0
		for _, g := range Scan(text) {
			if g.Start < prevEnd || g.End <= g.Start || g.End > len(text) {
				t.Fatalf("bad offsets %d-%d (previous end %d) in %q", g.Start, g.End, prevEnd, text)
			}
			if text[g.Start:g.End] != g.Text {
				t.Fatalf("finding %+v does not quote the text", g)
			}
			if utf8.ValidString(text) && !utf8.ValidString(g.Text) {
				t.Fatalf("finding %+v cuts a character in half", g)
			}
			if g.Confidence != High && g.Confidence != Low || g.Reason == "" || g.Type == "" {
				t.Fatalf("incomplete finding %+v", g)
			}
			prevEnd = g.End
		}
	})
}
