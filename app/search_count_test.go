package app

import (
	"testing"

	"rounds/search"
)

// TestResultCount checks the words a results page uses for how much was
// found, including an estimated count of posts.
func TestResultCount(t *testing.T) {
	for _, tc := range []struct {
		res  search.Results
		want string
	}{
		{search.Results{Posts: 1, Groups: 1}, "1 post in 1 topic"},
		{search.Results{Posts: 23, Groups: 20}, "23 posts in 20 topics"},
		{search.Results{Posts: 4100, Groups: 180, Capped: true}, "4100 posts in more than 180 topics"},
		{search.Results{Posts: 41000, Groups: 170, Capped: true, PostsEstimated: true}, "about 41000 posts in more than 170 topics"},
	} {
		if got := resultCount(&tc.res); got != tc.want {
			t.Errorf("resultCount(%+v) = %q, want %q", tc.res, got, tc.want)
		}
	}
}
