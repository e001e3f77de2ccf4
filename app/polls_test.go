package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models"
)

var pollOption = regexp.MustCompile(`name="option" value="(\d+)"`)

func TestPollsVoteAnonymouslyAndShowResultsAfter(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Clinician(t, "okafor", "Dr. Amara Okafor", "physician", "Cardiology")
		weber := a.Clinician(t, "weber", "Jonas Weber, RN", "nurse", "Critical Care Nursing")
		nair := a.Clinician(t, "pnair", "Priya Nair, PharmD", "pharmacist", "Clinical Pharmacy")
		board := a.Board(t, "cardiology", "Cardiology")

		// The author asks for a poll from the composer and is taken to it.
		author := a.SignedIn(t, okafor)
		mustContain(t, author.Get("/b/cardiology/new"), `name="add_poll"`)
		res := author.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Apixaban in dialysis"},
			"body": {"What dose do you use?"}, "add_poll": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		pollPath := res.Location()
		var postID int64
		if _, err := fmt.Sscanf(pollPath, "/p/%d/poll", &postID); err != nil {
			t.Fatalf("after posting with a poll, sent to %q", pollPath)
		}
		mustContain(t, author.Get(pollPath), "Add a poll", `name="question"`, `name="multiple"`, `name="closes_at"`)

		// Bad input keeps what was typed.
		res = author.Submit(pollPath, pollPath, url.Values{"question": {"What would you do?"}, "option": {"2.5 mg", "", ""},
			"closes_at": {"2001-01-01T10:00"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "at least two options", "That time has passed", `value="What would you do?"`, `value="2.5 mg"`)
		res = author.Submit(pollPath, pollPath, url.Values{"question": {"Dose for MRN 00482913?"}, "option": {"A", "B"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Rounds will not post")
		// Only the author adds a poll.
		peer := a.SignedIn(t, weber)
		wantStatus(t, peer.Get(pollPath), http.StatusForbidden)

		wantStatus(t, author.Submit(pollPath, pollPath, url.Values{"question": {"What dose would you give?"},
			"option": {"2.5 mg twice daily", "5 mg twice daily", "Warfarin instead"}}), http.StatusSeeOther)
		res = author.Submit(pollPath, pollPath, url.Values{"question": {"Again?"}, "option": {"A", "B"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "has a poll already")

		topic := latestTopic(t, a, board)
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		vote := fmt.Sprintf("/p/%d/poll/vote", postID)

		// Before voting, no results: not even to the author.
		page := peer.Get(topicPath)
		mustContain(t, page, "What dose would you give?", "Results show once you vote", `action="`+vote+`"`)
		mustNotContain(t, page, "poll-results", "voted;")
		options := pollOption.FindAllStringSubmatch(page.Body, -1)
		if len(options) != 3 {
			t.Fatalf("%d options on the page, want 3", len(options))
		}
		mustNotContain(t, author.Get(topicPath), "poll-results")

		// A single-choice poll takes one option.
		wantStatus(t, peer.Submit(topicPath, vote, url.Values{"option": {options[0][1], options[1][1]}}), http.StatusUnprocessableEntity)
		wantStatus(t, peer.Submit(topicPath, vote, url.Values{"option": {options[0][1]}}), http.StatusSeeOther)
		pharmacist := a.SignedIn(t, nair)
		wantStatus(t, pharmacist.Submit(topicPath, vote, url.Values{"option": {options[0][1]}}), http.StatusSeeOther)
		// The nurse changes their vote; counts only, never names.
		wantStatus(t, peer.Submit(topicPath, vote, url.Values{"option": {options[2][1]}}), http.StatusSeeOther)
		page = peer.Get(topicPath)
		mustContain(t, page, "2 members voted", `<span class="poll-label">Warfarin instead</span> <strong class="poll-mine">(your choice)</strong>`,
			"Change your vote", `<span class="poll-count">1 vote, 50%</span>`)
		mustNotContain(t, page, "Priya Nair, PharmD")
		// Editing the post's text leaves the poll and its votes.
		res = author.Submit(fmt.Sprintf("/p/%d/edit", postID), fmt.Sprintf("/p/%d/edit", postID),
			url.Values{"title": {"Apixaban in dialysis"}, "body": {"What dose do you use? (edited)"}, "version": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, peer.Get(topicPath), "2 members voted", "(edited)")

		// A reply's poll that closes: once closed, everyone sees the
		// results, voted or not, and it takes no more votes.
		reply := a.Reply(t, topic, weber, "It depends on the residual function.")
		closes := a.Store.Now().Add(2 * time.Hour)
		if _, err := a.Store.CreatePoll(t.Context(), models.NewPoll{PostID: reply.ID, AuthorID: weber.ID, Question: "Check anti-Xa levels?",
			Options: []string{"Always", "Never"}, ClosesAt: &closes}); err != nil {
			t.Fatal(err)
		}
		mustContain(t, author.Get(topicPath), "Check anti-Xa levels?", "Closes <time")
		now := a.Store.Now()
		a.Store.SetClock(func() time.Time { return now.Add(3 * time.Hour) })
		page = author.Get(topicPath)
		mustContain(t, page, "Check anti-Xa levels?", "Closed <time", "0 members voted", `<span class="poll-label">Always</span>`)
		mustNotContain(t, page, fmt.Sprintf(`action="/p/%d/poll/vote"`, reply.ID))
		var always int64
		if err := a.Store.DB().Raw(`SELECT id FROM poll_options WHERE label = 'Always'`).Scan(&always).Error; err != nil {
			t.Fatal(err)
		}
		wantStatus(t, author.Submit(topicPath, fmt.Sprintf("/p/%d/poll/vote", reply.ID), url.Values{"option": {fmt.Sprint(always)}}), http.StatusConflict)

		// A member who cannot read the board sees nothing of the poll and cannot vote.
		pharmacists := a.Group(t, "Pharmacists", "pharmacist", "")
		a.Restrict(t, board, []*models.Group{pharmacists}, []*models.Group{pharmacists})
		wantStatus(t, peer.Submit("/", vote, url.Values{"option": {options[0][1]}}), http.StatusNotFound)
		wantStatus(t, peer.Get(pollPath), http.StatusNotFound)
		wantStatus(t, author.Get(pollPath), http.StatusNotFound)
		a.Restrict(t, board, nil, nil)

		// A hidden post hides its poll, and takes no votes.
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		post, err := a.Store.PostByID(t.Context(), postID)
		if err != nil {
			t.Fatal(err)
		}
		a.Hide(t, post, mod, "Off topic")
		mustNotContain(t, peer.Get(topicPath), "What dose would you give?")
		wantStatus(t, peer.Submit("/", vote, url.Values{"option": {options[0][1]}}), http.StatusNotFound)
	})
}
