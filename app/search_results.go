package app

import (
	"context"
	"html/template"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
	"rounds/search"
)

// searchResults is one page of a search as the page shows it: what the
// index found, read back from the database for the member asking.
type searchResults struct {
	*search.Results
	Found []foundTopic
	List  template.HTML // Found as HTML (renderSearchResults)
	Count string        // "12 posts in 5 topics"
	Prev  string        // link to the previous page; "" on the first
	Next  string        // link to the next page; "" on the last
}

// foundTopic is a topic with its best-matching posts under it.
type foundTopic struct {
	models.TopicSummary
	Title template.HTML // with the search's words marked
	Posts []foundPost
}

// foundPost is one matching post, quoted where it matches best.
type foundPost struct {
	ID        int64
	Number    int
	Byline    string
	Username  string // the signed author's, for the link to their profile
	CreatedAt time.Time
	Snippet   template.HTML
}

// searchResults searches the boards the member may read, then loads what
// was found from the database: the index may lag behind a deletion, a
// moderator's hiding or a change of board access, and the database has the
// last word on all three.
func (h *Handler) searchResults(c *fiber.Ctx, q search.Query, page int) (*searchResults, error) {
	scope, err := h.searchScope(c)
	if err != nil {
		return nil, err
	}
	res, err := h.search.Search(c.UserContext(), search.Request{Query: q, Scope: scope, Page: page})
	if err != nil {
		return nil, err
	}
	out := &searchResults{Results: res, Count: resultCount(res)}
	if out.Found, err = h.foundTopics(c.UserContext(), member(c), res); err != nil {
		return nil, err
	}
	out.List = renderSearchResults(out.Found, h.now())
	link := func(n int) string {
		return "/search?q=" + url.QueryEscape(c.Query("q")) + "&page=" + strconv.Itoa(n)
	}
	if res.Page > 1 {
		out.Prev = link(min(res.Page-1, res.Pages))
	}
	if res.Page < res.Pages {
		out.Next = link(res.Page + 1)
	}
	return out, nil
}

// foundTopics reads back from the database the topics and posts the index
// found, in the index's order, keeping only what the member may still
// read: a topic shows only with at least one of its posts.
func (h *Handler) foundTopics(ctx context.Context, m *models.User, res *search.Results) ([]foundTopic, error) {
	var topicIDs, postIDs []int64
	for _, hit := range res.Topics {
		topicIDs = append(topicIDs, hit.TopicID)
		postIDs = append(postIDs, hit.PostIDs...)
	}
	topics, err := h.store.ReadableTopicsByID(ctx, m, topicIDs)
	if err != nil {
		return nil, err
	}
	posts, err := h.store.VisiblePostsByID(ctx, m, postIDs)
	if err != nil {
		return nil, err
	}
	var found []foundTopic
	for _, hit := range res.Topics {
		topic, ok := topics[hit.TopicID]
		if !ok {
			continue
		}
		t := foundTopic{TopicSummary: topic, Title: res.Highlight(topic.Title)}
		for _, id := range hit.PostIDs {
			post, ok := posts[id]
			if !ok || post.TopicID != topic.ID {
				continue
			}
			t.Posts = append(t.Posts, foundPost{ID: post.ID, Number: post.Number, Byline: postByline(post),
				Username: post.AuthorUsername, CreatedAt: post.CreatedAt, Snippet: res.Snippet(post.Plain)})
		}
		if len(t.Posts) > 0 {
			found = append(found, t)
		}
	}
	return found, nil
}

// resultCount says how much was found: "12 posts in 5 topics", "in more
// than" so many topics when the index stopped counting them, and "about"
// so many posts when search estimated them rather than counted.
func resultCount(res *search.Results) string {
	topicCount := plural(res.Groups, "topic", "topics")
	if res.Capped {
		topicCount = "more than " + topicCount
	}
	count := plural(int(res.Posts), "post", "posts") + " in " + topicCount
	if res.PostsEstimated {
		count = "about " + count
	}
	return count
}

// searchScope is every board the member may read; All saves the index a
// filter when that is every board there is. It comes from the read cache
// when that holds it.
func (h *Handler) searchScope(c *fiber.Ctx) (search.Scope, error) {
	return h.cache.scopes.read(memberKeyOf(member(c)), h.cacheStamp(), nil, func() (search.Scope, error) {
		return h.readSearchScope(c)
	})
}

func (h *Handler) readSearchScope(c *fiber.Ctx) (search.Scope, error) {
	ctx := c.UserContext()
	readable, err := h.store.ReadableBoards(ctx, member(c))
	if err != nil {
		return search.Scope{}, err
	}
	all, err := h.store.Boards(ctx)
	if err != nil {
		return search.Scope{}, err
	}
	scope := search.Scope{Boards: make(map[string]int64, len(readable)), All: true}
	for _, b := range readable {
		scope.Boards[b.Slug] = b.ID
	}
	for _, b := range all {
		if scope.Boards[b.Slug] != b.ID {
			scope.All = false
		}
	}
	return scope, nil
}

// postByline is a post's author as a result shows them: by its label only
// when the post is anonymous.
func postByline(p models.PostView) string {
	if p.Anonymous {
		return models.AnonymousAuthor(p.AnonymousAs)
	}
	return p.AuthorName
}
