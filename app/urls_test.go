package app

import (
	"testing"

	"rounds/models"
)

func TestTopicAddresses(t *testing.T) {
	slugged := &models.Topic{ID: 42, Slug: "sepsis-bundle"}
	bare := &models.Topic{ID: 7}
	tests := []struct {
		name, got, want string
	}{
		{"slugged topic", topicURL(slugged), "/t/42/sepsis-bundle"},
		{"topic without a slug", topicURL(bare), "/t/7"},
		{"first page has no number", topicPageURL(slugged, 1), "/t/42/sepsis-bundle"},
		{"page zero is the first", topicPageURL(bare, 0), "/t/7"},
		{"later page", topicPageURL(slugged, 3), "/t/42/sepsis-bundle?page=3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestPageOfPost(t *testing.T) {
	for number, want := range map[int]int{1: 1, postsPerPage: 1, postsPerPage + 1: 2, 3 * postsPerPage: 3, 3*postsPerPage + 1: 4} {
		if got := pageOfPost(number); got != want {
			t.Errorf("pageOfPost(%d) = %d, want %d", number, got, want)
		}
	}
}

func TestWebURLKeepsOnlyWebAddresses(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"https://example.org/ep/1.mp3", "https://example.org/ep/1.mp3"},
		{"http://example.org/show", "http://example.org/show"},
		{"javascript:alert(1)", ""},
		{"data:text/html,hi", ""},
		{"ftp://example.org/ep.mp3", ""},
		{"https:///no-host", ""},
		{"/relative/path", ""},
		{"%zz", ""},
	}
	for _, tt := range tests {
		if got := webURL(tt.raw); got != tt.want {
			t.Errorf("webURL(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}
