package models_test

import (
	"context"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestSpecialtyFields(t *testing.T) {
	for _, tc := range []struct{ specialty, field string }{
		{"Cardiology", "Internal medicine"},
		{"  nephrology ", "Internal medicine"},
		{"Hospital Medicine", "Internal medicine"},
		{"Clinical Pharmacy", "Pharmacy"},
		{"Emergency Medicine Pharmacy", "Pharmacy"},
		{"Pediatric Nursing", "Nursing"},
		{"Neonatal Intensive Care Nursing", "Nursing"},
		{"Pediatric Emergency Medicine", "Emergency medicine"},
		{"Pediatric Cardiology", "Pediatrics"},
		{"Obstetrics & Gynecology", "Women's health"},
		{"Obstetrics and Gynaecology", "Women's health"},
		{"Cardiothoracic Surgery", "Surgery"},
		{"Psychiatric-Mental Health", "Mental health"},
		{"Respiratory Therapy", "Allied health"},
		{"Underwater basket weaving", ""},
		{"", ""},
	} {
		if got := models.SpecialtyField(tc.specialty); got != tc.field {
			t.Errorf("SpecialtyField(%q) = %q, want %q", tc.specialty, got, tc.field)
		}
	}
}

// labelWorld is a site with a crowd of readers to hide among.
type labelWorld struct {
	store *models.Store
	open  *models.Board
	ward  *models.Board // readable by its group (and moderators) only
}

func (w *labelWorld) member(t *testing.T, username, profession, specialty string, status models.Status) *models.User {
	t.Helper()
	u := &models.User{Username: username, DisplayName: "Dr. " + username, Profession: profession, Specialty: specialty, Status: status}
	if err := w.store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func (w *labelWorld) label(t *testing.T, board *models.Board, u *models.User, k int) models.AnonymousLabel {
	t.Helper()
	l, err := w.store.AnonymousLabelFor(context.Background(), board.ID, u, k)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestAnonymousLabelsSayOnlyWhatEnoughReadersShare(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		w := &labelWorld{store: store}
		w.open = modelstest.OpenBoard("frank", "Frank talk").Make(t, store)
		w.ward = modelstest.OpenBoard("ward", "Ward 4").Make(t, store)

		// The author's own spelling is shared by nobody; the crowd's
		// prevails.
		okafor := w.member(t, "okafor", "physician", "cardiology", models.StatusVerified)
		cardio2 := w.member(t, "cardio2", "physician", "Cardiology", models.StatusVerified)
		w.member(t, "cardio3", "physician", "Cardiology", models.StatusVerified)
		chen := w.member(t, "chen", "physician", "Nephrology", models.StatusVerified)
		lopez := w.member(t, "lopez", "nurse_practitioner", "Psychiatric-Mental Health", models.StatusVerified)
		w.member(t, "np2", "nurse_practitioner", "Family Practice", models.StatusVerified)
		w.member(t, "np3", "nurse_practitioner", "Acute Care", models.StatusVerified)
		nair := w.member(t, "nair", "pharmacist", "Clinical Pharmacy", models.StatusVerified)
		// Applicants and suspended members read nothing, so hide nobody.
		for _, name := range []string{"applicant1", "applicant2"} {
			w.member(t, name, "pharmacist", "Clinical Pharmacy", models.StatusApplied)
		}
		w.member(t, "suspended", "pharmacist", "Clinical Pharmacy", models.StatusSuspended)
		mod := w.member(t, "park", "physician", "Internal Medicine", models.StatusVerified)
		if err := store.SetRole(ctx, mod.ID, models.RoleModerator); err != nil {
			t.Fatal(err)
		}
		team := &models.Group{Name: "Ward 4 team"}
		if err := store.SaveGroup(ctx, team); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*models.User{okafor, cardio2} {
			if err := store.AddGroupMember(ctx, team.ID, u.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.SetBoardGroups(ctx, w.ward.ID, []int64{team.ID}, nil); err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name   string
			board  *models.Board
			author *models.User
			k      int
			as     string
			level  models.AnonymityLevel
		}{
			{"three share the specialty", w.open, okafor, 3, "Cardiology", models.LevelSpecialty},
			{"the specialty is rare, its field is not", w.open, chen, 3, "Internal medicine", models.LevelField},
			{"the field is rare, the profession is not", w.open, lopez, 3, "Nurse practitioner", models.LevelProfession},
			{"nothing is shared by three", w.open, nair, 3, "", models.LevelClinician},
			{"k of one says the specialty", w.open, nair, 1, "Clinical Pharmacy", models.LevelSpecialty},
			{"k of zero is the default ten", w.open, okafor, 0, "", models.LevelClinician},
			// On the ward, only the team and the moderator read: two
			// cardiologists, and the moderator's internal medicine.
			{"fewer readers on a private board", w.ward, okafor, 3, "Internal medicine", models.LevelField},
			{"too few readers for anything", w.ward, okafor, 4, "", models.LevelClinician},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := w.label(t, tc.board, tc.author, tc.k)
				if got.As != tc.as || got.Level != tc.level {
					t.Fatalf("label %+v, want %q at level %s", got, tc.as, tc.level)
				}
			})
		}

		// "&" and "and" are one specialty.
		gyn := w.member(t, "gyn1", "physician", "Obstetrics & Gynecology", models.StatusVerified)
		w.member(t, "gyn2", "physician", "Obstetrics and Gynecology", models.StatusVerified)
		w.member(t, "gyn3", "physician", "Obstetrics and Gynecology", models.StatusVerified)
		if got := w.label(t, w.open, gyn, 3); got.As != "Obstetrics and Gynecology" || got.Level != models.LevelSpecialty {
			t.Fatalf("label of an obstetrician: %+v", got)
		}

		// The label is fixed when the post is written: more nephrologists
		// joining later change what a new post would say, not this one.
		topic, _, err := store.CreateTopic(ctx, models.NewTopic{BoardID: w.open.ID, AuthorID: cardio2.ID, Title: "Contrast nephropathy",
			PostContent: models.PostContent{Source: "Who hydrates?", Cooked: "<p>Who hydrates?</p>"}})
		if err != nil {
			t.Fatal(err)
		}
		reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: chen.ID, Anonymous: true, AnonymityK: 3,
			PostContent: models.PostContent{Source: "I stopped @cardio2's metformin.", Cooked: "<p>I stopped metformin.</p>", Mentions: []string{"cardio2"}}})
		if err != nil {
			t.Fatal(err)
		}
		if reply.AnonymousAs != "Internal medicine" {
			t.Fatalf("the reply was written as %q", reply.AnonymousAs)
		}
		for _, name := range []string{"neph2", "neph3"} {
			w.member(t, name, "physician", "Nephrology", models.StatusVerified)
		}
		if got := w.label(t, w.open, chen, 3); got.As != "Nephrology" {
			t.Fatalf("with three nephrologists the composer offers %+v", got)
		}
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: reply.ID, EditorID: chen.ID, BaseVersion: 1,
			PostContent: models.PostContent{Source: "I stopped the metformin.", Cooked: "<p>I stopped the metformin.</p>"}}); err != nil {
			t.Fatal(err)
		}
		posts, err := store.PostsInTopic(ctx, topic.ID, 2, 2)
		if err != nil {
			t.Fatal(err)
		}
		if p := posts[0]; !p.Anonymous || p.AnonymousAs != "Internal medicine" || p.AuthorName != "" || p.AuthorUsername != "" ||
			p.AuthorSpecialty != "" || p.AuthorProfession != "" {
			t.Fatalf("the reply on the topic page: %+v", p)
		}
		// The notification of its mention names no one, not even in the
		// database.
		if n := count(t, store, `SELECT COUNT(*) FROM notifications WHERE post_id = ? AND actor_id IS NOT NULL`, reply.ID); n != 0 {
			t.Fatalf("%d notifications of the anonymous reply carry its author", n)
		}
		notes, err := store.Notifications(ctx, cardio2, 10)
		if err != nil || len(notes) != 1 || notes[0].Actor() != "Anonymous Internal medicine" || notes[0].ActorName != "" {
			t.Fatalf("notifications of the mentioned member: %+v, %v", notes, err)
		}
	})
}
