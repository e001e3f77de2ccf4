package app

import (
	"net/url"
	"strconv"

	"rounds/models"
)

// The addresses of Rounds' own pages that more than one handler links to
// or redirects to, and the check on addresses that come from elsewhere.

// postsPerPage is how many posts a page of a topic shows.
const postsPerPage = 20

// topicURL is a topic's first page; the slug is there for people, the ID
// for the router.
func topicURL(t *models.Topic) string {
	if t.Slug == "" {
		return "/t/" + strconv.FormatInt(t.ID, 10)
	}
	return "/t/" + strconv.FormatInt(t.ID, 10) + "/" + t.Slug
}

// topicPageURL is the given page of a topic; its first page has no number.
func topicPageURL(t *models.Topic, page int) string {
	if page <= 1 {
		return topicURL(t)
	}
	return topicURL(t) + "?page=" + strconv.Itoa(page)
}

// pageOfPost is the page of its topic that shows the post numbered number.
func pageOfPost(number int) int { return (number-1)/postsPerPage + 1 }

// webURL keeps an address only when it is http or https: podcast cards'
// links and audio come from someone else's feed. (Their artwork comes
// through the image proxy, which takes only those too.)
func webURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
