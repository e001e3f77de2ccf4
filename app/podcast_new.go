package app

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/app/fetch"
	"rounds/app/podcast"
	"rounds/models"
)

// podcastNewPage is the two steps of sharing an episode: the link, then
// (once it is read) the episode to discuss and the opening post.
type podcastNewPage struct {
	Board    *models.Board
	Action   string
	URL      string
	URLError string
	// Show is the show the link led to; nil for a lone audio file.
	Show     *models.PodcastFeed
	Episodes []episodeChoice
	Form     *composer
}

type episodeChoice struct {
	ID           int64
	Title        string
	Published    string
	PublishedISO string
	Duration     string
	Checked      bool
}

func (h *Handler) podcastNew(c *fiber.Ctx) error {
	board, access, err := h.boardToWrite(c)
	if err != nil {
		return err
	}
	if refusal := postRefusal(access); refusal != "" {
		return errForbidden(refusal)
	}
	p := &podcastNewPage{Board: board}
	if id := c.QueryInt("episode"); id > 0 {
		if err := h.preselectEpisode(c, p, int64(id)); err != nil {
			return err
		}
	}
	return h.renderPodcastNew(c, p, fiber.StatusOK)
}

// preselectEpisode starts the composer at its second step with an episode
// chosen, as "Start a discussion" on /podcasts asks: the episodes of its
// show are listed, that one checked, its title the topic's to start with.
// An episode the member could not have seen is not found.
func (h *Handler) preselectEpisode(c *fiber.Ctx, p *podcastNewPage, id int64) error {
	ctx, m := c.UserContext(), member(c)
	ep, err := h.store.PodcastEpisodeByID(ctx, id)
	if err != nil {
		return missing("That episode", err)
	}
	var episodes []models.PodcastEpisode
	if ep.FeedID != nil {
		ok, err := h.store.ShowReadableBy(ctx, m, *ep.FeedID)
		if err != nil {
			return err
		}
		if !ok {
			return errNotFound("That episode", nil)
		}
		feed, err := h.store.PodcastFeedByID(ctx, *ep.FeedID)
		if err != nil {
			return missing("That episode", err)
		}
		if p.Show, episodes, err = h.store.EpisodesAt(ctx, feed.URL); err != nil {
			return err
		}
		p.URL = feed.URL
	} else {
		topics, err := h.store.EpisodeTopics(ctx, m, []int64{ep.ID})
		if err != nil {
			return err
		}
		if len(topics[ep.ID]) == 0 {
			return errNotFound("That episode", nil)
		}
		episodes, p.URL = []models.PodcastEpisode{*ep}, ep.AudioURL
	}
	p.Form = &composer{Title: clipRunes(ep.Title, titleMax), WithTitle: true}
	p.Episodes = h.episodeChoices(episodes, ep.ID)
	return nil
}

// podcastCreate reads the shared link and offers its episodes; once an
// episode of it is chosen and the post is written, it opens the topic.
func (h *Handler) podcastCreate(c *fiber.Ctx) error {
	board, access, err := h.boardToWrite(c)
	if err != nil {
		return err
	}
	p, form := readPodcastForm(c, board)
	if refusal := postRefusal(access); refusal != "" {
		p.URLError = refusal
		return h.renderPodcastNew(c, p, fiber.StatusForbidden)
	}
	if p.URL == "" {
		p.URLError = "Paste the address of a podcast feed, an episode's page or an audio file."
		return h.renderPodcastNew(c, p, fiber.StatusUnprocessableEntity)
	}
	chosen := c.FormValue("episode") != ""
	if refusal := inputRefusal(c); refusal != "" && !chosen {
		p.URLError = refusal
		return h.renderPodcastNew(c, p, fiber.StatusUnprocessableEntity)
	}
	if chosen {
		feed, episodes, err := h.storedEpisodes(c, p.URL)
		if err != nil {
			return err
		}
		if len(episodes) > 0 {
			p.Show = feed
			return h.podcastTopicCreate(c, p, access, episodes)
		}
		// An address this site has not read yet, or read only for boards
		// this member cannot read: read it afresh.
	}
	if !strings.Contains(p.URL, "://") {
		p.URL = "https://" + p.URL
	}
	if limit := h.takeLimits(c, fetching...); limit != nil {
		return h.refuseForm(c, limit, func() error { return h.renderLinkError(c, p, limit.message(), fiber.StatusTooManyRequests) })
	}
	episodes, answered, err := h.readPodcastLink(c, p)
	if err != nil || answered {
		return err
	}
	if chosen {
		return h.podcastTopicCreate(c, p, access, episodes)
	}
	// A new post starts with the episode's title.
	if p.Form = form; form.Title == "" {
		form.Title = clipRunes(episodes[0].Title, titleMax)
	}
	p.Episodes = h.episodeChoices(episodes, episodes[0].ID)
	return h.renderPodcastNew(c, p, fiber.StatusOK)
}

// readPodcastForm reads the podcast form: the link, and the post when the
// member has written it already, which is then shown, and kept, whatever
// happens to the link.
func readPodcastForm(c *fiber.Ctx, board *models.Board) (*podcastNewPage, *composer) {
	p := &podcastNewPage{Board: board, URL: strings.TrimSpace(c.FormValue("url"))}
	form := &composer{Title: c.FormValue("title"), Tags: c.FormValue("tags"), Body: c.FormValue("body"), WithTitle: true}
	if form.Title != "" || form.Tags != "" || form.Body != "" {
		p.Form = form
	}
	return p, form
}

// readPodcastLink fetches what the podcast form's link points at, a show's
// feed or one audio file, and stores its episodes, the newest first. A link
// that cannot be read is answered here, on the form (answered).
func (h *Handler) readPodcastLink(c *fiber.Ctx, p *podcastNewPage) (episodes []models.PodcastEpisode, answered bool, err error) {
	found, err := podcast.Resolve(c.UserContext(), h.fetcher, p.URL)
	if err != nil {
		return nil, true, h.renderLinkError(c, p, h.resolveMessage(c, p.URL, err), fiber.StatusUnprocessableEntity)
	}
	if found.Show != nil {
		p.Show, episodes, err = h.store.SaveShow(c.UserContext(), feedOf(found.Show), podcast.StoredEpisodes(found.Show.Episodes))
		if err != nil {
			return nil, false, err
		}
		p.URL = p.Show.URL
		return episodes, false, nil
	}
	ep, err := h.store.SaveLoneEpisode(c.UserContext(), podcast.StoredEpisodes([]podcast.Episode{*found.Audio})[0])
	if err != nil {
		return nil, false, err
	}
	p.URL = ep.AudioURL
	return []models.PodcastEpisode{*ep}, false, nil
}

// storedEpisodes are the episodes stored for a shared address that the
// member may be shown, as preselectEpisode checks them: those of a show
// they may read (or of a lone audio file whose topic they may read), or of
// one no topic discusses yet. Otherwise there are none, and the address
// must be read afresh for them: a show discussed only in boards closed to
// them stays unknown to them.
func (h *Handler) storedEpisodes(c *fiber.Ctx, address string) (*models.PodcastFeed, []models.PodcastEpisode, error) {
	ctx, m := c.UserContext(), member(c)
	feed, episodes, err := h.store.EpisodesAt(ctx, address)
	if err != nil || len(episodes) == 0 {
		return nil, nil, err
	}
	ids := make([]int64, len(episodes))
	for i := range episodes {
		ids[i] = episodes[i].ID
	}
	discussed, err := h.store.EpisodesDiscussed(ctx, ids)
	if err != nil || !discussed {
		return feed, episodes, err
	}
	readable := false
	if feed != nil {
		readable, err = h.store.ShowReadableBy(ctx, m, feed.ID)
	} else {
		var topics map[int64][]models.EpisodeTopic
		topics, err = h.store.EpisodeTopics(ctx, m, ids)
		readable = len(topics) > 0
	}
	if err != nil || !readable {
		return nil, nil, err
	}
	return feed, episodes, nil
}

// renderLinkError says why the link gave no episode: under the link on the
// first step, or, when the member had written the post already, above the
// post, which is kept.
func (h *Handler) renderLinkError(c *fiber.Ctx, p *podcastNewPage, message string, status int) error {
	if p.Form == nil {
		p.URLError = message
		return h.renderPodcastNew(c, p, status)
	}
	p.Form.Errors.add("episode", message+" Your post is kept below; choose “Share a different link” or send it again to read the link afresh.")
	return h.renderPodcastNew(c, p, status)
}

// podcastTopicCreate is the second step: the episode chosen among those of
// the link, and the opening post.
func (h *Handler) podcastTopicCreate(c *fiber.Ctx, p *podcastNewPage, access models.BoardAccess, episodes []models.PodcastEpisode) error {
	form := &composer{Title: c.FormValue("title"), Tags: c.FormValue("tags"), Body: c.FormValue("body"), WithTitle: true}
	p.Form = form
	title, tags := form.validate()
	form.Errors.addRefused(c)
	guardPHI(c, form, composerFields(form)...)
	var chosen *models.PodcastEpisode
	if id, err := strconv.ParseInt(c.FormValue("episode"), 10, 64); err == nil {
		for i := range episodes {
			if episodes[i].ID == id {
				chosen = &episodes[i]
			}
		}
	}
	checked := episodes[0].ID
	if chosen == nil {
		form.Errors.add("episode", "Choose one of the episodes listed.")
	} else {
		checked = chosen.ID
	}
	p.Episodes = h.episodeChoices(episodes, checked)
	if form.Errors != nil || c.FormValue("preview") != "" {
		return h.renderComposerAgain(c, form, func() error {
			return h.renderPodcastNew(c, p, form.Errors.status())
		})
	}
	if limit := h.takePostingLimit(c); limit != nil {
		return h.refuseSave(c, limit, form, func() error { return h.renderPodcastNew(c, p, form.Errors.status()) })
	}
	content, err := h.postContent(c.UserContext(), form.Body, form.PHI, chosen.AudioURL)
	if err != nil {
		return err
	}
	topic, _, err := h.store.CreateTopic(c.UserContext(), models.NewTopic{
		BoardID: p.Board.ID, AuthorID: member(c).ID, Kind: models.KindPodcast, EpisodeID: chosen.ID,
		Title: title, Tags: tags, PostContent: content,
	})
	if err != nil {
		return err
	}
	return c.Redirect(topicURL(topic), fiber.StatusSeeOther)
}

func (h *Handler) renderPodcastNew(c *fiber.Ctx, p *podcastNewPage, status int) error {
	p.Action = "/b/" + p.Board.Slug + "/podcast"
	if p.Form != nil {
		p.Form.Action, p.Form.Submit, p.Form.Cancel = p.Action, "Start topic", "/b/"+p.Board.Slug
		p.Form.TitleHint = "5 to 200 characters. The episode's title to start with; say what you want to discuss."
		p.Form.BodyHint = "Markdown, as in any post. Times such as 12:34 or 1:02:03 become links that play the episode from there. Never include patient identifiers."
	}
	data := h.page(c, "Share a podcast episode in "+p.Board.Title)
	data.Page = p
	c.Status(status)
	return h.views.render(c, "podcast_new", data)
}

// resolveMessage says, in a member's words, why a link gave no episode.
func (h *Handler) resolveMessage(c *fiber.Ctx, address string, err error) string {
	var fe *fetch.Error
	switch {
	case errors.As(err, &fe):
		h.log.Info("podcast link not read", "request_id", requestID(c), "url", fe.URL, "kind", fe.Kind.String(), "err", err)
		return fe.Msg
	case errors.Is(err, podcast.ErrNoAudio):
		return "That feed has no episodes with audio."
	case errors.Is(err, podcast.ErrNotAFeed):
		h.log.Info("podcast feed not readable", "request_id", requestID(c), "url", address, "err", err)
		return "That address gave a feed we could not read: it is not valid RSS. Check the address, or try the show's own page."
	case errors.Is(err, podcast.ErrNothingFound):
		return "That link is not a podcast feed, a page that names one, or an audio file. Try the show's RSS feed address."
	}
	h.log.Warn("podcast link failed", "request_id", requestID(c), "url", address, "err", err)
	return "We could not read that link. Check the address and try again."
}

func (h *Handler) episodeChoices(episodes []models.PodcastEpisode, checked int64) []episodeChoice {
	choices := make([]episodeChoice, len(episodes))
	for i := range episodes {
		e := &episodes[i]
		choices[i] = episodeChoice{ID: e.ID, Title: e.Title, Duration: podcast.FormatDuration(e.Duration()), Checked: e.ID == checked}
		if e.PublishedAt != nil {
			choices[i].Published, choices[i].PublishedISO = e.PublishedAt.UTC().Format("2 Jan 2006"), isoTime(*e.PublishedAt)
		}
	}
	return choices
}

func feedOf(s *podcast.Show) models.PodcastFeed {
	return models.PodcastFeed{URL: s.FeedURL, Title: s.Title, Author: s.Author, Description: s.Description,
		ImageURL: s.ImageURL, Link: s.Link}
}

// clipRunes cuts s to at most n runes, for a prefilled title.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n]))
}
