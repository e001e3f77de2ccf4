package app

import (
	"reflect"
	"testing"
)

func TestProblemsInOrder(t *testing.T) {
	tests := []struct {
		name  string
		errs  map[string]string
		order []string
		want  []fieldProblem
	}{
		{"none", nil, []string{"title"}, nil},
		{"form order", map[string]string{"body": "b", "title": "t", "tags": "g"}, []string{"title", "tags", "body"},
			[]fieldProblem{{"title", "t"}, {"tags", "g"}, {"body", "b"}}},
		{"fields left out follow by name", map[string]string{"zeta": "z", "body": "b", "alpha": "a"}, []string{"body"},
			[]fieldProblem{{"body", "b"}, {"alpha", "a"}, {"zeta", "z"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := problemsInOrder(tt.errs, tt.order); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problemsInOrder = %v, want %v", got, tt.want)
			}
		})
	}
}
