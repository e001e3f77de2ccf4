package app_test

import (
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// badText is text Rounds refuses in any field, query string or address,
// by kind: a NUL byte (which PostgreSQL cannot store at all), another
// control character, and bytes that are not UTF-8.
var badText = []struct{ kind, text string }{
	{"NUL", "Heparin\x00 dosing"},
	{"escape", "Heparin\x1b[31m dosing"},
	{"invalid UTF-8", "Heparin\xff\xfe dosing"},
}

// fieldName finds the fields of the forms on a page.
var fieldName = regexp.MustCompile(`<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"`)

// routeSite is a site with something behind every route's address, seen
// by an administrator, who may use every route.
type routeSite struct {
	a     *apptest.App
	admin *apptest.Browser
	// applicant has applied for verification; the application form is
	// theirs to see.
	applicant                        *apptest.Browser
	topic                            *models.Topic
	caseTopic                        *models.Topic // the administrator's, for its outcome
	board                            *models.Board
	own, others                      *models.Post
	verification, group, notFoundInt int64
	member                           int64 // a verified member, for member administration
	// consult is the administrator's consult with okafor, message
	// okafor's message in it, which the administrator reported, and
	// toReport another not reported yet.
	consult, message, toReport int64
}

func newRouteSite(t *testing.T, a *apptest.App) *routeSite {
	t.Helper()
	s := &routeSite{a: a, admin: signedInAdmin(t, a), notFoundInt: 999999}
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	s.member = okafor.ID
	s.board = a.Board(t, "cardiology", "Cardiology")
	s.topic = a.Topic(t, s.board, okafor, "Amiodarone and warfarin", "Opening post", "anticoagulation")
	s.others = a.AnonymousReply(t, s.topic, okafor, "A reply to report")
	root, err := a.Store.UserByUsername(t.Context(), "root")
	if err != nil {
		t.Fatal(err)
	}
	s.own = a.Reply(t, s.topic, root, "A reply of my own")
	s.caseTopic, _, err = a.Store.CreateTopic(t.Context(), models.NewTopic{BoardID: s.board.ID, AuthorID: root.ID,
		Kind: models.KindCase, Title: "Syncope in a runner", Case: &models.CaseSummary{AgeBand: "30-39", Sex: "female",
			Presentation: "Collapsed at mile 20.", Question: "Workup?", AttestedByID: root.ID},
		PostContent: models.PostContent{Source: "Collapsed.", Cooked: "<p>Collapsed.</p>", Plain: "Collapsed."}})
	if err != nil {
		t.Fatal(err)
	}
	applicant := a.PendingMember(t, "newcomer")
	v := &models.Verification{UserID: applicant.ID, FullName: "Dr. New Comer", Profession: "physician",
		Specialty: "Nephrology", Institution: "St Mary's"}
	if err := a.Store.SubmitVerification(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	s.verification = v.ID
	s.applicant = a.Browser(t)
	s.applicant.SignIn(applicant)
	s.group = a.Group(t, "Nursing", "nurse", "").ID
	consult := a.Consult(t, root, "A private question", "Hello", okafor)
	m := a.ConsultMessage(t, consult, okafor, "Hi")
	if err := a.Store.ReportConsultMessage(t.Context(), m.ID, root.ID, models.FlagSpam, ""); err != nil {
		t.Fatal(err)
	}
	other := a.ConsultMessage(t, consult, okafor, "Hi")
	s.consult, s.message, s.toReport = consult.ID, m.ID, other.ID
	return s
}

// who uses a route: the applicant their verification pages, the
// administrator everything else.
func (s *routeSite) who(pattern string) *apptest.Browser {
	if strings.HasPrefix(pattern, "/verify") {
		return s.applicant
	}
	return s.admin
}

// path is a real address for a route's pattern on this site.
func (s *routeSite) path(pattern string) string {
	id := s.notFoundInt
	switch {
	case strings.HasPrefix(pattern, "/t/:id<int>/outcome"):
		id = s.caseTopic.ID
	case strings.HasPrefix(pattern, "/t/"), strings.HasPrefix(pattern, "/mod/topics/"):
		id = s.topic.ID
	case strings.HasPrefix(pattern, "/p/") && strings.HasSuffix(pattern, "/flag"):
		id = s.others.ID
	case strings.HasPrefix(pattern, "/p/"):
		id = s.own.ID
	case strings.HasPrefix(pattern, "/mod/review/"), strings.HasPrefix(pattern, "/mod/posts/"):
		id = s.others.ID
	case strings.HasPrefix(pattern, "/mod/verifications/"):
		id = s.verification
	case strings.HasPrefix(pattern, "/admin/boards/"):
		id = s.board.ID
	case strings.HasPrefix(pattern, "/admin/groups/"):
		id = s.group
	case strings.HasPrefix(pattern, "/admin/members/"):
		id = s.member
	case strings.HasPrefix(pattern, "/consults/"):
		id = s.consult
	case strings.HasPrefix(pattern, "/consult-messages/"):
		id = s.toReport
	case strings.HasPrefix(pattern, "/mod/consult-messages/"):
		id = s.message
	}
	return strings.NewReplacer(":id<int>", fmt.Sprint(id), ":slug", s.slugFor(pattern), ":tag", "anticoagulation",
		":token", "not-a-token", ":provider", "nowhere", ":action", "hide", ":name", "nothing.eml", ":username", "okafor").Replace(pattern)
}

func (s *routeSite) slugFor(pattern string) string {
	if strings.HasPrefix(pattern, "/t/") {
		return s.topic.Slug
	}
	return s.board.Slug
}

// routes are the site's routes by method, from the route table as the
// server registered it, so a route added later is covered too. Static
// files and the health checks are left out: they read nothing sent.
func routes(a *apptest.App) map[string][]string {
	out := map[string][]string{}
	for _, r := range a.Fiber.GetRoutes(true) {
		if (r.Method != http.MethodGet && r.Method != http.MethodPost) || strings.HasPrefix(r.Path, "/static/") ||
			r.Path == "/healthz" || r.Path == "/readyz" {
			continue
		}
		if !slices.Contains(out[r.Method], r.Path) {
			out[r.Method] = append(out[r.Method], r.Path)
		}
	}
	for _, paths := range out {
		sort.Strings(paths)
	}
	return out
}

// TestBadCharactersAreRefusedEverywhere sends NUL, another control
// character and bytes that are not UTF-8 in every field of every form, in
// the query string of every page and in every address's parameters, as an
// administrator with a valid CSRF token: each is refused with 422, never a
// server error, never saved.
func TestBadCharactersAreRefusedEverywhere(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		s := newRouteSite(t, a)
		all := routes(a)
		tokens := map[*apptest.Browser]string{s.admin: csrfToken(t, s.admin, "/"), s.applicant: csrfToken(t, s.applicant, "/verify")}
		if len(all[http.MethodPost]) < 30 || len(all[http.MethodGet]) < 30 {
			t.Fatalf("only %d GET and %d POST routes found", len(all[http.MethodGet]), len(all[http.MethodPost]))
		}

		// Every page answers, and the fields of every form on it are
		// collected: those are the fields the forms send.
		fields := map[string]bool{"q": true, "page": true, "return": true}
		collect := func(res *apptest.Response) {
			for _, m := range fieldName.FindAllStringSubmatch(res.Body, -1) {
				fields[html.UnescapeString(m[1])] = true
			}
		}
		for _, pattern := range all[http.MethodGet] {
			res := s.who(pattern).Get(s.path(pattern))
			if res.Status >= 500 {
				t.Fatalf("GET %s: status %d", pattern, res.Status)
			}
			collect(res)
		}
		collect(s.applicant.Get("/verify?edit=1"))
		// The token stays valid; the preview button would keep a form from
		// saving, which is what the refused text must not reach.
		delete(fields, "_csrf")
		delete(fields, "preview")
		for _, want := range []string{"body", "title", "tags", "reason", "full_name", "presentation", "description", "name", "url"} {
			if !fields[want] {
				t.Fatalf("the pages have no field %q: %v", want, fields)
			}
		}
		counts := rowCounts(t, a)

		for _, bad := range badText {
			t.Run(bad.kind, func(t *testing.T) {
				query := url.Values{}
				form := url.Values{}
				for name := range fields {
					query.Set(name, bad.text)
					form.Set(name, bad.text)
				}
				for _, pattern := range all[http.MethodGet] {
					res := s.who(pattern).Get(s.path(pattern) + "?" + query.Encode())
					wantRefused(t, "GET "+pattern+" with the query string", res)
				}
				for _, pattern := range all[http.MethodPost] {
					b := s.who(pattern)
					form.Set("_csrf", tokens[b])
					res := b.Post(s.path(pattern), form)
					wantRefused(t, "POST "+pattern+" with every field", res)
					res = b.Post(s.path(pattern)+"?"+query.Encode(), url.Values{"_csrf": {tokens[b]}})
					wantRefused(t, "POST "+pattern+" with the query string", res)
				}
				// In an address, a parameter that matches its route.
				for method, patterns := range all {
					for _, pattern := range patterns {
						if !strings.Contains(pattern, ":") || strings.HasPrefix(pattern, "/t/:id<int>/:slug") {
							continue
						}
						path := s.path(pattern)
						for _, value := range []string{s.slugFor(pattern), "anticoagulation", "not-a-token", "nowhere", "hide", "nothing.eml"} {
							path = strings.Replace(path, "/"+value, "/"+url.PathEscape(value+bad.text), 1)
						}
						if path == s.path(pattern) {
							continue // only numbers in it
						}
						var res *apptest.Response
						if b := s.who(pattern); method == http.MethodGet {
							res = b.Get(path)
						} else {
							res = b.Post(path, url.Values{"_csrf": {tokens[b]}})
						}
						wantRefused(t, method+" "+path, res)
					}
				}
				// The administrator is still signed in, and nothing was
				// written.
				wantStatus(t, s.admin.Get("/admin/boards"), http.StatusOK)
				if got := rowCounts(t, a); !maps.Equal(got, counts) {
					t.Fatalf("rows after refused requests %v, before %v", got, counts)
				}
			})
		}
	})
}

// wantRefused checks that a request with characters Rounds refuses was
// refused, with a message, and not by a server error.
func wantRefused(t *testing.T, what string, res *apptest.Response) {
	t.Helper()
	if res.Status != http.StatusUnprocessableEntity {
		t.Errorf("%s: status %d, want 422", what, res.Status)
		return
	}
	if !strings.Contains(res.Body, "characters Rounds cannot keep") {
		t.Errorf("%s: the refusal does not say why:\n%s", what, res.Body)
	}
}

var csrfValue = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrfToken is the token of a browser's forms, as the page shows it.
func csrfToken(t *testing.T, b *apptest.Browser, page string) string {
	t.Helper()
	m := csrfValue.FindStringSubmatch(b.Get(page).Body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", page)
	}
	return html.UnescapeString(m[1])
}

// rowCounts counts the rows of the tables a refused request must leave
// alone.
func rowCounts(t *testing.T, a *apptest.App) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"topics", "posts", "post_revisions", "boards", "groups", "group_members", "flags",
		"verifications", "audit_events", "subscriptions", "digest_settings", "feed_tokens", "podcast_feeds",
		"podcast_follows", "member_warnings", "case_summaries", "email_codes", "link_previews"} {
		out[table] = countRows(t, a, table, "1 = 1")
	}
	return out
}

// TestRefusedFormsKeepWhatWasTyped sends the main forms with one field
// holding characters Rounds cannot keep: each comes back 422 with a
// message, the field's text without them and every other field as typed,
// and nothing saved.
func TestRefusedFormsKeepWhatWasTyped(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		s := newRouteSite(t, a)
		applicant := a.PendingMember(t, "applicant")
		applying := a.Browser(t)
		applying.SignIn(applicant)
		topicPath := fmt.Sprintf("/t/%d", s.topic.ID)
		edit := fmt.Sprintf("/p/%d/edit", s.own.ID)
		board := fmt.Sprintf("/admin/boards/%d", s.board.ID)
		group := fmt.Sprintf("/admin/groups/%d", s.group)
		review := fmt.Sprintf("/mod/review/%d", s.others.ID)
		withCase := func(field, value string) url.Values {
			f := aCase()
			f.Set(field, value)
			return f
		}
		for _, bad := range badText {
			// The text as it comes back: the refused characters taken out,
			// bytes that are not UTF-8 shown as U+FFFD.
			kept, _ := models.CleanText(bad.text)
			kept = html.EscapeString(kept)
			for _, tc := range []struct {
				name         string
				b            *apptest.Browser
				page, action string
				form         url.Values
				want         []string // besides the cleaned text
			}{
				{"reply", s.admin, topicPath, topicPath + "/reply",
					url.Values{"body": {bad.text}}, nil},
				{"topic title", s.admin, "/b/cardiology/new", "/b/cardiology/new",
					url.Values{"title": {bad.text}, "tags": {"renal"}, "body": {"Check anti-Xa levels."}}, []string{"Check anti-Xa levels.", `value="renal"`}},
				{"topic body", s.admin, "/b/cardiology/new", "/b/cardiology/new",
					url.Values{"title": {"Anticoagulation in AKI"}, "body": {bad.text}}, []string{`value="Anticoagulation in AKI"`}},
				{"edit", s.admin, edit, edit,
					url.Values{"body": {bad.text}, "version": {"1"}}, nil},
				{"case", s.admin, "/b/cardiology/case", "/b/cardiology/case",
					withCase("presentation", bad.text), []string{"Contrast swallow now, or CT first?", "CXR: pneumomediastinum."}},
				{"verification", applying, "/verify", "/verify",
					func() url.Values {
						f := application("ada@stmary.example.org")
						f.Set("institution", bad.text)
						return f
					}(),
					[]string{`value="ada@stmary.example.org"`, `value="MD-204518"`}},
				{"new board", s.admin, "/admin/boards/new", "/admin/boards/new",
					url.Values{"title": {"Nephrology"}, "slug": {"nephrology"}, "description": {bad.text}}, []string{`value="Nephrology"`, `value="nephrology"`}},
				{"board", s.admin, board, board,
					url.Values{"title": {bad.text}, "slug": {"cardiology"}, "description": {"Hearts"}}, []string{"Hearts"}},
				{"new group", s.admin, "/admin/groups/new", "/admin/groups/new",
					url.Values{"name": {bad.text}, "description": {"Renal nurses"}}, []string{"Renal nurses"}},
				{"group", s.admin, group, group,
					url.Values{"name": {"Nursing"}, "description": {bad.text}}, []string{`value="Nursing"`}},
				{"hide reason", s.admin, review, review + "/hide",
					url.Values{"reason": {bad.text}}, nil},
				{"report", s.admin, fmt.Sprintf("/p/%d/flag", s.others.ID), fmt.Sprintf("/p/%d/flag", s.others.ID),
					url.Values{"reason": {"other"}, "note": {bad.text}}, nil},
				{"consult report", s.admin, fmt.Sprintf("/consult-messages/%d/report", s.toReport),
					fmt.Sprintf("/consult-messages/%d/report", s.toReport),
					url.Values{"reason": {"other"}, "note": {bad.text}}, []string{"The report was not sent", `value="other" checked`}},
			} {
				t.Run(bad.kind+" in "+tc.name, func(t *testing.T) {
					before := rowCounts(t, a)
					res := tc.b.Submit(tc.page, tc.action, tc.form)
					wantStatus(t, res, http.StatusUnprocessableEntity)
					mustContain(t, res, append(tc.want, kept, "characters Rounds cannot keep")...)
					if after := rowCounts(t, a); !maps.Equal(after, before) {
						t.Fatalf("rows after a refused form %v, before %v", after, before)
					}
				})
			}
		}
		search := s.admin.Get("/search?q=" + url.QueryEscape("heparin\x00 dosing"))
		wantStatus(t, search, http.StatusUnprocessableEntity)
		mustContain(t, search, `value="heparin dosing"`, "characters Rounds cannot keep")
	})
}

// A browser's User-Agent is kept with its session; one holding characters
// Rounds cannot keep, or cut in the middle of a character, still signs in.
func TestSessionsKeepOnlyWhatTheyCanOfTheUserAgent(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		b := a.Browser(t)
		// 299 bytes, then a two-byte character across the 300th.
		b.UserAgent = "Mozilla/5.0 (X11\x00; Linux\x1b) " + strings.Repeat("a", 299-len("Mozilla/5.0 (X11; Linux) ")) + "é and more"
		b.SignIn(okafor)
		res := b.Get("/settings/sessions")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Mozilla/5.0 (X11; Linux)")
	})
}

// TestHeadAnswersAsGet asks every page with HEAD, as a guest and as an
// administrator: the answer is GET's, without the body.
func TestHeadAnswersAsGet(t *testing.T) {
	a := apptest.New(t)
	s := newRouteSite(t, a)
	guest := a.Browser(t)
	for _, pattern := range routes(a)[http.MethodGet] {
		for _, b := range []*apptest.Browser{guest, s.who(pattern)} {
			path := s.path(pattern)
			head := b.Do(httptest.NewRequest(http.MethodHead, path, nil))
			get := b.Get(path)
			if head.Status != get.Status || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") ||
				head.Location() != get.Location() {
				t.Errorf("HEAD %s: %d %q %q, GET: %d %q %q", path, head.Status, head.Header.Get("Content-Type"), head.Location(),
					get.Status, get.Header.Get("Content-Type"), get.Location())
			}
			if head.Body != "" {
				t.Errorf("HEAD %s sent a body of %d bytes", path, len(head.Body))
			}
		}
	}
}
