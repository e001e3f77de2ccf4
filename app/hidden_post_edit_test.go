package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"rounds/app/apptest"
)

func TestHiddenPostCannotBeChangedByItsAuthor(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Member(t, apptest.Okafor)
		weber := a.Member(t, apptest.Weber)
		mod := a.Member(t, apptest.Park)
		topic := a.Topic(t, a.Board(t, "cardiology", "Cardiology"), okafor, "Statins after 80", "Do you deprescribe?")
		spam := a.Reply(t, topic, weber, "Try **MiracleCardio** supplements.")
		modsOwn := a.Reply(t, topic, mod, "Try **ModeratorTonic** instead.")
		a.Hide(t, spam, mod, "Advertising")
		a.Hide(t, modsOwn, mod, "Testing the tools")
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		edit := fmt.Sprintf("/p/%d/edit", spam.ID)
		del := fmt.Sprintf("/p/%d/delete", spam.ID)

		b := a.SignedIn(t, weber)
		for _, tc := range []struct {
			name string
			send func() *apptest.Response
			want string
		}{
			{"GET edit", func() *apptest.Response { return b.Get(edit) },
				"This post was hidden by the moderators, so it can no longer be edited."},
			{"POST edit", func() *apptest.Response {
				return b.Submit(topicPath, edit, url.Values{"body": {"MiracleCardio, now with less advertising"}, "version": {"1"}})
			}, "This post was hidden by the moderators, so it can no longer be edited."},
			{"GET delete", func() *apptest.Response { return b.Get(del) },
				"This post was hidden by the moderators, so it can no longer be deleted."},
			{"POST delete", func() *apptest.Response { return b.Submit(topicPath, del, nil) },
				"This post was hidden by the moderators, so it can no longer be deleted."},
		} {
			t.Run("its author: "+tc.name, func(t *testing.T) {
				res := tc.send()
				wantStatus(t, res, http.StatusForbidden)
				mustContain(t, res, tc.want)
				mustNotContain(t, res, "MiracleCardio", `name="body"`)
			})
		}

		// Nothing the author sent reached the post.
		post, err := a.Store.PostByID(context.Background(), spam.ID)
		if err != nil {
			t.Fatal(err)
		}
		if post.IsDeleted() || post.Version != 1 || !post.IsHidden() {
			t.Fatalf("after the author's attempts the post is deleted=%v version=%d hidden=%v, want a hidden version 1",
				post.IsDeleted(), post.Version, post.IsHidden())
		}

		t.Run("another member still hears it is not theirs", func(t *testing.T) {
			other := a.SignedIn(t, okafor)
			res := other.Get(edit)
			wantStatus(t, res, http.StatusForbidden)
			mustContain(t, res, "You can only change your own posts.")
			mustNotContain(t, res, "MiracleCardio")
		})

		t.Run("a moderator keeps editing and deleting their own", func(t *testing.T) {
			mb := a.SignedIn(t, mod)
			modEdit := fmt.Sprintf("/p/%d/edit", modsOwn.ID)
			res := mb.Get(modEdit)
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "ModeratorTonic")
			res = mb.Submit(modEdit, modEdit, url.Values{"body": {"Tonic withdrawn."}, "version": {"1"}})
			wantStatus(t, res, http.StatusSeeOther)
			modDel := fmt.Sprintf("/p/%d/delete", modsOwn.ID)
			wantStatus(t, mb.Get(modDel), http.StatusOK)
			wantStatus(t, mb.Submit(modDel, modDel, nil), http.StatusSeeOther)
		})

		t.Run("unhidden, its author may edit it again", func(t *testing.T) {
			if err := a.Store.UnhidePost(context.Background(), spam.ID, mod.ID); err != nil {
				t.Fatal(err)
			}
			res := b.Get(edit)
			wantStatus(t, res, http.StatusOK)
			mustContain(t, res, "MiracleCardio")
		})
	})
}
