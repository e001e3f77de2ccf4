package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// saveDraft sends what the composer's script sends as the member types.
func saveDraft(t *testing.T, b *apptest.Browser, page, place string, form url.Values) *apptest.Response {
	t.Helper()
	form.Set("draft_place", place)
	return b.Submit(page, "/drafts", form)
}

func TestDraftOfANewTopicComesBackUntilPosted(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		place := models.NewTopicDraft(board.ID).String()

		nurse := a.SignedIn(t, weber)
		page := nurse.Get("/b/cardiology/new")
		mustContain(t, page, `data-draft="`+place+`"`, `name="save_draft"`, `data-mentions="/b/cardiology/mentions"`)
		mustNotContain(t, page, "Draft saved at")

		res := saveDraft(t, nurse, "/b/cardiology/new", place, url.Values{"title": {"Heparin drip titration"},
			"tags": {"anticoagulation"}, "body": {"Which nomogram do you use?"}})
		wantStatus(t, res, http.StatusOK)
		var saved struct{ SavedAt, Note string }
		if err := json.Unmarshal([]byte(res.Body), &saved); err != nil || !strings.HasPrefix(saved.Note, "Draft saved at ") {
			t.Fatalf("answer to a saved draft: %s (%v)", res.Body, err)
		}

		// The draft comes back on the form, on any device, with its note.
		again := a.SignedIn(t, weber)
		mustContain(t, again.Get("/b/cardiology/new"), "Draft saved at", `value="Heparin drip titration"`,
			`value="anticoagulation"`, "Which nomogram do you use?", `formaction="/drafts/discard"`)
		mustContain(t, again.Get("/drafts"), "New topic in Cardiology", "Heparin drip titration", "Which nomogram do you use?",
			`href="/b/cardiology/new"`)

		// Nobody else sees it.
		owner := a.SignedIn(t, okafor)
		mustNotContain(t, owner.Get("/b/cardiology/new"), "Which nomogram", "Draft saved at")
		mustNotContain(t, owner.Get("/drafts"), "Which nomogram")

		// Posting deletes it.
		res = nurse.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Heparin drip titration"},
			"body": {"Which nomogram do you use?"}})
		wantStatus(t, res, http.StatusSeeOther)
		if n := count(t, a, `SELECT COUNT(*) FROM drafts`); n != 0 {
			t.Fatalf("%d drafts after posting", n)
		}
		mustContain(t, nurse.Get("/drafts"), "No drafts.")
		mustNotContain(t, nurse.Get("/b/cardiology/new"), "Which nomogram")
	})
}

func TestSaveDraftButtonWorksWithoutScript(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		a.Board(t, "cardiology", "Cardiology")
		nurse := a.SignedIn(t, weber)

		// A title too short to post is fine in a draft.
		res := nurse.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Hep"},
			"body": {"Half-written question"}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Your draft is saved.", "Draft saved at", `value="Hep"`, "Half-written question")
		mustNotContain(t, res, "The title needs at least 5 characters.")
		if n := count(t, a, `SELECT COUNT(*) FROM topics`); n != 0 {
			t.Fatalf("saving a draft made %d topics", n)
		}

		// Characters Rounds cannot keep are refused, and the rest kept on
		// the form.
		res = nurse.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Heparin"},
			"body": {"Half\x00-written, then more"}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Characters Rounds cannot keep were taken out", "Half-written, then more")
		mustContain(t, nurse.Get("/drafts"), "Half-written question")

		// Too long for a post is too long for a draft.
		long := strings.Repeat("a", 32001)
		res = nurse.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Heparin"},
			"body": {long}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "A post can be at most 32,000 characters; this one has 32,001.", long)
		mustContain(t, nurse.Get("/drafts"), "Half-written question")
	})
}

func TestAutosaveRefusesBadInputAndClosedPlaces(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		closed := a.Board(t, "oncology", "Oncology")
		a.Restrict(t, closed, []*models.Group{a.Group(t, "Oncologists", "", "oncology")}, nil)
		topic := a.Topic(t, board, okafor, "Apixaban in dialysis", "What dose do you use?")
		opening := openingPostOf(t, a, topic.ID)

		nurse := a.SignedIn(t, weber)
		page := "/b/cardiology/new"
		res := saveDraft(t, nurse, page, models.NewTopicDraft(board.ID).String(), url.Values{"body": {"a\x00b"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Draft not saved")
		res = saveDraft(t, nurse, page, models.NewTopicDraft(board.ID).String(), url.Values{"body": {strings.Repeat("a", 32001)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		for _, bad := range []string{"", "topic:x", "poll:1"} {
			wantStatus(t, saveDraft(t, nurse, page, bad, url.Values{"body": {"text"}}), http.StatusBadRequest)
		}
		// A board the member cannot read is not there; a post not theirs
		// is not theirs to edit.
		wantStatus(t, saveDraft(t, nurse, page, models.NewCaseDraft(closed.ID).String(), url.Values{"body": {"text"}}), http.StatusNotFound)
		wantStatus(t, saveDraft(t, nurse, page, models.ReplyDraft(topic.ID+100).String(), url.Values{"body": {"text"}}), http.StatusNotFound)
		wantStatus(t, saveDraft(t, nurse, page, models.EditDraft(opening).String(), url.Values{"body": {"text"}}), http.StatusForbidden)
		if n := count(t, a, `SELECT COUNT(*) FROM drafts`); n != 0 {
			t.Fatalf("%d drafts after refused saves", n)
		}
		// Without a session, nothing.
		wantStatus(t, a.Browser(t).Post("/drafts", url.Values{"draft_place": {models.NewTopicDraft(board.ID).String()}}), http.StatusForbidden)
	})
}

func TestDraftOfABoardClosedSinceIsNeitherListedNorRestored(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "oncology", "Oncology")
		nurse := a.SignedIn(t, weber)
		wantStatus(t, saveDraft(t, nurse, "/b/oncology/new", models.NewTopicDraft(board.ID).String(),
			url.Values{"title": {"Neutropenic fever"}, "body": {"Empiric cover?"}}), http.StatusOK)
		mustContain(t, nurse.Get("/drafts"), "Neutropenic fever")

		a.Restrict(t, board, []*models.Group{a.Group(t, "Oncologists", "", "oncology")}, nil)
		mustNotContain(t, nurse.Get("/drafts"), "Neutropenic fever", "Oncology")
		wantStatus(t, nurse.Get("/b/oncology/new"), http.StatusNotFound)
		// It can still be discarded.
		res := nurse.Submit("/drafts", "/drafts/discard", url.Values{"draft_place": {models.NewTopicDraft(board.ID).String()}})
		wantStatus(t, res, http.StatusSeeOther)
		if n := count(t, a, `SELECT COUNT(*) FROM drafts`); n != 0 {
			t.Fatalf("%d drafts after discarding", n)
		}
	})
}

func TestDraftsOfRepliesEditsAndCases(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Apixaban in dialysis", "What dose do you use?")
		mine := a.Reply(t, topic, weber, "We use 2.5 mg twice daily.")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		nurse := a.SignedIn(t, weber)

		// A reply.
		reply := models.ReplyDraft(topic.ID).String()
		wantStatus(t, saveDraft(t, nurse, topicPath, reply, url.Values{"body": {"And you check anti-Xa?"}}), http.StatusOK)
		mustContain(t, nurse.Get(topicPath), "Draft saved at", "And you check anti-Xa?</textarea>")
		mustContain(t, nurse.Get("/drafts"), "Reply to “Apixaban in dialysis”", topicPath+"/")
		res := nurse.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"And you check anti-Xa?"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustNotContain(t, nurse.Get("/drafts"), "Reply to")

		// An edit, started from version 1, after which the post changes:
		// the draft comes back and saving it meets the conflict.
		editPath := fmt.Sprintf("/p/%d/edit", mine.ID)
		edit := models.EditDraft(mine.ID).String()
		wantStatus(t, saveDraft(t, nurse, editPath, edit, url.Values{"body": {"We use 5 mg twice daily."}, "version": {"1"}}), http.StatusOK)
		mustContain(t, nurse.Get("/drafts"), "Edit of post #2 in “Apixaban in dialysis”")
		mustContain(t, nurse.Get(editPath), "Draft saved at", "We use 5 mg twice daily.")
		res = nurse.Submit(editPath, editPath, url.Values{"body": {"We use 2.5 mg, twice a day."}, "version": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		wantStatus(t, saveDraft(t, nurse, editPath, edit, url.Values{"body": {"We use 5 mg twice daily."}, "version": {"1"}}), http.StatusOK)
		page := nurse.Get(editPath)
		mustContain(t, page, `name="version" value="1"`)
		res = nurse.Submit(editPath, editPath, url.Values{"body": {"We use 5 mg twice daily."}, "version": {"1"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "This post was changed elsewhere")

		// A case keeps its fields.
		casePath := "/b/cardiology/case"
		res = nurse.Submit(casePath, casePath, url.Values{"title": {"Syncope on exertion"}, "presentation": {"Collapse while running."},
			"question": {"Next test?"}, "age_band": {"18-29"}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Your draft is saved.")
		page = nurse.Get(casePath)
		mustContain(t, page, "Draft saved at", `value="Syncope on exertion"`, "Collapse while running.</textarea>", "Next test?</textarea>")
		mustContain(t, nurse.Get("/drafts"), "New case in Cardiology", "Collapse while running.")
		// Discarding from the form empties it.
		res = nurse.Submit(casePath, "/drafts/discard", url.Values{"draft_place": {models.NewCaseDraft(board.ID).String()}, "return": {casePath}})
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != casePath {
			t.Fatalf("discarding leads to %q, want %q", res.Location(), casePath)
		}
		mustNotContain(t, nurse.Get(casePath), "Collapse while running.", "Draft saved at")
	})
}

func TestMentionSuggestionsAreTheBoardsReaders(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		nair := a.Clinician(t, "pnair", "Priya Nair", "physician", "Oncology")
		a.Clinician(t, "prichards", "Paul Richards", "physician", "Cardiology")
		a.Clinician(t, "priestley", "Ann Priestley", "nurse", "Oncology")
		a.PendingMember(t, "prisha")
		board := a.Board(t, "oncology", "Oncology")
		a.Restrict(t, board, []*models.Group{a.Group(t, "Oncologists", "", "oncology")}, nil)
		// Anonymous posts change nothing in who is suggested.
		a.AnonymousTopic(t, board, nair, "A question asked anonymously", "Who am I?")

		reader := a.SignedIn(t, nair)
		res := reader.Get("/b/oncology/mentions?q=pri")
		wantStatus(t, res, http.StatusOK)
		var got []map[string]string
		if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range got {
			names = append(names, m["username"]+"="+m["name"])
			for k := range m {
				if k != "username" && k != "name" && k != "specialty" {
					t.Errorf("a suggestion tells %q", k)
				}
			}
		}
		if strings.Join(names, ",") != "priestley=Ann Priestley,pnair=Priya Nair" {
			t.Fatalf("suggestions for @pri: %v", names)
		}
		mustContain(t, reader.Get("/b/oncology/mentions?q=Priya"), `"username":"pnair"`)
		mustContain(t, reader.Get("/b/oncology/mentions"), `[]`)

		// The board's readers are not told to anyone else.
		outsider := a.Browser(t)
		outsider.SignIn(a.Clinician(t, "cardio", "Carl Dio", "physician", "Cardiology"))
		res = outsider.Get("/b/oncology/mentions?q=pri")
		wantStatus(t, res, http.StatusNotFound)
		mustNotContain(t, res, "pnair")
		res = a.Browser(t).Get("/b/oncology/mentions?q=pri")
		mustNotContain(t, res, "pnair")
	})
}

func TestAutosaveAndMentionsAreRateLimited(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		nurse := a.SignedIn(t, weber)
		place := models.NewTopicDraft(board.ID).String()
		for i := range 2 {
			wantStatus(t, saveDraft(t, nurse, "/b/cardiology/new", place, url.Values{"body": {fmt.Sprint("draft ", i)}}), http.StatusOK)
			wantStatus(t, nurse.Get("/b/cardiology/mentions?q=jon"), http.StatusOK)
		}
		res := saveDraft(t, nurse, "/b/cardiology/new", place, url.Values{"body": {"draft 2"}})
		wantStatus(t, res, http.StatusTooManyRequests)
		mustContain(t, res, "Draft not saved: You have saved drafts 2 times")
		if res.Header.Get("Retry-After") == "" {
			t.Fatal("a refused save says not when to come back")
		}
		wantStatus(t, nurse.Get("/b/cardiology/mentions?q=jon"), http.StatusTooManyRequests)
		// The refused save kept the draft there was; the Save draft button
		// is refused the same way, keeping the text on the form.
		mustContain(t, nurse.Get("/drafts"), "draft 1")
		res = nurse.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Heparin"}, "body": {"draft 3"}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusTooManyRequests)
		mustContain(t, res, "draft 3</textarea>", "the draft was not saved")
	}, apptest.Options{Env: map[string]string{"ROUNDS_RATE_LIMITS": "draft=2/1m,mention=2/1m"}})
}

func TestMentionOfANameNoMemberHasStaysText(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		a.PendingMember(t, "newcomer")
		a.Board(t, "cardiology", "Cardiology")
		b := a.SignedIn(t, okafor)
		text := "Ask @Weber, @newcomer and @nobody_here."
		res := b.Submit("/b/cardiology/new", "/preview", url.Values{"body": {text}})
		wantStatus(t, res, http.StatusOK)
		linked := `<a href="/u/weber" rel="nofollow ugc noopener noreferrer">@Weber</a>, @newcomer and @nobody_here.`
		mustContain(t, res, linked)
		res = b.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{"title": {"Who to ask"}, "body": {text}})
		wantStatus(t, res, http.StatusSeeOther)
		page := b.Get(res.Location())
		mustContain(t, page, linked)
		mustNotContain(t, page, `href="/u/nobody_here"`, `href="/u/newcomer"`)
	})
}

func TestSaveDraftButtonOnRepliesAndEdits(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Apixaban in dialysis", "What dose do you use?")
		mine := a.Reply(t, topic, weber, "We use 2.5 mg twice daily.")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		nurse := a.SignedIn(t, weber)

		res := nurse.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"Half a thought"}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Your draft is saved.", "Half a thought</textarea>")
		if n := count(t, a, `SELECT COUNT(*) FROM posts WHERE topic_id = ?`, topic.ID); n != 2 {
			t.Fatalf("saving a draft of a reply made a post: %d posts", n)
		}

		editPath := fmt.Sprintf("/p/%d/edit", mine.ID)
		res = nurse.Submit(editPath, editPath, url.Values{"body": {"We use 5 mg"}, "version": {"1"}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Your draft is saved.", "We use 5 mg</textarea>")
		if p, err := a.Store.PostByID(t.Context(), mine.ID); err != nil || p.Source != "We use 2.5 mg twice daily." {
			t.Fatalf("saving a draft of an edit changed the post: %+v, %v", p, err)
		}
		mustContain(t, nurse.Get("/drafts"), "Reply to “Apixaban in dialysis”", "Edit of post #2", "Half a thought", "We use 5 mg")

		// Another member's post has no draft to save.
		res = nurse.Submit(editPath, fmt.Sprintf("/p/%d/edit", openingPostOf(t, a, topic.ID)), url.Values{"body": {"x"}, "version": {"1"}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusForbidden)
	})
}

// A consult's reply form keeps its draft as the topics' composers do, for
// its participants only; a member who leaves the consult loses it.
func TestDraftOfAConsultMessage(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		chen := a.VerifiedMember(t, "chen", "Dr. Li Chen", "Nephrology")
		cardiologist := a.SignedIn(t, okafor)
		path := startConsult(t, cardiologist, url.Values{"to": {"weber"}, "subject": {"Pericarditis recurrence"},
			"body": {"Colchicine for how long?"}})
		var id int64
		fmt.Sscanf(path, "/consults/%d", &id)
		place := models.ConsultDraft(id).String()

		nurse := a.SignedIn(t, weber)
		mustContain(t, nurse.Get(path), `data-draft="`+place+`"`, `name="save_draft"`)
		wantStatus(t, saveDraft(t, nurse, path, place, url.Values{"body": {"Three months, with aspirin"}}), http.StatusOK)
		mustContain(t, a.SignedIn(t, weber).Get(path), "Draft saved at", "Three months, with aspirin")
		mustContain(t, nurse.Get("/drafts"), "Message in the consult “Pericarditis recurrence”", "Three months, with aspirin",
			`href="`+path+`#reply-heading"`)

		// Without script: the Save draft button keeps it, nothing is sent.
		res := nurse.Submit(path, path+"/reply", url.Values{"body": {"Three months, with aspirin for two weeks"}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Your draft is saved.", "Three months, with aspirin for two weeks")
		if n := count(t, a, `SELECT COUNT(*) FROM consult_messages`); n != 1 {
			t.Fatalf("saving a draft wrote %d messages", n)
		}

		// Not a participant: no draft there, and no word of the consult.
		outsider := a.SignedIn(t, chen)
		wantStatus(t, saveDraft(t, outsider, "/drafts", place, url.Values{"body": {"Let me in"}}), http.StatusNotFound)
		mustNotContain(t, outsider.Get("/drafts"), "Pericarditis")

		// Sending deletes it.
		wantStatus(t, nurse.Submit(path, path+"/reply", url.Values{"body": {"Three months, with aspirin for two weeks"}}), http.StatusSeeOther)
		if n := count(t, a, `SELECT COUNT(*) FROM drafts`); n != 0 {
			t.Fatalf("%d drafts after sending", n)
		}

		// Leaving takes the draft with it: neither listed nor restored.
		wantStatus(t, saveDraft(t, nurse, path, place, url.Values{"body": {"Unsent thought"}}), http.StatusOK)
		wantStatus(t, nurse.Submit(path, path+"/leave", url.Values{}), http.StatusSeeOther)
		mustNotContain(t, nurse.Get("/drafts"), "Pericarditis", "Unsent thought")
		wantStatus(t, nurse.Get(path), http.StatusNotFound)
		if n := count(t, a, `SELECT COUNT(*) FROM drafts`); n != 0 {
			t.Fatalf("%d drafts after leaving", n)
		}
		wantStatus(t, saveDraft(t, nurse, "/drafts", place, url.Values{"body": {"After leaving"}}), http.StatusNotFound)
	})
}

// The form that starts a consult keeps its draft too, each member's own.
func TestDraftOfANewConsult(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		chen := a.VerifiedMember(t, "chen", "Dr. Li Chen", "Nephrology")
		place := models.NewConsultDraft(okafor.ID).String()

		cardiologist := a.SignedIn(t, okafor)
		mustContain(t, cardiologist.Get("/consults/new"), `data-draft="`+place+`"`, `name="save_draft"`)
		// Without script, nothing is checked but what a draft can keep.
		res := cardiologist.Submit("/consults/new", "/consults/new", url.Values{"to": {"weber"}, "subject": {"Pericarditis recurrence"},
			"body": {"Colchicine for how long?"}, "others_may_add": {"1"}, "save_draft": {"1"}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Your draft is saved.", `value="Pericarditis recurrence"`)
		if n := count(t, a, `SELECT COUNT(*) FROM consults`); n != 0 {
			t.Fatalf("saving a draft started %d consults", n)
		}
		page := a.SignedIn(t, okafor).Get("/consults/new?to=chen")
		mustContain(t, page, "Draft saved at", `name="to" type="text" value="weber"`, `value="Pericarditis recurrence"`,
			"Colchicine for how long?", `name="others_may_add" value="1" checked`)
		mustContain(t, cardiologist.Get("/drafts"), "New consult", "Pericarditis recurrence", `href="/consults/new"`)

		// Another member's form is not theirs to keep a draft in.
		other := a.SignedIn(t, chen)
		wantStatus(t, saveDraft(t, other, "/consults/new", place, url.Values{"body": {"Not my form"}}), http.StatusNotFound)
		mustNotContain(t, other.Get("/consults/new"), "Pericarditis")
		mustNotContain(t, other.Get("/drafts"), "Pericarditis")

		// Starting the consult deletes it.
		startConsult(t, cardiologist, url.Values{"to": {"weber"}, "subject": {"Pericarditis recurrence"}, "body": {"Colchicine for how long?"}})
		if n := count(t, a, `SELECT COUNT(*) FROM drafts`); n != 0 {
			t.Fatalf("%d drafts after starting the consult", n)
		}
	})
}
