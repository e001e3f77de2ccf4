package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"rounds/app/demoidp"
	"rounds/app/imageproxy"
	"rounds/app/ratelimit"
	"rounds/app/seed"
)

// need is the least standing a route needs.
type need int

const (
	anyone need = iota
	// signedIn is any account, verified or not: a pending member reaches
	// only the verification pages.
	signedIn
	verifiedMember
	moderator
	admin
)

// reader is who may read boards and topics: verified members only.
// Guests see the landing page and the sign-in; a pending member sees the
// verification form and their status.
const reader = verifiedMember

type route struct {
	method string
	path   string
	needs  need
	handle fiber.Handler
}

// routes is the whole site in one table, each route with the least
// standing it needs.
func (h *Handler) routes(app *fiber.App) error {
	table := []route{
		{fiber.MethodGet, "/", anyone, h.paced(h.home)},
		{fiber.MethodGet, "/b/:slug", reader, h.paced(h.boardShow)},
		{fiber.MethodGet, "/b/:slug/new", verifiedMember, h.topicNew},
		{fiber.MethodPost, "/b/:slug/new", verifiedMember, h.topicCreate},
		{fiber.MethodGet, "/b/:slug/case", verifiedMember, h.caseNew},
		{fiber.MethodPost, "/b/:slug/case", verifiedMember, h.caseCreate},
		{fiber.MethodGet, "/b/:slug/podcast", verifiedMember, h.podcastNew},
		{fiber.MethodPost, "/b/:slug/podcast", verifiedMember, h.podcastCreate},
		{fiber.MethodGet, "/podcasts", verifiedMember, h.podcastShows},
		{fiber.MethodPost, "/podcasts/:id<int>/follow", verifiedMember, h.podcastFollow},
		{fiber.MethodPost, "/podcasts/:id<int>/unfollow", verifiedMember, h.podcastUnfollow},
		{fiber.MethodGet, "/t/:id<int>", reader, h.paced(h.topicShow)},
		{fiber.MethodGet, "/t/:id<int>/outcome/edit", verifiedMember, h.caseOutcomeForm},
		{fiber.MethodPost, "/t/:id<int>/outcome/edit", verifiedMember, h.caseOutcomeSave},
		{fiber.MethodGet, "/t/:id<int>/outcome/history", verifiedMember, h.caseOutcomeHistory},
		{fiber.MethodGet, "/t/:id<int>/:slug", reader, h.paced(h.topicShow)},
		{fiber.MethodPost, "/t/:id<int>/reply", verifiedMember, h.replyCreate},
		{fiber.MethodPost, "/t/:id<int>/read", verifiedMember, h.topicRead},
		{fiber.MethodGet, "/latest", reader, h.paced(h.latest)},
		{fiber.MethodGet, "/new", reader, h.paced(h.newTopics)},
		{fiber.MethodPost, "/new/since", verifiedMember, h.newSinceSave},
		{fiber.MethodGet, "/unread", reader, h.paced(h.unread)},
		{fiber.MethodPost, "/unread/mark-read", verifiedMember, h.markAllRead},
		{fiber.MethodPost, "/b/:slug/mark-read", verifiedMember, h.boardMarkRead},
		{fiber.MethodGet, "/p/:id<int>", reader, h.postShow},
		{fiber.MethodGet, "/p/:id<int>/edit", verifiedMember, h.postEdit},
		{fiber.MethodPost, "/p/:id<int>/edit", verifiedMember, h.postUpdate},
		{fiber.MethodGet, "/p/:id<int>/history", verifiedMember, h.postHistory},
		{fiber.MethodGet, "/p/:id<int>/flag", verifiedMember, h.postFlagForm},
		{fiber.MethodPost, "/p/:id<int>/flag", verifiedMember, h.postFlag},
		{fiber.MethodGet, "/p/:id<int>/bookmark", verifiedMember, h.bookmarkForm},
		{fiber.MethodPost, "/p/:id<int>/bookmark", verifiedMember, h.bookmarkSave},
		{fiber.MethodPost, "/p/:id<int>/bookmark/remove", verifiedMember, h.bookmarkRemove},
		{fiber.MethodGet, "/bookmarks", verifiedMember, h.bookmarks},
		{fiber.MethodGet, "/drafts", verifiedMember, h.drafts},
		{fiber.MethodPost, "/drafts", verifiedMember, h.draftSave},
		{fiber.MethodPost, "/drafts/discard", verifiedMember, h.draftDiscard},
		{fiber.MethodGet, "/b/:slug/mentions", verifiedMember, h.limited(h.mentionCandidates, ratelimit.Mention)},
		{fiber.MethodPost, "/p/:id<int>/react", verifiedMember, h.react},
		{fiber.MethodGet, "/p/:id<int>/reactions", verifiedMember, h.reactions},
		{fiber.MethodGet, "/p/:id<int>/poll", verifiedMember, h.pollNew},
		{fiber.MethodPost, "/p/:id<int>/poll", verifiedMember, h.pollCreate},
		{fiber.MethodPost, "/p/:id<int>/poll/vote", verifiedMember, h.pollVote},
		{fiber.MethodPost, "/p/:id<int>/answer", verifiedMember, h.answerMark},
		{fiber.MethodPost, "/p/:id<int>/answer/remove", verifiedMember, h.answerUnmark},
		{fiber.MethodGet, "/p/:id<int>/delete", verifiedMember, h.postDeleteConfirm},
		{fiber.MethodPost, "/p/:id<int>/delete", verifiedMember, h.postDelete},
		{fiber.MethodGet, "/tags/:tag", reader, h.paced(h.tagShow)},
		// Paced inside the rate limit: the limit's count may be a write
		// (ROUNDS_RATE_LIMIT_STORE=database), which may wait for other
		// writers, and must not hold a page's slot.
		{fiber.MethodGet, "/search", reader, h.limited(h.paced(h.searchShow), ratelimit.Search, ratelimit.SearchIP)},
		{fiber.MethodGet, "/search/help", reader, h.searchHelp},
		{fiber.MethodGet, imageproxy.Prefix + ":signature/:address", reader, h.imageShow},
		{fiber.MethodGet, mediaPrefix + ":name/:size", reader, h.postImageShow},
		{fiber.MethodGet, "/uploads/:ticket", verifiedMember, h.uploadShow},
		{fiber.MethodPost, "/preview", verifiedMember, h.preview},
		{fiber.MethodPost, "/b/:slug/level", verifiedMember, h.boardLevelSave},
		{fiber.MethodPost, "/t/:id<int>/level", verifiedMember, h.topicLevelSave},
		{fiber.MethodGet, "/settings/digest", verifiedMember, h.settingsDigest},
		{fiber.MethodPost, "/settings/digest", verifiedMember, h.settingsDigestSave},
		{fiber.MethodGet, "/settings/digest/preview", verifiedMember, h.digestPreview},
		{fiber.MethodGet, "/settings/digest/preview/email", verifiedMember, h.digestPreviewEmail},
		{fiber.MethodPost, "/settings/email", verifiedMember, h.settingsEmailSave},
		{fiber.MethodGet, unsubscribePrefix + "email/:token", anyone, h.unsubscribeEmailShow},
		{fiber.MethodPost, unsubscribePrefix + "email/:token", anyone, h.unsubscribeEmail},
		{fiber.MethodGet, unsubscribePrefix + ":token", anyone, h.unsubscribeShow},
		{fiber.MethodPost, unsubscribePrefix + ":token", anyone, h.unsubscribe},
		{fiber.MethodGet, "/notifications", verifiedMember, h.notifications},
		{fiber.MethodGet, "/notifications/:id<int>", verifiedMember, h.notificationShow},
		{fiber.MethodPost, "/notifications/:id<int>", verifiedMember, h.notificationOpen},
		{fiber.MethodPost, "/notifications/read-all", verifiedMember, h.notificationsReadAll},
		{fiber.MethodGet, "/sign-in", anyone, h.signInForm},
		{fiber.MethodPost, "/auth/:provider", anyone, h.limited(h.authStart, ratelimit.SignIn)},
		{fiber.MethodGet, "/auth/:provider/callback", anyone, h.authCallback},
		{fiber.MethodPost, "/sign-out", anyone, h.signOut},
		{fiber.MethodGet, "/verify", signedIn, h.verifyShow},
		{fiber.MethodPost, "/verify", signedIn, h.verifyApply},
		{fiber.MethodPost, "/verify/email", signedIn, h.verifyEmailSend},
		{fiber.MethodPost, "/verify/email/confirm", signedIn, h.verifyEmailConfirm},
		{fiber.MethodGet, "/mod/verifications", moderator, h.modVerifications},
		{fiber.MethodGet, "/mod/review", moderator, h.modReview},
		{fiber.MethodGet, "/mod/review/:id<int>", moderator, h.modReviewPost},
		{fiber.MethodGet, "/mod/review/:id<int>/redact", moderator, h.modRedactForm},
		{fiber.MethodPost, "/mod/review/:id<int>/redact", moderator, h.modRedact},
		{fiber.MethodPost, "/mod/review/:id<int>/:action", moderator, h.modReviewAct},
		{fiber.MethodGet, "/mod/posts/:id<int>/reveal", moderator, h.modRevealForm},
		{fiber.MethodPost, "/mod/posts/:id<int>/reveal", moderator, h.modReveal},
		{fiber.MethodGet, "/mod/verifications/:id<int>", moderator, h.modVerification},
		{fiber.MethodPost, "/mod/verifications/:id<int>/decide", moderator, h.verifyDecide},
		{fiber.MethodPost, "/mod/topics/:id<int>/lock", moderator, h.modTopicLock},
		{fiber.MethodPost, "/mod/topics/:id<int>/unlock", moderator, h.modTopicUnlock},
		{fiber.MethodPost, "/mod/topics/:id<int>/pin", moderator, h.modTopicPin},
		{fiber.MethodPost, "/mod/topics/:id<int>/unpin", moderator, h.modTopicUnpin},
		{fiber.MethodGet, "/mod/topics/:id<int>/move", moderator, h.modTopicMoveForm},
		{fiber.MethodPost, "/mod/topics/:id<int>/move", moderator, h.modTopicMove},
		{fiber.MethodGet, "/admin/audit", admin, h.adminAudit},
		{fiber.MethodGet, "/admin/outbox", admin, h.adminOutbox},
		{fiber.MethodGet, "/admin/outbox/:name", admin, h.adminOutboxMessage},
		{fiber.MethodGet, "/admin/outbox/:name/html", admin, h.adminOutboxHTML},
		{fiber.MethodGet, "/admin/boards", admin, h.adminBoards},
		{fiber.MethodGet, "/admin/boards/new", admin, h.adminBoardNew},
		{fiber.MethodPost, "/admin/boards/new", admin, h.adminBoardCreate},
		{fiber.MethodGet, "/admin/boards/:id<int>", admin, h.adminBoardEdit},
		{fiber.MethodPost, "/admin/boards/:id<int>", admin, h.adminBoardUpdate},
		{fiber.MethodGet, "/admin/groups", admin, h.adminGroups},
		{fiber.MethodGet, "/admin/groups/new", admin, h.adminGroupNew},
		{fiber.MethodPost, "/admin/groups/new", admin, h.adminGroupCreate},
		{fiber.MethodGet, "/admin/groups/:id<int>", admin, h.adminGroupEdit},
		{fiber.MethodPost, "/admin/groups/:id<int>", admin, h.adminGroupUpdate},
		{fiber.MethodPost, "/admin/groups/:id<int>/members", admin, h.adminGroupMemberAdd},
		{fiber.MethodPost, "/admin/groups/:id<int>/members/remove", admin, h.adminGroupMemberRemove},
		{fiber.MethodGet, "/settings/sessions", signedIn, h.settingsSessions},
		{fiber.MethodPost, "/settings/sessions/end", signedIn, h.settingsSessionEnd},
		{fiber.MethodGet, "/settings/standing", verifiedMember, h.settingsStanding},
		{fiber.MethodPost, "/settings/standing/read", verifiedMember, h.settingsStandingRead},
		{fiber.MethodGet, "/settings/feeds", verifiedMember, h.settingsFeeds},
		{fiber.MethodPost, "/settings/feeds", verifiedMember, h.settingsFeedCreate},
		{fiber.MethodPost, "/settings/feeds/revoke", verifiedMember, h.settingsFeedRevoke},
		{fiber.MethodGet, "/u/:username", reader, h.paced(h.profileShow)},
		{fiber.MethodGet, "/settings/profile", verifiedMember, h.settingsProfile},
		{fiber.MethodPost, "/settings/profile", verifiedMember, h.settingsProfileSave},
		{fiber.MethodPost, "/mod/profile-changes/:id<int>/decide", moderator, h.modProfileChangeDecide},
		// Member administration: moderators find, warn and suspend members;
		// only administrators change roles and see or end sessions.
		{fiber.MethodGet, "/admin/members", moderator, h.adminMembers},
		{fiber.MethodGet, "/admin/members/:id<int>", moderator, h.adminMember},
		{fiber.MethodPost, "/admin/members/:id<int>/warn", moderator, h.adminMemberWarn},
		{fiber.MethodPost, "/admin/members/:id<int>/suspend", moderator, h.adminMemberSuspend},
		{fiber.MethodPost, "/admin/members/:id<int>/unsuspend", moderator, h.adminMemberUnsuspend},
		{fiber.MethodPost, "/admin/members/:id<int>/role", admin, h.adminMemberRole},
		{fiber.MethodPost, "/admin/members/:id<int>/sessions/end", admin, h.adminMemberSessionsEnd},
		// Private consults: every handler starts from the member's place in
		// the consult, so only its participants reach it, whatever their
		// role; moderators reach a message only once a participant
		// reported it.
		{fiber.MethodGet, "/consults", verifiedMember, h.consults},
		{fiber.MethodGet, "/consults/new", verifiedMember, h.consultNew},
		{fiber.MethodPost, "/consults/new", verifiedMember, h.consultCreate},
		{fiber.MethodGet, "/consults/:id<int>", verifiedMember, h.consultShow},
		{fiber.MethodPost, "/consults/:id<int>/reply", verifiedMember, h.consultReply},
		{fiber.MethodPost, "/consults/:id<int>/add", verifiedMember, h.consultAdd},
		{fiber.MethodPost, "/consults/:id<int>/leave", verifiedMember, h.consultLeave},
		{fiber.MethodPost, "/consults/:id<int>/mute", verifiedMember, h.consultMute},
		{fiber.MethodPost, "/consults/:id<int>/unmute", verifiedMember, h.consultUnmute},
		{fiber.MethodGet, "/consult-messages/:id<int>/report", verifiedMember, h.consultReportForm},
		{fiber.MethodPost, "/consult-messages/:id<int>/report", verifiedMember, h.consultReport},
		{fiber.MethodGet, "/settings/consults", verifiedMember, h.settingsConsults},
		{fiber.MethodPost, "/settings/consults/block", verifiedMember, h.settingsConsultBlock},
		{fiber.MethodPost, "/settings/consults/unblock", verifiedMember, h.settingsConsultUnblock},
		{fiber.MethodGet, "/mod/consult-messages/:id<int>", moderator, h.modConsultMessage},
		{fiber.MethodPost, "/mod/consult-messages/:id<int>/:action", moderator, h.modConsultAct},
		// The token in the address is the credential: see feedBoard.
		{fiber.MethodGet, "/feeds/:token/b/:slug.atom", anyone, h.feedBoard},
		{fiber.MethodGet, "/feeds/:token/b/:slug/podcast.rss", anyone, h.feedBoardPodcast},
	}
	if h.demo {
		table = append(table,
			route{fiber.MethodGet, "/demo/sign-in", anyone, h.demoSignInForm},
			route{fiber.MethodPost, "/demo/sign-in", anyone, h.demoSignIn},
			// The demo's identity provider, on the site itself, so that a
			// browser that reaches the site reaches it too. Browsers only
			// read from it; the site's own calls go to it in memory.
			route{fiber.MethodGet, demoidp.Path + "/*", anyone, adaptor.HTTPHandler(h.demoIdP.Handler())},
		)
		if h.demoPodcast != nil {
			// The demo's own podcast, public as a show's feed is.
			table = append(table, route{fiber.MethodGet, seed.PodcastPath + ":file", anyone, h.demoPodcastFile()})
		}
	}
	// These routes' handlers show their form again, with what was typed
	// and why it was refused, when it held characters Rounds cannot keep
	// (see screenInput); any other request holding them gets an error
	// page instead.
	forms := map[string]bool{
		"GET /search":                                 true,
		"POST /b/:slug/new":                           true,
		"POST /b/:slug/case":                          true,
		"POST /b/:slug/podcast":                       true,
		"POST /t/:id<int>/reply":                      true,
		"POST /t/:id<int>/outcome/edit":               true,
		"POST /p/:id<int>/edit":                       true,
		"POST /p/:id<int>/flag":                       true,
		"POST /p/:id<int>/bookmark":                   true,
		"POST /drafts":                                true,
		"POST /verify":                                true,
		"POST /mod/review/:id<int>/redact":            true,
		"POST /mod/review/:id<int>/:action":           true,
		"POST /mod/posts/:id<int>/reveal":             true,
		"POST /mod/verifications/:id<int>/decide":     true,
		"POST /mod/topics/:id<int>/move":              true,
		"POST /admin/boards/new":                      true,
		"POST /admin/boards/:id<int>":                 true,
		"POST /admin/groups/new":                      true,
		"POST /admin/groups/:id<int>":                 true,
		"POST /consults/new":                          true,
		"POST /consults/:id<int>/reply":               true,
		"POST /consults/:id<int>/add":                 true,
		"POST /consult-messages/:id<int>/report":      true,
		"POST /settings/consults/block":               true,
		"POST /mod/consult-messages/:id<int>/:action": true,
		"POST /p/:id<int>/poll":                       true,
	}
	for _, key := range profileForms {
		forms[key] = true
	}
	matched := 0
	for _, r := range table {
		form := forms[r.method+" "+r.path]
		if form {
			matched++
		}
		handlers := []fiber.Handler{h.require(r.needs), screenInput(form), r.handle}
		app.Add(r.method, r.path, handlers...)
		// HEAD is GET without the body, which the server leaves out.
		if r.method == fiber.MethodGet {
			app.Add(fiber.MethodHead, r.path, handlers...)
		}
	}
	if matched != len(forms) {
		return fmt.Errorf("app: %d of the %d forms listed in routes are not routes of the table", len(forms)-matched, len(forms))
	}
	return nil
}

// require refuses a request from someone without the least standing a
// route needs.
func (h *Handler) require(least need) fiber.Handler {
	return func(c *fiber.Ctx) error {
		m := member(c)
		switch {
		case least == anyone:
			return c.Next()
		case m == nil:
			return h.signInNeeded(c)
		case least == signedIn:
			return c.Next()
		case !m.IsVerified() && reading(c):
			// Show a pending member the one thing they can do.
			return c.Redirect("/verify", fiber.StatusSeeOther)
		case !m.IsVerified():
			return errForbidden("Your account is not verified yet, so this is not open to you. Apply for verification at /verify.")
		case least == moderator && !m.IsModerator():
			return errForbidden("Only moderators can do that.")
		case least == admin && !m.IsAdmin():
			return errForbidden("Only administrators can do that.")
		}
		return c.Next()
	}
}

func (h *Handler) signInNeeded(c *fiber.Ctx) error {
	if h.canSignIn() && reading(c) {
		return c.Redirect("/sign-in?return="+urlQueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	return &Error{Status: fiber.StatusUnauthorized, Message: "Please sign in to do that."}
}

// reading says whether a request only reads: GET, or HEAD, which is GET
// without the body.
func reading(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead
}

// canSignIn says whether this site offers any way to sign in.
func (h *Handler) canSignIn() bool { return h.demo || len(h.providers) > 0 }
