package search

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

//go:embed synonyms.txt
var synonymsFile string

// Synonyms maps each term to the other terms that mean the same, from the
// reviewed list in synonyms.txt. It is applied when a query is run, so the
// list can grow without rebuilding the index.
type Synonyms map[string][]string

// LoadSynonyms reads the embedded list.
func LoadSynonyms() (Synonyms, error) { return ParseSynonyms(synonymsFile) }

// ParseSynonyms reads lines of "term = term = …" groups; # starts a comment.
// A term in two groups is refused: the list must say one thing.
func ParseSynonyms(text string) (Synonyms, error) {
	s := Synonyms{}
	seen := map[string]int{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var group []string
		for _, term := range strings.Split(line, "=") {
			term = strings.Join(strings.Fields(strings.ToLower(term)), " ")
			if term == "" {
				return nil, fmt.Errorf("synonyms line %d: an empty term in %q", n+1, line)
			}
			if first, ok := seen[term]; ok {
				return nil, fmt.Errorf("synonyms line %d: %q already appears on line %d", n+1, term, first)
			}
			seen[term] = n + 1
			group = append(group, term)
		}
		if len(group) < 2 {
			return nil, fmt.Errorf("synonyms line %d: a group needs at least two terms: %q", n+1, line)
		}
		for _, term := range group {
			for _, other := range group {
				if other != term {
					s[term] = append(s[term], other)
				}
			}
		}
	}
	for term := range s {
		sort.Strings(s[term])
	}
	return s, nil
}

// Expand returns the term's synonyms, not the term itself; nil for a term
// the list does not know.
func (s Synonyms) Expand(term string) []string {
	return s[strings.Join(strings.Fields(strings.ToLower(term)), " ")]
}
