package digest

import (
	"context"
	"slices"
	"time"

	"rounds/models"
)

// Digest is what one member's digest carries, chosen at send time.
type Digest struct {
	Member *models.User
	// Since and Until bound the posts it covers: created after Since, at
	// or before Until.
	Since, Until time.Time
	// Items are the topics, those the member watches first, each group by
	// activity.
	Items []Item
	// Notes are the member's notifications of the kinds they want in the
	// digest (replies, mentions, reactions…), oldest first, for its
	// "Replies and mentions".
	Notes []models.NotificationEmail
}

// Empty says there is nothing to send.
func (d *Digest) Empty() bool { return d == nil || len(d.Items) == 0 && len(d.Notes) == 0 }

// Item is one topic in a digest.
type Item struct {
	TopicID     int64
	TopicTitle  string
	TopicSlug   string
	BoardID     int64
	BoardSlug   string
	BoardTitle  string
	EmailPolicy models.EmailPolicy
	// Watched is true when the member watches the topic or its board.
	Watched bool
	// NewTopic is true when the topic's opening post is among the new posts.
	NewTopic bool
	// NewPosts counts the visible posts by others in the window.
	NewPosts int
	// Posts are the newest few of them, oldest first, only for boards
	// whose policy is EmailFull.
	Posts []Post
}

// Post is one post as a digest shows it.
type Post struct {
	PostID int64
	Number int
	// Author is the display name, or models.AnonymousAuthor for an
	// anonymous post.
	Author string
	Cooked string
}

// Digest limits: how many topics, and how many posts under each.
const (
	MaxItems     = 20
	postsPerItem = 3
)

// Content chooses a member's digest from the posts created after since and
// at or before until; see Choose for the rules.
func Content(ctx context.Context, store *models.Store, userID int64, since, until time.Time, limit int) (*Digest, error) {
	corpus, err := store.LoadDigestCorpus(ctx, since, until)
	if err != nil {
		return nil, err
	}
	member, err := store.DigestMemberFor(ctx, userID, "")
	if err != nil {
		return nil, err
	}
	return Choose(ctx, store, corpus, member, limit)
}

// Choose picks a member's digest from a corpus. The store decides what
// they may see (models.DigestCandidates: only verified members, only
// boards they may read now, nothing hidden or deleted); Choose decides
// what of it is worth a digest: nothing to a member who turned digests
// off, nothing they wrote, nothing they muted. Topics they watch (or
// whose board they watch) come first, then the busiest others, then the
// most recently active, limit in all (MaxItems when limit ≤ 0); under each
// topic of a board that mails posts, the newest few by others, oldest
// first, with anonymous authors by their post's label only.
func Choose(ctx context.Context, store *models.Store, corpus *models.DigestCorpus, m *models.DigestMember, limit int) (*Digest, error) {
	if limit <= 0 {
		limit = MaxItems
	}
	u := &m.User
	d := &Digest{Member: u, Since: corpus.Since, Until: corpus.Until}
	if m.Settings.Frequency == models.DigestNever {
		return d, nil
	}
	candidates, err := store.DigestCandidates(ctx, corpus, m)
	if err != nil {
		return nil, err
	}
	type pick struct {
		c       *models.DigestCandidate
		watched bool
		posts   int
	}
	var picks []pick
	for i := range candidates {
		c := &candidates[i]
		if c.Level == models.LevelMute {
			continue
		}
		n := c.Topic.Posts - c.OwnPosts
		if n <= 0 {
			continue
		}
		picks = append(picks, pick{c: c, watched: c.Level == models.LevelWatch, posts: n})
	}
	slices.SortFunc(picks, func(a, b pick) int {
		switch {
		case a.watched != b.watched:
			if a.watched {
				return -1
			}
			return 1
		case a.posts != b.posts:
			return b.posts - a.posts
		case a.c.Topic.LastPostID != b.c.Topic.LastPostID:
			if a.c.Topic.LastPostID > b.c.Topic.LastPostID {
				return -1
			}
			return 1
		}
		return 0
	})
	if len(picks) > limit {
		picks = picks[:limit]
	}
	var shown []int64
	for _, p := range picks {
		t, b := p.c.Topic, p.c.Board
		item := Item{
			TopicID: t.ID, TopicTitle: t.Title, TopicSlug: t.Slug,
			BoardID: b.ID, BoardSlug: b.Slug, BoardTitle: b.Title, EmailPolicy: b.EmailPolicy,
			Watched: p.watched, NewTopic: t.OpenerAuthor != 0 && t.OpenerAuthor != u.ID, NewPosts: p.posts,
		}
		if item.EmailPolicy == models.EmailFull {
			for _, rp := range t.Recent {
				if rp.AuthorID == u.ID {
					continue
				}
				item.Posts = append(item.Posts, Post{PostID: rp.ID, Number: rp.Number})
				shown = append(shown, rp.ID)
				if len(item.Posts) == postsPerItem {
					break
				}
			}
			slices.Reverse(item.Posts)
		}
		d.Items = append(d.Items, item)
	}
	if d.Notes, err = digestNotes(ctx, store, u, corpus); err != nil {
		return nil, err
	}
	texts, err := store.DigestPostTexts(ctx, corpus, shown)
	if err != nil {
		return nil, err
	}
	for i := range d.Items {
		posts := d.Items[i].Posts[:0]
		for _, p := range d.Items[i].Posts {
			text, ok := texts[p.PostID]
			if !ok {
				continue // hidden or deleted since the corpus was loaded
			}
			p.Cooked, p.Author = text.Cooked, text.Author
			posts = append(posts, p)
		}
		d.Items[i].Posts = posts
	}
	return d, nil
}

// digestNotes are the notifications in the corpus's window of the kinds
// the member wants in the digest, as the store lets them see them now.
func digestNotes(ctx context.Context, store *models.Store, u *models.User, corpus *models.DigestCorpus) ([]models.NotificationEmail, error) {
	settings, err := store.EmailSettingsFor(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return store.DigestNotifications(ctx, u, settings.Kinds(models.EmailInDigest), corpus.Since, corpus.Until)
}
