package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// The history page shows each version as what changed since the one
// before, word by word, with the changes named in words for a screen
// reader; an erased version stays erased, and the version after it is
// shown whole.
func TestPostHistoryShowsWordChanges(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Amiodarone loading in renal failure", "Do you adjust the load?")
		reply := a.Reply(t, topic, okafor, "Give 2.5 mg IV.\nReview at 6 h.")
		history := fmt.Sprintf("/p/%d/history", reply.ID)
		edit := fmt.Sprintf("/p/%d/edit", reply.ID)

		b := a.Browser(t)
		b.SignIn(okafor)
		wantStatus(t, b.Submit(edit, edit, url.Values{"body": {"Give 5 mg IV.\nReview again at 6 h."}, "version": {"1"}}), http.StatusSeeOther)
		res := b.Get(history)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res,
			`<pre class="source diff">Give <del><span class="visually-hidden">removed: </span>2.5<span class="visually-hidden"> end removed</span></del>`+
				`<ins><span class="visually-hidden">added: </span>5<span class="visually-hidden"> end added</span></ins> mg IV.`+"\n"+
				`Review<ins><span class="visually-hidden">added: </span> again<span class="visually-hidden"> end added</span></ins> at 6 h.</pre>`,
			"2 words added, 1 word removed.",
			// The first version has nothing before it and is shown whole.
			`<pre class="source">Give 2.5 mg IV.`+"\n"+`Review at 6 h.</pre>`)

		// A member who reads the topic but did not write the post sees
		// neither its versions nor what changed.
		other := a.Browser(t)
		other.SignIn(weber)
		res = other.Get(history)
		wantStatus(t, res, http.StatusForbidden)
		mustNotContain(t, res, "2.5 mg", "<del>")

		// A moderator erases the versions that identified a patient; the
		// author edits again afterwards.
		if _, err := a.Store.EditPost(ctx, models.PostEdit{PostID: reply.ID, EditorID: mod.ID, BaseVersion: 2,
			PostContent: models.PostContent{Source: "Give 5 mg IV.\nReview at 6 h.", Cooked: "<p>Give 5 mg IV.\nReview at 6 h.</p>"},
			Redact:      true, Reason: "edited out patient identifiers"}); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, b.Submit(edit, edit, url.Values{"body": {"Give 5 mg IV.\nReview at 12 h."}, "version": {"3"}}), http.StatusSeeOther)
		for _, viewer := range []*apptest.Browser{b, moderatorBrowser(t, a, mod)} {
			res = viewer.Get(history)
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res,
				// Version 4 against version 3.
				`Review at <del><span class="visually-hidden">removed: </span>6<span class="visually-hidden"> end removed</span></del>`+
					`<ins><span class="visually-hidden">added: </span>12<span class="visually-hidden"> end added</span></ins> h.</pre>`,
				// Version 3 follows an erased one and is shown whole.
				"The version before was erased, so this one is shown whole.",
				`<pre class="source">Give 5 mg IV.`+"\n"+`Review at 6 h.</pre>`,
				"A moderator erased this version on")
			mustNotContain(t, res, "2.5", "again")
		}
	})
}

// A changed title is compared too, on the opening post of a topic.
func TestPostHistoryComparesTitles(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "Amiodarone loading in renal failure", "Do you adjust the load?")
		posts, err := a.Store.PostsInTopic(t.Context(), topic.ID, 1, 1)
		if err != nil || len(posts) != 1 {
			t.Fatalf("opening post: %v %v", posts, err)
		}
		b := a.Browser(t)
		b.SignIn(okafor)
		edit := fmt.Sprintf("/p/%d/edit", posts[0].ID)
		wantStatus(t, b.Submit(edit, edit, url.Values{"title": {"Amiodarone loading in dialysis"},
			"body": {"Do you adjust the load?"}, "version": {"1"}}), http.StatusSeeOther)
		res := b.Get(fmt.Sprintf("/p/%d/history", posts[0].ID))
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Only the title changed.",
			`<strong>Title:</strong> Amiodarone loading in <del><span class="visually-hidden">removed: </span>renal failure<span class="visually-hidden"> end removed</span></del>`+
				`<ins><span class="visually-hidden">added: </span>dialysis<span class="visually-hidden"> end added</span></ins>`)
	})
}

func moderatorBrowser(t *testing.T, a *apptest.App, mod *models.User) *apptest.Browser {
	t.Helper()
	b := a.Browser(t)
	b.SignIn(mod)
	return b
}
