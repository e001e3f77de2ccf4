package markdown

import (
	"slices"
	"testing"
)

func TestMentions(t *testing.T) {
	r := New()
	for _, tc := range []struct {
		source string
		want   []string
	}{
		{"Thanks @okafor, agreed.", []string{"okafor"}},
		{"@weber and @okafor and @weber again", []string{"weber", "okafor"}},
		{"@Okafor", []string{"okafor"}},
		{"Mail me at jane@hospital.org", nil},
		{"`@okafor` in code", nil},
		{"```\n@okafor\n```", nil},
		{"**@okafor** in bold, _@weber_ too", []string{"okafor", "weber"}},
		{"[@okafor](https://example.org/okafor)", []string{"okafor"}},
		{"@ab is too short", nil},
		{"line one\n@okafor on line two", []string{"okafor"}},
		{"> quoting @weber", []string{"weber"}},
		{"no mention", nil},
		{"@a1 @b2 @c3_ @d4_ @e5_ @f6_ @g7_ @h8_ @i9_ @j10 @k11 @l12", []string{"c3_", "d4_", "e5_", "f6_", "g7_", "h8_", "i9_", "j10", "k11", "l12"}},
	} {
		res, err := r.Render(tc.source)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Mentions; !slices.Equal(got, tc.want) {
			t.Errorf("Mentions(%q) = %q, want %q", tc.source, got, tc.want)
		}
	}
}
