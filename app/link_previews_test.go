package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/app/fetch"
	"rounds/models"
)

// journals is one local server playing a journal's web site, Crossref and
// NCBI E-utilities, with their real response formats (the files of
// app/links/testdata). It counts the requests for each path, and /slow
// answers only when released.
type journals struct {
	*httptest.Server
	mu      sync.Mutex
	hits    map[string]int
	release chan struct{}
}

func journalServices(t *testing.T) *journals {
	t.Helper()
	j := &journals{hits: map[string]int{}, release: make(chan struct{})}
	file := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("links", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/nejm/article", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(file("journal_article.html"))
	})
	mux.HandleFunc("/plain/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(file("no_metadata.html"))
	})
	mux.HandleFunc("/hostile", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><meta property="og:title" content="&lt;script&gt;alert(1)&lt;/script&gt; Sepsis bundle: p &lt; 0.05 &amp; more">
<meta property="og:description" content="Read &quot;this&quot; <b>now</b>"></head></html>`))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-j.release
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><title>Slow journal</title></head></html>`))
	})
	mux.HandleFunc("/crossref/works/", func(w http.ResponseWriter, r *http.Request) {
		if strings.ToLower(strings.TrimPrefix(r.URL.Path, "/crossref/works/")) != "10.1016/s0140-6736(20)30183-5" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte("Resource not found."))
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Write(file("crossref_work.json"))
	})
	mux.HandleFunc("/eutils/esummary.fcgi", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		if r.URL.Query().Get("id") == "33301246" {
			w.Write(file("esummary.json"))
			return
		}
		w.Write(file("esummary_unknown.json"))
	})
	j.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		j.mu.Lock()
		j.hits[r.URL.Path]++
		j.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		select {
		case <-j.release:
		default:
			close(j.release)
		}
		j.Close()
	})
	return j
}

func (j *journals) count(path string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.hits[path]
}

// options is a server that works its jobs and reaches these services.
func (j *journals) options() apptest.Options {
	return apptest.Options{
		WorkJobs: true,
		Fetcher:  fetch.New(fetch.Options{UserAgent: "Rounds test", AllowLoopback: true, Timeout: 5 * time.Second}),
		Env: map[string]string{
			"ROUNDS_CROSSREF_URL": j.URL + "/crossref",
			"ROUNDS_EUTILS_URL":   j.URL + "/eutils",
		},
	}
}

// waitForPreviews waits until no preview is waiting for its job, and
// returns them all by URL.
func waitForPreviews(t *testing.T, a *apptest.App) map[string]models.LinkPreview {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; {
		var all []models.LinkPreview
		if err := a.Store.DB().Find(&all).Error; err != nil {
			t.Fatal(err)
		}
		pending := 0
		byURL := map[string]models.LinkPreview{}
		for _, p := range all {
			byURL[p.URL] = p
			if p.Status == models.PreviewPending {
				pending++
			}
		}
		if pending == 0 {
			return byURL
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d link previews still pending: %+v", pending, all)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestLinkPreviewsAreFetchedAfterThePostIsSaved(t *testing.T) {
	j := journalServices(t)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Anticoagulation in CKD", "Which agent do you use?")
		b := a.Browser(t)
		b.SignIn(okafor)

		article := j.URL + "/nejm/article"
		// The test servers' addresses are IPs, which linkify leaves alone, so
		// the links are written as autolinks.
		body := "See <" + article + "> and the cohort doi:10.1016/S0140-6736(20)30183-5, also PMID: 33301246.\n\n" +
			"Unknown: 10.9999/nothing.here and [a page](" + j.URL + "/plain/page) and <" + j.URL + "/gone> and <" + j.URL + "/hostile>"
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		res := b.Submit(topicPath, topicPath+"/reply", url.Values{"body": {body}})
		wantStatus(t, res, http.StatusSeeOther)

		previews := waitForPreviews(t, a)
		if len(previews) != 7 {
			t.Fatalf("%d previews, want 7: %+v", len(previews), previews)
		}
		for _, u := range []string{"https://doi.org/10.9999/nothing.here", j.URL + "/plain/page", j.URL + "/gone"} {
			if p := previews[u]; p.Status != models.PreviewFailed || p.Error == "" || p.FetchedAt == nil {
				t.Errorf("preview of %s = %+v, want failed with a reason", u, p)
			}
		}
		if p := previews[j.URL+"/gone"]; !strings.Contains(p.Error, "404") {
			t.Errorf("the missing page's reason is %q", p.Error)
		}

		res = b.Get(topicPath)
		wantStatus(t, res, http.StatusOK)
		start := strings.Index(res.Body, `<ul class="link-cards"`)
		if start < 0 {
			t.Fatalf("no link cards on the topic page:\n%s", res.Body)
		}
		cards := res.Body[start:]
		cards = cards[:strings.Index(cards, "</ul>")]
		mustContain(t, &apptest.Response{Body: cards},
			// The journal's Open Graph card.
			`href="`+article+`" rel="nofollow noopener noreferrer ugc">Apixaban versus Warfarin in Patients with Atrial Fibrillation &amp; CKD</a>`,
			"Journal of Things",
			// Crossref's citation, its address written as html/template
			// writes one, parentheses percent-encoded.
			`href="https://doi.org/10.1016/s0140-6736%2820%2930183-5"`, "Clinical features of patients infected with 2019 novel coronavirus in Wuhan, China",
			"<cite>The Lancet</cite> · 2020",
			// PubMed's.
			`href="https://pubmed.ncbi.nlm.nih.gov/33301246/"`, "Safety and Efficacy of the BNT162b2 mRNA Covid-19 Vaccine.",
			"<cite>The New England journal of medicine</cite> · 2020 · PMID 33301246", "et al.",
			// Remote markup is dropped and the text escaped.
			">alert(1) Sepsis bundle: p &lt; 0.05 &amp; more</a>", "Read &#34;this&#34; now")
		for _, failed := range []string{j.URL + "/plain/page", j.URL + "/gone", "nothing.here"} {
			if strings.Contains(cards, failed) {
				t.Errorf("a failed link has a card: %s", failed)
			}
		}
		// A failed link is still a plain link in the post.
		mustContain(t, res, `<a href="`+j.URL+`/gone"`)
		if strings.Contains(res.Body, "<script>alert(1)") {
			t.Error("remote markup reached the page")
		}

		// A second post with the same link shares the preview: no new fetch.
		before := j.count("/nejm/article")
		res = b.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"Agreed, <" + article + ">"}})
		wantStatus(t, res, http.StatusSeeOther)
		waitForPreviews(t, a)
		if n := len(waitForPreviews(t, a)); n != 7 {
			t.Errorf("%d previews after a second post with the same link, want 7", n)
		}
		if got := j.count("/nejm/article"); got != before {
			t.Errorf("the article was fetched again (%d → %d times)", before, got)
		}
	}, j.options())
}

func TestThePostNeverWaitsForTheRemoteSite(t *testing.T) {
	j := journalServices(t)
	a := apptest.New(t, j.options())
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)

	// The site does not answer until released; the post is saved and shown
	// with a plain link meanwhile.
	slow := j.URL + "/slow"
	res := b.Submit("/b/cardiology/new", "/b/cardiology/new", url.Values{
		"title": {"A slow journal"}, "body": {"Read <" + slow + "> before rounds."}})
	wantStatus(t, res, http.StatusSeeOther)
	topicPath := res.Location()
	res = b.Get(topicPath)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `<a href="`+slow+`"`)
	if strings.Contains(res.Body, `class="link-cards"`) {
		t.Fatal("a card before the site answered")
	}
	close(j.release)
	previews := waitForPreviews(t, a)
	if p := previews[slow]; p.Status != models.PreviewReady || p.Title != "Slow journal" {
		t.Fatalf("preview %+v", p)
	}
	mustContain(t, b.Get(topicPath), `rel="nofollow noopener noreferrer ugc">Slow journal</a>`)

	// An edit that drops the link drops its card; the preview stays for
	// other posts.
	var topicID int64
	fmt.Sscanf(topicPath, "/t/%d/", &topicID)
	posts, err := a.Store.PostsInTopic(context.Background(), topicID, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	editPath := fmt.Sprintf("/p/%d/edit", posts[0].ID)
	res = b.Submit(editPath, editPath, url.Values{"title": {"A slow journal"}, "body": {"No link any more."},
		"version": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	if strings.Contains(b.Get(topicPath).Body, `class="link-cards"`) {
		t.Error("the card stayed after the link was edited out")
	}
}

func TestCaseSourceIsPreviewed(t *testing.T) {
	j := journalServices(t)
	a := apptest.New(t, j.options())
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	a.Board(t, "cardiology", "Cardiology")
	b := a.Browser(t)
	b.SignIn(okafor)
	form := aCase()
	form.Set("source_url", "https://doi.org/10.1016/S0140-6736(20)30183-5")
	res := b.Submit("/b/cardiology/case", "/b/cardiology/case", form)
	wantStatus(t, res, http.StatusSeeOther)
	waitForPreviews(t, a)
	mustContain(t, b.Get(res.Location()), "<cite>The Lancet</cite> · 2020")
}
