package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/app/markdown"
	"rounds/app/seed"
	"rounds/models"
)

func searchFor(q string) string { return "/search?q=" + url.QueryEscape(q) }

func TestSearchFindsPostsGroupedByTopic(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		cardio := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, cardio, okafor, "Amiodarone and warfarin", "Amiodarone raises the INR within weeks.")
		reply := a.Reply(t, topic, weber, "We halve the warfarin dose when amiodarone starts.")
		a.Topic(t, cardio, okafor, "Heparin nomogram in obesity", "Which weight do you dose on?")
		a.CatchUp(t)

		b := a.Browser(t)
		b.SignIn(okafor)
		res := b.Get(searchFor("amiodarone"))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "2 posts in 1 topic",
			fmt.Sprintf(`href="/t/%d/%s"`, topic.ID, topic.Slug), "<mark>Amiodarone</mark> and warfarin",
			fmt.Sprintf(`href="/p/%d"`, topic.ID), fmt.Sprintf(`href="/p/%d"`, reply.ID),
			"Jonas Weber, RN", "Dr. Amara Okafor", `href="/b/cardiology"`, `value="amiodarone"`,
			// Signed authors link to their profiles.
			`<a class="author-link" href="/u/weber">Jonas Weber, RN</a>`, `<a class="author-link" href="/u/okafor">Dr. Amara Okafor</a>`)
		mustNotContain(t, res, "Heparin nomogram")
		if n := strings.Count(res.Body, `class="search-topic"`); n != 1 {
			t.Fatalf("%d topics listed, want the one topic holding both posts", n)
		}

		// Stemming and a medical synonym: "coumadin" finds warfarin.
		res = b.Get(searchFor("coumadin dosing"))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, fmt.Sprintf(`href="/p/%d"`, reply.ID))

		// A word found nowhere says so, with tips.
		res = b.Get(searchFor("pheochromocytoma"))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Nothing matches", `href="/search/help"`)

		res = b.Get(searchFor("amiodarone board:nope"))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "No board called “nope” that you can read")

		// No query: just the form and the way to the help.
		res = b.Get("/search")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `id="search-q"`, `href="/search/help"`)
		mustNotContain(t, res, "Nothing matches")
	})
}

func TestSearchKeepsToBoardsTheMemberCanRead(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		nurse := a.Clinician(t, "weber", "Jonas Weber, RN", "nurse", "Critical Care Nursing")
		open := a.Board(t, "cardiology", "Cardiology")
		closed := a.Board(t, "nursing-lounge", "Nursing lounge")
		a.Restrict(t, closed, []*models.Group{a.Group(t, "Nurses", "nurse", "")}, nil)
		a.Topic(t, open, okafor, "Vasopressin in septic shock", "Vasopressin as a second pressor.")
		a.Topic(t, closed, nurse, "Staffing on nights", "Vasopressin drips and the confidential rota problem.")
		a.CatchUp(t)

		b := a.Browser(t)
		b.SignIn(okafor)
		res := b.Get(searchFor("vasopressin"))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "1 post in 1 topic", "<mark>Vasopressin</mark> in septic shock")
		mustNotContain(t, res, "Staffing on nights", "confidential", "rota", "Nursing lounge")
		res = b.Get(searchFor("confidential rota"))
		mustContain(t, res, "Nothing matches")
		res = b.Get(searchFor("vasopressin board:nursing-lounge"))
		mustContain(t, res, "No board called “nursing-lounge” that you can read")
		mustNotContain(t, res, "confidential")

		b = a.Browser(t)
		b.SignIn(nurse)
		res = b.Get(searchFor("vasopressin"))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "2 posts in 2 topics", "Staffing on nights", "the confidential rota")

		// The boards a member may search are cached; a board closed to
		// them on this node is out of their next search at once.
		a.Restrict(t, closed, []*models.Group{a.Group(t, "Night managers", "", "")}, nil)
		res = b.Get(searchFor("vasopressin"))
		mustContain(t, res, "1 post in 1 topic")
		mustNotContain(t, res, "Staffing on nights", "confidential")
	})
}

func TestSearchLeavesOutDeletedAndHiddenPosts(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Digoxin levels", "Digoxin toxicity in the elderly.")
		deleted := a.Reply(t, topic, weber, "Digoxin and the regretted remark.")
		hidden := a.Reply(t, topic, weber, "Digoxin and the advertised supplement.")
		a.CatchUp(t)

		b := a.Browser(t)
		b.SignIn(okafor)
		mustContain(t, b.Get(searchFor("digoxin")), "regretted", "supplement")

		if err := a.Store.DeletePost(context.Background(), deleted.ID, weber.ID); err != nil {
			t.Fatal(err)
		}
		a.Hide(t, hidden, mod, "Advertising")
		// Whether or not the index has caught up yet, the page re-reads the
		// posts, so neither shows.
		res := b.Get(searchFor("digoxin"))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, fmt.Sprintf(`href="/p/%d"`, topic.ID))
		mustNotContain(t, res, "regretted", "supplement", fmt.Sprintf(`href="/p/%d"`, deleted.ID), fmt.Sprintf(`href="/p/%d"`, hidden.ID))

		a.CatchUp(t)
		res = b.Get(searchFor("digoxin"))
		mustContain(t, res, "1 post in 1 topic")
		for _, q := range []string{"regretted remark", "advertised supplement"} {
			mustContain(t, b.Get(searchFor(q)), "Nothing matches")
		}
	})
}

func TestSearchKeepsAnonymousAuthorsAnonymous(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.AnonymousTopic(t, board, weber, "Pancreatitis after a night shift", "Lipase in pancreatitis triage.")
		a.AnonymousReply(t, topic, weber, "Pancreatitis again, with gallstones.")
		a.Reply(t, topic, okafor, "Signed reply on something else entirely.")
		a.CatchUp(t)

		b := a.Browser(t)
		b.SignIn(okafor)
		res := b.Get(searchFor("pancreatitis"))
		wantStatus(t, res, http.StatusOK)
		// Fewer than ten readers share anything of Weber's.
		mustContain(t, res, "2 posts in 1 topic", "Anonymous clinician")
		mustNotContain(t, res, "Jonas Weber", "weber", "Critical Care Nursing")

		res = b.Get(searchFor("@weber pancreatitis"))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Nothing matches")
		mustNotContain(t, res, "gallstones", "Lipase")
		mustContain(t, b.Get(searchFor("@okafor")), "Signed reply")
	})
}

func TestSearchSyntaxErrorKeepsTheQuery(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	res := b.Get(searchFor(`warfarin "bridging`))
	wantStatus(t, res, http.StatusBadRequest)
	mustContain(t, res, "A phrase is missing its closing quote", `value="warfarin &#34;bridging"`, `aria-invalid="true"`, `class="site-header"`)

	res = b.Get(searchFor("kind:rumour"))
	wantStatus(t, res, http.StatusBadRequest)
	mustContain(t, res, "kind: is discussion, podcast or case", `value="kind:rumour"`)
}

func TestSearchWhileTheIndexIsRebuilt(t *testing.T) {
	a := apptest.New(t, apptest.Options{SearchUnbuilt: true})
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	res := b.Get(searchFor("warfarin"))
	wantStatus(t, res, http.StatusServiceUnavailable)
	if got := res.Header.Get("Retry-After"); got != "10" {
		t.Fatalf("Retry-After %q, want 10", got)
	}
	mustContain(t, res, "Search is being rebuilt: 0 of 0 posts indexed", `value="warfarin"`, `class="site-header"`)
	// The form and the help still work.
	wantStatus(t, b.Get("/search"), http.StatusOK)
	wantStatus(t, b.Get("/search/help"), http.StatusOK)
}

func TestSearchPages(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	board := a.Board(t, "cardiology", "Cardiology")
	for i := range 23 {
		a.Topic(t, board, okafor, fmt.Sprintf("Bradycardia case %d", i+1), "Bradycardia on beta blockers.")
	}
	a.CatchUp(t)
	b := a.Browser(t)
	b.SignIn(okafor)

	res := b.Get(searchFor("bradycardia"))
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "23 posts in 23 topics", "Page 1 of 2", `href="/search?q=bradycardia&amp;page=2" rel="next"`)
	mustNotContain(t, res, `rel="prev"`)
	if n := strings.Count(res.Body, `class="search-topic"`); n != 20 {
		t.Fatalf("first page lists %d topics, want 20", n)
	}

	res = b.Get(searchFor("bradycardia") + "&page=2")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "Page 2 of 2", `href="/search?q=bradycardia&amp;page=1" rel="prev"`)
	mustNotContain(t, res, `rel="next"`)
	if n := strings.Count(res.Body, `class="search-topic"`); n != 3 {
		t.Fatalf("second page lists %d topics, want 3", n)
	}

	res = b.Get(searchFor("bradycardia") + "&page=9")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "No more results", `href="/search?q=bradycardia&amp;page=2" rel="prev"`)
}

func TestSearchHelpAndHeaderBox(t *testing.T) {
	a := apptest.New(t)
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	b := a.Browser(t)
	res := b.Get("/")
	mustNotContain(t, res, `action="/search"`)
	b.SignIn(okafor)
	res = b.Get("/")
	mustContain(t, res, `action="/search"`, `<label for="site-search-q"`, `name="q"`)

	res = b.Get("/search/help")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "How to search", "board:", "@username", "kind:case", "tag:", "after:2024", "in:title",
		"order:newest", "myocardial infarction", "-pediatric", "before:2025-06-01")
}

// The demo writes "our HF clinic", never "heart failure": the phrase in
// quotes finds it through the synonym list, as the words unquoted do.
func TestAQuotedPhraseFindsItsSynonymsInTheDemo(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		at := time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)
		if loaded, _, err := seed.LoadDemo(context.Background(), a.Store, markdown.New(), at, a.Config.BaseURL); err != nil || !loaded {
			t.Fatalf("load the demo: %v, %v", loaded, err)
		}
		a.CatchUp(t)
		b := a.Browser(t)
		b.SignIn(a.VerifiedMember(t, "reader", "A Reader", "Cardiology"))
		for _, q := range []string{`"heart failure"`, `heart failure`} {
			res := b.Get(searchFor(q))
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "SGLT2 inhibitors in HFpEF", "our <mark>HF</mark> clinic")
			mustNotContain(t, res, "Nothing matches")
		}
	})
}
