package app_test

import (
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// boardCounts reads a board's topic and post counts.
func boardCounts(t *testing.T, a *apptest.App, slug string) (topics, posts int) {
	t.Helper()
	b, err := a.Store.BoardBySlug(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return int(b.TopicCount), int(b.PostCount)
}

// openingPost is a topic's post #1.
func openingPost(t *testing.T, a *apptest.App, topic *models.Topic) *models.Post {
	t.Helper()
	var p models.Post
	if err := a.Store.DB().Where("topic_id = ? AND number = 1", topic.ID).Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	return &p
}

// latestPostBy is the member's newest post in a topic.
func latestPostBy(t *testing.T, a *apptest.App, topic *models.Topic, u *models.User) *models.Post {
	t.Helper()
	var p models.Post
	if err := a.Store.DB().Where("topic_id = ? AND author_id = ?", topic.ID, u.ID).Order("number DESC").Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	return &p
}

func TestPurgeLeavesNothingOfAReplyButTheAuditEntry(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		patel := a.Member(t, apptest.Patel)
		byrne := a.Member(t, apptest.Byrne)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "icu", "ICU")
		topic := a.Topic(t, board, okafor, "Handover at night", "What do you hand over?")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		own := "https://guides.example.org/zephyrquill-checklist"
		shared := "https://shared.example.org/sbar"

		// Weber replies with two links and a mention, then edits the reply.
		author := a.SignedIn(t, weber)
		res := author.Submit(topicPath, topicPath+"/reply", url.Values{"body": {
			"The zephyrquill checklist: " + own + " and " + shared + ", ask @patel."}})
		wantStatus(t, res, http.StatusSeeOther)
		reply := latestPostBy(t, a, topic, weber)
		edit := fmt.Sprintf("/p/%d/edit", reply.ID)
		res = author.Submit(edit, edit, url.Values{"version": {"1"}, "body": {
			"The zephyrquill checklist, edited: " + own + " and " + shared + ", ask @patel."}})
		wantStatus(t, res, http.StatusSeeOther)
		// Okafor links to one of the same pages.
		owner := a.SignedIn(t, okafor)
		wantStatus(t, owner.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"SBAR works: " + shared}}), http.StatusSeeOther)
		kept := latestPostBy(t, a, topic, okafor)

		reporter := a.SignedIn(t, byrne)
		wantStatus(t, reportPost(reporter, reply.ID, "spam", "Zephyrquill advertising again"), http.StatusSeeOther)
		m := a.SignedIn(t, mod)
		wantStatus(t, decide(m, reply.ID, "warn", url.Values{"reason": {"Please do not advertise."}}), http.StatusSeeOther)

		// Everything the purge must take is there.
		for _, c := range []struct {
			table, where string
			args         []any
			want         int64
		}{
			{"post_revisions", "post_id = ?", []any{reply.ID}, 2},
			{"flags", "post_id = ?", []any{reply.ID}, 1},
			{"post_links", "post_id = ?", []any{reply.ID}, 2},
			{"notifications", "post_id = ? AND user_id = ? AND kind = 'mention'", []any{reply.ID, patel.ID}, 1},
			{"link_previews", "url = ?", []any{own}, 1},
			{"link_previews", "url = ?", []any{shared}, 1},
			{"member_warnings", "post_id = ?", []any{reply.ID}, 1},
		} {
			if n := countRows(t, a, c.table, c.where, c.args...); n != c.want {
				t.Fatalf("before the purge %s where %s %v: %d rows, want %d", c.table, c.where, c.args, n, c.want)
			}
		}
		a.CatchUp(t)
		if n := indexFinds(t, a, "zephyrquill"); n != 1 {
			t.Fatalf("before the purge the index finds %d posts, want 1", n)
		}
		topicsBefore, postsBefore := boardCounts(t, a, "icu")

		// The purge needs the box ticked; a refusal keeps the reason and
		// removes nothing.
		reason := "Advertising with a patient's initials"
		res = decide(m, reply.ID, "purge", url.Values{"reason": {reason}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Tick the box to confirm", ">"+template.HTMLEscapeString(reason)+"</textarea>", "The post, its versions, its reports")
		if n := countRows(t, a, "posts", "id = ?", reply.ID); n != 1 {
			t.Fatal("a refused purge removed the post")
		}

		res = decide(m, reply.ID, "purge", url.Values{"reason": {reason}, "confirm": {"yes"}})
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/mod/review?done=purge" {
			t.Fatalf("the purge led to %q", res.Location())
		}
		mustContain(t, m.Get(res.Location()), "The post was purged: nothing of it is left but the audit entry.")

		for _, c := range []struct {
			table, where string
			args         []any
			want         int64
		}{
			{"posts", "id = ?", []any{reply.ID}, 0},
			{"post_revisions", "post_id = ?", []any{reply.ID}, 0},
			{"flags", "post_id = ?", []any{reply.ID}, 0},
			{"post_links", "post_id = ?", []any{reply.ID}, 0},
			{"notifications", "post_id = ?", []any{reply.ID}, 0},
			{"link_previews", "url = ?", []any{own}, 0},
			// The other post still links to this one.
			{"link_previews", "url = ?", []any{shared}, 1},
			{"post_links", "post_id = ?", []any{kept.ID}, 1},
			// The warning stays with the member, no longer pointing at the post.
			{"member_warnings", "user_id = ? AND post_id IS NULL", []any{weber.ID}, 1},
			{"audit_events", "action = 'post.purge'", nil, 1},
			{"audit_events", "LOWER(reason) LIKE ?", []any{"%zephyrquill%"}, 0},
			{"audit_events", "LOWER(reason) LIKE ?", []any{"%example.org%"}, 0},
		} {
			if n := countRows(t, a, c.table, c.where, c.args...); n != c.want {
				t.Errorf("after the purge %s where %s %v: %d rows, want %d", c.table, c.where, c.args, n, c.want)
			}
		}
		var entry models.AuditEvent
		if err := a.Store.DB().Where("action = 'post.purge'").Take(&entry).Error; err != nil {
			t.Fatal(err)
		}
		if entry.Reason != reason || entry.SubjectType != "post" || entry.SubjectID != reply.ID || entry.ActorID == nil || *entry.ActorID != mod.ID {
			t.Fatalf("the purge's audit entry: %+v", entry)
		}
		if topics, posts := boardCounts(t, a, "icu"); topics != topicsBefore || posts != postsBefore-1 {
			t.Fatalf("the board counts %d topics, %d posts after the purge, want %d, %d", topics, posts, topicsBefore, postsBefore-1)
		}

		a.CatchUp(t)
		if n := indexFinds(t, a, "zephyrquill"); n != 0 {
			t.Fatalf("after the purge the index still finds %d posts", n)
		}
		mustContain(t, owner.Get(searchFor("zephyrquill")), "Nothing matches")
		wantStatus(t, owner.Get(postPath(reply)), http.StatusNotFound)
		res = owner.Get(topicPath)
		mustContain(t, res, "SBAR works")
		mustNotContain(t, res, "zephyrquill", "Zephyrquill")
		mustNotContain(t, a.Browser(t).Get("/"), "zephyrquill")
		nephro := a.SignedIn(t, patel)
		mustNotContain(t, nephro.Get("/notifications"), "mentioned you in")
		mustNotContain(t, m.Get("/mod/review"), reviewLink(reply))
		wantStatus(t, m.Get(fmt.Sprintf("/mod/review/%d", reply.ID)), http.StatusNotFound)

		audit := signedInAdmin(t, a).Get("/admin/audit?action=post.purge")
		mustContain(t, audit, "<code>post.purge</code>", "Dr. Lena Park", "Advertising with a patient&#39;s initials",
			fmt.Sprintf("post %d", reply.ID))
	})
}

func TestPurgeOfTheOpeningPostRemovesTheTopic(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		byrne := a.Member(t, apptest.Byrne)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "cardiology", "Cardiology")
		other := a.Topic(t, board, weber, "Statins after 80", "Do you deprescribe?")
		topic := a.Topic(t, board, okafor, "Wrenfallow syndrome in bed 12", "The wrenfallow patient in bed 12.", "safety")
		first := a.Reply(t, topic, weber, "Gildersleeve sign was positive.")
		second := a.Reply(t, topic, byrne, "Marrowgate test next.")
		opening := openingPost(t, a, topic)
		if err := a.Store.DeletePost(t.Context(), second.ID, byrne.ID); err != nil {
			t.Fatal(err)
		}
		reporter := a.SignedIn(t, byrne)
		// A report that the opening post identifies a patient would hide
		// the topic, replies and all, before the purge is even needed; a
		// report that leaves it in place shows the purge remove it.
		wantStatus(t, reportPost(reporter, first.ID, "spam", ""), http.StatusSeeOther)
		wantStatus(t, reportPost(reporter, opening.ID, "misinformation", ""), http.StatusSeeOther)
		a.CatchUp(t)
		if n := indexFinds(t, a, "gildersleeve"); n != 1 {
			t.Fatalf("before the purge the index finds the reply %d times", n)
		}
		topicsBefore, postsBefore := boardCounts(t, a, "cardiology")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)

		m := a.SignedIn(t, mod)
		mustContain(t, m.Get(fmt.Sprintf("/mod/review/%d", opening.ID)), "Purge the whole topic", "purging it removes the topic")
		res := decide(m, opening.ID, "purge", url.Values{"reason": {"Identified a patient"}, "confirm": {"yes"}})
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/mod/review?done=purge-topic" {
			t.Fatalf("the purge led to %q", res.Location())
		}
		queue := m.Get(res.Location())
		mustContain(t, queue, "The topic was purged with all its posts")
		mustNotContain(t, queue, reviewLink(opening), reviewLink(first))

		ids := []int64{opening.ID, first.ID, second.ID}
		for _, c := range []struct {
			table, where string
			args         []any
		}{
			{"topics", "id = ?", []any{topic.ID}},
			{"posts", "topic_id = ?", []any{topic.ID}},
			{"posts", "id IN ?", []any{ids}},
			{"post_revisions", "post_id IN ?", []any{ids}},
			{"flags", "post_id IN ?", []any{ids}},
			{"topic_tags", "topic_id = ?", []any{topic.ID}},
			{"notifications", "topic_id = ?", []any{topic.ID}},
			{"audit_events", "action = 'post.purge'", nil},
			{"audit_events", "LOWER(reason) LIKE ?", []any{"%wrenfallow%"}},
		} {
			if n := countRows(t, a, c.table, c.where, c.args...); n != 0 {
				t.Errorf("after the purge %s where %s %v: %d rows, want none", c.table, c.where, c.args, n)
			}
		}
		var entry models.AuditEvent
		if err := a.Store.DB().Where("action = 'topic.purge'").Take(&entry).Error; err != nil {
			t.Fatal(err)
		}
		if entry.SubjectType != "topic" || entry.SubjectID != topic.ID || entry.Reason != "Identified a patient" ||
			entry.ActorID == nil || *entry.ActorID != mod.ID {
			t.Fatalf("the topic purge's audit entry: %+v", entry)
		}
		if n := countRows(t, a, "audit_events", "action = 'topic.purge'"); n != 1 {
			t.Fatalf("%d topic.purge entries, want 1", n)
		}
		if topics, posts := boardCounts(t, a, "cardiology"); topics != topicsBefore-1 || posts != postsBefore-3 {
			t.Fatalf("the board counts %d topics, %d posts after the purge, want %d, %d", topics, posts, topicsBefore-1, postsBefore-3)
		}

		for _, b := range []*apptest.Browser{reporter, m} {
			wantStatus(t, b.Get(topicPath), http.StatusNotFound)
			wantStatus(t, b.Get(postPath(first)), http.StatusNotFound)
			res := b.Get("/b/cardiology")
			mustContain(t, res, "Statins after 80")
			mustNotContain(t, res, "Wrenfallow")
			mustNotContain(t, b.Get("/tags/safety"), "Wrenfallow")
		}
		wantStatus(t, m.Get(fmt.Sprintf("/mod/review/%d", first.ID)), http.StatusNotFound)
		a.CatchUp(t)
		for _, word := range []string{"wrenfallow", "gildersleeve", "marrowgate"} {
			if n := indexFinds(t, a, word); n != 0 {
				t.Errorf("after the purge the index finds %q in %d posts", word, n)
			}
		}
		if n := indexFinds(t, a, "deprescribe"); n != 1 {
			t.Fatalf("the other topic is found %d times, want once", n)
		}
		if _, err := a.Store.TopicByID(t.Context(), other.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// auditCounts counts the audit log's entries by action.
func auditCounts(t *testing.T, a *apptest.App) map[string]int64 {
	t.Helper()
	var rows []struct {
		Action string
		N      int64
	}
	if err := a.Store.DB().Raw(`SELECT action, COUNT(*) AS n FROM audit_events GROUP BY action`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Action] = r.N
	}
	return out
}

// auditStep is one thing done, with the audit entries it should add.
type auditStep struct {
	name string
	want map[string]int64
	do   func()
}

// wantAudited runs do and checks it added exactly the entries want counts.
func wantAudited(t *testing.T, a *apptest.App, want map[string]int64, do func()) {
	t.Helper()
	before := auditCounts(t, a)
	do()
	got := map[string]int64{}
	for action, n := range auditCounts(t, a) {
		if d := n - before[action]; d != 0 {
			got[action] = d
		}
	}
	if !maps.Equal(got, want) {
		t.Fatalf("new audit entries %v, want %v", got, want)
	}
}

func TestModerationAuditRecordsEveryAction(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		byrne := a.Member(t, apptest.Byrne)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Statins after 80", "Do you deprescribe?")
		doomed := a.Topic(t, board, weber, "Bed 12 tonight", "Our patient in bed 12.")
		reporter, second, m := a.SignedIn(t, byrne), a.SignedIn(t, okafor), a.SignedIn(t, mod)
		see := func(res *apptest.Response, location string) {
			t.Helper()
			wantStatus(t, res, http.StatusSeeOther)
			if !strings.HasPrefix(res.Location(), location) {
				t.Fatalf("led to %q, want %q", res.Location(), location)
			}
		}
		reply := func(body string) *models.Post { return a.Reply(t, topic, weber, body) }

		p1, p2, p3, p4, p5 := reply("One."), reply("Two."), reply("Three."), reply("Four, MRN 4417823."), reply("Five.")
		var steps []auditStep
		add := func(name string, want map[string]int64, do func()) { steps = append(steps, auditStep{name, want, do}) }
		// Nothing in "One." bears a first report out; a second member's
		// does, and Rounds hides the post.
		add("phi report", map[string]int64{"post.flag": 1}, func() { see(reportPost(reporter, p1.ID, "phi", "MRN"), "/p/") })
		add("second phi report", map[string]int64{"post.flag": 1, "post.hide": 1}, func() { see(reportPost(second, p1.ID, "phi", ""), "/p/") })
		add("dismiss", map[string]int64{"flags.dismiss": 1}, func() { see(decide(m, p1.ID, "dismiss", nil), "/mod/review?done=dismiss") })
		add("spam report", map[string]int64{"post.flag": 1}, func() { see(reportPost(reporter, p2.ID, "spam", ""), "/p/") })
		add("hide", map[string]int64{"post.hide": 1}, func() {
			see(decide(m, p2.ID, "hide", url.Values{"reason": {"Advertising"}}), "/mod/review?done=hide")
		})
		add("delete", map[string]int64{"post.delete": 1}, func() {
			see(decide(m, p3.ID, "delete", url.Values{"reason": {"Off topic rant"}}), "/mod/review?done=delete")
		})
		add("redact", map[string]int64{"post.redact": 1}, func() {
			path := fmt.Sprintf("/mod/review/%d/redact", p4.ID)
			see(m.Submit(path, path, url.Values{"version": {"1"}, "body": {"Four."}}), "/mod/review?done=redact")
		})
		add("purge", map[string]int64{"post.purge": 1}, func() {
			see(decide(m, p5.ID, "purge", url.Values{"reason": {"Identified a patient"}, "confirm": {"yes"}}), "/mod/review?done=purge")
		})
		add("purge a topic", map[string]int64{"topic.purge": 1}, func() {
			opening := openingPost(t, a, doomed)
			see(decide(m, opening.ID, "purge", url.Values{"reason": {"Identified a patient"}, "confirm": {"yes"}}), "/mod/review?done=purge-topic")
		})
		add("warn", map[string]int64{"user.warn": 1}, func() {
			see(decide(m, p1.ID, "warn", url.Values{"reason": {"Keep patients out of it."}}), fmt.Sprintf("/mod/review/%d?done=warn", p1.ID))
		})
		add("suspend", map[string]int64{"user.suspend": 1}, func() {
			see(decide(m, p1.ID, "suspend", url.Values{"reason": {"Three strikes"}, "length": {"indefinite"}}),
				fmt.Sprintf("/mod/review/%d?done=suspend", p1.ID))
		})
		add("unsuspend", map[string]int64{"user.unsuspend": 1}, func() {
			see(decide(m, p1.ID, "unsuspend", nil), fmt.Sprintf("/mod/review/%d?done=unsuspend", p1.ID))
		})
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) { wantAudited(t, a, s.want, s.do) })
		}

		// Pressing again changes nothing and records nothing.
		wantAudited(t, a, map[string]int64{}, func() {
			see(decide(m, p1.ID, "unsuspend", nil), "/mod/review/")
			see(decide(m, p3.ID, "delete", url.Values{"reason": {"Off topic rant"}}), "/mod/review?done=delete")
		})

		// Rounds hid the post on the report; the moderator did the rest.
		if n := countRows(t, a, "audit_events", "action = 'post.hide' AND actor_id IS NULL AND subject_id = ?", p1.ID); n != 1 {
			t.Fatalf("%d post.hide entries without an actor for the report's hide, want 1", n)
		}
		if n := countRows(t, a, "audit_events", "LOWER(reason) LIKE ?", "%4417823%"); n != 0 {
			t.Fatalf("%d audit entries quote the MRN", n)
		}
		admin := signedInAdmin(t, a)
		for action, who := range map[string]string{
			"post.flag": "Siobhan Byrne", "post.hide": "Dr. Lena Park", "flags.dismiss": "Dr. Lena Park", "post.delete": "Dr. Lena Park",
			"post.purge": "Dr. Lena Park", "topic.purge": "Dr. Lena Park", "post.redact": "Dr. Lena Park",
			"user.warn": "Dr. Lena Park", "user.suspend": "Dr. Lena Park", "user.unsuspend": "Dr. Lena Park",
		} {
			t.Run("the audit log lists "+action, func(t *testing.T) {
				res := admin.Get("/admin/audit?action=" + url.QueryEscape(action))
				wantStatus(t, res, http.StatusOK)
				rows := strings.Count(res.Body, "<code>"+action+"</code>")
				if want := countRows(t, a, "audit_events", "action = ?", action); int64(rows) != want || rows == 0 {
					t.Fatalf("the audit log shows %d %s entries, the store has %d", rows, action, want)
				}
				mustContain(t, res, "<td>"+who+"</td>")
			})
		}
		res := admin.Get("/admin/audit?action=post.hide")
		mustContain(t, res, "Rounds or an operator", "reported as identifying a patient by a second member; hidden pending review", "Advertising")
		res = admin.Get("/admin/audit?action=post.flag")
		mustContain(t, res, "<td>phi</td>", "<td>spam</td>")
		mustNotContain(t, res, "<td>MRN</td>")
		mustContain(t, admin.Get("/admin/audit?action=post.redact"), "edited out patient identifiers: Medical record number")
		mustContain(t, admin.Get("/admin/audit?action=user.suspend"), "indefinitely: Three strikes", fmt.Sprintf("user %d", weber.ID))
	})
}

// A purged reply is gone from its topic's count of replies as from its
// board's count of posts: nothing says it was ever written.
func TestPurgeOfAReplyCountsItOutOfItsTopic(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		mod := a.Member(t, apptest.Park)
		topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "Statins after 80", "Do you deprescribe?")
		reply := a.Reply(t, topic, weber, "Bed 4, MRN 4417823, stopped them.")
		m := a.SignedIn(t, mod)
		mustContain(t, m.Get(fmt.Sprintf("/t/%d", topic.ID)), "<span>1 reply</span>")
		wantStatus(t, decide(m, reply.ID, "purge", url.Values{"reason": {"Identified a patient"}, "confirm": {"yes"}}), http.StatusSeeOther)
		if _, posts := boardCounts(t, a, "cardiology"); posts != 1 {
			t.Fatalf("the board counts %d posts after the purge, want 1", posts)
		}
		mustContain(t, m.Get(fmt.Sprintf("/t/%d", topic.ID)), "<span>0 replies</span>")
		mustContain(t, m.Get("/b/cardiology"), "<span>0 replies</span>")
	})
}
