package search

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Query
	}{
		{"refractory VT athlete", Query{Words: []string{"refractory", "vt", "athlete"}}},
		{`"young athlete" ablation`, Query{Phrases: []string{"young athlete"}, Words: []string{"ablation"}}},
		{`"  Wide   Complex "  tachycardia`, Query{Phrases: []string{"wide complex"}, Words: []string{"tachycardia"}}},
		{`heparin -pediatric -"loading dose"`, Query{Words: []string{"heparin"}, Excluded: []string{"pediatric", "loading dose"}}},
		{"board:cardiology @okafor kind:case", Query{Board: "cardiology", Author: "okafor", Kind: "case"}},
		{"tag:sepsis TAG:lactate", Query{Tags: []string{"sepsis", "lactate"}}},
		{"lactate before:2025-06-01 after:2024", Query{Words: []string{"lactate"}, Before: day("2025-06-01"), After: day("2025-01-01")}},
		{"after:2025-03-14", Query{After: day("2025-03-15")}},
		{"before:2025-03", Query{Before: day("2025-03-01")}},
		{"in:title order:newest afib", Query{InTitle: true, Order: "newest", Words: []string{"afib"}}},
		{`in:consults "pericarditis recurrence" colchicine`, Query{InConsults: true, Phrases: []string{"pericarditis recurrence"}, Words: []string{"colchicine"}}},
		{"MI? (STEMI), troponin.", Query{Words: []string{"mi", "stemi", "troponin"}}},
		{"a - b", Query{Words: []string{"a", "-", "b"}}},
		{"12:34 dosing", Query{Words: []string{"12:34", "dosing"}}},
		{"   ", Query{}},
		{"is:answered apixaban", Query{States: []string{StateAnswered}, Words: []string{"apixaban"}}},
		{"IS:Unanswered -has:outcome", Query{NotStates: []string{StateAnswered, StateOutcome}}},
		{"-is:answered has:outcome", Query{NotStates: []string{StateAnswered}, States: []string{StateOutcome}}},
		{"-is:unanswered", Query{States: []string{StateAnswered}}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Parse(%q)\n got %+v\nwant %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseExplainsMistakes(t *testing.T) {
	for _, tc := range []struct {
		in, says string
	}{
		{`"unclosed phrase`, "closing quote"},
		{"kind:podcasts", "discussion, podcast or case"},
		{"before:last-week", "takes a date"},
		{"after:2025 before:2024", "must come before"},
		{"in:body", "takes title (in:title) or consults"},
		{"in:consults board:cardiology colchicine", "leave out the other filters"},
		{"order:best", "relevance or newest"},
		{"is:closed", "answered or unanswered"},
		{"has:answer", "only takes outcome"},
		{"is:", "needs a value"},
		{"board:", "needs a value"},
		{"-board:cardiology", "cannot be excluded"},
		{"-@okafor", "not supported"},
		{"@dr.o'kafor", "not a username"},
		{"tag:Heart!", "not a tag"},
		{strings.Repeat("word ", 40), "too many parts"},
		{strings.Repeat("x", 600), "too long"},
		{"\xff\xfe", "not valid text"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			var syntax *SyntaxError
			if !errors.As(err, &syntax) {
				t.Fatalf("Parse(%q) = %v, want a SyntaxError", tc.in, err)
			}
			if !strings.Contains(syntax.Message, tc.says) {
				t.Fatalf("Parse(%q) says %q, want it to mention %q", tc.in, syntax.Message, tc.says)
			}
		})
	}
}

func FuzzParseNeverPanics(f *testing.F) {
	for _, seed := range []string{`"a b" -c board:x @y kind:case tag:t before:2025 after:2024-01 in:title order:newest`, `"`, "-", "-\"x", "::", "@"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		q, err := Parse(in)
		var syntax *SyntaxError
		if err != nil && !errors.As(err, &syntax) {
			t.Fatalf("Parse(%q) failed with %T, want a SyntaxError", in, err)
		}
		if err == nil && len(q.Words)+len(q.Phrases)+len(q.Excluded)+len(q.Tags) > maxTerms {
			t.Fatalf("Parse(%q) returned more than %d terms", in, maxTerms)
		}
	})
}
