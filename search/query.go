// Package search is Rounds' full-text search: the query language members
// type, and (to come) the Bleve index derived from the database's search
// outbox.
package search

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Query is a parsed search: what must match, what must not, and the
// filters. The zero value matches nothing.
type Query struct {
	Words    []string  // all must match (stemmed and expanded with medical synonyms when searched)
	Phrases  []string  // each must match as written, in order
	Excluded []string  // words or phrases that must not match
	Board    string    // board slug
	Author   string    // username, without the @
	Kind     string    // discussion, podcast or case
	Tags     []string  // every tag must be on the topic
	Before   time.Time // matches were written before this time
	After    time.Time // matches were written at or after this time
	InTitle  bool      // match titles only
	Order    string    // relevance (default) or newest
	// States are what a topic must be (StateAnswered, StateOutcome), from
	// is:answered and has:outcome; NotStates what it must not be, from
	// is:unanswered, -is:answered and -has:outcome.
	States    []string
	NotStates []string
	// InConsults searches the member's own private consults instead of
	// the boards: words and phrases only. Consults are never indexed;
	// the app searches them in the database from the member's place in
	// each (models.Store.SearchConsults).
	InConsults bool
}

// Topic states a search can ask for.
const (
	StateAnswered = "answered" // a reply is marked as the topic's answer
	StateOutcome  = "outcome"  // a case topic's outcome is posted
)

// Empty says whether the query asks for nothing to match.
func (q Query) Empty() bool {
	return len(q.Words) == 0 && len(q.Phrases) == 0 && q.Board == "" && q.Author == "" &&
		q.Kind == "" && len(q.Tags) == 0 && q.Before.IsZero() && q.After.IsZero() &&
		len(q.States) == 0 && len(q.NotStates) == 0
}

// SyntaxError says what is wrong with a query, in words to show the member.
type SyntaxError struct {
	Message string
}

func (e *SyntaxError) Error() string { return e.Message }

func syntaxError(format string, args ...any) error {
	return &SyntaxError{Message: fmt.Sprintf(format, args...)}
}

// maxQuery bounds what one search may ask for.
const (
	maxQueryBytes = 500
	maxTerms      = 32
)

// Parse reads the query language: words (all must match), "exact
// phrases", -excluded words or "phrases", board:slug, @author,
// kind:podcast|case|discussion, tag:x, before:/after: dates (YYYY-MM-DD,
// YYYY-MM or YYYY), in:title, in:consults, order:relevance|newest,
// is:answered or is:unanswered, and has:outcome (the last two excluded
// with a -).
func Parse(input string) (Query, error) {
	var q Query
	if len(input) > maxQueryBytes {
		return q, syntaxError("The search is too long: keep it under %d characters.", maxQueryBytes)
	}
	if !utf8.ValidString(input) {
		return q, syntaxError("The search contains characters that are not valid text.")
	}
	terms := 0
	rest := strings.TrimSpace(input)
	for rest != "" {
		terms++
		if terms > maxTerms {
			return q, syntaxError("The search has too many parts: use at most %d words, phrases and filters.", maxTerms)
		}
		negate := false
		if rest[0] == '-' && len(rest) > 1 && !unicode.IsSpace(rune(rest[1])) {
			negate, rest = true, rest[1:]
		}
		if rest[0] == '"' {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return q, syntaxError("A phrase is missing its closing quote: %s", rest)
			}
			phrase := strings.Join(strings.Fields(rest[1:end+1]), " ")
			rest = strings.TrimSpace(rest[end+2:])
			if phrase == "" {
				continue
			}
			if negate {
				q.Excluded = append(q.Excluded, strings.ToLower(phrase))
			} else {
				q.Phrases = append(q.Phrases, strings.ToLower(phrase))
			}
			continue
		}
		token, after, _ := strings.Cut(rest, " ")
		rest = strings.TrimSpace(after)
		if err := q.term(token, negate); err != nil {
			return q, err
		}
	}
	if q.InConsults && (q.Board != "" || q.Author != "" || q.Kind != "" || len(q.Tags) > 0 || q.InTitle ||
		!q.Before.IsZero() || !q.After.IsZero() || len(q.Excluded) > 0) {
		return q, syntaxError("in:consults searches your consults for words and \"phrases\" only; leave out the other filters.")
	}
	if !q.Before.IsZero() && !q.After.IsZero() && !q.After.Before(q.Before) {
		return q, syntaxError("after: must come before before:, or nothing can match.")
	}
	return q, nil
}

func (q *Query) term(token string, negate bool) error {
	if strings.HasPrefix(token, "@") {
		if negate {
			return syntaxError("Excluding an author (-@…) is not supported; search for what you want instead.")
		}
		name := strings.ToLower(token[1:])
		if !validName(name) {
			return syntaxError("“%s” is not a username: use @ followed by letters, digits and underscores.", token)
		}
		q.Author = name
		return nil
	}
	if key, value, ok := strings.Cut(token, ":"); ok && isFilter(key) {
		if k := strings.ToLower(key); k == "is" || k == "has" {
			return q.state(k, strings.ToLower(value), negate)
		}
		if negate {
			return syntaxError("Filters cannot be excluded: “-%s” is not supported.", token)
		}
		return q.filter(strings.ToLower(key), value)
	}
	word := strings.ToLower(strings.Trim(token, ".,;!?()[]{}"))
	if word == "" {
		return nil
	}
	if negate {
		q.Excluded = append(q.Excluded, word)
	} else {
		q.Words = append(q.Words, word)
	}
	return nil
}

var filters = map[string]bool{"board": true, "kind": true, "tag": true, "before": true, "after": true, "in": true,
	"order": true, "is": true, "has": true}

func isFilter(key string) bool { return filters[strings.ToLower(key)] }

func (q *Query) filter(key, value string) error {
	value = strings.ToLower(value)
	if value == "" {
		return syntaxError("%s: needs a value, such as %s", key, examples[key])
	}
	switch key {
	case "board":
		if !validName(strings.ReplaceAll(value, "-", "_")) {
			return syntaxError("“%s” is not a board address; use board: with the name in the board's link, such as board:cardiology.", value)
		}
		q.Board = value
	case "kind":
		switch value {
		case "discussion", "podcast", "case":
			q.Kind = value
		default:
			return syntaxError("kind: is discussion, podcast or case, not “%s”.", value)
		}
	case "tag":
		if !validName(strings.ReplaceAll(value, "-", "_")) {
			return syntaxError("“%s” is not a tag; tags are lower-case words, such as tag:anticoagulation.", value)
		}
		q.Tags = append(q.Tags, value)
	case "before", "after":
		t, err := parseDate(value, key == "before")
		if err != nil {
			return syntaxError("%s: takes a date such as 2025-03-14, 2025-03 or 2025, not “%s”.", key, value)
		}
		if key == "before" {
			q.Before = t
		} else {
			q.After = t
		}
	case "in":
		switch value {
		case "title":
			q.InTitle = true
		case "consults":
			q.InConsults = true
		default:
			return syntaxError("in: takes title (in:title) or consults (in:consults), not “%s”.", value)
		}
	case "order":
		switch value {
		case "relevance", "newest":
			q.Order = value
		default:
			return syntaxError("order: is relevance or newest, not “%s”.", value)
		}
	}
	return nil
}

var examples = map[string]string{
	"board": "board:cardiology", "kind": "kind:case", "tag": "tag:sepsis", "before": "before:2025-06-01",
	"after": "after:2024", "in": "in:title", "order": "order:newest", "is": "is:answered", "has": "has:outcome",
}

// state reads is:answered, is:unanswered and has:outcome, each perhaps
// negated.
func (q *Query) state(key, value string, negate bool) error {
	var state string
	switch {
	case value == "":
		return syntaxError("%s: needs a value, such as %s", key, examples[key])
	case key == "is" && value == "answered":
		state = StateAnswered
	case key == "is" && value == "unanswered":
		state, negate = StateAnswered, !negate
	case key == "has" && value == "outcome":
		state = StateOutcome
	case key == "is":
		return syntaxError("is: is answered or unanswered, not “%s”.", value)
	default:
		return syntaxError("has: only takes outcome (has:outcome), not “%s”.", value)
	}
	if negate {
		q.NotStates = append(q.NotStates, state)
	} else {
		q.States = append(q.States, state)
	}
	return nil
}

// parseDate reads a day, a month or a year. before: means before its start;
// after: means after its end, so after:2024 starts in 2025.
func parseDate(value string, before bool) (time.Time, error) {
	for _, layout := range []struct {
		format string
		next   func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		t, err := time.Parse(layout.format, value)
		if err != nil {
			continue
		}
		if before {
			return t, nil
		}
		return layout.next(t), nil
	}
	return time.Time{}, fmt.Errorf("not a date: %q", value)
}

func validName(s string) bool {
	if s == "" || len(s) > 60 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
