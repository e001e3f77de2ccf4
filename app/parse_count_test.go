package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"rounds/app/apptest"
)

// A post is parsed once when it is written, whichever composer writes it,
// and never when it is read: on its topic page, in search results and
// their snippets, in the feeds, in the digest and on the history page.
func TestAPostIsParsedOnceOnWriteAndNeverOnRead(t *testing.T) {
	host := podcastHost(t)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		a.Board(t, "cardiology", "Cardiology")
		b := a.Browser(t)
		b.SignIn(okafor)
		parses := func() int64 { return a.Site.Markdown.Parses() }
		// write posts the form and says how many times markdown was parsed
		// for it: loading the form is a read and must parse nothing.
		write := func(what, page, action string, form url.Values) string {
			t.Helper()
			before := parses()
			res := b.Submit(page, action, form)
			wantStatus(t, res, http.StatusSeeOther)
			if n := parses() - before; n != 1 {
				t.Errorf("%s parsed the post %d times, want once", what, n)
			}
			return res.Location()
		}

		topic := write("the topic composer", "/b/cardiology/new", "/b/cardiology/new", url.Values{
			"title": {"Rate or rhythm control in new AF"}, "tags": {"afib"},
			"body": {"Thoughts, @weber? See [the guideline](https://example.org/af) and PMID 36314711."}})
		var topicID int64
		fmt.Sscanf(topic, "/t/%d/", &topicID)
		write("the reply composer", topic, fmt.Sprintf("/t/%d/reply", topicID), url.Values{
			"body": {"Rate control first: **metoprolol**, then anticoagulate."}})
		posts, err := a.Store.PostsInTopic(t.Context(), topicID, 1, 2)
		if err != nil || len(posts) != 2 {
			t.Fatalf("posts: %v %v", posts, err)
		}
		edit := fmt.Sprintf("/p/%d/edit", posts[1].ID)
		write("the edit composer", edit, edit, url.Values{
			"body": {"Rate control first: **metoprolol**, then apixaban."}, "version": {"1"}})
		write("the case composer", "/b/cardiology/case", "/b/cardiology/case", aCase())

		feed := host.URL + "/feed.xml"
		res := b.Submit("/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{"url": {feed}})
		radios := episodeRadio.FindAllStringSubmatch(res.Body, -1)
		if len(radios) == 0 {
			t.Fatalf("no episodes offered:\n%s", res.Body)
		}
		write("the podcast composer", "/b/cardiology/podcast", "/b/cardiology/podcast", url.Values{
			"url": {feed}, "episode": {radios[0][1]}, "title": {"Syncope: who needs a monitor?"},
			"body": {"The key point is at 12:34."}})

		token, _ := createFeed(t, b)
		a.CatchUp(t)
		reader := a.Browser(t)
		reader.SignIn(weber)
		before := parses()
		for _, read := range []struct {
			who  *apptest.Browser
			path string
		}{
			{b, topic}, {b, "/b/cardiology"}, {b, searchFor("metoprolol")}, {b, searchFor("apixaban")},
			{b, fmt.Sprintf("/p/%d/history", posts[1].ID)},
			{reader, "/notifications"}, {reader, "/settings/digest/preview"}, {reader, "/settings/digest/preview/email"},
		} {
			wantStatus(t, read.who.Get(read.path), http.StatusOK)
		}
		wantStatus(t, fetchFeed(t, a, token, "cardiology"), http.StatusOK)
		wantStatus(t, a.Browser(t).Get("/feeds/"+token+"/b/cardiology/podcast.rss"), http.StatusOK)
		if n := parses() - before; n != 0 {
			t.Errorf("reading the posts parsed markdown %d times, want never", n)
		}
	}, loopbackFetcher())
}
