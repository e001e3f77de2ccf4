package models_test

import (
	"context"
	"errors"
	"testing"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestDigestSettingsValidate(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		u := modelstest.Verified("tz", "tz").Make(t, store)
		got, err := store.DigestSettingsFor(ctx, u.ID)
		if err != nil || got.Frequency != models.DigestWeekly || got.Hour != 7 || got.Weekday != 1 || got.TimeZone != "UTC" {
			t.Fatalf("defaults %+v, %v", got, err)
		}
		for _, bad := range []models.DigestSettings{
			{UserID: u.ID, Frequency: "hourly", TimeZone: "UTC"},
			{UserID: u.ID, Frequency: models.DigestDaily, Hour: 24, TimeZone: "UTC"},
			{UserID: u.ID, Frequency: models.DigestWeekly, Weekday: 7, TimeZone: "UTC"},
			{UserID: u.ID, Frequency: models.DigestDaily, TimeZone: "Mars/Olympus_Mons"},
			{UserID: u.ID, Frequency: models.DigestDaily, TimeZone: "Local"},
		} {
			if err := store.SaveDigestSettings(ctx, bad); !errors.Is(err, models.ErrInvalidSettings) {
				t.Errorf("saving %+v: %v, want ErrInvalidSettings", bad, err)
			}
		}
		want := models.DigestSettings{UserID: u.ID, Frequency: models.DigestDaily, Hour: 18, Weekday: 5, TimeZone: "Australia/Sydney"}
		if err := store.SaveDigestSettings(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, err = store.DigestSettingsFor(ctx, u.ID)
		if err != nil || got.Frequency != want.Frequency || got.Hour != 18 || got.Weekday != 5 || got.TimeZone != want.TimeZone {
			t.Fatalf("saved %+v, read %+v, %v", want, got, err)
		}
	})
}
