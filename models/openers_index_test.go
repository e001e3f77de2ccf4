package models

import (
	"context"
	"strings"
	"testing"
)

// The statements that read the opening posts of a page's topics (lists,
// the topic page, the header's counts) find their anonymity and hidden
// mark in posts_openers alone, never in the posts' rows: at a million
// posts those rows are spread over gigabytes, a cold page each
// (openingPostJoin). SQLite's own choice would be the unique (topic_id,
// number) index and then the row. PostgreSQL picks its plan by the data's
// statistics, so only SQLite's plan is asserted.
func TestOpeningPostsAreReadFromTheirIndex(t *testing.T) {
	ctx := context.Background()
	store := openBareSQLite(t)
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	page := TopicPage{Limit: 30}
	reading, err := readingListSQL(SQLite, ListLatest, page)
	if err != nil {
		t.Fatal(err)
	}
	for name, query := range map[string]string{
		"topic page":    topicByIDSQL(SQLite),
		"board":         topicsInBoardSQL(SQLite, page),
		"tag":           topicsWithTagSQL(SQLite),
		"Latest":        latestTopicsSQL(SQLite, page),
		"reading list":  reading,
		"header counts": memberCountsSQL(SQLite),
	} {
		plan := queryPlan(t, store, name, query)
		found := false
		for _, step := range plan {
			if strings.Contains(step, "op USING COVERING INDEX posts_openers") {
				found = true
			}
			if strings.Contains(step, "SEARCH op ") && !strings.Contains(step, "posts_openers") {
				t.Errorf("%s reads the opening post another way: %q", name, step)
			}
		}
		if !found {
			t.Errorf("%s does not read the opening post from posts_openers alone; its plan:\n%s", name, strings.Join(plan, "\n"))
		}
	}
}

// queryPlan is SQLite's plan of query (named name in failures), a line a
// step, with every parameter NULL.
func queryPlan(t *testing.T, store *Store, name, query string) []string {
	t.Helper()
	rows, err := store.DB().WithContext(context.Background()).Raw(`EXPLAIN QUERY PLAN `+query,
		make([]any, strings.Count(query, "?"))...).Rows()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return plan
}
