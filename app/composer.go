package app

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"rounds/app/jobs"
	"rounds/app/links"
	"rounds/app/markdown"
	"rounds/models"
)

// What every composer (topic, reply, edit, case and podcast) shares: the
// board a new topic goes to, the form shown again, and the one way what a
// member wrote becomes the content of a post.

// boardToWrite loads the board of a new topic and what the member may do on
// it; an unreadable board is not found.
func (h *Handler) boardToWrite(c *fiber.Ctx) (*models.Board, models.BoardAccess, error) {
	board, err := h.store.BoardBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, models.BoardAccess{}, missing("That board", err)
	}
	access, err := h.readableBoard(c, board.ID, "That board")
	return board, access, err
}

// renderComposerAgain shows a form once more with the member's text, its
// problems and, when asked for, a preview.
func (h *Handler) renderComposerAgain(c *fiber.Ctx, form *composer, render func() error) error {
	if form.Errors == nil && form.Body != "" {
		preview, err := h.markdown.Render(form.Body, h.mentionsOfMembers(c.UserContext()))
		if err != nil {
			return err
		}
		form.Preview = cookedHTML(preview.HTML)
	}
	return render()
}

// postContent reads what a member wrote, in one parse, into everything the
// store keeps of a post: the markdown source, its HTML and plain text, its
// links and mentions (linked to the profiles of the members who have one),
// and what the identifier check phi found that the
// author confirmed identifies no patient. audioURL is the episode of a
// podcast topic, whose times the post links to ("" for any other topic);
// outside are the links the post makes besides its text, such as a case's
// source, which come first.
func (h *Handler) postContent(ctx context.Context, source string, phi *phiCheck, audioURL string, outside ...string) (models.PostContent, error) {
	res, err := h.markdown.Render(source, markdown.WithTimestamps(audioURL), h.mentionsOfMembers(ctx))
	if err != nil {
		return models.PostContent{}, err
	}
	var first []links.Link
	for _, raw := range outside {
		if l, ok := links.FromURL(raw); ok {
			first = append(first, l)
		}
	}
	found := links.Merge(first, res.Links)
	content := models.PostContent{Source: source, Cooked: res.HTML, Plain: res.Plain, Mentions: res.Mentions,
		PHIConfirmed: phi.confirmedJSON(), Links: make([]models.PostLink, len(found))}
	for i, l := range found {
		content.Links[i] = models.PostLink{URL: l.URL, Kind: l.Kind, DOI: l.DOI, PMID: l.PMID}
	}
	return content, nil
}

// mentionsOfMembers links the @mentions of members with a profile, and
// leaves any other @name as text (markdown.WithMembers).
func (h *Handler) mentionsOfMembers(ctx context.Context) markdown.RenderOption {
	return markdown.WithMembers(func(names []string) (map[string]bool, error) {
		return h.store.MembersWithProfiles(ctx, names)
	})
}

// postContentWithImages is postContent with the composer's images
// rendered and kept in the blob store, ready for the post's transaction;
// discard deletes them if the post is not written after all.
func (h *Handler) postContentWithImages(c *fiber.Ctx, form *composer, source, audioURL string, outside ...string) (models.PostContent, func(), error) {
	content, err := h.postContent(c.UserContext(), source, form.PHI, audioURL, outside...)
	if err != nil {
		return content, func() {}, err
	}
	kept, discard, err := h.keptImages(c.UserContext(), member(c).ID, form.Images)
	if err != nil {
		return content, discard, err
	}
	content.Images = kept
	return content, discard, nil
}

// episodeAudio is the audio of the episode a podcast topic discusses, for
// the times its posts write to link to; "" for any other topic.
func (h *Handler) episodeAudio(ctx context.Context, topic *models.Topic) (string, error) {
	card, _, err := h.episodeCardOf(ctx, topic)
	if err != nil || card == nil {
		return "", err
	}
	return card.AudioURL, nil
}

// storeJobs puts the background work the store's writes ask for on the
// node's job queue, inside the write's transaction (models.Jobs).
type storeJobs struct{ queue *jobs.Queue }

// PreviewLinks queues the fetch of link previews.
func (j storeJobs) PreviewLinks(ctx context.Context, tx *models.Store, previewIDs []int64) error {
	for _, id := range previewIDs {
		if err := j.queue.InsertTx(ctx, tx.DB(), links.PreviewArgs{PreviewID: id}, nil); err != nil {
			return err
		}
	}
	return nil
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
