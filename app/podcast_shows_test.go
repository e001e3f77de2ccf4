package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"rounds/app/apptest"
	"rounds/models"
)

func TestPodcastsOffersTheNewEpisodesOfFollowedShows(t *testing.T) {
	show := newGrowingShow(t, 2)
	host := podcastHost(t)
	opts := loopbackFetcher()
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		show.episodes.Store(2)
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		a.Board(t, "cardiology", "Cardiology")
		a.Board(t, "lounge", "Lounge")
		icu := a.Board(t, "icu-cases", "ICU cases")
		cardiologists := a.Group(t, "Cardiologists", "", "Cardiology")
		a.Restrict(t, icu, []*models.Group{cardiologists}, []*models.Group{cardiologists})

		// Okafor shares the newest episode in an open board, the older one
		// in a board Weber cannot read, and another show only there.
		sharer := a.Browser(t)
		sharer.SignIn(okafor)
		open := sharePodcast(t, sharer, "cardiology", show.feedURL(), "Pharm 2 for the ward")
		res := sharer.Submit("/b/icu-cases/podcast", "/b/icu-cases/podcast", url.Values{"url": {show.feedURL()}})
		older := episodeRadio.FindAllStringSubmatch(res.Body, -1)[1][1]
		res = sharer.Submit("/b/icu-cases/podcast", "/b/icu-cases/podcast", url.Values{
			"url": {show.feedURL()}, "episode": {older}, "title": {"Closed door: Pharm 1"}, "body": {"Between us."}})
		wantStatus(t, res, http.StatusSeeOther)
		sharePodcast(t, sharer, "icu-cases", host.URL+"/feed.xml", "Closed door: syncope")
		_, hidden, err := a.Store.EpisodesAt(t.Context(), host.URL+"/feed.xml")
		if err != nil || len(hidden) == 0 {
			t.Fatalf("episodes of the closed show: %v %v", hidden, err)
		}

		b := a.Browser(t)
		b.SignIn(weber)
		res = b.Get("/podcasts")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "You follow no shows yet.")
		mustContain(t, b.Get("/"), `<a href="/podcasts">Podcasts</a>`)

		m := followAction.FindStringSubmatch(b.Get(open).Body)
		wantStatus(t, b.Submit(open, "/podcasts/"+m[1]+"/follow", url.Values{"return": {open}}), http.StatusSeeOther)

		// Nothing new since following: the newest episodes, one discussed
		// where Weber reads, the other only behind a closed door.
		res = b.Get("/podcasts")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Pharm Rounds", "Nothing new since you followed the show", "Pharm 2", "Pharm 1",
			`Discussed in <a href="`+open+`">Pharm 2 for the ward</a> <span class="muted">(Cardiology)</span>`,
			fmt.Sprintf(`href="/b/lounge/podcast?episode=%s">Lounge</a>`, older))
		mustNotContain(t, res, "Closed door", "ICU cases", "icu-cases", "Bedside Rounds")

		// The show publishes an episode; once it is read, it is offered,
		// in each board Weber may post in.
		show.episodes.Store(3)
		refreshFeeds(t, a, opts, a.Store.Now().Add(7*time.Hour))
		res = b.Get("/podcasts")
		mustContain(t, res, "Out since you followed the show", "Pharm 3")
		mustNotContain(t, res, "Pharm 2", "Closed door")
		start := regexp.MustCompile(`href="/b/lounge/podcast\?episode=(\d+)">Lounge</a>`).FindStringSubmatch(res.Body)
		if start == nil {
			t.Fatalf("no way to start a discussion in the lounge:\n%s", res.Body)
		}
		mustContain(t, res, `href="/b/cardiology/podcast?episode=`+start[1]+`">Cardiology</a>`)

		// "Start a discussion" opens the composer with the episode chosen.
		composer := "/b/lounge/podcast?episode=" + start[1]
		res = b.Get(composer)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Episode of Pharm Rounds", `value="`+start[1]+`" data-title="Pharm 3" checked`,
			`name="title" type="text" value="Pharm 3"`, `name="url" value="`+show.feedURL()+`"`)
		res = b.Submit(composer, "/b/lounge/podcast", url.Values{"url": {show.feedURL()}, "episode": {start[1]},
			"title": {"Pharm 3: new anticoagulants"}, "body": {"Who has switched patients?"}})
		wantStatus(t, res, http.StatusSeeOther)
		topic := res.Location()
		mustContain(t, b.Get(topic), "Pharm 3", "Who has switched patients?")

		// Now it links to the discussion instead.
		res = b.Get("/podcasts")
		mustContain(t, res, `Discussed in <a href="`+topic+`">Pharm 3: new anticoagulants</a> <span class="muted">(Lounge)</span>`)
		mustNotContain(t, res, "?episode="+start[1])

		// An episode of a show Weber has never seen is not offered by
		// address either.
		res = b.Get(fmt.Sprintf("/b/lounge/podcast?episode=%d", hidden[0].ID))
		wantStatus(t, res, http.StatusNotFound)
		mustNotContain(t, res, "Bedside Rounds")
		wantStatus(t, b.Get("/b/lounge/podcast?episode=999999"), http.StatusNotFound)

		// Unfollowing from the list empties it.
		res = b.Submit("/podcasts", "/podcasts/"+m[1]+"/unfollow", url.Values{"return": {"/podcasts"}})
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, b.Get("/podcasts"), "You follow no shows yet.")
	}, opts)
}

func TestTopicListsMarkPodcastTopics(t *testing.T) {
	show := newGrowingShow(t, 1)
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		board := a.Board(t, "cardiology", "Cardiology")
		plain := a.Topic(t, board, okafor, "Amiodarone and warfarin", "Opening post")
		b := a.Browser(t)
		b.SignIn(okafor)
		shared := sharePodcast(t, b, "cardiology", show.feedURL(), "Pharm 1 for the ward")
		caseTopic, _, err := a.Store.CreateTopic(t.Context(), models.NewTopic{BoardID: board.ID, AuthorID: okafor.ID,
			Title: "Chest pain after vomiting", PostContent: models.PostContent{Source: "Crepitus.", Cooked: "<p>Crepitus.</p>"},
			Case: &models.CaseSummary{AgeBand: "40-49", Sex: "female", Presentation: "Chest pain after vomiting.",
				Question: "Contrast swallow now?", AttestedByID: okafor.ID}})
		if err != nil {
			t.Fatal(err)
		}
		res := b.Get("/b/cardiology")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `<a class="topic-title" href="`+shared+`">Pharm 1 for the ward</a>
      <span class="badge kind">Podcast</span>`, `href="/t/`+fmt.Sprint(caseTopic.ID)+`/`+caseTopic.Slug+`">Chest pain after vomiting</a>
      <span class="badge kind">Case</span>`)
		mustNotContain(t, res, `href="/t/`+fmt.Sprint(plain.ID)+`/`+plain.Slug+`">Amiodarone and warfarin</a>
      <span class="badge kind">`)
	}, loopbackFetcher())
}
