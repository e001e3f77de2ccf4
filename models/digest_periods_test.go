package models_test

import (
	"testing"
	"time"

	"rounds/models"
	"rounds/models/testenv"
)

func TestDigestPeriod(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	settings := func(freq models.DigestFrequency, hour, weekday int, zone string) models.DigestSettings {
		return models.DigestSettings{Frequency: freq, Hour: hour, Weekday: weekday, TimeZone: zone}
	}
	tests := []struct {
		name        string
		settings    models.DigestSettings
		now         string
		key         string
		due, window string
	}{
		{"weekly default, mid-week", models.DefaultDigestSettings(1), "2026-11-25T10:00:00Z",
			"2026-11-23/weekly", "2026-11-23T07:00:00Z", "2026-11-16T07:00:00Z"},
		{"weekly, a minute before the hour", models.DefaultDigestSettings(1), "2026-11-23T06:59:00Z",
			"2026-11-16/weekly", "2026-11-16T07:00:00Z", "2026-11-09T07:00:00Z"},
		{"weekly, on the hour", models.DefaultDigestSettings(1), "2026-11-23T07:00:00Z",
			"2026-11-23/weekly", "2026-11-23T07:00:00Z", "2026-11-16T07:00:00Z"},
		{"daily in New York before the local hour", settings(models.DigestDaily, 7, 0, "America/New_York"), "2026-11-25T11:59:00Z",
			"2026-11-24/daily", "2026-11-24T12:00:00Z", "2026-11-23T12:00:00Z"},
		{"daily in New York at the local hour", settings(models.DigestDaily, 7, 0, "America/New_York"), "2026-11-25T12:00:00Z",
			"2026-11-25/daily", "2026-11-25T12:00:00Z", "2026-11-24T12:00:00Z"},
		{"weekly on Sunday in Tokyo, Saturday in UTC", settings(models.DigestWeekly, 8, 0, "Asia/Tokyo"), "2026-11-28T23:30:00Z",
			"2026-11-29/weekly", "2026-11-28T23:00:00Z", "2026-11-21T23:00:00Z"},
		{"daily in Berlin across the end of summer time", settings(models.DigestDaily, 7, 0, "Europe/Berlin"), "2026-10-25T06:30:00Z",
			"2026-10-25/daily", "2026-10-25T06:00:00Z", "2026-10-24T05:00:00Z"},
		{"weekly on Saturday at 23:00 in Auckland", settings(models.DigestWeekly, 23, 6, "Pacific/Auckland"), "2026-11-28T10:30:00Z",
			"2026-11-28/weekly", "2026-11-28T10:00:00Z", "2026-11-21T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := models.DigestPeriod(tt.settings, at(tt.now))
			if !ok {
				t.Fatal("no period")
			}
			if p.Key != tt.key || !p.Due.Equal(at(tt.due)) || !p.WindowStart.Equal(at(tt.window)) {
				t.Fatalf("period %s due %s window %s, want %s due %s window %s",
					p.Key, p.Due.Format(time.RFC3339), p.WindowStart.Format(time.RFC3339), tt.key, tt.due, tt.window)
			}
		})
	}
	if _, ok := models.DigestPeriod(settings(models.DigestNever, 7, 1, "UTC"), testenv.Start()); ok {
		t.Error("a member who takes no digest has a period")
	}
}
