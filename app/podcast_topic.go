package app

import (
	"context"
	"errors"
	"net/url"
	"strings"

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
}

// topicEpisode loads the card of a podcast topic; nil for any other topic,
// or a podcast topic whose episode is gone.
func (h *Handler) topicEpisode(ctx context.Context, topic *models.Topic) (*episodeCard, error) {
	if topic.Kind != models.KindPodcast {
		return nil, nil
	}
	ep, err := h.store.EpisodeOfTopic(ctx, topic.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	card := &episodeCard{ShowTitle: ep.ShowTitle, ShowAuthor: ep.ShowAuthor, Title: ep.Title,
		Link: webURL(ep.Link), ImageURL: webURL(ep.ImageURL), AudioURL: webURL(ep.AudioURL), AudioType: ep.AudioType,
		Duration: podcast.FormatDuration(ep.Duration())}
	if card.ImageURL == "" {
		card.ImageURL = webURL(ep.ShowImageURL)
	}
	if ep.PublishedAt != nil {
		card.Published, card.PublishedISO = ep.PublishedAt.UTC().Format("2 Jan 2006"), isoTime(*ep.PublishedAt)
	}
	for _, para := range strings.Split(ep.Description, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			card.Paragraphs = append(card.Paragraphs, para)
		}
	}
	return card, nil
}

// webURL keeps an address only when it is http or https: the card's links,
// artwork and audio come from someone else's feed.
func webURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// linkTimestamps turns the times written in a post of a podcast topic into
// links that play its episode from there. The cooked HTML is sanitized
// before this and stored after it; the links it adds carry only the
// escaped audio address and numbers.
func (h *Handler) linkTimestamps(ctx context.Context, topic *models.Topic, cooked string) (string, error) {
	card, err := h.topicEpisode(ctx, topic)
	if err != nil || card == nil || card.AudioURL == "" {
		return cooked, err
	}
	return podcast.LinkTimestamps(cooked, card.AudioURL), nil
}
