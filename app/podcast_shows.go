package app

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/app/podcast"
	"rounds/models"
)

// How many episodes of each followed show /podcasts offers: those out since
// the member followed it, or else its newest.
const (
	offeredSinceFollowed = 10
	offeredNewest        = 3
)

type podcastsPage struct {
	Shows []followedShow
	// Boards are where the member may start a discussion.
	Boards []models.Board
}

type followedShow struct {
	FeedID        int64
	Title         string
	Author        string
	ImageURL      string
	Link          string
	FollowedAt    time.Time
	SinceFollowed bool
	Episodes      []offeredEpisode
}

type offeredEpisode struct {
	ID           int64
	Title        string
	Published    string
	PublishedISO string
	Duration     string
	// Topics discuss the episode already, in boards the member reads.
	Topics []models.EpisodeTopic
}

// podcastShows lists the shows the member follows with the episodes to
// discuss: each one either links to the topics on it or offers to start
// one.
func (h *Handler) podcastShows(c *fiber.Ctx) error {
	ctx, m := c.UserContext(), member(c)
	shows, err := h.store.FollowedShows(ctx, m.ID, offeredSinceFollowed, offeredNewest)
	if err != nil {
		return err
	}
	var ids []int64
	for _, s := range shows {
		for _, e := range s.Episodes {
			ids = append(ids, e.ID)
		}
	}
	topics, err := h.store.EpisodeTopics(ctx, m, ids)
	if err != nil {
		return err
	}
	p := podcastsPage{}
	if p.Boards, err = h.store.BoardsToPostIn(ctx, m); err != nil {
		return err
	}
	for _, s := range shows {
		v := followedShow{FeedID: s.ID, Title: s.Title, Author: s.Author, ImageURL: h.images.URL(s.ImageURL), Link: webURL(s.Link),
			FollowedAt: s.FollowedAt, SinceFollowed: s.SinceFollowed}
		if v.Title == "" {
			v.Title = "Untitled show"
		}
		for i := range s.Episodes {
			e := &s.Episodes[i]
			o := offeredEpisode{ID: e.ID, Title: e.Title, Duration: podcast.FormatDuration(e.Duration()), Topics: topics[e.ID]}
			if e.PublishedAt != nil {
				o.Published, o.PublishedISO = e.PublishedAt.UTC().Format("2 Jan 2006"), isoTime(*e.PublishedAt)
			}
			v.Episodes = append(v.Episodes, o)
		}
		p.Shows = append(p.Shows, v)
	}
	data := h.page(c, "Your podcasts")
	data.Page = p
	return h.views.render(c, "podcasts", data)
}
