package app

import (
	"github.com/gofiber/fiber/v2"

	"rounds/app/revdiff"
	"rounds/models"
)

type postHistoryPage struct {
	Topic    *models.TopicSummary
	Post     *models.Post
	Versions []historyVersion
	// Withheld is a hidden post seen by its author: the page says why it
	// was hidden and shows no content.
	Withheld bool
}

// historyVersion is one version of a post as the history page shows it:
// what changed since the version before, or the whole text when there is
// nothing to compare it with.
type historyVersion struct {
	models.RevisionView
	// Changes is the comparison with the version before; nil for the
	// first version, an erased one, and the one after an erased one.
	Changes *revdiff.Diff
	// TitleChanges is set when the version changed the topic's title.
	TitleChanges *revdiff.Diff
	// AfterErased says the version before was erased, so this one is
	// shown whole.
	AfterErased bool
}

// postHistory shows every version of a post to its author, and to
// moderators, who alone still see the history of a deleted post and the
// content of a hidden one.
func (h *Handler) postHistory(c *fiber.Ctx) error {
	post, topic, err := h.readablePost(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	m := member(c)
	switch {
	case m.IsModerator():
	case post.IsDeleted():
		return errNotFound("That post", nil)
	case post.AuthorID != m.ID:
		return errForbidden("Only the author and moderators can see the history of a post.")
	}
	p := postHistoryPage{Topic: topic, Post: post, Withheld: post.IsHidden() && !m.IsModerator()}
	if !p.Withheld {
		revs, err := h.store.PostRevisions(ctx, post.ID)
		if err != nil {
			return err
		}
		anonymizeEditors(post, revs)
		p.Versions = compareVersions(revs)
	}
	data := h.page(c, "History of a post")
	data.Page = p
	return h.views.render(c, "post_history", data)
}

// compareVersions pairs each version, newest first as the store lists
// them, with the one before it. An erased version has no text left to
// compare: the version after it is shown as it stands, since a comparison
// with nothing would only say that every word was added.
func compareVersions(revs []models.RevisionView) []historyVersion {
	out := make([]historyVersion, len(revs))
	for i, r := range revs {
		out[i].RevisionView = r
		if r.RedactedAt != nil || i+1 == len(revs) {
			continue
		}
		prev := revs[i+1]
		if prev.RedactedAt != nil {
			out[i].AfterErased = true
			continue
		}
		d := revdiff.Compare(prev.Source, r.Source)
		out[i].Changes = &d
		if r.Title != "" && prev.Title != "" && r.Title != prev.Title {
			td := revdiff.Compare(prev.Title, r.Title)
			out[i].TitleChanges = &td
		}
	}
	return out
}

// Coarseness says, when the comparison could not go word by word, how the
// page marks the changes instead.
func (v historyVersion) Coarseness() string {
	if v.Changes == nil {
		return ""
	}
	switch v.Changes.Level {
	case revdiff.ByLine:
		return "This edit changed too much to mark word by word: whole lines are marked."
	case revdiff.Whole:
		return "This edit rewrote the post: the old text is shown removed and the new one added."
	}
	return ""
}

// Summary counts the words a version added and removed.
func (v historyVersion) Summary() string {
	d := v.Changes
	switch {
	case d == nil:
		return ""
	case d.Unchanged() && v.TitleChanges != nil:
		return "Only the title changed."
	case d.Unchanged():
		return "The text did not change."
	case d.Added == 0 && d.Removed == 0:
		return "Only spacing or punctuation changed."
	case d.Removed == 0:
		return plural(d.Added, "word", "words") + " added."
	case d.Added == 0:
		return plural(d.Removed, "word", "words") + " removed."
	}
	return plural(d.Added, "word", "words") + " added, " + plural(d.Removed, "word", "words") + " removed."
}
