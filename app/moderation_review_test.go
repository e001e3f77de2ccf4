package app_test

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
	"rounds/search"
)

// reportPost sends a member's report on a post from its report form.
func reportPost(b *apptest.Browser, postID int64, reason, note string) *apptest.Response {
	path := fmt.Sprintf("/p/%d/flag", postID)
	return b.Submit(path, path, url.Values{"reason": {reason}, "note": {note}})
}

// decide sends a moderator's action from the post's review page.
func decide(m *apptest.Browser, postID int64, action string, form url.Values) *apptest.Response {
	page := fmt.Sprintf("/mod/review/%d", postID)
	return m.Submit(page, page+"/"+action, form)
}

// countRows counts the rows of a table that match a condition.
func countRows(t *testing.T, a *apptest.App, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := a.Store.DB().Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatalf("count %s where %s: %v", table, where, err)
	}
	return n
}

// flagsOn reads every report on a post, oldest first.
func flagsOn(t *testing.T, a *apptest.App, postID int64) []models.Flag {
	t.Helper()
	var flags []models.Flag
	if err := a.Store.DB().Where("post_id = ?", postID).Order("id").Find(&flags).Error; err != nil {
		t.Fatal(err)
	}
	return flags
}

// wantResolved checks that every report on a post is closed by the
// moderator with the resolution.
func wantResolved(t *testing.T, a *apptest.App, postID int64, mod *models.User, resolution string) {
	t.Helper()
	flags := flagsOn(t, a, postID)
	if len(flags) == 0 {
		t.Fatalf("post %d has no reports", postID)
	}
	for _, f := range flags {
		if f.ResolvedAt == nil || f.ResolvedByID == nil || *f.ResolvedByID != mod.ID || f.Resolution != resolution {
			t.Fatalf("report %d on post %d: resolved %v by %v as %q, want by %d as %q",
				f.ID, postID, f.ResolvedAt, f.ResolvedByID, f.Resolution, mod.ID, resolution)
		}
	}
}

// indexFinds asks the search index itself, not the search page (which
// re-reads the posts it finds), how many posts hold every word, across
// all boards. Call CatchUp first.
func indexFinds(t *testing.T, a *apptest.App, words ...string) uint64 {
	t.Helper()
	res, err := a.Index.Search(t.Context(), search.Request{Query: search.Query{Words: words}, Scope: search.Scope{All: true}})
	if err != nil {
		t.Fatalf("search the index for %v: %v", words, err)
	}
	return res.Posts
}

func postPath(p *models.Post) string { return fmt.Sprintf("/p/%d", p.ID) }

func reviewLink(p *models.Post) string { return fmt.Sprintf(`href="/mod/review/%d"`, p.ID) }

// pendingTombstone is what members read in place of a post a patient
// identifier report hid.
var pendingTombstone = "This post was hidden by the moderators. Reason: " + template.HTMLEscapeString(models.PendingPHIReason)

func TestModerationReviewFlagHidesThenEachActionResolves(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		byrne := a.Member(t, apptest.Byrne)
		chen := a.Member(t, apptest.Chen)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Overnight troponin pathways", "How do you run the 0/1 h pathway at night?")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)

		reporter, reader, author, m := a.SignedIn(t, byrne), a.SignedIn(t, chen), a.SignedIn(t, weber), a.SignedIn(t, mod)

		cases := []struct {
			name, word string
			mrn        string // the identifier the reply gives away
			// act takes the moderator's decision and returns where it led.
			act        func(t *testing.T, p *models.Post) *apptest.Response
			done       string
			resolution string // "" when the reports went with the post
			// after checks what members see once the index caught up.
			after func(t *testing.T, p *models.Post)
		}{
			{
				name: "dismiss", word: "quenterberry", mrn: "4417820", done: "dismiss", resolution: "dismissed",
				act: func(t *testing.T, p *models.Post) *apptest.Response {
					return decide(m, p.ID, "dismiss", url.Values{"reason": {""}})
				},
				after: func(t *testing.T, p *models.Post) {
					res := reader.Get(topicPath)
					mustContain(t, res, "quenterberry")
					mustNotContain(t, res, pendingTombstone)
					if n := indexFinds(t, a, "quenterberry"); n != 1 {
						t.Fatalf("the index finds the dismissed post %d times, want once", n)
					}
					mustContain(t, reader.Get(searchFor("quenterberry")), fmt.Sprintf(`href="/p/%d"`, p.ID))
				},
			},
			{
				name: "hide", word: "vorlandine", mrn: "4417821", done: "hide", resolution: "hidden",
				act: func(t *testing.T, p *models.Post) *apptest.Response {
					return decide(m, p.ID, "hide", url.Values{"reason": {"Names a bed & a date of admission"}})
				},
				after: func(t *testing.T, p *models.Post) {
					res := reader.Get(topicPath)
					mustContain(t, res, "This post was hidden by the moderators. Reason: Names a bed &amp; a date of admission")
					mustNotContain(t, res, "vorlandine", pendingTombstone)
					if n := indexFinds(t, a, "vorlandine"); n != 0 {
						t.Fatalf("the index finds the hidden post %d times", n)
					}
					got, err := a.Store.PostByID(t.Context(), p.ID)
					if err != nil || got.HiddenByID == nil || *got.HiddenByID != mod.ID {
						t.Fatalf("the hide is not the moderator's: %+v, %v", got, err)
					}
				},
			},
			{
				name: "redact", word: "brindlewick", mrn: "4417823", done: "redact", resolution: "edited",
				act: func(t *testing.T, p *models.Post) *apptest.Response {
					redact := fmt.Sprintf("/mod/review/%d/redact", p.ID)
					form := m.Get(redact)
					wantStatus(t, form, http.StatusOK)
					mustContain(t, form, "MRN 4417823", `name="version" value="1"`)
					// The identifier check still guards the moderator's text.
					res := m.Submit(redact, redact, url.Values{"version": {"1"},
						"body": {"Brindlewick regimen for MRN 4417823, second try"}})
					wantStatus(t, res, http.StatusUnprocessableEntity)
					mustContain(t, res, "Brindlewick regimen for MRN 4417823, second try")
					if got := flagsOn(t, a, p.ID); got[0].ResolvedAt != nil {
						t.Fatal("a refused redaction closed the report")
					}
					return m.Submit(redact, redact, url.Values{"version": {"1"},
						"body": {"The brindlewick regimen worked for my patient."}})
				},
				after: func(t *testing.T, p *models.Post) {
					res := reader.Get(topicPath)
					mustContain(t, res, "The brindlewick regimen worked for my patient.")
					mustNotContain(t, res, "4417823", pendingTombstone)
					var revs []models.PostRevision
					if err := a.Store.DB().Where("post_id = ?", p.ID).Order("version").Find(&revs).Error; err != nil {
						t.Fatal(err)
					}
					if len(revs) != 2 || revs[0].RedactedAt == nil || revs[0].Source != "" || revs[1].RedactedAt != nil ||
						revs[1].Source != "The brindlewick regimen worked for my patient." {
						t.Fatalf("revisions after the redaction: %+v", revs)
					}
					if n := countRows(t, a, "post_revisions", "source LIKE ?", "%4417823%"); n != 0 {
						t.Fatalf("%d revisions still hold the MRN", n)
					}
					// Its author and the moderators read the history.
					for _, b := range []*apptest.Browser{m, author} {
						res := b.Get(fmt.Sprintf("/p/%d/history", p.ID))
						wantStatus(t, res, http.StatusOK)
						mustContain(t, res, "A moderator erased this version on")
						mustNotContain(t, res, "4417823")
					}
					review := m.Get(fmt.Sprintf("/mod/review/%d", p.ID))
					mustContain(t, review, "Erased by a moderator on")
					mustNotContain(t, review, "4417823")
					if n := indexFinds(t, a, "brindlewick"); n != 1 {
						t.Fatalf("the index finds the redacted post %d times, want once", n)
					}
					if n := indexFinds(t, a, "4417823"); n != 0 {
						t.Fatalf("the index still finds the MRN in %d posts", n)
					}
				},
			},
			{
				name: "delete", word: "caldermoss", mrn: "4417824", done: "delete", resolution: "deleted",
				act: func(t *testing.T, p *models.Post) *apptest.Response {
					return decide(m, p.ID, "delete", url.Values{"reason": {"Identifies a patient beyond repair"}})
				},
				after: func(t *testing.T, p *models.Post) {
					res := reader.Get(topicPath)
					mustContain(t, res, `<p class="tombstone">This post was deleted.</p>`)
					mustNotContain(t, res, "caldermoss", pendingTombstone)
					if n := indexFinds(t, a, "caldermoss"); n != 0 {
						t.Fatalf("the index finds the deleted post %d times", n)
					}
				},
			},
			{
				name: "purge", word: "ostrafell", mrn: "4417825", done: "purge",
				act: func(t *testing.T, p *models.Post) *apptest.Response {
					return decide(m, p.ID, "purge", url.Values{"reason": {"Identified a patient"}, "confirm": {"yes"}})
				},
				after: func(t *testing.T, p *models.Post) {
					mustNotContain(t, reader.Get(topicPath), "ostrafell", pendingTombstone)
					wantStatus(t, reader.Get(postPath(p)), http.StatusNotFound)
					if n := countRows(t, a, "posts", "id = ?", p.ID) + countRows(t, a, "flags", "post_id = ?", p.ID); n != 0 {
						t.Fatalf("%d rows of the purged post or its reports are left", n)
					}
					if n := indexFinds(t, a, "ostrafell"); n != 0 {
						t.Fatalf("the index finds the purged post %d times", n)
					}
				},
			},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				reply := a.Reply(t, topic, weber, fmt.Sprintf("My %s approach for MRN %s on bed 4.", c.word, c.mrn))
				a.CatchUp(t)
				if n := indexFinds(t, a, c.word); n != 1 {
					t.Fatalf("before the report the index finds the reply %d times, want once", n)
				}

				// A third member reports it as identifying a patient: it is
				// hidden from members at once.
				mustContain(t, reader.Get(topicPath), fmt.Sprintf(`href="/p/%d/flag"`, reply.ID))
				res := reportPost(reporter, reply.ID, "phi", "Bed number and MRN")
				wantStatus(t, res, http.StatusSeeOther)
				if want := fmt.Sprintf("/p/%d/flag", reply.ID); res.Location() != want {
					t.Fatalf("the report led to %q, want %q", res.Location(), want)
				}
				res = reporter.Get(res.Location())
				mustContain(t, res, "<h1>Reported</h1>", "You reported this post (Identifies a patient)",
					"The post is hidden from members until a moderator has looked at it.")
				hidden, err := a.Store.PostByID(t.Context(), reply.ID)
				if err != nil || hidden.HiddenAt == nil || hidden.HiddenByID != nil || hidden.HiddenReason != models.PendingPHIReason {
					t.Fatalf("the reported post is not hidden pending review: %+v, %v", hidden, err)
				}
				res = reader.Get(topicPath)
				mustContain(t, res, pendingTombstone)
				mustNotContain(t, res, c.word, c.mrn, fmt.Sprintf(`href="/p/%d/flag"`, reply.ID))
				a.CatchUp(t)
				if n := indexFinds(t, a, c.word); n != 0 {
					t.Fatalf("the index still finds the hidden reply %d times", n)
				}
				mustContain(t, reader.Get(searchFor(c.word)), "Nothing matches")

				// Moderators still read it, from the topic page and the queue.
				mustContain(t, m.Get(topicPath), c.word, reviewLink(reply))
				queue := m.Get("/mod/review")
				wantStatus(t, queue, http.StatusOK)
				mustContain(t, queue, reviewLink(reply), "by Jonas Weber, RN", "Identifies a patient", `<span class="badge">Hidden</span>`)
				review := m.Get(fmt.Sprintf("/mod/review/%d", reply.ID))
				wantStatus(t, review, http.StatusOK)
				mustContain(t, review, c.word, "from Siobhan Byrne", "Bed number and MRN", "Hidden from members by a report that it identifies a patient",
					"Medical record number")

				res = c.act(t, reply)
				wantStatus(t, res, http.StatusSeeOther)
				if want := "/mod/review?done=" + c.done; res.Location() != want {
					t.Fatalf("the %s led to %q, want %q", c.name, res.Location(), want)
				}
				queue = m.Get(res.Location())
				mustContain(t, queue, `<p class="notice" role="status">`)
				mustNotContain(t, queue, reviewLink(reply))
				if c.resolution != "" {
					wantResolved(t, a, reply.ID, mod, c.resolution)
				}
				a.CatchUp(t)
				c.after(t, reply)
			})
		}
	})
}

func TestFlagReportsThatDoNotHideAndRefusals(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		byrne := a.Member(t, apptest.Byrne)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Statins after 80", "Do you deprescribe?")
		spam := a.Reply(t, topic, weber, "Try MiracleCardio supplements today.")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		reporter, author, m := a.SignedIn(t, byrne), a.SignedIn(t, weber), a.SignedIn(t, mod)

		// The topic page offers the report to others, not to the author;
		// moderators get the review page.
		flagLink := fmt.Sprintf(`href="/p/%d/flag"`, spam.ID)
		mustContain(t, reporter.Get(topicPath), flagLink)
		mustNotContain(t, reporter.Get(topicPath), reviewLink(spam))
		mustNotContain(t, author.Get(topicPath), flagLink)
		mustContain(t, m.Get(topicPath), reviewLink(spam))

		t.Run("a spam report leaves the post shown", func(t *testing.T) {
			wantStatus(t, reportPost(reporter, spam.ID, "spam", ""), http.StatusSeeOther)
			got, err := a.Store.PostByID(t.Context(), spam.ID)
			if err != nil || got.IsHidden() {
				t.Fatalf("a spam report hid the post: %+v, %v", got, err)
			}
			mustContain(t, author.Get(topicPath), "MiracleCardio")
			queue := m.Get("/mod/review")
			mustContain(t, queue, reviewLink(spam), "1 report", `flag-spam">Spam</span>`)
			mustNotContain(t, queue, `<span class="badge">Hidden</span>`)
			if n := countRows(t, a, "audit_events", "action = ?", "post.hide"); n != 0 {
				t.Fatalf("%d post.hide entries after a spam report", n)
			}
		})

		t.Run("a second report while one is open is ignored", func(t *testing.T) {
			res := reportPost(reporter, spam.ID, "phi", "")
			wantStatus(t, res, http.StatusSeeOther)
			mustContain(t, reporter.Get(res.Location()), "You reported this post (Spam)")
			if flags := flagsOn(t, a, spam.ID); len(flags) != 1 || flags[0].Reason != models.FlagSpam {
				t.Fatalf("reports after a second one: %+v", flags)
			}
			if got, err := a.Store.PostByID(t.Context(), spam.ID); err != nil || got.IsHidden() {
				t.Fatalf("the ignored phi report hid the post: %+v, %v", got, err)
			}
		})

		other := a.Reply(t, topic, okafor, "Only with frailty.")
		t.Run("other without a note is refused and keeps what was typed", func(t *testing.T) {
			for _, note := range []string{"", "odd"} {
				res := reportPost(reporter, other.ID, "other", note)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				mustContain(t, res, "Say in a few words what the moderators should look at.",
					`value="other" checked`, ">"+note+"</textarea>", `aria-invalid="true"`)
			}
			res := reportPost(reporter, other.ID, "", "Something about it")
			wantStatus(t, res, http.StatusUnprocessableEntity)
			mustContain(t, res, "Choose what is wrong with the post.", ">Something about it</textarea>")
			res = reportPost(reporter, other.ID, "spam", strings.Repeat("é", 1001))
			wantStatus(t, res, http.StatusUnprocessableEntity)
			mustContain(t, res, "The note can be at most 1000 characters; yours has 1001.")
			if n := countRows(t, a, "flags", "post_id = ?", other.ID); n != 0 {
				t.Fatalf("%d reports recorded from refused forms", n)
			}
		})

		t.Run("one's own post cannot be reported", func(t *testing.T) {
			path := fmt.Sprintf("/p/%d/flag", spam.ID)
			wantStatus(t, author.Get(path), http.StatusForbidden)
			res := author.Submit(topicPath, path, url.Values{"reason": {"spam"}})
			wantStatus(t, res, http.StatusForbidden)
			mustContain(t, res, "This is your own post")
			if n := countRows(t, a, "flags", "reporter_id = ?", weber.ID); n != 0 {
				t.Fatalf("%d reports by the author on their own post", n)
			}
		})

		t.Run("a deleted post cannot be reported", func(t *testing.T) {
			gone := a.Reply(t, topic, okafor, "Regretted remark.")
			if err := a.Store.DeletePost(t.Context(), gone.ID, okafor.ID); err != nil {
				t.Fatal(err)
			}
			wantStatus(t, reporter.Get(fmt.Sprintf("/p/%d/flag", gone.ID)), http.StatusNotFound)
			wantStatus(t, reporter.Submit(topicPath, fmt.Sprintf("/p/%d/flag", gone.ID), url.Values{"reason": {"spam"}}), http.StatusNotFound)
		})

		t.Run("members have no review queue", func(t *testing.T) {
			wantStatus(t, reporter.Get("/mod/review"), http.StatusForbidden)
			wantStatus(t, reporter.Get(fmt.Sprintf("/mod/review/%d", spam.ID)), http.StatusForbidden)
			wantStatus(t, reporter.Get(fmt.Sprintf("/mod/review/%d/redact", spam.ID)), http.StatusForbidden)
			for _, action := range []string{"dismiss", "hide", "delete", "purge", "warn", "suspend", "redact"} {
				res := reporter.Submit(topicPath, fmt.Sprintf("/mod/review/%d/%s", spam.ID, action),
					url.Values{"reason": {"I do not like it"}, "confirm": {"yes"}, "length": {"indefinite"}, "body": {"x"}, "version": {"1"}})
				wantStatus(t, res, http.StatusForbidden)
			}
			got, err := a.Store.PostByID(t.Context(), spam.ID)
			if err != nil || got.IsHidden() || got.IsDeleted() {
				t.Fatalf("a member's attempts changed the post: %+v, %v", got, err)
			}
			if flags := flagsOn(t, a, spam.ID); flags[0].ResolvedAt != nil {
				t.Fatal("a member's attempts closed the report")
			}
			if n := countRows(t, a, "member_warnings", "1 = 1") + countRows(t, a, "users", "status = ?", models.StatusSuspended); n != 0 {
				t.Fatalf("a member's attempts warned or suspended someone (%d)", n)
			}
		})

		t.Run("a refused action comes back with the reason kept", func(t *testing.T) {
			for _, r := range []struct{ action, reason, want string }{
				{"hide", "Ads", "Give the reason members and the author will see in place of the post."},
				{"delete", "", "Say why the post is deleted; the audit log keeps it."},
				{"purge", "Advertising supplements", "Tick the box to confirm: a purge cannot be undone."},
				{"hide", strings.Repeat("a", 501), "The reason can be at most 500 characters; yours has 501."},
			} {
				res := decide(m, spam.ID, r.action, url.Values{"reason": {r.reason}})
				wantStatus(t, res, http.StatusUnprocessableEntity)
				mustContain(t, res, "Nothing was done", r.want, ">"+r.reason+"</textarea>")
			}
			wantStatus(t, decide(m, spam.ID, "promote", url.Values{"reason": {"Because"}}), http.StatusNotFound)
			got, err := a.Store.PostByID(t.Context(), spam.ID)
			if err != nil || got.IsHidden() || got.IsDeleted() {
				t.Fatalf("refused actions changed the post: %+v, %v", got, err)
			}
			mustContain(t, m.Get("/mod/review"), reviewLink(spam))
		})
	})
}

func TestModerationReviewKeepsAnonymousAuthorsAnonymous(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor.In("Obstetrics & Gynecology"))
		weber := a.Member(t, apptest.Weber)
		byrne := a.Member(t, apptest.Byrne)
		mod := a.Member(t, apptest.Park)
		board := a.Board(t, "frank", "Frank talk")
		board.AllowAnonymous = true
		if err := a.Store.UpdateBoard(t.Context(), board); err != nil {
			t.Fatal(err)
		}
		topic := a.Topic(t, board, weber, "Near misses", "Share yours.")
		reply := a.AnonymousReply(t, topic, okafor, "I nearly gave 10 g of magnesium to the wrong patient.")
		hidden := []string{"Okafor", "okafor", "Amara"}

		author := a.SignedIn(t, okafor)
		edit := fmt.Sprintf("/p/%d/edit", reply.ID)
		wantStatus(t, author.Submit(edit, edit, url.Values{"version": {"1"},
			"body": {"I nearly gave 10 g of magnesium to the wrong patient. Double checks saved me."}}), http.StatusSeeOther)

		reporter := a.SignedIn(t, byrne)
		res := reporter.Get(fmt.Sprintf("/p/%d/flag", reply.ID))
		wantStatus(t, res, http.StatusOK)
		mustNotContain(t, res, hidden...)
		wantStatus(t, reportPost(reporter, reply.ID, "unprofessional", "Flippant about an error"), http.StatusSeeOther)
		res = reporter.Get(fmt.Sprintf("/p/%d/flag", reply.ID))
		mustContain(t, res, "You reported this post (Unprofessional)")
		mustNotContain(t, res, hidden...)

		m := a.SignedIn(t, mod)
		queue := m.Get("/mod/review")
		wantStatus(t, queue, http.StatusOK)
		mustContain(t, queue, reviewLink(reply), "by Anonymous Obstetrics &amp; Gynecology")
		mustNotContain(t, queue, hidden...)

		reviewPath := fmt.Sprintf("/mod/review/%d", reply.ID)
		review := m.Get(reviewPath)
		wantStatus(t, review, http.StatusOK)
		mustContain(t, review, "by Anonymous Obstetrics &amp; Gynecology", "The author posted anonymously. Their record is not shown",
			"Version 2 by Anonymous", "Version 1 by Anonymous")
		mustNotContain(t, review, append(hidden, "member since", "Moderation history", `class="record"`)...)

		// A warning reaches the author without the page naming them.
		res = decide(m, reply.ID, "warn", url.Values{"reason": {"Please write about errors with care."}})
		wantStatus(t, res, http.StatusSeeOther)
		review = m.Get(res.Location())
		mustContain(t, review, "The warning was sent")
		mustNotContain(t, review, hidden...)
		if n := countRows(t, a, "member_warnings", "user_id = ?", okafor.ID); n != 1 {
			t.Fatalf("%d warnings reached the anonymous author, want 1", n)
		}
		// A refused form names nobody either.
		res = decide(m, reply.ID, "suspend", url.Values{"reason": {"Repeated"}, "length": {"until"}, "until": {"2001-01-01"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "The last day of the suspension cannot be in the past.")
		mustNotContain(t, res, hidden...)
	}, apptest.Options{Env: map[string]string{"ROUNDS_ANONYMITY_K": "1"}})
}

func TestFlagRateLimitRefusesAndRecordsNothing(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		byrne := a.Member(t, apptest.Byrne)
		topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "Statins after 80", "Do you deprescribe?")
		replies := []*models.Post{a.Reply(t, topic, weber, "One."), a.Reply(t, topic, weber, "Two."), a.Reply(t, topic, weber, "Three.")}
		b := a.SignedIn(t, byrne)
		for _, p := range replies[:2] {
			wantStatus(t, reportPost(b, p.ID, "spam", ""), http.StatusSeeOther)
		}
		res := reportPost(b, replies[2].ID, "phi", "Bed 4 named")
		wantStatus(t, res, http.StatusTooManyRequests)
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 || s > 3600 {
			t.Fatalf("Retry-After %q", res.Header.Get("Retry-After"))
		}
		mustContain(t, res, "Nothing was sent.", ">Bed 4 named</textarea>", `value="phi" checked`)
		if n := countRows(t, a, "flags", "1 = 1"); n != 2 {
			t.Fatalf("%d reports recorded, want 2", n)
		}
		if n := countRows(t, a, "audit_events", "action = ?", "post.flag"); n != 2 {
			t.Fatalf("%d post.flag entries, want 2", n)
		}
		if got, err := a.Store.PostByID(t.Context(), replies[2].ID); err != nil || got.IsHidden() {
			t.Fatalf("the refused phi report hid the post: %+v, %v", got, err)
		}
		// Another member has limits of their own.
		other := a.SignedIn(t, okafor)
		wantStatus(t, reportPost(other, replies[2].ID, "spam", ""), http.StatusSeeOther)
	}, apptest.Options{Env: map[string]string{"ROUNDS_RATE_LIMITS": "flag=2/1h"}})
}

func TestModerationReviewUnhidesWithoutAReason(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		author := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		topic := a.Topic(t, a.Board(t, "icu", "ICU"), author, "Sedation holidays", "Who does them daily?")
		reply := a.Reply(t, topic, author, "We do, at 6 am.")
		m := a.Browser(t)
		m.SignIn(mod)

		res := decide(m, reply.ID, "hide", url.Values{"reason": {"Checking a name in it"}})
		if res.Location() != "/mod/review?done=hide" {
			t.Fatalf("hide went to %q", res.Location())
		}
		// Unhiding reads no reason, so not even one past the limit the
		// other actions keep refuses it.
		res = decide(m, reply.ID, "unhide", url.Values{"reason": {strings.Repeat("a", 501)}})
		if res.Location() != "/mod/review?done=unhide" {
			t.Fatalf("unhide went to %q (status %d)", res.Location(), res.Status)
		}
		got, err := a.Store.PostByID(t.Context(), reply.ID)
		if err != nil || got.IsHidden() {
			t.Fatalf("the post is still hidden: %+v, %v", got, err)
		}
		if n := countRows(t, a, "audit_events", "action = 'post.unhide' AND actor_id = ? AND subject_id = ?", mod.ID, reply.ID); n != 1 {
			t.Fatalf("%d post.unhide events, want 1", n)
		}
	})
}
