package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
)

func signedInAdmin(t *testing.T, a *apptest.App) *apptest.Browser {
	t.Helper()
	admin := a.Admin(t, "root", "Dr. Ada Root", "Internal Medicine")
	b := a.Browser(t)
	b.SignIn(admin)
	return b
}

func TestAdminManagesBoards(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		a.Board(t, "cardiology", "Cardiology")
		nurse := a.Clinician(t, "mensah", "Kofi Mensah", "nurse", "Oncology")
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		b := signedInAdmin(t, a)
		mustContain(t, b.Get("/"), `href="/admin/boards"`)
		mustContain(t, b.Get("/admin/boards"), "Cardiology", "New board")

		res := b.Submit("/admin/groups/new", "/admin/groups/new", url.Values{"name": {"Nursing"}, "auto_profession": {"nurse"}})
		wantStatus(t, res, http.StatusSeeOther)
		groupPage, _, _ := strings.Cut(res.Location(), "?")
		res = b.Submit("/admin/groups/new", "/admin/groups/new", url.Values{"name": {"nursing"}, "description": {"Kept text"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Another group is already called", "Kept text")
		groups, err := a.Store.Groups(t.Context())
		if err != nil || len(groups) != 1 {
			t.Fatalf("groups %v, %v", groups, err)
		}
		nursing := groups[0]

		res = b.Submit("/admin/boards/new", "/admin/boards/new", url.Values{"title": {"Nursing lounge"}, "slug": {"cardiology"},
			"description": {"For nurses"}, "read": {fmt.Sprint(nursing.ID)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Another board already has the address", "Nursing lounge", "For nurses", "checked")
		res = b.Submit("/admin/boards/new", "/admin/boards/new", url.Values{"title": {"Nursing lounge"}, "slug": {"Bad Slug"}, "position": {"x"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "lower-case letters", "whole number")
		res = b.Submit("/admin/boards/new", "/admin/boards/new", url.Values{"title": {"Nursing lounge"}, "slug": {"nursing"},
			"description": {"For nurses"}, "position": {"5"}, "read": {fmt.Sprint(nursing.ID)}})
		wantStatus(t, res, http.StatusSeeOther)
		boardPage, _, _ := strings.Cut(res.Location(), "?")
		mustContain(t, b.Get(res.Location()), "Saved", `value="nursing"`)

		// The rule applies at once: the nurse reads it, the physician does not.
		nb := a.Browser(t)
		nb.SignIn(nurse)
		wantStatus(t, nb.Get("/b/nursing"), http.StatusOK)
		ob := a.Browser(t)
		ob.SignIn(okafor)
		wantStatus(t, ob.Get("/b/nursing"), http.StatusNotFound)

		// Listed by hand, the physician gets in; taken off, out again.
		res = b.Submit(groupPage, groupPage+"/members", url.Values{"username": {"nobody"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "No verified member", "nobody")
		wantStatus(t, b.Submit(groupPage, groupPage+"/members", url.Values{"username": {"okafor"}}), http.StatusSeeOther)
		mustContain(t, b.Get(groupPage), "Dr. Amara Okafor")
		wantStatus(t, ob.Get("/b/nursing"), http.StatusOK)
		wantStatus(t, b.Submit(groupPage, groupPage+"/members/remove", url.Values{"user_id": {fmt.Sprint(okafor.ID)}}), http.StatusSeeOther)
		wantStatus(t, ob.Get("/b/nursing"), http.StatusNotFound)

		// Open it to everyone again, rename and archive it.
		res = b.Submit(boardPage, boardPage, url.Values{"title": {"Nursing archive"}, "slug": {"nursing-archive"}, "archived": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		res = ob.Get("/b/nursing-archive")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Nursing archive", "archived")
		res = b.Submit(boardPage, boardPage, url.Values{"title": {"Kept title"}, "slug": {"cardiology"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Another board already has the address", "Kept title")

		// Renaming the group to its own name (in another case) is fine.
		wantStatus(t, b.Submit(groupPage, groupPage, url.Values{"name": {"NURSING"}, "auto_profession": {"doctor"}}), http.StatusUnprocessableEntity)
		wantStatus(t, b.Submit(groupPage, groupPage, url.Values{"name": {"NURSING"}, "auto_profession": {"nurse"}}), http.StatusSeeOther)
		mustContain(t, b.Get("/admin/groups"), "NURSING")

		// Every change to the group is in the audit log, refused ones not.
		events, err := a.Store.AuditEventsFor(t.Context(), "group", nursing.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			if e.ActorName != "Dr. Ada Root" {
				t.Errorf("%s recorded for %q, want the admin", e.Action, e.ActorName)
			}
			got = append(got, e.Action+":"+e.Reason)
		}
		want := "group.create:Nursing group.member_add:@okafor group.member_remove:@okafor group.update:NURSING"
		if strings.Join(got, " ") != want {
			t.Fatalf("group audit %q, want %q", strings.Join(got, " "), want)
		}
	})
}
