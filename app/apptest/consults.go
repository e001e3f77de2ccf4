package apptest

import (
	"context"
	"testing"

	"rounds/models"
)

// Consult starts a private consult of the starter with the members, its
// first message the markdown body.
func (a *App) Consult(t testing.TB, starter *models.User, subject, body string, members ...*models.User) *models.Consult {
	t.Helper()
	nc := models.NewConsult{StarterID: starter.ID, Subject: subject, PostContent: a.content(t, body)}
	for _, m := range members {
		nc.MemberIDs = append(nc.MemberIDs, m.ID)
	}
	consult, err := a.Store.StartConsult(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	return consult
}

// ConsultMessage has a participant write a markdown message in a consult.
func (a *App) ConsultMessage(t testing.TB, consult *models.Consult, author *models.User, body string) *models.ConsultMessage {
	t.Helper()
	m, err := a.Store.AddConsultMessage(context.Background(), consult.ID, author.ID, a.content(t, body))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// content is a message's markdown as the composer stores it.
func (a *App) content(t testing.TB, body string) models.PostContent {
	t.Helper()
	res, err := a.Site.Markdown.Render(body)
	if err != nil {
		t.Fatal(err)
	}
	return models.PostContent{Source: body, Cooked: res.HTML, Plain: res.Plain}
}
