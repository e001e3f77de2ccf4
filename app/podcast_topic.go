package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/app/podcast"
	"rounds/models"
)

// episodeCard is the episode a podcast topic discusses, as the top of the
// topic page shows it, with the player.
type episodeCard struct {
	ShowTitle    string
	ShowAuthor   string
	Title        string
	Link         string // the episode's page, when the feed gives one
	ImageURL     string
	AudioURL     string
	AudioType    string
	Published    string
	PublishedISO string
	Duration     string
	Paragraphs   []string
	// Trouble is shown to the member who shared the episode, and to
	// moderators, while the show's feed cannot be read.
	Trouble *feedTrouble
	// Follow is the form that follows or unfollows the show; nil for a
	// lone audio file, which has no show.
	Follow *followForm
}

// feedTrouble says how long a show's feed has been failing, and why.
type feedTrouble struct {
	Failures   int
	Error      string
	LastWorked time.Time // zero when never
	NextTry    time.Time // zero when not scheduled
}

// followForm follows or unfollows a show and comes back to Return.
type followForm struct {
	FeedID    int64
	Following bool
	Return    string
	CSRF      string
}

// topicEpisode loads the card of a podcast topic as the member asking sees
// it; nil for any other topic, or a podcast topic whose episode is gone.
func (h *Handler) topicEpisode(c *fiber.Ctx, topic *models.Topic) (*episodeCard, error) {
	ctx, m := c.UserContext(), member(c)
	card, ep, err := h.episodeCardOf(ctx, topic)
	if card == nil || err != nil || ep.FeedID == nil {
		return card, err
	}
	if !m.IsVerified() {
		return card, nil
	}
	if ep.FeedFailures > 0 && (m.ID == topic.AuthorID || m.IsModerator()) {
		card.Trouble = &feedTrouble{Failures: ep.FeedFailures, Error: ep.FeedLastError}
		if ep.FeedFetchedAt != nil {
			card.Trouble.LastWorked = *ep.FeedFetchedAt
		}
		if ep.FeedNextFetchAt != nil {
			card.Trouble.NextTry = *ep.FeedNextFetchAt
		}
		if card.Trouble.Error == "" {
			card.Trouble.Error = "The feed could not be read."
		}
	}
	following, err := h.store.FollowsShow(ctx, m.ID, *ep.FeedID)
	if err != nil {
		return nil, err
	}
	card.Follow = &followForm{FeedID: *ep.FeedID, Following: following, Return: topicURL(topic), CSRF: h.csrfToken(c)}
	return card, nil
}

// episodeCardOf loads the card of a podcast topic as anyone sees it.
func (h *Handler) episodeCardOf(ctx context.Context, topic *models.Topic) (*episodeCard, *models.TopicEpisode, error) {
	if topic.Kind != models.KindPodcast {
		return nil, nil, nil
	}
	ep, err := h.store.EpisodeOfTopic(ctx, topic.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	card := &episodeCard{ShowTitle: ep.ShowTitle, ShowAuthor: ep.ShowAuthor, Title: ep.Title,
		Link: webURL(ep.Link), ImageURL: h.images.URL(ep.ImageURL), AudioURL: webURL(ep.AudioURL), AudioType: ep.AudioType,
		Duration: podcast.FormatDuration(ep.Duration())}
	if card.ImageURL == "" {
		card.ImageURL = h.images.URL(ep.ShowImageURL)
	}
	if ep.PublishedAt != nil {
		card.Published, card.PublishedISO = ep.PublishedAt.UTC().Format("2 Jan 2006"), isoTime(*ep.PublishedAt)
	}
	for _, para := range strings.Split(ep.Description, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			card.Paragraphs = append(card.Paragraphs, para)
		}
	}
	return card, ep, nil
}
