package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

func TestModTopicLockPinAndMoveFromTheTopicPage(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		mod := a.Moderator(t, "mod", "Dr. Mo Derator", "Internal Medicine")
		cardio := a.Board(t, "cardiology", "Cardiology")
		nursing := a.Board(t, "nursing", "Nursing")
		archive := a.Board(t, "archive", "Old threads")
		archive.Archived = true
		if err := a.Store.UpdateBoard(ctx, archive); err != nil {
			t.Fatal(err)
		}
		topic := a.Topic(t, cardio, okafor, "Heparin drips overnight", "Who titrates at 3 a.m.?")
		a.Topic(t, cardio, okafor, "Beta blockers after MI", "Still for everyone?")

		topicPath := fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
		replyPath := fmt.Sprintf("/t/%d/reply", topic.ID)
		modPath := func(action string) string { return fmt.Sprintf("/mod/topics/%d/%s", topic.ID, action) }
		topicLink := fmt.Sprintf(`href="/t/%d/%s"`, topic.ID, topic.Slug)

		m := a.Browser(t)
		m.SignIn(mod)
		member := a.Browser(t)
		member.SignIn(okafor)

		// A member sees no moderator tools and is refused every one of them.
		mustNotContain(t, member.Get(topicPath), `class="mod-tools"`, modPath("lock"), modPath("move"))
		for _, action := range []string{"lock", "unlock", "pin", "unpin", "move"} {
			t.Run("a member may not "+action, func(t *testing.T) {
				res := member.Submit(topicPath, modPath(action), url.Values{"board": {fmt.Sprint(nursing.ID)}, "reason": {"Mine now"}})
				wantStatus(t, res, http.StatusForbidden)
				mustContain(t, res, "Only moderators can do that.")
			})
		}
		wantStatus(t, member.Get(modPath("move")), http.StatusForbidden)
		if got, err := a.Store.TopicByID(ctx, topic.ID); err != nil || got.Locked || got.Pinned || got.BoardID != cardio.ID {
			t.Fatalf("a member's attempts changed the topic: %+v, %v", got, err)
		}

		// A moderator locks the topic with the button on its page.
		page := m.Get(topicPath)
		mustContain(t, page, `class="mod-tools"`, `action="`+modPath("lock")+`"`, `action="`+modPath("pin")+`"`,
			`href="`+modPath("move")+`"`, `<label for="lock-reason">`)
		for range 2 { // twice: the second press changes and records nothing
			res := m.Submit(topicPath, modPath("lock"), url.Values{"reason": {"Going in circles"}})
			wantStatus(t, res, http.StatusSeeOther)
			if res.Location() != topicPath {
				t.Fatalf("locking sent the moderator to %q, want %q", res.Location(), topicPath)
			}
		}
		page = m.Get(topicPath)
		mustContain(t, page, `<span class="badge">Locked</span>`, `action="`+modPath("unlock")+`"`, ">Unlock</button>")
		mustNotContain(t, page, `action="`+modPath("lock")+`"`)

		// Nobody's reply is taken, a moderator's included, and the text is
		// kept on screen.
		for who, b := range map[string]*apptest.Browser{"member": member, "moderator": m} {
			res := b.Submit(topicPath, replyPath, url.Values{"body": {"A protocol lets the nurses titrate."}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			mustContain(t, res, "This topic is locked and takes no new replies.", "A protocol lets the nurses titrate.")
			if got, err := a.Store.TopicByID(ctx, topic.ID); err != nil || got.PostCount != 1 {
				t.Fatalf("a %s's reply to the locked topic was saved: %+v, %v", who, got, err)
			}
		}

		// Unlocked, it takes replies again.
		wantStatus(t, m.Submit(topicPath, modPath("unlock"), nil), http.StatusSeeOther)
		mustNotContain(t, m.Get(topicPath), `<span class="badge">Locked</span>`)
		res := member.Submit(topicPath, replyPath, url.Values{"body": {"A protocol lets the nurses titrate."}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, member.Get(topicPath), "A protocol lets the nurses titrate.")

		// Pinned, it heads its board.
		mustNotContain(t, member.Get("/b/cardiology"), "Pinned topics")
		wantStatus(t, m.Submit(topicPath, modPath("pin"), nil), http.StatusSeeOther)
		mustContain(t, m.Get(topicPath), `action="`+modPath("unpin")+`"`, ">Unpin</button>")
		board := member.Get("/b/cardiology")
		pinned := between(board.Body, "Pinned topics</h2>", "Topics by latest activity</h2>")
		if !strings.Contains(pinned, topicLink) || strings.Contains(pinned, "Beta blockers after MI") {
			t.Fatalf("the pinned topics are not just the pinned one:\n%s", board.Body)
		}
		wantStatus(t, m.Submit(topicPath, modPath("unpin"), nil), http.StatusSeeOther)
		mustNotContain(t, member.Get("/b/cardiology"), "Pinned topics")
		wantStatus(t, m.Submit(topicPath, modPath("pin"), nil), http.StatusSeeOther)

		// The move form offers the other open boards only; a bad choice
		// comes back with the reason kept.
		nurses := a.Group(t, "Nurses", "nurse", "")
		a.Restrict(t, nursing, []*models.Group{nurses}, []*models.Group{nurses})
		form := m.Get(modPath("move"))
		wantStatus(t, form, http.StatusOK)
		mustContain(t, form, `<select id="field-board" name="board"`, fmt.Sprintf(`<option value="%d">Nursing</option>`, nursing.ID))
		mustNotContain(t, form, fmt.Sprintf(`<option value="%d"`, cardio.ID), fmt.Sprintf(`<option value="%d"`, archive.ID))
		refusals := []struct {
			name, board, want string
		}{
			{"no board", "", "Choose the board to move the topic to."},
			{"the same board", fmt.Sprint(cardio.ID), "The topic is already on Cardiology. Choose another board."},
			{"an archived board", fmt.Sprint(archive.ID), "That board is archived and takes no new topics."},
			{"a board that does not exist", "99999", "That board no longer exists."},
		}
		for _, r := range refusals {
			t.Run("move to "+r.name, func(t *testing.T) {
				res := m.Submit(modPath("move"), modPath("move"), url.Values{"board": {r.board}, "reason": {"Belongs with nursing practice"}})
				wantStatus(t, res, http.StatusUnprocessableEntity)
				mustContain(t, res, r.want, ">Belongs with nursing practice</textarea>", `aria-invalid="true"`)
			})
		}
		if got, err := a.Store.TopicByID(ctx, topic.ID); err != nil || got.BoardID != cardio.ID {
			t.Fatalf("a refused move moved the topic: %+v, %v", got, err)
		}

		res = m.Submit(modPath("move"), modPath("move"), url.Values{"board": {fmt.Sprint(nursing.ID)}, "reason": {"Belongs with nursing practice"}})
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != topicPath {
			t.Fatalf("the move sent the moderator to %q, want %q", res.Location(), topicPath)
		}
		mustContain(t, m.Get(topicPath), `<nav class="crumbs" aria-label="Breadcrumb"><a href="/">Boards</a> › <a href="/b/nursing">Nursing</a></nav>`)
		mustNotContain(t, member.Get("/b/cardiology"), topicLink, "Heparin drips overnight")
		mustContain(t, m.Get("/b/nursing"), topicLink)
		// The member is no nurse: the topic is gone for them, not forbidden.
		wantStatus(t, member.Get(topicPath), http.StatusNotFound)
		for slug, want := range map[string]string{"cardiology": "1 topics, 1 posts", "nursing": "1 topics, 2 posts"} {
			b, err := a.Store.BoardBySlug(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%d topics, %d posts", b.TopicCount, b.PostCount); got != want {
				t.Fatalf("%s counts %s after the move, want %s", slug, got, want)
			}
		}

		// Administrators read every step in the audit log, each once.
		audit := signedInAdmin(t, a).Get("/admin/audit?subject=topic")
		wantStatus(t, audit, http.StatusOK)
		mustContain(t, audit, "Dr. Mo Derator", "Going in circles", "from cardiology to nursing: Belongs with nursing practice",
			fmt.Sprintf("topic %d", topic.ID))
		for action, want := range map[string]int{"topic.lock": 1, "topic.unlock": 1, "topic.pin": 2, "topic.unpin": 1, "topic.move": 1} {
			if got := strings.Count(audit.Body, "<code>"+action+"</code>"); got != want {
				t.Errorf("the audit log shows %s %d times, want %d", action, got, want)
			}
		}
	})
}

func TestModTopicMissingTopicIsNotFound(t *testing.T) {
	a := apptest.New(t)
	mod := a.Moderator(t, "mod", "Dr. Mo Derator", "Internal Medicine")
	a.Board(t, "cardiology", "Cardiology")
	m := a.Browser(t)
	m.SignIn(mod)
	for _, action := range []string{"lock", "unlock", "pin", "unpin", "move"} {
		res := m.Submit("/b/cardiology", fmt.Sprintf("/mod/topics/99999/%s", action), url.Values{"board": {"1"}})
		wantStatus(t, res, http.StatusNotFound)
	}
	wantStatus(t, m.Get("/mod/topics/99999/move"), http.StatusNotFound)
}
