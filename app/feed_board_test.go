package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"rounds/app/apptest"
	"rounds/models"
)

var feedAddress = regexp.MustCompile(`value="http://rounds\.test/feeds/([A-Za-z0-9_-]{43})/b/([a-z0-9-]+)\.atom"`)

// createFeed has a signed-in member make (or replace) their feed addresses
// on the settings page and returns the token and the boards offered.
func createFeed(t *testing.T, b *apptest.Browser) (string, []string) {
	t.Helper()
	res := b.Submit("/settings/feeds", "/settings/feeds", nil)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "Copy these addresses now", "Anyone who has one of these addresses")
	var token string
	var boards []string
	for _, m := range feedAddress.FindAllStringSubmatch(res.Body, -1) {
		if token != "" && m[1] != token {
			t.Fatalf("two tokens on one page: %s and %s", token, m[1])
		}
		token = m[1]
		boards = append(boards, m[2])
	}
	if token == "" {
		t.Fatalf("no feed address on the page:\n%s", res.Body)
	}
	return token, boards
}

// fetchFeed reads a feed as a feed reader would: no cookies at all.
func fetchFeed(t *testing.T, a *apptest.App, token, slug string, header ...string) *apptest.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/feeds/"+token+"/b/"+slug+".atom", nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res := a.Browser(t).Do(req)
	if sc := res.Header.Values("Set-Cookie"); len(sc) > 0 {
		t.Fatalf("the feed set cookies: %q", sc)
	}
	return res
}

func wantFeedMissing(t *testing.T, res *apptest.Response) {
	t.Helper()
	wantStatus(t, res, http.StatusNotFound)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || res.Body != "Not found.\n" {
		t.Fatalf("a refused feed answered %q with %q; want the plain text every refusal gets", ct, res.Body)
	}
}

func TestPrivateBoardFeeds(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		chen := a.VerifiedMember(t, "chen", "Dr. Wei Chen", "Cardiology")
		nurse := a.Clinician(t, "mensah", "Kofi Mensah", "nurse", "Oncology")
		board := a.Board(t, "case-reports", "Case reports")
		closed := a.Board(t, "nursing", "Nursing lounge")
		a.Restrict(t, closed, []*models.Group{a.Group(t, "Nursing", "nurse", "")}, nil)
		a.Topic(t, closed, nurse, "Night shift handover", "Only for nurses.")

		// 32 topics, so the feed must stop at 30; one anonymous, one hidden.
		var topics []*models.Topic
		for i := range 32 {
			title, body := fmt.Sprintf("Case %02d", i), fmt.Sprintf("Opening post of case %02d with <b>bold</b> **text**.", i)
			switch i {
			case 30:
				topics = append(topics, a.AnonymousTopic(t, board, chen, title, body))
			default:
				topics = append(topics, a.Topic(t, board, okafor, title, body))
			}
		}
		hidden := topics[29]
		a.Hide(t, &models.Post{ID: hidden.ID}, a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine"), "Identifiable")

		b := a.Browser(t)
		b.SignIn(okafor)
		res := b.Get("/settings/feeds")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "You have no feed addresses", "Create feed address")
		mustNotContain(t, res, "Turn off my feed addresses")

		token, boards := createFeed(t, b)
		if fmt.Sprint(boards) != "[case-reports]" {
			t.Fatalf("feed addresses offered for %v, want only the boards okafor reads", boards)
		}
		res = b.Get("/settings/feeds")
		mustContain(t, res, "You have feed addresses", "Replace feed address", "Turn off my feed addresses")
		mustNotContain(t, res, token)

		t.Run("the feed lists the newest topics", func(t *testing.T) {
			res := fetchFeed(t, a, token, "case-reports")
			wantStatus(t, res, http.StatusOK)
			for header, want := range map[string]string{"Content-Type": "application/atom+xml; charset=utf-8",
				"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"} {
				if got := res.Header.Get(header); got != want {
					t.Errorf("%s = %q, want %q", header, got, want)
				}
			}
			mustContain(t, res, `<feed xmlns="http://www.w3.org/2005/Atom"`)
			feed, err := gofeed.NewParser().ParseString(res.Body)
			if err != nil {
				t.Fatalf("parse the feed: %v\n%s", err, res.Body)
			}
			if feed.FeedType != "atom" || feed.Title != "Case reports · Rounds" || feed.Link != "http://rounds.test/b/case-reports" {
				t.Fatalf("feed: type %q, title %q, link %q", feed.FeedType, feed.Title, feed.Link)
			}
			if feed.FeedLink != "http://rounds.test/feeds/"+token+"/b/case-reports.atom" {
				t.Fatalf("self link %q", feed.FeedLink)
			}
			if len(feed.Items) != 30 {
				t.Fatalf("%d entries, want the 30 newest", len(feed.Items))
			}
			// Newest first; the topic whose opening post is hidden is
			// hidden with it, title and all.
			var want []*models.Topic
			for i := len(topics) - 1; i >= 0 && len(want) < 30; i-- {
				if topics[i].ID != hidden.ID {
					want = append(want, topics[i])
				}
			}
			if strings.Contains(res.Body, hidden.Title) {
				t.Fatalf("the topic whose opening post is hidden, %q, is in the feed", hidden.Title)
			}
			ids := map[string]bool{}
			for i, item := range feed.Items {
				topic := want[i]
				if item.Title != topic.Title || item.Link != fmt.Sprintf("http://rounds.test/t/%d/%s", topic.ID, topic.Slug) {
					t.Fatalf("entry %d is %q at %s, want %q (topic %d)", i, item.Title, item.Link, topic.Title, topic.ID)
				}
				if ids[item.GUID] || !strings.Contains(item.GUID, fmt.Sprint(topic.ID)) {
					t.Fatalf("entry %d has id %q", i, item.GUID)
				}
				ids[item.GUID] = true
				if item.PublishedParsed == nil || item.UpdatedParsed == nil {
					t.Fatalf("entry %d lacks dates", i)
				}
				author := "Dr. Amara Okafor"
				if topic.ID == topics[30].ID {
					// Fewer than ten readers share anything of Chen's.
					author = "Anonymous clinician"
				}
				if len(item.Authors) != 1 || item.Authors[0].Name != author {
					t.Fatalf("entry %d by %+v, want %s", i, item.Authors, author)
				}
				if !strings.Contains(item.Content, "<strong>text</strong>") || strings.Contains(item.Content, "<b>") {
					t.Fatalf("entry %d content %q, want the sanitised HTML of its opening post", i, item.Content)
				}
			}
			if strings.Contains(res.Body, "Chen") {
				t.Fatal("the anonymous topic's author is named in the feed")
			}
		})

		t.Run("unchanged feeds answer 304", func(t *testing.T) {
			res := fetchFeed(t, a, token, "case-reports")
			modified, etag := res.Header.Get("Last-Modified"), res.Header.Get("ETag")
			at, err := http.ParseTime(modified)
			if err != nil || etag == "" {
				t.Fatalf("Last-Modified %q, ETag %q: %v", modified, etag, err)
			}
			wantStatus(t, fetchFeed(t, a, token, "case-reports", "If-Modified-Since", modified), http.StatusNotModified)
			wantStatus(t, fetchFeed(t, a, token, "case-reports", "If-None-Match", etag), http.StatusNotModified)
			wantStatus(t, fetchFeed(t, a, token, "case-reports", "If-Modified-Since", at.Add(-time.Second).Format(http.TimeFormat)), http.StatusOK)
			a.Topic(t, board, okafor, "A newer case", "Something new.")
			res = fetchFeed(t, a, token, "case-reports", "If-None-Match", etag)
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "A newer case")
			// A refused token never learns whether its copy is current.
			wantFeedMissing(t, fetchFeed(t, a, "x"+token[1:], "case-reports", "If-Modified-Since", modified))
		})

		t.Run("boards the member cannot read are missing", func(t *testing.T) {
			closedFeed := fetchFeed(t, a, token, "nursing")
			wantFeedMissing(t, closedFeed)
			wantFeedMissing(t, fetchFeed(t, a, token, "no-such-board"))
			wantFeedMissing(t, fetchFeed(t, a, "not-a-token", "case-reports"))
			wantFeedMissing(t, fetchFeed(t, a, "not-a-token", "nursing"))
		})

		t.Run("a nurse's feed has the lounge", func(t *testing.T) {
			nb := a.Browser(t)
			nb.SignIn(nurse)
			nurseToken, boards := createFeed(t, nb)
			if fmt.Sprint(boards) != "[case-reports nursing]" {
				t.Fatalf("nurse offered %v", boards)
			}
			res := fetchFeed(t, a, nurseToken, "nursing")
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "Night shift handover")
		})

		t.Run("replacing and turning off stop old addresses", func(t *testing.T) {
			replaced, _ := createFeed(t, b)
			if replaced == token {
				t.Fatal("replacing kept the token")
			}
			wantFeedMissing(t, fetchFeed(t, a, token, "case-reports"))
			wantStatus(t, fetchFeed(t, a, replaced, "case-reports"), http.StatusOK)

			res := b.Submit("/settings/feeds", "/settings/feeds/revoke", url.Values{})
			wantStatus(t, res, http.StatusSeeOther)
			wantFeedMissing(t, fetchFeed(t, a, replaced, "case-reports"))
			mustContain(t, b.Get("/settings/feeds"), "You have no feed addresses")
		})

		t.Run("suspended and pending members' tokens are refused", func(t *testing.T) {
			cb := a.Browser(t)
			cb.SignIn(chen)
			chenToken, _ := createFeed(t, cb)
			wantStatus(t, fetchFeed(t, a, chenToken, "case-reports"), http.StatusOK)
			if err := a.Store.DB().Exec(`UPDATE users SET status = ? WHERE id = ?`, models.StatusSuspended, chen.ID).Error; err != nil {
				t.Fatal(err)
			}
			wantFeedMissing(t, fetchFeed(t, a, chenToken, "case-reports"))

			pending := a.PendingMember(t, "newcomer")
			pendingToken, err := a.Store.CreateFeedToken(t.Context(), pending.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantFeedMissing(t, fetchFeed(t, a, pendingToken, "case-reports"))
		})
	})
}
