package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// anonymousAuthor is one member who posts anonymously in the walk below,
// with what their label may say and what no surface may say of them.
type anonymousAuthor struct {
	user   *models.User
	byline string
	// forbidden is their name and username, and whatever of their
	// specialty, field or profession is finer than their label.
	forbidden []string
	// account matches their account id as a page would give it away.
	account *regexp.Regexp
	post    *models.Post
	word    string // a word only their post holds, to search for
}

// latestTopic is the newest topic of a board.
func latestTopic(t *testing.T, a *apptest.App, board *models.Board) *models.Topic {
	t.Helper()
	var topic models.Topic
	if err := a.Store.DB().Where("board_id = ?", board.ID).Order("id DESC").Take(&topic).Error; err != nil {
		t.Fatal(err)
	}
	return &topic
}

// Every surface that shows a post or speaks of its author keeps every
// anonymous author to their label, whatever it says: the specialty, the
// field, the profession or nothing. Each author is walked past every page
// (board, topic, permalink, tag, search, history, review queue and review
// page, audit log, notifications, digest preview as text and HTML) and both
// feeds, as a member, a moderator and an administrator see them, and no
// byte of any answer (attributes included) carries their name, username,
// account id or the specialty their label coarsened away.
func TestAnonymityHoldsOnEverySurface(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		// Three readers in a crowd: with k = 3, a cardiologist among three
		// is "Anonymous Cardiology", a lone nephrologist "Anonymous
		// Internal medicine" (with the cardiologists and the moderator),
		// a lone psychiatric nurse practitioner "Anonymous Nurse
		// practitioner" (with two others), a lone pharmacist "Anonymous
		// clinician".
		okafor := a.Clinician(t, "okafor", "Dr. Amara Okafor", "physician", "Cardiology")
		a.Clinician(t, "brandt", "Dr. Hugo Brandt", "physician", "Cardiology")
		a.Clinician(t, "varga", "Dr. Ines Varga", "physician", "Cardiology")
		chen := a.Clinician(t, "wchen", "Dr. Wei Chen", "physician", "Nephrology")
		lopez := a.Clinician(t, "mlopez", "Marisol Lopez, NP", "nurse_practitioner", "Psychiatric-Mental Health")
		a.Clinician(t, "treilly", "Tom Reilly, NP", "nurse_practitioner", "Family Practice")
		a.Clinician(t, "amoss", "Ada Moss, NP", "nurse_practitioner", "Acute Care")
		nair := a.Clinician(t, "pnair", "Priya Nair, PharmD", "pharmacist", "Clinical Pharmacy")
		byrne := a.Clinician(t, "byrne", "Siobhan Byrne", "physician", "Emergency Medicine")
		mod := a.Moderator(t, "park", "Dr. Lena Park", "Internal Medicine")

		frank := a.Board(t, "frank", "Frank talk")
		frank.AllowAnonymous = true
		if err := a.Store.UpdateBoard(ctx, frank); err != nil {
			t.Fatal(err)
		}
		shared := a.Topic(t, frank, byrne, "Near misses we learned from", "Share one that changed your practice.", "safety")

		// Okafor and Chen post from the composer, which shows each the
		// label before they post; the others through the store.
		compose := func(u *models.User, page, action, label string, form url.Values) {
			t.Helper()
			b := a.Browser(t)
			b.SignIn(u)
			mustContain(t, b.Get(page), "Post anonymously, as “"+label+"”")
			form.Set("anonymous", "1")
			wantStatus(t, b.Submit(page, action, form), http.StatusSeeOther)
		}
		compose(okafor, "/b/frank/new", "/b/frank/new", "Anonymous Cardiology", url.Values{"title": {"Heparin tenfold at handover"},
			"tags": {"safety"}, "body": {"I nearly gave zephyrine-level heparin, @byrne: what do you check?"}})
		heparin := latestTopic(t, a, frank)
		sharedPath := fmt.Sprintf("/t/%d", shared.ID)
		compose(chen, sharedPath, sharedPath+"/reply", "Anonymous Internal medicine",
			url.Values{"body": {"Quorvalene potassium ran too fast once, @byrne."}})

		authors := []*anonymousAuthor{
			{user: okafor, byline: "Anonymous Cardiology", forbidden: []string{"Amara", "Okafor", "okafor"},
				post: openingPost(t, a, heparin), word: "zephyrine"},
			{user: chen, byline: "Anonymous Internal medicine", forbidden: []string{"Wei Chen", "wchen", "Nephrology"},
				post: latestPostBy(t, a, shared, chen), word: "quorvalene"},
			{user: lopez, byline: "Anonymous Nurse practitioner", forbidden: []string{"Marisol", "Lopez", "mlopez", "Psychiatric", "Mental health"},
				post: a.AnonymousReply(t, shared, lopez, "Malvestrin doses written as 1.0 mg."), word: "malvestrin"},
			{user: nair, byline: "Anonymous clinician", forbidden: []string{"Priya", "Nair", "pnair", "PharmD", "Pharmacy", "Pharmacist", "pharmacist"},
				post: a.AnonymousReply(t, heparin, nair, "Trelbavir and heparin look alike on the shelf."), word: "trelbavir"},
		}
		// Nair also shares an episode anonymously, for the podcast feed.
		episode, err := a.Store.SaveLoneEpisode(ctx, models.PodcastEpisode{Title: "Look-alike vials", AudioURL: "https://audio.example.org/vials.mp3"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Store.CreateTopic(ctx, models.NewTopic{BoardID: frank.ID, AuthorID: nair.ID, Kind: models.KindPodcast,
			Title: "Look-alike vials, an episode", EpisodeID: episode.ID, PostContent: models.PostContent{Source: "Worth a listen.", Cooked: "<p>Worth a listen.</p>"},
			Anonymous: true, AnonymityK: a.Config.AnonymityK}); err != nil {
			t.Fatal(err)
		}
		for _, au := range authors {
			if !au.post.Anonymous || models.AnonymousAuthor(au.post.AnonymousAs) != au.byline {
				t.Fatalf("%s's post is written as %+v, want %q", au.user.Username, au.post, au.byline)
			}
			au.account = regexp.MustCompile(fmt.Sprintf(`\b(user|users|u|member|account)[ =/:#]+%d\b`, au.user.ID))
			// Each edits their post once, for the history.
			if _, err := a.Store.EditPost(ctx, models.PostEdit{PostID: au.post.ID, EditorID: au.user.ID, BaseVersion: au.post.Version,
				PostContent: models.PostContent{Source: au.post.Source + " Edited.", Cooked: au.post.Cooked + "<p>Edited.</p>", Plain: au.post.Plain + " Edited."}}); err != nil {
				t.Fatal(err)
			}
		}
		a.CatchUp(t)

		reader, m := a.Browser(t), a.Browser(t)
		reader.SignIn(byrne)
		m.SignIn(mod)
		admin := signedInAdmin(t, a)
		token, _ := createFeed(t, reader)

		// Moderation of every anonymous post: a report, a warning, and
		// for one a suspension.
		for _, au := range authors {
			wantStatus(t, reportPost(reader, au.post.ID, "unprofessional", "Flippant"), http.StatusSeeOther)
			wantStatus(t, decide(m, au.post.ID, "warn", url.Values{"reason": {"Please write about errors with care."}}), http.StatusSeeOther)
		}
		res := decide(m, authors[2].post.ID, "suspend", url.Values{"reason": {"Repeated"}, "length": {"until"},
			"until": {a.Clock.Now().AddDate(0, 0, 7).Format("2006-01-02")}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, m.Get(fmt.Sprintf("/mod/review/%d", authors[2].post.ID)), "Lift the suspension")

		type surface struct {
			who  string
			b    *apptest.Browser
			path string
		}
		var surfaces []surface
		add := func(who string, b *apptest.Browser, paths ...string) {
			for _, p := range paths {
				surfaces = append(surfaces, surface{who, b, p})
			}
		}
		pages := []string{"/", "/b/frank", fmt.Sprintf("/t/%d", shared.ID), fmt.Sprintf("/t/%d", heparin.ID), "/tags/safety",
			searchFor("heparin"), searchFor("safety"), searchFor("@okafor"), searchFor("@wchen"), searchFor("@mlopez"), searchFor("@pnair")}
		for _, au := range authors {
			pages = append(pages, searchFor(au.word), fmt.Sprintf("/p/%d", au.post.ID))
		}
		add("member", reader, pages...)
		add("member", reader, "/notifications", "/settings/digest/preview", "/settings/digest/preview/email")
		add("moderator", m, pages...)
		add("moderator", m, "/mod/review")
		for _, au := range authors {
			add("moderator", m, fmt.Sprintf("/mod/review/%d", au.post.ID), fmt.Sprintf("/p/%d/history", au.post.ID))
		}
		add("administrator", admin, "/admin/audit", "/admin/audit?action=user.", "/admin/audit?subject=user",
			fmt.Sprintf("/admin/audit?subject=post+%d", authors[1].post.ID),
			fmt.Sprintf("/admin/audit?subject=author+of+post+%d", authors[2].post.ID))
		for _, au := range authors {
			add("administrator", admin, fmt.Sprintf("/admin/audit?subject=user+%d", au.user.ID))
		}
		feeds := a.Browser(t) // a feed reader has no session at all
		add("feed reader", feeds, "/feeds/"+token+"/b/frank.atom", "/feeds/"+token+"/b/frank/podcast.rss")

		seen := map[string]string{} // every answer, for the labels' checks below
		for _, s := range surfaces {
			res := s.b.Get(s.path)
			if res.Status != http.StatusOK && res.Status != http.StatusFound {
				t.Fatalf("%s %s: status %d\n%s", s.who, s.path, res.Status, res.Body)
			}
			answer := res.Body + "\n" + res.Location()
			// A search or a filter shows what was asked for in its box:
			// the words of the address itself are no leak.
			asked, err := url.QueryUnescape(s.path)
			if err != nil {
				t.Fatal(err)
			}
			for _, au := range authors {
				for _, word := range au.forbidden {
					if strings.Contains(asked, word) {
						continue
					}
					if i := strings.Index(answer, word); i >= 0 {
						t.Errorf("%s %s gives away %q (%s) in …%s…", s.who, s.path, word, au.byline,
							answer[max(i-120, 0):min(i+len(word)+120, len(answer))])
					}
				}
				if loc := au.account.FindStringIndex(answer); loc != nil && !au.account.MatchString(asked) {
					t.Errorf("%s %s gives away the account of %s: %q", s.who, s.path, au.byline, answer[loc[0]:loc[1]])
				}
			}
			for _, attr := range []string{"data-author", "data-user", "author_id", "authorId"} {
				if strings.Contains(answer, attr) {
					t.Errorf("%s %s carries a %s attribute", s.who, s.path, attr)
				}
			}
			seen[s.who+" "+s.path] += answer
		}

		// The labels themselves are there: the walk looked at the
		// surfaces that show the posts, not at empty pages.
		for _, au := range authors {
			want := map[string]string{
				"member " + fmt.Sprintf("/t/%d", au.post.TopicID):                          au.byline,
				"member " + searchFor(au.word):                                             au.byline,
				"moderator /mod/review":                                                    au.byline,
				"moderator " + fmt.Sprintf("/mod/review/%d", au.post.ID):                   "by " + au.byline + ",",
				"moderator " + fmt.Sprintf("/p/%d/history", au.post.ID):                    "by " + au.byline + ",",
				"member /settings/digest/preview":                                          au.byline,
				"member /settings/digest/preview/email":                                    au.byline,
				"administrator /admin/audit":                                               fmt.Sprintf("the author of post %d", au.post.ID),
				"administrator " + fmt.Sprintf("/admin/audit?subject=user+%d", au.user.ID): "No entries match.",
			}
			for where, label := range want {
				if !strings.Contains(seen[where], label) {
					t.Errorf("%s does not show %q", where, label)
				}
			}
		}
		for where, label := range map[string]string{
			"member /b/frank":                                      "Anonymous Cardiology",
			"member /tags/safety":                                  "Anonymous Cardiology",
			"member /notifications":                                "<strong>Anonymous Cardiology</strong>",
			"feed reader /feeds/" + token + "/b/frank.atom":        "<name>Anonymous Cardiology</name>",
			"feed reader /feeds/" + token + "/b/frank/podcast.rss": "Look-alike vials",
			"administrator " + fmt.Sprintf("/admin/audit?subject=author+of+post+%d", authors[2].post.ID): "until ",
		} {
			if !strings.Contains(seen[where], label) {
				t.Errorf("%s does not show %q", where, label)
			}
		}
		// The mention in Okafor's topic, and Chen's and Lopez's replies
		// to Byrne's topic.
		if n := strings.Count(seen["member /notifications"], "<strong>Anonymous "); n != 3 {
			t.Errorf("the member's notifications show %d anonymous actors, want 3", n)
		}
		for _, word := range []string{"@okafor", "@wchen", "@mlopez", "@pnair"} {
			if !strings.Contains(seen["member "+searchFor(word)], "Nothing matches") {
				t.Errorf("search for %s finds something", word)
			}
		}
	}, apptest.Options{Env: map[string]string{"ROUNDS_ANONYMITY_K": "3"}})
}
