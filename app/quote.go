package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"rounds/models"
)

// quoteMax bounds how much of a post a quote carries; a longer post is
// cut at a line break before it, with an ellipsis.
const quoteMax = 2000

// quotedReply is the reply composer's text when the member pressed Quote
// under a post of this topic (the ?quote= of the page's address): the
// post's markdown as a block quote, with its author and a link to it. An
// anonymous author is named by the post's label only. A post that is not
// in the topic, or that the member may not read, quotes nothing.
func (h *Handler) quotedReply(ctx context.Context, m *models.User, topic *models.TopicSummary, raw string) (string, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return "", nil
	}
	post, err := h.store.PostByID(ctx, id)
	if err != nil || post.TopicID != topic.ID || post.IsDeleted() || post.IsHidden() && !m.IsModerator() {
		return "", nil //nolint:nilerr // a missing post quotes nothing
	}
	author := models.AnonymousAuthor(post.AnonymousAs)
	if !post.Anonymous {
		u, err := h.store.UserByID(ctx, post.AuthorID)
		if err != nil {
			return "", err
		}
		author = u.DisplayName
	}
	return quoteMarkdown(post.Source, author, post.Number, post.ID), nil
}

// quoteMarkdown makes a markdown block quote of text, attributed to its
// author with a link to the post.
func quoteMarkdown(text, author string, number int, postID int64) string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if len(text) > quoteMax {
		cut := strings.LastIndex(text[:quoteMax], "\n")
		if cut < quoteMax/2 {
			cut = strings.LastIndex(text[:quoteMax], " ")
		}
		if cut <= 0 {
			cut = quoteMax
		}
		text = strings.TrimSpace(text[:cut]) + " …"
	}
	var b strings.Builder
	for line := range strings.SplitSeq(text, "\n") {
		b.WriteString(strings.TrimRight("> "+line, " ") + "\n")
	}
	// Brackets in a name would end the link's text early.
	name := strings.NewReplacer("[", "(", "]", ")").Replace(author)
	fmt.Fprintf(&b, ">\n> — [%s, post #%d](/p/%d)\n\n", name, number, postID)
	return b.String()
}
