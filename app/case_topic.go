package app

import (
	"context"
	"errors"
	"strings"

	"rounds/app/markdown"
	"rounds/models"
)

// caseCard is a case topic's summary as the top of the topic page shows
// it. Its fields are plain text; the page keeps their line breaks.
type caseCard struct {
	models.CaseText
	AgeBand string
	Sex     string
	// OpeningIsSummary says the topic's opening post is the summary
	// written out, its author having written no discussion: the page
	// shows the card and not the same text again in the post.
	OpeningIsSummary bool
}

// topicCase loads the card of a case topic; nil for any other topic, or a
// case topic whose summary is gone.
func (h *Handler) topicCase(ctx context.Context, topic *models.Topic) (*caseCard, error) {
	if topic.Kind != models.KindCase {
		return nil, nil
	}
	cs, err := h.store.CaseSummaryFor(ctx, topic.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// The link was checked when saved; it is checked again because the
	// page shows it to every reader.
	link, problem := caseSourceURL(cs.SourceURL)
	if problem != "" {
		link = ""
	}
	return &caseCard{CaseText: models.CaseText{SourceURL: link, Presentation: cs.Presentation, Workup: cs.Workup,
		Question: cs.Question}, AgeBand: models.CaseAgeBandLabel(cs.AgeBand), Sex: models.CaseSexLabel(cs.Sex),
		OpeningIsSummary: strings.TrimSpace(cs.OpeningSource) == strings.TrimSpace(markdown.CaseSummary(cs))}, nil
}
