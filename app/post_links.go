package app

import (
	"context"

	"gorm.io/gorm"

	"rounds/app/links"
	"rounds/models"
)

// postLinks are the links of a post being saved: those it carries
// outside its text, such as a case's source, then those markdown.Render
// found in its text. The fetch of their previews is queued with the
// post's transaction.
func (h *Handler) postLinks(ctx context.Context, inText []links.Link, outside ...string) models.PostLinks {
	var first []links.Link
	for _, raw := range outside {
		if l, ok := links.FromURL(raw); ok {
			first = append(first, l)
		}
	}
	found := links.Merge(first, inText)
	pl := models.PostLinks{Found: make([]models.PostLink, len(found))}
	for i, l := range found {
		pl.Found[i] = models.PostLink{URL: l.URL, Kind: l.Kind, DOI: l.DOI, PMID: l.PMID}
	}
	pl.Queue = func(tx *gorm.DB, previewIDs []int64) error {
		for _, id := range previewIDs {
			if err := h.jobs.InsertTx(ctx, tx, links.PreviewArgs{PreviewID: id}, nil); err != nil {
				return err
			}
		}
		return nil
	}
	return pl
}

// linksOutsideText are the links a post makes besides those in its text: a
// case's source, for the opening post of a case topic.
func (h *Handler) linksOutsideText(ctx context.Context, topic *models.Topic, post *models.Post) ([]string, error) {
	if post.Number != 1 || topic.Kind != models.KindCase {
		return nil, nil
	}
	cs, err := h.store.CaseSummaryFor(ctx, topic.ID)
	if models.IsNotFound(err) || (err == nil && cs.SourceURL == "") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []string{cs.SourceURL}, nil
}
