package revdiff

import (
	"unicode"
	"unicode/utf8"
)

// tokenize splits markdown source into the units a reader sees change:
// words (letters, digits and marks, with an apostrophe, hyphen, point or
// comma inside them, so that "don't", "post-op" and "2.5" are one word),
// runs of spaces, each line break, and each other character, an emoji
// with its modifiers and joined parts counting as one. Chinese and
// Japanese characters, written without spaces, are a word each.
func tokenize(s string) []string {
	var tokens []string
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		j := i + size
		switch {
		case r == '\n':
		case isSpace(r):
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if !isSpace(r2) {
					break
				}
				j += n
			}
		case isIdeograph(r):
			j = skipAttached(s, j)
		case isWordRune(r):
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) && !isIdeograph(r2) || isAttached(r2) {
					j += n
					continue
				}
				if isInnerPunct(r2) {
					if r3, _ := utf8.DecodeRuneInString(s[j+n:]); j+n < len(s) && isWordRune(r3) && !isIdeograph(r3) {
						j += n
						continue
					}
				}
				break
			}
		default:
			j = skipAttached(s, j)
		}
		tokens = append(tokens, s[i:j])
		i = j
	}
	return tokens
}

// skipAttached moves past what belongs to the character before j: marks,
// variation selectors, emoji modifiers, and a zero-width joiner with the
// character it joins.
func skipAttached(s string, j int) int {
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		switch {
		case r == '\u200d':
			j += n
			if j < len(s) {
				_, n2 := utf8.DecodeRuneInString(s[j:])
				j += n2
			}
		case isAttached(r):
			j += n
		default:
			return j
		}
	}
	return j
}

func isAttached(r rune) bool {
	return unicode.Is(unicode.M, r) || r >= 0xfe00 && r <= 0xfe0f || r >= 0x1f3fb && r <= 0x1f3ff || r >= 0xe0020 && r <= 0xe007f
}

func isSpace(r rune) bool { return r != '\n' && unicode.IsSpace(r) }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

func isIdeograph(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

func isInnerPunct(r rune) bool {
	return r == '\'' || r == '’' || r == '-' || r == '.' || r == ','
}

// isSpaceToken says whether a token is white space or a line break.
func isSpaceToken(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return r == '\n' || isSpace(r)
}
