package app_test

import (
	"log/slog"
	"testing"

	"github.com/riverqueue/river"

	"rounds/app"
	"rounds/app/apptest"
)

// Posts written before posts kept their plain text get it once, from a
// background job queued at start, and search indexes them again from it.
func TestStoredPostsGetTheirPlainTextOnce(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "New AF",
			"Started **apixaban** per [the guideline](https://example.org/af).")
		reply := a.Reply(t, topic, okafor, "Check the `creatinine` first &amp; weigh them.")
		// As posts stored, and indexed, before the column was filled. The
		// indexer may have read them already, text and all: it is asked to
		// look at the topic again (an entry like its last, same time) once
		// the text is gone.
		a.CatchUp(t)
		if err := a.Store.DB().Exec(`UPDATE posts SET plain = ''`).Error; err != nil {
			t.Fatal(err)
		}
		if err := a.Store.DB().Exec(`INSERT INTO search_outbox (topic_id, post_id, created_at)
			SELECT topic_id, NULL, created_at FROM search_outbox WHERE topic_id = ? ORDER BY id DESC LIMIT 1`, topic.ID).Error; err != nil {
			t.Fatal(err)
		}
		a.CatchUp(t)
		b := a.Browser(t)
		b.SignIn(okafor)
		mustContain(t, b.Get(searchFor("apixaban")), "Nothing matches")

		queued := func() (n int64) {
			if err := a.Store.DB().Raw(`SELECT COUNT(*) FROM river_job WHERE kind = ?`, app.PlainTextArgs{}.Kind()).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		if err := a.Site.QueueOneTimeJobs(ctx); err != nil {
			t.Fatal(err)
		}
		if n := queued(); n != 1 {
			t.Fatalf("%d jobs queued at start, want 1", n)
		}
		worker := &app.PlainTextWorker{Store: a.Store, Markdown: a.Site.Markdown, Log: slog.New(slog.DiscardHandler)}
		if err := worker.Work(ctx, &river.Job[app.PlainTextArgs]{}); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[int64]string{
			reply.ID - 1: "Started apixaban per the guideline.",
			reply.ID:     "Check the creatinine first & weigh them.",
		} {
			post, err := a.Store.PostByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if post.Plain != want {
				t.Errorf("post %d's plain text is %q, want %q", id, post.Plain, want)
			}
		}
		a.CatchUp(t)
		mustContain(t, b.Get(searchFor("apixaban")), "Started <mark>apixaban</mark> per the guideline.")
		mustContain(t, b.Get(searchFor("creatinine")), "Check the <mark>creatinine</mark> first &amp; weigh them.")

		// Done once, it is never queued again.
		if err := a.Store.DB().Exec(`DELETE FROM river_job`).Error; err != nil {
			t.Fatal(err)
		}
		if err := a.Site.QueueOneTimeJobs(ctx); err != nil {
			t.Fatal(err)
		}
		if n := queued(); n != 0 {
			t.Fatalf("%d jobs queued once done, want none", n)
		}
	})
}
