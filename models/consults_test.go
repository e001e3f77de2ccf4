package models_test

import (
	"context"
	"errors"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func consultText(s string) models.PostContent {
	return models.PostContent{Source: s, Cooked: "<p>" + s + "</p>", Plain: s}
}

func TestConsultsAreReadOnlyByTheirParticipants(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		okafor := modelstest.Verified("okafor", "Dr. Amara Okafor").Specialty("Cardiology").Make(t, store)
		weber := modelstest.Verified("weber", "Jonas Weber, RN").Make(t, store)
		chen := modelstest.Verified("chen", "Dr. Li Chen").Make(t, store)
		mod := modelstest.Verified("mod", "Moderator Mo").Moderator().Make(t, store)
		pending := modelstest.Applicant("newcomer", "New Comer").Make(t, store)

		// A pending member cannot be consulted, and nothing is written.
		_, err := store.StartConsult(ctx, models.NewConsult{StarterID: okafor.ID, Subject: "Pericarditis recurrence",
			MemberIDs: []int64{weber.ID, pending.ID}, PostContent: consultText("colchicine duration?")})
		if !errors.Is(err, models.ErrConsultRefused) {
			t.Fatalf("consulting a pending member: %v, want ErrConsultRefused", err)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM consults`); n != 0 {
			t.Fatalf("%d consults after a refused start", n)
		}
		c, err := store.StartConsult(ctx, models.NewConsult{StarterID: okafor.ID, Subject: "Pericarditis recurrence",
			MemberIDs: []int64{weber.ID}, PostContent: consultText("colchicine duration?")})
		if err != nil {
			t.Fatal(err)
		}
		// The participants read it; anyone else, a moderator too, finds nothing.
		for _, u := range []*models.User{okafor, weber} {
			if _, err := store.ConsultFor(ctx, u.ID, c.ID); err != nil {
				t.Fatalf("%s reads the consult: %v", u.Username, err)
			}
		}
		for _, u := range []*models.User{chen, mod} {
			if _, err := store.ConsultFor(ctx, u.ID, c.ID); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("%s reads the consult: %v, want ErrNotFound", u.Username, err)
			}
			if _, err := store.AddConsultMessage(ctx, c.ID, u.ID, consultText("hello")); !errors.Is(err, models.ErrNotParticipant) {
				t.Fatalf("%s writes in the consult: %v", u.Username, err)
			}
			if list, err := store.Consults(ctx, u.ID, 50); err != nil || len(list) != 0 {
				t.Fatalf("%s's consults: %v, %v", u.Username, list, err)
			}
			if hits, err := store.SearchConsults(ctx, u.ID, []string{"colchicine"}, 10); err != nil || len(hits) != 0 {
				t.Fatalf("%s finds %v, %v", u.Username, hits, err)
			}
		}

		// Weber has one unread message and one notification; the reply
		// tells okafor, and reading clears weber's.
		list, err := store.Consults(ctx, weber.ID, 50)
		if err != nil || len(list) != 1 || list[0].Unread != 1 || list[0].With != "Dr. Amara Okafor" {
			t.Fatalf("weber's consults: %+v, %v", list, err)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM consult_notifications WHERE user_id = ? AND kind = 'consult' AND read_at IS NULL`, weber.ID); n != 1 {
			t.Fatalf("weber has %d unread consult notifications, want 1", n)
		}
		if err := store.ReadConsult(ctx, c.ID, weber.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ = store.Consults(ctx, weber.ID, 50); list[0].Unread != 0 {
			t.Fatalf("after reading: %+v", list[0])
		}
		if _, err := store.AddConsultMessage(ctx, c.ID, weber.ID, consultText("three months")); err != nil {
			t.Fatal(err)
		}
		if hits, err := store.SearchConsults(ctx, okafor.ID, []string{"MONTHS"}, 10); err != nil || len(hits) != 1 || hits[0].Subject != "Pericarditis recurrence" {
			t.Fatalf("okafor's search: %+v, %v", hits, err)
		}

		// A muted participant hears of nothing; others may not add people
		// unless the starter allowed it.
		if err := store.MuteConsult(ctx, c.ID, weber.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := store.AddConsultMessage(ctx, c.ID, okafor.ID, consultText("thanks")); err != nil {
			t.Fatal(err)
		}
		if n := count(t, store, `SELECT COUNT(*) FROM consult_notifications WHERE user_id = ?`, weber.ID); n != 1 {
			t.Fatalf("muted weber has %d notifications, want the first only", n)
		}
		if err := store.AddConsultParticipant(ctx, c.ID, weber.ID, chen.ID); !errors.Is(err, models.ErrConsultClosed) {
			t.Fatalf("weber adds chen: %v, want ErrConsultClosed", err)
		}

		// Chen blocks okafor: okafor can neither add chen nor start with him.
		if err := store.BlockConsults(ctx, chen.ID, okafor.ID); err != nil {
			t.Fatal(err)
		}
		if err := store.AddConsultParticipant(ctx, c.ID, okafor.ID, chen.ID); !errors.Is(err, models.ErrConsultRefused) {
			t.Fatalf("adding a member who blocks: %v", err)
		}
		if _, err := store.StartConsult(ctx, models.NewConsult{StarterID: okafor.ID, Subject: "x", MemberIDs: []int64{chen.ID},
			PostContent: consultText("x")}); !errors.Is(err, models.ErrConsultRefused) {
			t.Fatalf("starting with a member who blocks: %v", err)
		}
		if err := store.UnblockConsults(ctx, chen.ID, okafor.ID); err != nil {
			t.Fatal(err)
		}
		if err := store.AddConsultParticipant(ctx, c.ID, okafor.ID, chen.ID); err != nil {
			t.Fatal(err)
		}
		if err := store.AddConsultParticipant(ctx, c.ID, okafor.ID, chen.ID); !errors.Is(err, models.ErrAlreadyParticipant) {
			t.Fatalf("adding chen twice: %v", err)
		}

		// Weber leaves and reads nothing more of it.
		if err := store.LeaveConsult(ctx, c.ID, weber.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ConsultFor(ctx, weber.ID, c.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("weber after leaving: %v", err)
		}
		if hits, _ := store.SearchConsults(ctx, weber.ID, []string{"months"}, 10); len(hits) != 0 {
			t.Fatalf("weber finds %v after leaving", hits)
		}

		// Chen reports weber's message; moderators see it and the few
		// before it, and nothing of a message nobody reported.
		msgs, err := store.ConsultMessages(ctx, c.ID)
		if err != nil || len(msgs) != 3 {
			t.Fatalf("messages: %d, %v", len(msgs), err)
		}
		reported := msgs[1].ID
		if err := store.ReportConsultMessage(ctx, reported, weber.ID, models.FlagSpam, ""); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a former participant reports: %v", err)
		}
		if err := store.ReportConsultMessage(ctx, reported, chen.ID, models.FlagUnprofessional, "rude"); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ConsultCaseFor(ctx, msgs[2].ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("an unreported message: %v", err)
		}
		queue, err := store.ConsultReportQueue(ctx, 10)
		if err != nil || len(queue) != 1 || queue[0].MessageID != reported || queue[0].Reports != 1 || queue[0].AuthorName != "Jonas Weber, RN" {
			t.Fatalf("queue: %+v, %v", queue, err)
		}
		cc, err := store.ConsultCaseFor(ctx, reported)
		if err != nil || cc.Message.Plain != "three months" || len(cc.Before) != 1 || len(cc.Reports) != 1 {
			t.Fatalf("case: %+v, %v", cc, err)
		}
		if err := store.ModerateConsultMessage(ctx, mod.ID, reported, models.ConsultActPurge, "abusive"); err != nil {
			t.Fatal(err)
		}
		if msgs, _ = store.ConsultMessages(ctx, c.ID); !msgs[1].Hidden() || msgs[1].Source != "" || msgs[1].Plain != "" {
			t.Fatalf("purged message: %+v", msgs[1])
		}
		if open, _ := store.OpenConsultReports(ctx, reported); open {
			t.Fatal("reports still open after the purge")
		}
		if queue, err = store.ConsultReportQueue(ctx, 10); err != nil || len(queue) != 0 {
			t.Fatalf("queue after the purge: %+v, %v", queue, err)
		}
	})
}
