package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A link preview's status: waiting for its job, fetched and shown, or
// failed (the post keeps a plain link).
const (
	PreviewPending = "pending"
	PreviewReady   = "ready"
	PreviewFailed  = "failed"
)

// How long a fetched preview is trusted before a new post with the link
// fetches it again, and how long a failure stands before one retries it.
const (
	PreviewFreshFor  = 30 * 24 * time.Hour
	PreviewRetryFail = 24 * time.Hour
)

// PostLink is one link a post makes, as app/links recognises it: URL is
// canonical, so every post linking the same article shares one preview.
type PostLink struct {
	URL  string
	Kind string // page, doi or pmid
	DOI  string
	PMID string
}

// LinkPreview is what Rounds knows of a link. Its strings are plain text
// from a remote site and must be escaped when shown.
type LinkPreview struct {
	ID          int64
	URL         string
	Kind        string
	Status      string
	Title       string
	Description string
	SiteName    string
	ImageURL    string
	Journal     string
	Year        int
	// Authors are one per line.
	Authors   string
	DOI       string `gorm:"column:doi"`
	PMID      string `gorm:"column:pmid"`
	Error     string
	FetchedAt *time.Time
	CreatedAt time.Time
}

// Due says whether the preview should be fetched (again) at now.
func (p *LinkPreview) Due(now time.Time) bool {
	switch {
	case p.Status == PreviewPending || p.FetchedAt == nil:
		return true
	case p.Status == PreviewFailed:
		return now.Sub(*p.FetchedAt) >= PreviewRetryFail
	default:
		return now.Sub(*p.FetchedAt) >= PreviewFreshFor
	}
}

// maxLinksPerPost bounds the previews one post asks for; links past it stay
// plain links.
const maxLinksPerPost = 20

// linkPost makes a post's links those given, creating previews for links
// never seen before, and returns the previews due a fetch: never fetched,
// or gone stale. A new post (fresh) has no links to clear.
func linkPost(tx *gorm.DB, postID int64, links []PostLink, now time.Time, fresh bool) ([]int64, error) {
	if !fresh {
		if err := tx.Exec(`DELETE FROM post_links WHERE post_id = ?`, postID).Error; err != nil {
			return nil, fmt.Errorf("clear post links: %w", err)
		}
	}
	var due []int64
	for i, l := range links {
		if i == maxLinksPerPost {
			break
		}
		p, err := previewOf(tx, l, now)
		if err != nil {
			return nil, err
		}
		if err := tx.Exec(`INSERT INTO post_links (post_id, preview_id, position) VALUES (?, ?, ?)`,
			postID, p.ID, i).Error; err != nil {
			return nil, fmt.Errorf("link post to %s: %w", l.URL, err)
		}
		if p.Due(now) {
			due = append(due, p.ID)
		}
	}
	return due, nil
}

// previewOf is the preview of a link, recorded as pending if the link was
// never seen before. Most links posted were seen before (the guidelines
// everyone cites): one read then, the insert only for a new one.
func previewOf(tx *gorm.DB, l PostLink, now time.Time) (*LinkPreview, error) {
	var found []LinkPreview
	if err := tx.Select("id, status, fetched_at").Where("url = ?", l.URL).Limit(1).Find(&found).Error; err != nil {
		return nil, fmt.Errorf("load link %s: %w", l.URL, err)
	}
	if len(found) == 1 {
		return &found[0], nil
	}
	err := tx.Exec(`INSERT INTO link_previews (url, kind, doi, pmid, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING`,
		l.URL, l.Kind, l.DOI, l.PMID, PreviewPending, now).Error
	if err != nil {
		return nil, fmt.Errorf("record link %s: %w", l.URL, err)
	}
	var p LinkPreview
	if err := tx.Select("id, status, fetched_at").Where("url = ?", l.URL).Take(&p).Error; err != nil {
		return nil, fmt.Errorf("load link %s: %w", l.URL, err)
	}
	return &p, nil
}

// linkPostAndQueue links a post as linkPost does and queues the fetch of
// the previews due, in the write's transaction tx.
func (s *Store) linkPostAndQueue(ctx context.Context, tx *gorm.DB, postID int64, links []PostLink, now time.Time, fresh bool) error {
	due, err := linkPost(tx, postID, links, now, fresh)
	if err != nil {
		return err
	}
	return s.queuePreviews(ctx, tx, due)
}

// LinkPreviewByID loads one preview.
func (s *Store) LinkPreviewByID(ctx context.Context, id int64) (*LinkPreview, error) {
	var p LinkPreview
	if err := s.db.WithContext(ctx).Take(&p, id).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load link preview %d", id))
	}
	return &p, nil
}

// SaveLinkPreview records the outcome of a fetch: p's status with its
// content (ready) or its error (failed), fetched at FetchedAt.
func (s *Store) SaveLinkPreview(ctx context.Context, p *LinkPreview) error {
	res := s.db.WithContext(ctx).Model(&LinkPreview{ID: p.ID}).Select(
		"status", "title", "description", "site_name", "image_url", "journal", "year",
		"authors", "doi", "pmid", "error", "fetched_at",
	).Updates(&LinkPreview{
		Status: p.Status, Title: p.Title, Description: p.Description, SiteName: p.SiteName,
		ImageURL: p.ImageURL, Journal: p.Journal, Year: p.Year, Authors: p.Authors,
		DOI: p.DOI, PMID: p.PMID, Error: p.Error, FetchedAt: storeTimePtr(p.FetchedAt),
	})
	if res.Error != nil {
		return fmt.Errorf("save link preview %d: %w", p.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("save link preview %d: %w", p.ID, ErrNotFound)
	}
	return nil
}

// PutLinkPreview records a preview fetched elsewhere, such as the demo's
// recorded ones, under its URL: a new row, or the one of its URL replaced.
// Status, fetch time and content come from p.
func (s *Store) PutLinkPreview(ctx context.Context, p *LinkPreview) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Exec(`INSERT INTO link_previews (url, kind, status, title, description, site_name,
			image_url, journal, year, authors, doi, pmid, error, fetched_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET kind = excluded.kind, status = excluded.status, title = excluded.title,
			description = excluded.description, site_name = excluded.site_name, image_url = excluded.image_url,
			journal = excluded.journal, year = excluded.year, authors = excluded.authors, doi = excluded.doi,
			pmid = excluded.pmid, error = excluded.error, fetched_at = excluded.fetched_at`,
		p.URL, p.Kind, p.Status, p.Title, p.Description, p.SiteName, p.ImageURL, p.Journal, p.Year, p.Authors,
		p.DOI, p.PMID, p.Error, storeTimePtr(p.FetchedAt), now).Error
	if err != nil {
		return fmt.Errorf("put link preview %s: %w", p.URL, err)
	}
	return nil
}

// ReadyPreviews returns the fetched previews of each post, in the order the
// post links them. Pending and failed links have none: the post shows them
// as plain links.
func (s *Store) ReadyPreviews(ctx context.Context, postIDs []int64) (map[int64][]LinkPreview, error) {
	if len(postIDs) == 0 {
		return nil, nil
	}
	var rows []struct {
		PostID int64
		LinkPreview
	}
	err := s.db.WithContext(ctx).Raw(`SELECT pl.post_id, lp.* FROM post_links pl
		JOIN link_previews lp ON lp.id = pl.preview_id
		WHERE pl.post_id IN ? AND lp.status = ?
		ORDER BY pl.post_id, pl.position`, postIDs, PreviewReady).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load link previews: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make(map[int64][]LinkPreview)
	for _, r := range rows {
		out[r.PostID] = append(out[r.PostID], r.LinkPreview)
	}
	return out, nil
}
