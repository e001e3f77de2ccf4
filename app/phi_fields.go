package app

import (
	"context"

	"rounds/models"
)

// postPHIFields are what the identifier check reads of a post: its text,
// and for a topic's opening post its title and case summary (returned,
// when there is one, for the page to show).
func (h *Handler) postPHIFields(ctx context.Context, post *models.Post, topic *models.TopicSummary) ([]phiField, *caseCard, error) {
	fields := []phiField{{Name: "body", Label: "the post", Text: post.Source}}
	if post.Number != 1 {
		return fields, nil, nil
	}
	fields = append([]phiField{{Name: "title", Label: "the title", Text: topic.Title}}, fields...)
	card, err := h.topicCase(ctx, &topic.Topic)
	if err != nil {
		return nil, nil, err
	}
	if card != nil {
		fields = append(fields, caseFields(&card.CaseText)...)
	}
	return fields, card, nil
}
