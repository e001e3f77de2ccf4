package models_test

import (
	"testing"

	"rounds/models"
)

func TestCleanText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Heparin 5,000 units — twice daily", "Heparin 5,000 units — twice daily"},
		{"tab and line breaks stay", "a\tb\r\nc\n", "a\tb\r\nc\n"},
		{"NUL", "Hep\x00arin", "Heparin"},
		{"escape and DEL", "\x1b[31mred\x7f", "[31mred"},
		{"C1 control", "next\u0085line", "nextline"},
		{"bytes that are not UTF-8", "Hep\xff\xfearin", "Hep\ufffdarin"},
		{"a replacement character is text", "Hep\ufffdarin", "Hep\ufffdarin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := models.CleanText(tc.in)
			if got != tc.want || ok != (tc.in == tc.want) {
				t.Fatalf("CleanText(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.in == tc.want)
			}
		})
	}
}
