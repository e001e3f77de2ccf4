package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// routeAccess is who may use each route. Every route the app registers
// must be listed: a route added without saying who may use it fails
// TestEveryRouteChecksItsAccess.
var routeAccess = map[string]string{
	"GET /":                              "home",
	"GET /healthz":                       "anyone",
	"GET /readyz":                        "anyone",
	"GET /static/*":                      "anyone",
	"GET /b/:slug":                       "member",
	"GET /b/:slug/new":                   "member",
	"POST /b/:slug/new":                  "member",
	"GET /b/:slug/case":                  "member",
	"POST /b/:slug/case":                 "member",
	"GET /b/:slug/podcast":               "member",
	"POST /b/:slug/podcast":              "member",
	"GET /t/:id<int>":                    "member",
	"GET /t/:id<int>/:slug":              "member",
	"POST /t/:id<int>/reply":             "member",
	"GET /p/:id<int>":                    "member",
	"GET /p/:id<int>/edit":               "member",
	"POST /p/:id<int>/edit":              "member",
	"GET /p/:id<int>/history":            "member",
	"GET /p/:id<int>/flag":               "member",
	"POST /p/:id<int>/flag":              "member",
	"GET /p/:id<int>/bookmark":           "member",
	"POST /p/:id<int>/bookmark":          "member",
	"POST /p/:id<int>/bookmark/remove":   "member",
	"GET /bookmarks":                     "member",
	"POST /t/:id<int>/read":              "member",
	"GET /latest":                        "member",
	"GET /new":                           "member",
	"POST /new/since":                    "member",
	"GET /unread":                        "member",
	"POST /unread/mark-read":             "member",
	"POST /b/:slug/mark-read":            "member",
	"GET /drafts":                        "member",
	"POST /drafts":                       "member",
	"POST /drafts/discard":               "member",
	"GET /b/:slug/mentions":              "member",
	"POST /p/:id<int>/react":             "member",
	"GET /p/:id<int>/reactions":          "member",
	"GET /p/:id<int>/poll":               "member",
	"POST /p/:id<int>/poll":              "member",
	"POST /p/:id<int>/poll/vote":         "member",
	"POST /p/:id<int>/answer":            "member",
	"GET /t/:id<int>/outcome/edit":       "member",
	"POST /t/:id<int>/outcome/edit":      "member",
	"GET /t/:id<int>/outcome/history":    "member",
	"POST /p/:id<int>/answer/remove":     "member",
	"GET /p/:id<int>/delete":             "member",
	"POST /p/:id<int>/delete":            "member",
	"GET /tags/:tag":                     "member",
	"GET /search":                        "member",
	"GET /search/help":                   "member",
	"GET /img/:signature/:address":       "member",
	"GET /media/:name/:size":             "member",
	"GET /uploads/:ticket":               "member",
	"POST /preview":                      "member",
	"POST /b/:slug/level":                "member",
	"POST /t/:id<int>/level":             "member",
	"GET /settings/digest":               "member",
	"POST /settings/digest":              "member",
	"GET /settings/digest/preview":       "member",
	"GET /settings/digest/preview/email": "member",
	"POST /settings/email":               "member",
	"GET /unsubscribe/email/:token":      "token",
	"POST /unsubscribe/email/:token":     "token",
	"GET /unsubscribe/:token":            "token",
	"POST /unsubscribe/:token":           "token",
	"GET /notifications":                 "member",
	"GET /notifications/:id<int>":        "member",
	"POST /notifications/:id<int>":       "member",
	"POST /notifications/read-all":       "member",
	"POST /sign-out":                     "anyone",
	"GET /sign-in":                       "anyone",
	"POST /auth/:provider":               "anyone",
	"GET /auth/:provider/callback":       "anyone",
	"GET /demo/sign-in":                  "anyone",
	"POST /demo/sign-in":                 "anyone",
	"GET /oidc/*":                        "anyone",

	// Verification: a pending member reaches these and nothing else.
	"GET /verify":                                "signedIn",
	"POST /verify":                               "signedIn",
	"POST /verify/email":                         "signedIn",
	"POST /verify/email/confirm":                 "signedIn",
	"GET /mod/verifications":                     "moderator",
	"GET /mod/review":                            "moderator",
	"GET /mod/review/:id<int>":                   "moderator",
	"GET /mod/review/:id<int>/redact":            "moderator",
	"POST /mod/review/:id<int>/redact":           "moderator",
	"POST /mod/review/:id<int>/:action":          "moderator",
	"GET /mod/posts/:id<int>/reveal":             "moderator",
	"POST /mod/posts/:id<int>/reveal":            "moderator",
	"GET /mod/verifications/:id<int>":            "moderator",
	"POST /mod/verifications/:id<int>/decide":    "moderator",
	"POST /mod/topics/:id<int>/lock":             "moderator",
	"POST /mod/topics/:id<int>/unlock":           "moderator",
	"POST /mod/topics/:id<int>/pin":              "moderator",
	"POST /mod/topics/:id<int>/unpin":            "moderator",
	"GET /mod/topics/:id<int>/move":              "moderator",
	"POST /mod/topics/:id<int>/move":             "moderator",
	"GET /admin/audit":                           "admin",
	"GET /admin/outbox":                          "admin",
	"GET /admin/outbox/:name":                    "admin",
	"GET /admin/outbox/:name/html":               "admin",
	"GET /admin/boards":                          "admin",
	"GET /admin/boards/new":                      "admin",
	"POST /admin/boards/new":                     "admin",
	"GET /admin/boards/:id<int>":                 "admin",
	"POST /admin/boards/:id<int>":                "admin",
	"GET /admin/groups":                          "admin",
	"GET /admin/groups/new":                      "admin",
	"POST /admin/groups/new":                     "admin",
	"GET /admin/groups/:id<int>":                 "admin",
	"POST /admin/groups/:id<int>":                "admin",
	"POST /admin/groups/:id<int>/members":        "admin",
	"POST /admin/groups/:id<int>/members/remove": "admin",
	"GET /settings/sessions":                     "signedIn",
	"POST /settings/sessions/end":                "signedIn",
	"GET /settings/standing":                     "member",
	"POST /settings/standing/read":               "member",
	"GET /settings/feeds":                        "member",
	"POST /settings/feeds":                       "member",
	"POST /settings/feeds/revoke":                "member",
	// The secret in the address is the credential, whoever asks.
	"GET /feeds/:token/b/:slug.atom": "token",
	// The same for the board's podcast feed, for a podcast app.
	"GET /feeds/:token/b/:slug/podcast.rss": "token",

	// Profiles, for verified peers, and the member's own.
	"GET /u/:username":                          "member",
	"GET /settings/profile":                     "member",
	"POST /settings/profile":                    "member",
	"POST /mod/profile-changes/:id<int>/decide": "moderator",
	// Member administration: moderators find, warn and suspend;
	// administrators also change roles and end sessions.
	"GET /admin/members":                        "moderator",
	"GET /admin/members/:id<int>":               "moderator",
	"POST /admin/members/:id<int>/warn":         "moderator",
	"POST /admin/members/:id<int>/suspend":      "moderator",
	"POST /admin/members/:id<int>/unsuspend":    "moderator",
	"POST /admin/members/:id<int>/role":         "admin",
	"POST /admin/members/:id<int>/sessions/end": "admin",

	// Private consults: a verified member's own, read only by their
	// participants (TestConsultsReachNoOneElse).
	"GET /consults":                               "member",
	"GET /consults/new":                           "member",
	"POST /consults/new":                          "member",
	"GET /consults/:id<int>":                      "member",
	"POST /consults/:id<int>/reply":               "member",
	"POST /consults/:id<int>/add":                 "member",
	"POST /consults/:id<int>/leave":               "member",
	"POST /consults/:id<int>/mute":                "member",
	"POST /consults/:id<int>/unmute":              "member",
	"GET /consult-messages/:id<int>/report":       "member",
	"POST /consult-messages/:id<int>/report":      "member",
	"GET /settings/consults":                      "member",
	"POST /settings/consults/block":               "member",
	"POST /settings/consults/unblock":             "member",
	"GET /mod/consult-messages/:id<int>":          "moderator",
	"POST /mod/consult-messages/:id<int>/:action": "moderator",

	// Podcasts: following shows and the episodes they offer.
	"GET /podcasts":                    "member",
	"POST /podcasts/:id<int>/follow":   "member",
	"POST /podcasts/:id<int>/unfollow": "member",
}

// roles in order of standing; "member" means a verified member.
var roles = []string{"guest", "pending", "member", "moderator", "admin"}

func allowed(needs, role string) bool {
	switch needs {
	case "anyone", "home", "token":
		return true
	case "signedIn":
		return role != "guest"
	case "member":
		return role == "member" || role == "moderator" || role == "admin"
	case "moderator":
		return role == "moderator" || role == "admin"
	case "admin":
		return role == "admin"
	}
	return false
}

func TestEveryRouteChecksItsAccess(t *testing.T) {
	probe := apptest.New(t)
	var keys []string
	seen := map[string]bool{}
	for _, r := range probe.Fiber.GetRoutes(true) {
		if r.Method == http.MethodHead || r.Method == "USE" {
			continue
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		if _, ok := routeAccess[key]; !ok {
			t.Errorf("route %s is not in routeAccess: say who may use it", key)
			continue
		}
		keys = append(keys, key)
	}
	for key := range routeAccess {
		if !seen[key] {
			t.Errorf("routeAccess lists %s, which the app no longer has", key)
		}
	}
	sort.Strings(keys)

	// No GET changes what a member has (TestNoGETChangesData), so every
	// GET of a role is asked of one site built for that role; the other
	// requests may change things, so each gets a site of its own. Signing
	// in is bookkeeping a GET may do, and each GET signs in afresh, as on a
	// site of its own: the shared sites allow that many sign-ins.
	shared := map[string]*accessSite{}
	for _, role := range roles {
		shared[role] = newAccessSite(t, role, true, apptest.Options{Env: map[string]string{"ROUNDS_RATE_LIMITS": "sign_in=100000/1m"}})
	}
	for _, role := range roles {
		for _, key := range keys {
			method, pattern, _ := strings.Cut(key, " ")
			if pattern == "/static/*" {
				continue // covered by the security header tests
			}
			t.Run(role+" "+key, func(t *testing.T) {
				// The subtests run side by side, each request on its own
				// site or a GET on its role's: most of a subtest's time is
				// spent waiting for its database's disk writes, not on a
				// CPU.
				t.Parallel()
				s := shared[role]
				if method != http.MethodGet {
					s = newAccessSite(t, role, strings.HasSuffix(pattern, "/flag"))
				}
				a, topic, user, post := s.a, s.topic, s.user, s.own
				path := strings.NewReplacer(":slug", "cardiology", ":id<int>", fmt.Sprint(topic.ID), ":tag", "anticoagulation", ":token", "not-a-feed-token", ":username", "okafor").Replace(pattern)
				if strings.HasPrefix(pattern, "/t/:id<int>/:slug") {
					path = fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug)
				}
				if strings.HasSuffix(pattern, "/flag") {
					// Members report others' posts, never their own.
					post = s.others
				}
				if strings.HasPrefix(pattern, "/p/") {
					path = strings.Replace(pattern, ":id<int>", fmt.Sprint(post), 1)
				}

				b := a.Browser(t)
				if user != nil {
					b.SignIn(user)
				}
				var res *apptest.Response
				if method == http.MethodGet {
					res = b.Get(path)
				} else {
					form := url.Values{"body": {"Checked by the access test"}, "title": {"An access test topic"}, "version": {"1"},
						"username": {"okafor"}, "return": {"/"}, "reason": {"spam"}}
					res = b.Submit("/demo/sign-in", path, form)
				}
				refused := res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden ||
					(res.Status == http.StatusSeeOther && strings.HasPrefix(res.Location(), "/sign-in")) ||
					// A pending member is shown the verification page instead.
					(res.Status == http.StatusSeeOther && role == "pending" && method == http.MethodGet && res.Location() == "/verify")
				if routeAccess[key] == "home" {
					// The home page is everyone's, and differs by who asks.
					want := map[string]string{"guest": "Case discussion among verified clinicians",
						"member": `href="/b/cardiology"`, "moderator": `href="/b/cardiology"`, "admin": `href="/b/cardiology"`}[role]
					if role == "pending" {
						if res.Status != http.StatusSeeOther || res.Location() != "/verify" {
							t.Fatalf("a pending member's home is %d %q, want the verification page", res.Status, res.Location())
						}
					} else if res.Status != http.StatusOK || !strings.Contains(res.Body, want) {
						t.Fatalf("%s's home: status %d, lacks %q", role, res.Status, want)
					}
					return
				}
				if routeAccess[key] == "token" {
					// A made-up feed address finds nothing, for guests and
					// members alike: cookies are no key to a feed.
					if res.Status != http.StatusNotFound {
						t.Fatalf("%s fetched a feed with a bogus token: status %d, want 404", role, res.Status)
					}
					return
				}
				want := allowed(routeAccess[key], role)
				if want && refused {
					t.Fatalf("%s was refused %s (status %d, location %q)", role, key, res.Status, res.Location())
				}
				if !want && !refused {
					t.Fatalf("%s was let through %s (status %d)", role, key, res.Status)
				}
				if !want && role == "guest" && method == http.MethodGet &&
					!(res.Status == http.StatusSeeOther && strings.HasPrefix(res.Location(), "/sign-in")) {
					t.Fatalf("a guest is not sent to sign in for %s: status %d", key, res.Status)
				}
				if res.Status >= 500 {
					t.Fatalf("%s %s: status %d", role, key, res.Status)
				}
			})
		}
	}
}

// accessSite is a site TestEveryRouteChecksItsAccess asks a role's
// requests of: a board with okafor's topic, the role's member (nil for a
// guest), a post of that member's own and, when asked for, another
// member's reply to report.
type accessSite struct {
	a      *apptest.App
	topic  *models.Topic
	user   *models.User
	own    int64
	others int64
}

func newAccessSite(t *testing.T, role string, withOthers bool, opts ...apptest.Options) *accessSite {
	t.Helper()
	a := apptest.New(t, opts...)
	author := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	board := a.Board(t, "cardiology", "Cardiology")
	s := &accessSite{a: a, topic: a.Topic(t, board, author, "Amiodarone and warfarin", "Opening post", "anticoagulation")}
	switch role {
	case "pending":
		s.user = a.PendingMember(t, "newcomer")
	case "member":
		s.user = author
	case "moderator", "admin":
		s.user = a.VerifiedMember(t, "park", "Dr. Lena Park", "Internal Medicine")
		if err := a.Store.SetRole(t.Context(), s.user.ID, models.Role(role)); err != nil {
			t.Fatal(err)
		}
	}
	s.own = s.topic.ID // the opening post of the only topic
	if s.user != nil && s.user.ID != author.ID && s.user.IsVerified() {
		s.own = a.Reply(t, s.topic, s.user, "A reply of my own").ID
	}
	if withOthers {
		other := a.VerifiedMember(t, "reyes", "Dr. Ana Reyes", "Nephrology")
		s.others = a.Reply(t, s.topic, other, "A reply to report").ID
	}
	return s
}
