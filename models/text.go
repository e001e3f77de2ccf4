package models

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanText is s as Rounds keeps text, in the database and on its pages:
// bytes that are not UTF-8 become U+FFFD and control characters other than
// tab, line feed and carriage return are taken out. PostgreSQL refuses a
// NUL outright, and the others have no place in what members read. ok is
// false when anything was changed.
func CleanText(s string) (clean string, ok bool) {
	if utf8.ValidString(s) && strings.IndexFunc(s, refusedRune) < 0 {
		return s, true
	}
	return strings.Map(func(r rune) rune {
		if refusedRune(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD")), false
}

func refusedRune(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
}
