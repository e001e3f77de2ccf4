package links

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"rounds/app/fetch"
	"rounds/models"
	"rounds/models/modelstest"
)

// linkedPreview saves a post linking url and returns its pending preview.
func linkedPreview(t *testing.T, store *models.Store, url string) int64 {
	t.Helper()
	ctx := context.Background()
	u := modelstest.Verified("okafor", "Dr. Amara Okafor").Make(t, store)
	board := modelstest.OpenBoard("cardiology", "Cardiology").Make(t, store)
	jobs := &previewJobs{}
	store.SetJobs(jobs)
	_, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: board.ID, AuthorID: u.ID, Title: "Linked",
		PostContent: models.PostContent{Source: url, Cooked: "<p>" + url + "</p>",
			Links: []models.PostLink{{URL: url, Kind: KindPage}}}})
	if err != nil {
		t.Fatal(err)
	}
	return jobs.ids[0]
}

// previewJobs records the previews the store's writes ask to fetch.
type previewJobs struct{ ids []int64 }

func (j *previewJobs) PreviewLinks(_ context.Context, _ *models.Store, ids []int64) error {
	j.ids = append(j.ids, ids...)
	return nil
}

func attempt(n, of int, id int64) *river.Job[PreviewArgs] {
	return &river.Job[PreviewArgs]{JobRow: &rivertype.JobRow{Attempt: n, MaxAttempts: of}, Args: PreviewArgs{PreviewID: id}}
}

func TestPreviewWorkerRetriesPassingFailuresOnly(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) <= 2 {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<title>Back again</title>`))
		}))
		defer srv.Close()
		id := linkedPreview(t, store, srv.URL+"/page")
		w := &PreviewWorker{Store: store, Client: New(fetch.New(fetch.Options{AllowLoopback: true}), Options{}), Now: store.Now}
		ctx := context.Background()

		// A 503 before the last attempt goes back to River for a retry and
		// records nothing.
		if err := w.Work(ctx, attempt(1, previewAttempts, id)); !fetch.Temporary(err) {
			t.Fatalf("first attempt: %v, want a temporary error to retry", err)
		}
		if p, _ := store.LinkPreviewByID(ctx, id); p.Status != models.PreviewPending {
			t.Fatalf("after a passing failure the preview is %s", p.Status)
		}
		// On the last attempt it is recorded as failed, with the reason.
		if err := w.Work(ctx, attempt(previewAttempts, previewAttempts, id)); err != nil {
			t.Fatal(err)
		}
		p, _ := store.LinkPreviewByID(ctx, id)
		if p.Status != models.PreviewFailed || p.Error != "The site answered with an error (HTTP 503)." {
			t.Fatalf("after the last attempt: %+v", p)
		}
		// A failure is not retried at once by another post's job...
		if err := w.Work(ctx, attempt(1, previewAttempts, id)); err != nil || calls.Load() != 2 {
			t.Fatalf("a recent failure was fetched again (err %v, %d calls)", err, calls.Load())
		}
		// ...but once it is due, the site is asked again.
		old := *p.FetchedAt
		old = old.Add(-models.PreviewRetryFail)
		p.FetchedAt = &old
		if err := store.SaveLinkPreview(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := w.Work(ctx, attempt(1, previewAttempts, id)); err != nil {
			t.Fatal(err)
		}
		if p, _ = store.LinkPreviewByID(ctx, id); p.Status != models.PreviewReady || p.Title != "Back again" || p.Error != "" {
			t.Fatalf("after recovery: %+v", p)
		}
	})
}

func TestPreviewWorkerGivesUpOnPermanentFailures(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		// Without AllowLoopback, the test server's address is refused: no
		// retry, the reason recorded.
		srv := httptest.NewServer(http.NotFoundHandler())
		defer srv.Close()
		id := linkedPreview(t, store, srv.URL+"/page")
		w := &PreviewWorker{Store: store, Client: New(fetch.New(fetch.Options{}), Options{}), Now: store.Now}
		if err := w.Work(context.Background(), attempt(1, previewAttempts, id)); err != nil {
			t.Fatalf("a refused address was sent back for a retry: %v", err)
		}
		p, _ := store.LinkPreviewByID(context.Background(), id)
		if p.Status != models.PreviewFailed || p.Error == "" {
			t.Fatalf("%+v", p)
		}
		// A preview purged since its job was queued is nothing to do.
		if err := w.Work(context.Background(), attempt(1, previewAttempts, id+1000)); err != nil {
			t.Fatal(err)
		}
	})
}
