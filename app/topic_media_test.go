package app_test

import (
	"context"
	"fmt"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

// The topic page reads a post's link cards and reactions with the post
// (models.Store.PostsInTopic): a post hidden by the moderators shows members
// neither, while moderators still see its card; a deleted post shows no one.
func TestHiddenPostsCardsAndReactionsAreTheModeratorsOnly(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		author := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		peer := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		reader := a.VerifiedMember(t, "lindqvist", "Dr. Erik Lindqvist", "Emergency Medicine")
		mod := a.Moderator(t, "mod", "Dr. Moderator", "Internal Medicine")
		topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), author, "Apixaban in dialysis", "Dose?")
		reply := func(url string) *models.Post {
			body := "See " + url
			post, err := a.Store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: peer.ID, PostContent: models.PostContent{
				Source: body, Cooked: fmt.Sprintf(`<p>See <a href="%s">%s</a></p>`, url, url), Plain: body,
				Links: []models.PostLink{{URL: url, Kind: "page"}}}})
			if err != nil {
				t.Fatal(err)
			}
			var previewID int64
			if err := a.Store.DB().Raw(`SELECT preview_id FROM post_links WHERE post_id = ?`, post.ID).Scan(&previewID).Error; err != nil {
				t.Fatal(err)
			}
			card, err := a.Store.LinkPreviewByID(ctx, previewID)
			if err != nil {
				t.Fatal(err)
			}
			now := a.Store.Now()
			card.Status, card.Title, card.FetchedAt = models.PreviewReady, "Card of "+url, &now
			if err := a.Store.SaveLinkPreview(ctx, card); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Store.ToggleReaction(ctx, author.ID, post.ID, models.ReactHelpful); err != nil {
				t.Fatal(err)
			}
			return post
		}
		hidden, deleted := reply("https://trial.example/aristotle"), reply("https://trial.example/renal")
		page := fmt.Sprintf("/t/%d", topic.ID)
		member, moderator := a.SignedIn(t, reader), a.SignedIn(t, mod)
		hiddenCard, deletedCard := "Card of https://trial.example/aristotle", "Card of https://trial.example/renal"
		hiddenReactors, deletedReactors := fmt.Sprintf("/p/%d/reactions", hidden.ID), fmt.Sprintf("/p/%d/reactions", deleted.ID)
		mustContain(t, member.Get(page), hiddenCard, deletedCard, hiddenReactors, deletedReactors)

		a.Hide(t, hidden, mod, "Names a patient")
		if err := a.Store.DeletePost(ctx, deleted.ID, peer.ID); err != nil {
			t.Fatal(err)
		}
		res := member.Get(page)
		wantStatus(t, res, 200)
		mustNotContain(t, res, hiddenCard, hiddenReactors, deletedCard, deletedReactors)
		res = moderator.Get(page)
		mustContain(t, res, hiddenCard, hiddenReactors)
		mustNotContain(t, res, deletedCard, deletedReactors)
		// And again as the member, after the moderator's page was cached.
		mustNotContain(t, member.Get(page), hiddenCard, hiddenReactors, deletedCard)
	})
}
