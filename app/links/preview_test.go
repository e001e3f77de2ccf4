package links

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"rounds/app/fetch"
	"rounds/models"
)

// services is one local server playing journal sites, Crossref and
// E-utilities. It records the requests it was sent.
type services struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
}

func newServices(t *testing.T) *services {
	t.Helper()
	s := &services{}
	mux := http.NewServeMux()
	serveFile := func(path, contentType, name string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.Write(readTestdata(t, name))
		})
	}
	serveFile("/nejm/article", "text/html; charset=utf-8", "journal_article.html")
	serveFile("/renal/title-only", "text/html", "title_only.html")
	serveFile("/calc/twitter", "application/xhtml+xml", "twitter_only.html")
	serveFile("/plain/page", "text/html", "no_metadata.html")
	serveFile("/old/cafe", "text/html", "windows1252.html")
	serveFile("/guideline.pdf", "application/pdf", "no_metadata.html")
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/nejm/article", http.StatusFound)
	})

	// Crossref answers /works/{doi}, DOI case-insensitively, 404 otherwise
	// with the plain-text body the real API sends.
	mux.HandleFunc("/crossref/works/", func(w http.ResponseWriter, r *http.Request) {
		works := map[string]string{
			"10.1016/s0140-6736(20)30183-5": "crossref_work.json",
			"10.1038/s41591-019-0495-2":     "crossref_work_jats.json",
		}
		name, ok := works[strings.ToLower(strings.TrimPrefix(r.URL.Path, "/crossref/works/"))]
		if !ok {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte("Resource not found."))
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Write(readTestdata(t, name))
	})
	// E-utilities answers 200 even for an unknown ID, with an error in the record.
	mux.HandleFunc("/eutils/esummary.fcgi", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		if r.URL.Query().Get("id") == "33301246" {
			w.Write(readTestdata(t, "esummary.json"))
			return
		}
		w.Write(readTestdata(t, "esummary_unknown.json"))
	})

	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r)
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *services) lastRequest() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[len(s.requests)-1]
}

func (s *services) client(mailto string) *Client {
	return New(fetch.New(fetch.Options{AllowLoopback: true}), Options{
		CrossrefURL: s.URL + "/crossref",
		EutilsURL:   s.URL + "/eutils/",
		Mailto:      mailto,
	})
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return b
}

// findOne finds the single link in a post, so tests go through the Finder
// too. (app/markdown, which feeds the Finder as it renders, imports this
// package, so its tests parse with linkify here.)
func findOne(t *testing.T, source string) Link {
	t.Helper()
	src := []byte(source)
	doc := goldmark.New(goldmark.WithExtensions(extension.Linkify)).Parser().Parse(text.NewReader(src))
	var f Finder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		return f.Visit(n, entering, src), nil
	})
	found := f.Links()
	if len(found) != 1 {
		t.Fatalf("links in %q = %v, want one", source, found)
	}
	return found[0]
}

func TestPreviewPage(t *testing.T) {
	srv := newServices(t)
	c := srv.client("")
	tests := []struct {
		name string
		path string
		want Preview
	}{
		{"Open Graph wins, image resolved against the page", "/nejm/article", Preview{
			Title: "Apixaban versus Warfarin in Patients with Atrial Fibrillation & CKD",
			Description: "In this trial, apixaban was superior to warfarin in preventing stroke or systemic embolism, " +
				"caused less bleeding, and resulted in lower mortality — see the full text.",
			SiteName: "Journal of Things",
			ImageURL: srv.URL + "/covers/2024/issue-12.jpg",
		}},
		{"image resolved against the final URL after a redirect", "/moved", Preview{
			Title: "Apixaban versus Warfarin in Patients with Atrial Fibrillation & CKD",
			Description: "In this trial, apixaban was superior to warfarin in preventing stroke or systemic embolism, " +
				"caused less bleeding, and resulted in lower mortality — see the full text.",
			SiteName: "Journal of Things",
			ImageURL: srv.URL + "/covers/2024/issue-12.jpg",
		}},
		{"only a title; javascript image dropped", "/renal/title-only", Preview{
			Title: "Anticoagulation in CKD – Renal Unit",
		}},
		{"Twitter card fallback, XHTML, protocol-relative image", "/calc/twitter", Preview{
			Title:       "Sepsis bundle calculator",
			Description: "Work out the hour-1 bundle.",
			ImageURL:    "http://img.example.org/card.png",
		}},
		{"windows-1252 page decoded", "/old/cafe", Preview{
			Title: "Café – the clinician’s guide",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := findOne(t, "Worth a read: [link]("+srv.URL+tt.path+")")
			got, err := c.Preview(context.Background(), l)
			if err != nil {
				t.Fatalf("Preview: %v", err)
			}
			tt.want.Kind, tt.want.URL = KindPage, l.URL
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Preview\n got %#v\nwant %#v", *got, tt.want)
			}
			if accept := srv.lastRequest().Header.Get("Accept"); accept != "text/html, application/xhtml+xml" {
				t.Errorf("Accept = %q", accept)
			}
		})
	}
}

func TestPreviewPageWithoutMetadata(t *testing.T) {
	srv := newServices(t)
	_, err := srv.client("").Preview(context.Background(), Link{Kind: KindPage, URL: srv.URL + "/plain/page"})
	if !errors.Is(err, ErrNoPreview) {
		t.Fatalf("Preview error = %v, want ErrNoPreview", err)
	}
}

func TestPreviewPageFetchErrors(t *testing.T) {
	srv := newServices(t)
	c := srv.client("")
	tests := []struct {
		name string
		path string
		kind fetch.Kind
	}{
		{"a PDF is not a page", "/guideline.pdf", fetch.KindContentType},
		{"a missing page is a broken link, not a missing preview", "/nowhere", fetch.KindStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Preview(context.Background(), Link{Kind: KindPage, URL: srv.URL + tt.path})
			var fe *fetch.Error
			if !errors.As(err, &fe) || fe.Kind != tt.kind {
				t.Fatalf("Preview error = %v, want a fetch error of kind %v", err, tt.kind)
			}
			if errors.Is(err, ErrNoPreview) {
				t.Errorf("Preview error = %v, should not be ErrNoPreview", err)
			}
		})
	}
}

func TestPreviewDOI(t *testing.T) {
	srv := newServices(t)
	c := srv.client("editors@rounds.example")
	tests := []struct {
		name     string
		source   string
		wantPath string
		want     Preview
	}{
		{"Crossref work", "Huang et al. doi:10.1016/S0140-6736(20)30183-5.", "/crossref/works/10.1016/s0140-6736(20)30183-5", Preview{
			Title:    "Clinical features of patients infected with 2019 novel coronavirus in Wuhan, China",
			SiteName: "Elsevier BV",
			Journal:  "The Lancet",
			Year:     2020,
			Authors:  []string{"Chaolin Huang", "Yeming Wang", "Xingwang Li", "Lili Ren", "Jianping Zhao", "Bin Cao"},
			DOI:      "10.1016/s0140-6736(20)30183-5",
		}},
		{"JATS markup stripped, group author, null published date", "https://doi.org/10.1038/S41591-019-0495-2", "/crossref/works/10.1038/s41591-019-0495-2", Preview{
			Title: "Microbiota transplantation in recurrent Clostridioides difficile infection: a randomized trial",
			Description: "Fecal microbiota transplantation for recurrent Clostridioides difficile infection & its effect on " +
				"the gut 13C-labelled bile acids. Second paragraph.",
			SiteName: "Springer Science and Business Media LLC",
			Journal:  "Nature Medicine",
			Year:     2019,
			Authors:  []string{"Ana Ruiz", "The FMT Study Group"},
			DOI:      "10.1038/s41591-019-0495-2",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := findOne(t, tt.source)
			got, err := c.Preview(context.Background(), l)
			if err != nil {
				t.Fatalf("Preview: %v", err)
			}
			tt.want.Kind, tt.want.URL = KindDOI, l.URL
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Preview\n got %#v\nwant %#v", *got, tt.want)
			}
			r := srv.lastRequest()
			if r.URL.Path != tt.wantPath || r.URL.Query().Get("mailto") != "editors@rounds.example" {
				t.Errorf("Crossref asked for %s", r.URL)
			}
			if accept := r.Header.Get("Accept"); accept != "application/json" {
				t.Errorf("Accept = %q", accept)
			}
		})
	}
}

func TestPreviewDOIUnknownToCrossref(t *testing.T) {
	srv := newServices(t)
	_, err := srv.client("").Preview(context.Background(), findOne(t, "10.5555/12345678"))
	if !errors.Is(err, ErrNoPreview) {
		t.Fatalf("Preview error = %v, want ErrNoPreview", err)
	}
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Status != http.StatusNotFound {
		t.Errorf("Preview error = %v, want the 404 kept for the logs", err)
	}
	if q := srv.lastRequest().URL.RawQuery; q != "" {
		t.Errorf("query = %q, want none without Mailto", q)
	}
}

func TestPreviewPMID(t *testing.T) {
	srv := newServices(t)
	l := findOne(t, "Polack 2020 (PMID: 33301246)")
	got, err := srv.client("editors@rounds.example").Preview(context.Background(), l)
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	want := Preview{
		Kind:    KindPMID,
		URL:     "https://pubmed.ncbi.nlm.nih.gov/33301246/",
		Title:   "Safety and Efficacy of the BNT162b2 mRNA Covid-19 Vaccine.",
		Journal: "The New England journal of medicine",
		Year:    2020,
		Authors: []string{"Polack FP", "Thomas SJ", "Kitchin N", "Absalon J", "Gurtman A", "C4591001 Clinical Trial Group"},
		DOI:     "10.1056/nejmoa2034577",
		PMID:    "33301246",
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("Preview\n got %#v\nwant %#v", *got, want)
	}
	q := srv.lastRequest().URL.Query()
	if q.Get("db") != "pubmed" || q.Get("id") != "33301246" || q.Get("retmode") != "json" || q.Get("email") != "editors@rounds.example" {
		t.Errorf("E-utilities asked for %s", srv.lastRequest().URL)
	}
}

func TestPreviewPMIDNotFound(t *testing.T) {
	srv := newServices(t)
	tests := []struct {
		name      string
		eutilsURL string
		pmid      string
	}{
		{"unknown ID", srv.URL + "/eutils", "99999999"},
		{"ID missing from the result", srv.URL + "/eutils", "12345"},
		{"service answers 404", srv.URL + "/gone", "33301246"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(fetch.New(fetch.Options{AllowLoopback: true}), Options{EutilsURL: tt.eutilsURL})
			_, err := c.Preview(context.Background(), Link{Kind: KindPMID, URL: "https://pubmed.ncbi.nlm.nih.gov/" + tt.pmid + "/", PMID: tt.pmid})
			if !errors.Is(err, ErrNoPreview) {
				t.Fatalf("Preview error = %v, want ErrNoPreview", err)
			}
		})
	}
}

func TestPreviewUnknownKind(t *testing.T) {
	c := New(fetch.New(fetch.Options{AllowLoopback: true}), Options{})
	if _, err := c.Preview(context.Background(), Link{Kind: "isbn", URL: "urn:isbn:0451450523"}); err == nil {
		t.Fatal("Preview of an unknown kind succeeded")
	}
}

func TestPlainText(t *testing.T) {
	long := strings.Repeat("word ", 200)
	tests := []struct {
		name   string
		in     string
		max    int
		decode bool
		want   string
	}{
		{"inline tags vanish", "<i>in vivo</i>.", 300, true, "in vivo."},
		{"block tags separate words", "<jats:p>One</jats:p><jats:p>Two</jats:p>", 300, true, "One Two"},
		{"comparisons are text", "eGFR < 30 and p<0.05", 300, true, "eGFR < 30 and p<0.05"},
		{"entities decoded after tags are stripped", "&lt;i&gt;kept&lt;/i&gt; &amp; ok", 300, true, "<i>kept</i> & ok"},
		{"no decoding for parsed HTML", "AT&amp;T", 300, false, "AT&amp;T"},
		{"whitespace and control characters", " a\n\t b\x00\x07c ", 300, false, "a bc"},
		{"cut at a word with an ellipsis", long, 300, false, strings.TrimSpace(long[:295]) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plainText(tt.in, tt.max, tt.decode)
			if got != tt.want {
				t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > tt.max {
				t.Errorf("plainText returned %d runes, over %d", n, tt.max)
			}
		})
	}
}

func TestPreviewPageCapsLengths(t *testing.T) {
	title := strings.Repeat("Anticoagulation ", 40)
	desc := strings.Repeat("é", 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<head><meta property="og:title" content="` + title + `"><meta property="og:description" content="` + desc + `"></head>`))
	}))
	defer srv.Close()
	c := New(fetch.New(fetch.Options{AllowLoopback: true}), Options{})
	got, err := c.Preview(context.Background(), Link{Kind: KindPage, URL: srv.URL + "/"})
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	if n := utf8.RuneCountInString(got.Title); n > maxTitle || !strings.HasSuffix(got.Title, "Anticoagulation…") {
		t.Errorf("Title has %d runes: %q", n, got.Title)
	}
	if n := utf8.RuneCountInString(got.Description); n != maxDescription {
		t.Errorf("Description has %d runes, want %d", n, maxDescription)
	}
}

// Every text a preview keeps is as Rounds keeps text, whatever the page or
// the lookup service sent: NUL and other control characters, raw or as
// entities and JSON escapes, and bytes that are not UTF-8.
func TestPreviewsKeepNoControlCharacters(t *testing.T) {
	spoil := func(t *testing.T, name string, words ...string) []byte {
		body := string(readTestdata(t, name))
		for _, w := range words {
			if !strings.Contains(body, w) {
				t.Fatalf("%s lacks %q", name, w)
			}
			body = strings.ReplaceAll(body, w, w[:2]+`\u0000\u001b`+w[2:])
		}
		return []byte(body)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><head><title>Anti\x00coagulation\x1b in \xffCKD</title>" +
			`<meta name="description" content="Dose&#0; by&#1; weight &#x7f;now">` +
			"<meta property=\"og:site_name\" content=\"Renal\x00 Unit\">" +
			"<meta property=\"og:image\" content=\"/cover\x00.png\"></head></html>"))
	})
	mux.HandleFunc("/crossref/works/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(spoil(t, "crossref_work.json", "Clinical features", "Elsevier BV", "Chaolin", "The Lancet"))
	})
	mux.HandleFunc("/eutils/esummary.fcgi", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(spoil(t, "esummary.json", "Safety and Efficacy", "Polack FP", "The New England", "NEJMoa2034577", "2020 Dec 31"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := New(fetch.New(fetch.Options{AllowLoopback: true}), Options{CrossrefURL: srv.URL + "/crossref", EutilsURL: srv.URL + "/eutils/"})
	for _, source := range []string{"[page](" + srv.URL + "/page)", "doi:10.1016/S0140-6736(20)30183-5", "PMID: 33301246"} {
		t.Run(source, func(t *testing.T) {
			p, err := c.Preview(context.Background(), findOne(t, source))
			if err != nil {
				t.Fatal(err)
			}
			if p.Title == "" {
				t.Fatalf("no title: %+v", p)
			}
			for name, text := range map[string]string{"title": p.Title, "description": p.Description, "site": p.SiteName,
				"image": p.ImageURL, "journal": p.Journal, "authors": strings.Join(p.Authors, ", "), "DOI": p.DOI, "PMID": p.PMID} {
				if clean, ok := models.CleanText(text); !ok {
					t.Errorf("%s %q, want %q", name, text, clean)
				}
			}
		})
	}
}
