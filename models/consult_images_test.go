package models_test

import (
	"context"
	"errors"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestConsultImagesAttachSearchAndPurge(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		okafor := modelstest.Verified("okafor", "Dr. Amara Okafor").Make(t, store)
		weber := modelstest.Verified("weber", "Jonas Weber, RN").Make(t, store)
		mod := modelstest.Verified("mod", "Moderator Mo").Moderator().Make(t, store)
		first := consultText("The strip")
		first.Images = []models.PostImage{anImage("aaaa", "Rhythm strip with delta waves"), anImage("bbbb", "12-lead ECG")}
		c, err := store.StartConsult(ctx, models.NewConsult{StarterID: okafor.ID, Subject: "Pre-excitation",
			MemberIDs: []int64{weber.ID}, PostContent: first})
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := store.ConsultMessages(ctx, c.ID)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("messages: %+v, %v", msgs, err)
		}
		opening := msgs[0].ID
		var ids []int64
		for range models.ConsultContextMessages + 1 {
			m, err := store.AddConsultMessage(ctx, c.ID, weber.ID, consultText("later"))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, m.ID)
		}
		by, err := store.ImagesOfConsultMessages(ctx, []int64{opening})
		if err != nil || len(by[opening]) != 2 || by[opening][0].Name != "aaaa" || by[opening][1].Position != 2 {
			t.Fatalf("the message's images: %+v, %v", by, err)
		}
		if got, err := store.ConsultImageByName(ctx, "bbbb"); err != nil || got.MessageID != opening {
			t.Fatalf("image by name: %+v, %v", got, err)
		}
		// A post's image of that name is not a consult's, and no post's
		// lookup finds a consult's.
		if _, err := store.PostImageByName(ctx, "aaaa"); !models.IsNotFound(err) {
			t.Fatalf("a consult image found as a post's: %v", err)
		}
		// The participants find the message by what its images show; nobody else does.
		if hits, err := store.SearchConsults(ctx, weber.ID, []string{"delta"}, 10); err != nil || len(hits) != 1 || hits[0].MessageID != opening {
			t.Fatalf("search by alt text: %+v, %v", hits, err)
		}
		if hits, err := store.SearchConsults(ctx, mod.ID, []string{"delta"}, 10); err != nil || len(hits) != 0 {
			t.Fatalf("a moderator finds %+v, %v", hits, err)
		}

		// No report shows the opening message; a report of the last message
		// shows only the few before it, which leave the opening out; a
		// report of the message after it shows it.
		if _, err := store.ReportedCaseShowing(ctx, opening); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("an unreported message's case: %v", err)
		}
		if err := store.ReportConsultMessage(ctx, ids[len(ids)-1], okafor.ID, models.FlagUnprofessional, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ReportedCaseShowing(ctx, opening); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a message too far before the report: %v", err)
		}
		if err := store.ReportConsultMessage(ctx, ids[0], okafor.ID, models.FlagUnprofessional, ""); err != nil {
			t.Fatal(err)
		}
		if cc, err := store.ReportedCaseShowing(ctx, opening); err != nil || cc.Message.ID != ids[0] {
			t.Fatalf("the case showing the opening message: %+v, %v", cc, err)
		}

		// A purge names the images and removes their rows.
		if err := store.ReportConsultMessage(ctx, opening, weber.ID, models.FlagUnprofessional, ""); err != nil {
			t.Fatal(err)
		}
		names, err := store.ConsultImageNames(ctx, opening)
		if err != nil || len(names) != 2 {
			t.Fatalf("names: %v, %v", names, err)
		}
		if err := store.ModerateConsultMessage(ctx, mod.ID, opening, models.ConsultActPurge, "identifiable"); err != nil {
			t.Fatal(err)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM consult_message_images`); n != 0 {
			t.Fatalf("%d consult images after the purge", n)
		}
	})
}
