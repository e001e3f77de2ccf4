package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models"
)

// A profile shows what peers may know of a member, how they were verified
// but never the evidence, and only the posts the viewer may read.
func TestProfileShowsTheMemberAndTheirSignedPosts(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		applicant := a.PendingMember(t, "okafor")
		v := &models.Verification{UserID: applicant.ID, FullName: "Dr. Amara Okafor", Profession: "physician",
			Specialty: "Cardiology", Institution: "Mercy General", NPI: "1234567893", WorkEmail: "amara@mercy.example"}
		if err := a.Store.SubmitVerification(ctx, v); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Store.DecideVerification(ctx, models.Decision{VerificationID: v.ID, Status: models.VerificationApproved,
			Reason: "Confirmed the work email", Method: models.VerifiedByWorkEmail}); err != nil {
			t.Fatal(err)
		}
		okafor, err := a.Store.UserByID(ctx, applicant.ID)
		if err != nil {
			t.Fatal(err)
		}
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Amiodarone and warfarin", "What INR do you aim for?")
		a.Reply(t, topic, weber, "2 to 3, checked weekly, @okafor.")

		b := a.Browser(t)
		b.SignIn(weber)
		// The topic page links the author to their profile.
		page := b.Get(fmt.Sprintf("/t/%d", topic.ID))
		mustContain(t, page, `<a class="author-name" href="/u/okafor">Dr. Amara Okafor</a>`,
			`<a class="author-name" href="/u/weber">Jonas Weber, RN</a>`,
			// A mention links to the profile too.
			`<a href="/u/okafor" rel="nofollow ugc noopener noreferrer">@okafor</a>`)

		profile := b.Get("/u/okafor")
		wantStatus(t, profile, http.StatusOK)
		mustContain(t, profile, "Dr. Amara Okafor", "Physician", "Cardiology", "by a confirmed work email",
			"Verified clinician since", "Member since", "Amiodarone and warfarin", "1 topic", "0 replies", `class="avatar`, ">AO</span>")
		// Neither the evidence nor the institution the member did not
		// choose to show.
		mustNotContain(t, profile, "1234567893", "amara@mercy.example", "Mercy General", "Edit your profile")

		// The member chooses to show their institution and adds credentials.
		me := a.Browser(t)
		me.SignIn(okafor)
		res := me.Submit("/settings/profile", "/settings/profile", url.Values{"display_name": {"Dr. Amara Okafor"},
			"credentials": {"MD, FACC"}, "profession": {"physician"}, "specialty": {"Cardiology"},
			"institution": {"Mercy General"}, "show_institution": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, me.Get(res.Location()), "Saved.")
		mustContain(t, b.Get("/u/okafor"), "Mercy General", ", MD, FACC")
		mustContain(t, me.Get("/u/okafor"), "Edit your profile")

		// Only verified members see profiles; an unknown one is not found.
		guest := a.Browser(t)
		if res := guest.Get("/u/okafor"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/sign-in") {
			t.Fatalf("a guest's profile request: %d %q, want the sign-in", res.Status, res.Location())
		}
		wantStatus(t, b.Get("/u/nobody"), http.StatusNotFound)
		wantStatus(t, b.Get("/u/okafor?show=secrets"), http.StatusNotFound)
	})
}

// No anonymous post appears on its author's profile, to anyone, nor counts
// there; nor does a post on a board the viewer cannot read.
func TestProfileNeverShowsAnonymousPosts(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		admin := a.Admin(t, "root", "Dr. Sam Root", "Radiology")
		board := a.Board(t, "safety", "Patient safety")
		board.AllowAnonymous = true
		if err := a.Store.UpdateBoard(ctx, board); err != nil {
			t.Fatal(err)
		}
		signed := a.Topic(t, board, okafor, "Signed near miss", "A signed opening.", "safety")
		anonTopic := a.AnonymousTopic(t, board, okafor, "Wrong-dose heparin", "Caught at the bedside.", "safety")
		anonReply := a.AnonymousReply(t, signed, okafor, "I was the one who missed it.")
		a.Reply(t, anonTopic, weber, "Thank you for sharing.")
		// Reactions to the anonymous post never reach the profile.
		for _, id := range []int64{anonTopic.ID, anonReply.ID} {
			post := id
			if id == anonTopic.ID {
				opening, err := a.Store.PostsInTopic(ctx, anonTopic.ID, 1, 1)
				if err != nil || len(opening) != 1 {
					t.Fatalf("opening post: %v, %v", opening, err)
				}
				post = opening[0].ID
			}
			if _, err := a.Store.ToggleReaction(ctx, weber.ID, post, models.ReactThanks); err != nil {
				t.Fatal(err)
			}
		}
		closed := a.Board(t, "cardiology-team", "Cardiology team")
		team := a.Group(t, "Cardiology team", "", "", okafor)
		a.Restrict(t, closed, []*models.Group{team}, nil)
		a.Topic(t, closed, okafor, "Team rota", "Who covers Sunday?")

		topicPage := a.Browser(t)
		topicPage.SignIn(weber)
		// Topic lists link a signed topic's author, never an anonymous one's.
		list := topicPage.Get("/b/safety")
		mustContain(t, list, `<a class="author-link" href="/u/okafor">Dr. Amara Okafor</a>`, "Wrong-dose heparin")
		if strings.Count(list.Body, `href="/u/okafor"`) != 1 {
			t.Fatalf("the board's list links okafor %d times, want once (the signed topic only)", strings.Count(list.Body, `href="/u/okafor"`))
		}
		tagged := topicPage.Get("/tags/safety")
		mustContain(t, tagged, "Wrong-dose heparin", "Signed near miss")
		if strings.Count(tagged.Body, `href="/u/okafor"`) != 1 {
			t.Fatalf("the tag's list links okafor %d times, want once", strings.Count(tagged.Body, `href="/u/okafor"`))
		}
		// The anonymous opening post's author is not linked.
		page := topicPage.Get(fmt.Sprintf("/t/%d", anonTopic.ID))
		mustNotContain(t, page, `href="/u/okafor"`)
		mustContain(t, page, `href="/u/weber"`)

		for _, viewer := range []*models.User{weber, okafor, mod, admin} {
			b := a.Browser(t)
			b.SignIn(viewer)
			for _, path := range []string{"/u/okafor", "/u/okafor?show=topics", "/u/okafor?show=replies"} {
				res := b.Get(path)
				wantStatus(t, res, http.StatusOK)
				mustNotContain(t, res, "Wrong-dose heparin", fmt.Sprintf("/p/%d", anonReply.ID),
					fmt.Sprintf("/p/%d", anonTopic.ID))
			}
			res := b.Get("/u/okafor")
			// One signed topic everyone reads, one on the team's board; no
			// reply is signed.
			topics := "1 topic"
			if viewer.ID == okafor.ID || viewer.IsModerator() {
				topics = "2 topics"
				mustContain(t, res, "Team rota")
			} else {
				mustNotContain(t, res, "Team rota")
			}
			mustContain(t, res, "Signed near miss", topics, "0 replies", "0 helpful · 0 agree · 0 thanks")
		}
	})
}

// A change of name, profession or specialty waits for a moderator, who
// approves it from the verification queue; a bad form comes back as typed.
func TestProfileChangeGoesToTheModerators(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		me := a.Browser(t)
		me.SignIn(okafor)

		// Bad input: 422, each problem named, nothing typed lost.
		res := me.Submit("/settings/profile", "/settings/profile", url.Values{"display_name": {"A"},
			"credentials": {"MD"}, "profession": {"astronaut"}, "specialty": {"Electrophysiology"},
			"institution": {""}, "show_institution": {"1"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Give your name.", "Choose your profession from the list.", "Give your institution",
			`value="Electrophysiology"`, `value="MD"`)

		res = me.Submit("/settings/profile", "/settings/profile", url.Values{"display_name": {"Dr. Amara Okafor"},
			"profession": {"physician"}, "specialty": {"Electrophysiology"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, me.Get(res.Location()), "waiting for a moderator", `value="Electrophysiology"`)
		// Peers still see the verified specialty.
		mustContain(t, me.Get("/u/okafor"), "Cardiology")
		mustNotContain(t, me.Get("/u/okafor"), "Electrophysiology")

		m := a.Browser(t)
		m.SignIn(mod)
		queue := m.Get("/mod/verifications")
		// The header counts it with the applications.
		mustContain(t, queue, "Profile changes", "Electrophysiology", `Verifications <span class="unread-count">1<`)
		changes, err := a.Store.ProfileChangeQueue(ctx, 10)
		if err != nil || len(changes) != 1 {
			t.Fatalf("queue %v, %v", changes, err)
		}
		action := fmt.Sprintf("/mod/profile-changes/%d/decide", changes[0].ID)
		// Turning it down needs a reason; the form keeps what was typed.
		res = m.Submit("/mod/verifications", action, url.Values{"decision": {"reject"}, "reason": {""}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Give a reason: the member will read it.")
		res = m.Submit("/mod/verifications", action, url.Values{"decision": {"approve"}, "reason": {"Board certificate seen"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, m.Get(res.Location()), "The change is approved")
		mustContain(t, me.Get("/u/okafor"), "Electrophysiology")
		events, err := a.Store.AuditEventsFor(ctx, "user", okafor.ID)
		if err != nil || len(events) != 1 || events[0].Action != "profile.approved" || events[0].ActorName != "Dr. Lena Park" {
			t.Fatalf("audit %+v, %v", events, err)
		}
	})
}

// Moderators find and act on members; administrators also change roles
// and end sessions, and every action is in the audit log.
func TestMemberAdministration(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.Clinician(t, "weber", "Jonas Weber, RN", "nurse", "Critical Care Nursing")
		a.PendingMember(t, "newcomer")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")
		other := a.Moderator(t, "chen", "Dr. Wei Chen", "Nephrology")
		admin := a.Admin(t, "root", "Dr. Sam Root", "Radiology")

		m := a.Browser(t)
		m.SignIn(mod)
		// Search and filters.
		list := m.Get("/admin/members?q=OKA")
		mustContain(t, list, "Dr. Amara Okafor")
		mustNotContain(t, list, "Jonas Weber")
		list = m.Get("/admin/members?profession=nurse&specialty=critical")
		mustContain(t, list, "Jonas Weber")
		mustNotContain(t, list, "Dr. Amara Okafor")
		list = m.Get("/admin/members?status=pending")
		mustContain(t, list, "@newcomer")
		mustNotContain(t, list, "Dr. Amara Okafor")
		list = m.Get("/admin/members?role=moderator")
		mustContain(t, list, "Dr. Lena Park", "Dr. Wei Chen")
		mustNotContain(t, list, "Dr. Amara Okafor")

		// A moderator's view of a member: no roles, no sessions.
		memberPath := fmt.Sprintf("/admin/members/%d", okafor.ID)
		page := m.Get(memberPath)
		mustContain(t, page, "Dr. Amara Okafor", "Send warning", "Suspend")
		mustNotContain(t, page, "Change role", "End every session")

		// Without the form's CSRF token, nothing happens.
		res := m.Post(memberPath+"/suspend", url.Values{"length": {"indefinite"}, "reason": {"Repeated advertising"}})
		wantStatus(t, res, http.StatusForbidden)
		if memberStatus(t, a, okafor) != models.StatusVerified {
			t.Fatal("a suspension without a CSRF token went through")
		}
		// A suspension without a report: a bad date comes back as typed.
		res = m.Submit(memberPath, memberPath+"/suspend", url.Values{"length": {"until"}, "until": {"someday"},
			"reason": {"Repeated advertising"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Give the last day of the suspension", ">Repeated advertising</textarea>", `value="someday"`)
		res = m.Submit(memberPath, memberPath+"/suspend", url.Values{"length": {"indefinite"}, "reason": {"Repeated advertising"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, m.Get(res.Location()), "The member is suspended")
		if memberStatus(t, a, okafor) != models.StatusSuspended {
			t.Fatal("the member is not suspended")
		}
		// Their profile stays, and only moderators learn of the suspension.
		peer := a.Browser(t)
		peer.SignIn(weber)
		mustNotContain(t, peer.Get("/u/okafor"), "Suspended")
		mustContain(t, m.Get("/u/okafor"), "Suspended")
		res = m.Submit(memberPath, memberPath+"/unsuspend", url.Values{"reason": {"Talked it through"}})
		wantStatus(t, res, http.StatusSeeOther)
		if memberStatus(t, a, okafor) != models.StatusVerified {
			t.Fatal("the suspension is not lifted")
		}
		res = m.Submit(memberPath, memberPath+"/warn", url.Values{"reason": {"Keep posts professional, please."}})
		wantStatus(t, res, http.StatusSeeOther)

		// A moderator cannot act on another moderator; the form keeps
		// what was typed.
		otherPath := fmt.Sprintf("/admin/members/%d", other.ID)
		mustNotContain(t, m.Get(otherPath), "Send warning")
		res = m.Submit(otherPath, otherPath+"/warn", url.Values{"reason": {"You were rude to me."}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "You cannot warn or suspend", ">You were rude to me.</textarea>")
		// Nor change roles.
		wantStatus(t, m.Submit(memberPath, memberPath+"/role", url.Values{"role": {"admin"}}), http.StatusForbidden)

		// An administrator changes a role and ends sessions.
		adm := a.Browser(t)
		adm.SignIn(admin)
		okaforBrowser := a.Browser(t)
		okaforBrowser.SignIn(okafor)
		page = adm.Get(memberPath)
		mustContain(t, page, "Change role", "End every session", "Keep posts professional, please.")
		res = adm.Submit(memberPath, memberPath+"/role", url.Values{"role": {"boss"}, "reason": {"typo"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Choose member, moderator or administrator.", ">typo</textarea>")
		res = adm.Submit(memberPath, memberPath+"/role", url.Values{"role": {"moderator"}, "reason": {"Joins the team"}})
		wantStatus(t, res, http.StatusSeeOther)
		u, err := a.Store.UserByID(ctx, okafor.ID)
		if err != nil || u.Role != models.RoleModerator {
			t.Fatalf("role %v, %v", u, err)
		}
		// The change signed them out.
		if res := okaforBrowser.Get("/settings/profile"); res.Status != http.StatusSeeOther {
			t.Fatalf("after the role change the member's old session still works: %d", res.Status)
		}
		okaforBrowser.SignIn(okafor)
		wantStatus(t, adm.Submit(memberPath, memberPath+"/sessions/end", url.Values{"all": {"1"}}), http.StatusSeeOther)
		if res := okaforBrowser.Get("/settings/profile"); res.Status != http.StatusSeeOther {
			t.Fatalf("after ending the sessions the member is still signed in: %d", res.Status)
		}
		// An administrator cannot change their own role.
		selfPath := fmt.Sprintf("/admin/members/%d", admin.ID)
		res = adm.Submit(selfPath, selfPath+"/role", url.Values{"role": {"member"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "You cannot change your own role")

		entries, _, err := a.Store.AuditLog(ctx, models.AuditFilter{SubjectType: "user", SubjectID: okafor.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action+" by "+e.ActorName)
		}
		want := "user.sessions_end by Dr. Sam Root,user.role by Dr. Sam Root,user.warn by Dr. Lena Park," +
			"user.unsuspend by Dr. Lena Park,user.suspend by Dr. Lena Park"
		if got := strings.Join(actions, ","); got != want {
			t.Fatalf("audit log:\n got %s\nwant %s", got, want)
		}
	})
}

// Posts stored before mentions linked get their links from the one-time
// job the node queues at start: the mentions of members, not of names no
// member has.
func TestStoredMentionsGetLinked(t *testing.T) {
	a := apptest.New(t, apptest.Options{WorkJobs: true})
	ctx := t.Context()
	okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
	a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
	board := a.Board(t, "cardiology", "Cardiology")
	old := "<p>Ask @Weber about it, not <code>@park</code> nor @nobody.</p>\n"
	topic, opening, err := a.Store.CreateTopic(ctx, models.NewTopic{BoardID: board.ID, AuthorID: okafor.ID,
		Title: "Old mentions", PostContent: models.PostContent{Source: "Ask @Weber about it, not `@park` nor @nobody.", Cooked: old}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Site.QueueOneTimeJobs(ctx); err != nil {
		t.Fatal(err)
	}
	// The queue polls every 100 ms; the bound only stops a broken job
	// from hanging the test.
	for tries := 0; ; tries++ {
		done, err := a.Store.OneTimeJobDone(ctx, "link_mentions")
		if err != nil {
			t.Fatal(err)
		}
		if done {
			break
		}
		if tries == 3000 {
			t.Fatal("the one-time job did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
	post, err := a.Store.PostByID(ctx, opening.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := `<p>Ask <a href="/u/weber" rel="nofollow ugc noopener noreferrer">@Weber</a> about it, not <code>@park</code> nor @nobody.</p>` + "\n"
	if post.Cooked != want {
		t.Fatalf("stored post now\n%q, want\n%q", post.Cooked, want)
	}
	b := a.Browser(t)
	b.SignIn(okafor)
	mustContain(t, b.Get(fmt.Sprintf("/t/%d", topic.ID)), `<a href="/u/weber" rel="nofollow ugc noopener noreferrer">@Weber</a>`)
}
