package models

import (
	"context"
	"strings"
	"testing"
)

// The topic page's posts statement takes whether a post may have images or
// link cards from the post's own row (has_media), rather than searching the
// images and the links for each post on the page.
func TestPostsInTopicSearchesNoImagesNorLinks(t *testing.T) {
	store := openBareSQLite(t)
	if _, err := store.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	plan := queryPlan(t, store, "posts in topic", postsInTopicSQL(SQLite))
	for _, step := range plan {
		if strings.Contains(step, "post_images") || strings.Contains(step, "post_links") || strings.Contains(step, "link_previews") {
			t.Errorf("the posts statement searches %q; its plan:\n%s", step, strings.Join(plan, "\n"))
		}
	}
}
