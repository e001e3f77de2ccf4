package digest_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"rounds/app/digest"
)

func TestExcerpt(t *testing.T) {
	long := "<p>" + strings.Repeat("anticoagulation ", 40) + "</p>"
	tests := []struct {
		name, cooked, want string
	}{
		{"text and entities", "<p>Halve it &amp; <em>check</em> anti-Xa.</p>", "Halve it & check anti-Xa."},
		{"blocks become spaces", "<p>First.</p><ul><li>one</li><li>two</li></ul>", "First. one two"},
		{"scripts dropped", "<p>Shown</p><script>alert(1)</script>", "Shown"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := digest.Excerpt(tt.cooked, 240); got != tt.want {
				t.Fatalf("Excerpt(%q) = %q, want %q", tt.cooked, got, tt.want)
			}
		})
	}
	got := digest.Excerpt(long, 100)
	if utf8.RuneCountInString(got) > 101 || !strings.HasSuffix(got, "anticoagulation…") {
		t.Fatalf("long excerpt %q: want at most 100 characters cut at a word, with an ellipsis", got)
	}
}
