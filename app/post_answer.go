package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// mayMarkAnswer says whether the member may mark a topic's answer: its
// author, or a moderator (whose marks are audited).
func mayMarkAnswer(m *models.User, topic *models.TopicSummary) bool {
	return m.IsVerified() && (m.ID == topic.AuthorID || m.IsModerator())
}

// answerMark marks a reply the member may read as the answer to its
// topic's question, in place of any marked before.
func (h *Handler) answerMark(c *fiber.Ctx) error {
	post, topic, err := h.readablePost(c)
	if err != nil {
		return err
	}
	m := member(c)
	if !mayMarkAnswer(m, topic) {
		return errForbidden("Only the topic's author or a moderator can mark the reply that answered it.")
	}
	err = h.store.MarkAnswer(c.UserContext(), topic.ID, post.ID, m.ID, m.ID != topic.AuthorID)
	if errors.Is(err, models.ErrNotAnswer) {
		return &Error{Status: fiber.StatusUnprocessableEntity,
			Message: "Only a reply that members can read can be marked as the answer, not the opening post or a deleted or hidden reply."}
	}
	if err != nil {
		return missing("That topic", err)
	}
	return c.Redirect(fmt.Sprintf("/p/%d", post.ID), fiber.StatusSeeOther)
}

// answerUnmark leaves the topic of the post with no marked answer.
func (h *Handler) answerUnmark(c *fiber.Ctx) error {
	post, topic, err := h.readablePost(c)
	if err != nil {
		return err
	}
	m := member(c)
	if !mayMarkAnswer(m, topic) {
		return errForbidden("Only the topic's author or a moderator can unmark its answer.")
	}
	if topic.AnswerPostID == nil || *topic.AnswerPostID != post.ID {
		// Already unmarked, or another reply is the answer now: nothing
		// to take back.
		return c.Redirect(fmt.Sprintf("/p/%d", post.ID), fiber.StatusSeeOther)
	}
	if err := h.store.UnmarkAnswer(c.UserContext(), topic.ID, m.ID, m.ID != topic.AuthorID); err != nil {
		return missing("That topic", err)
	}
	return c.Redirect(fmt.Sprintf("/p/%d", post.ID), fiber.StatusSeeOther)
}

// markAnswer marks the topic's answer on the page's posts and names it
// under the opening post: the same for every reader, so the topic page
// cache keeps it with the posts (sharedTopicPosts).
func (h *Handler) markAnswer(ctx context.Context, topic *models.TopicSummary, items []postItem) error {
	if !topic.Answered {
		return nil
	}
	answer, err := h.store.AnswerOf(ctx, topic.ID)
	if err != nil {
		return err
	}
	for i := range items {
		it := &items[i]
		if it.ID == answer.PostID {
			it.IsAnswer = true
		}
		if it.Number == 1 && !it.Deleted && !it.Withheld {
			it.AnsweredBy = answer
		}
	}
	return nil
}

// offerAnswerButtons offers the member who may mark the topic's answer the
// button to do so on each reply that can be one.
func (h *Handler) offerAnswerButtons(c *fiber.Ctx, topic *models.TopicSummary, items []postItem) {
	if !mayMarkAnswer(member(c), topic) {
		return
	}
	csrf := ""
	for i := range items {
		it := &items[i]
		if it.Number > 1 && !it.Deleted && !it.Hidden {
			if csrf == "" {
				csrf = h.csrfToken(c)
			}
			it.AnswerCSRF = csrf
		}
	}
}

// writeAnswerMark says on a post that it is its topic's answer, in words,
// not only in colour.
func writeAnswerMark(b *strings.Builder) {
	writeStrings(b, `  <p class="answer-mark"><span aria-hidden="true">✔</span> Answer <span class="muted">— marked as the reply that answered the question</span></p>`, "\n")
}

// writeAnsweredBy names the answer under the opening post, its author as
// members may see them (an anonymous reply's label only).
func writeAnsweredBy(b *strings.Builder, a *models.Answer) {
	esc := htmlText
	b.WriteString(`<p class="answered-by"><span aria-hidden="true">✔</span> Answered by `)
	if a.AuthorUsername != "" {
		writeStrings(b, `<a href="/u/`, urlPartText(a.AuthorUsername), `">`, esc(a.Byline()), `</a>`)
	} else {
		b.WriteString(esc(a.Byline()))
	}
	writeStrings(b, ` — <a href="/p/`, strconv.FormatInt(a.PostID, 10), `">jump to answer</a></p>`, "\n")
}

// writeAnswerButton offers the topic's author (or a moderator) to mark a
// reply as the answer, or to unmark the one that is.
func writeAnswerButton(b *strings.Builder, id string, isAnswer bool, csrf string) {
	action, label := "/p/"+id+"/answer", "Mark as answer"
	if isAnswer {
		action, label = "/p/"+id+"/answer/remove", "Unmark answer"
	}
	writeStrings(b, `<form method="post" action="`, action, `" class="answer-form"><input type="hidden" name="_csrf" value="`,
		htmlText(csrf), `"><button type="submit" class="link-button">`, label, `</button></form>`)
}
