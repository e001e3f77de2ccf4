package app

import (
	"testing"
	"time"
)

func TestItoaSeparatesThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 32000: "32,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := itoa(n); got != want {
			t.Errorf("itoa(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSpanWords(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{time.Hour, "1 hour"},
		{3 * time.Hour, "3 hours"},
		{time.Minute, "1 minute"},
		{15 * time.Minute, "15 minutes"},
		{150 * time.Second, "3 minutes"},
		{45 * time.Second, "45 seconds"},
		{1500 * time.Millisecond, "2 seconds"},
		{0, "1 second"},
	}
	for _, tt := range tests {
		if got := spanWords(tt.d); got != tt.want {
			t.Errorf("spanWords(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestAgo(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Second, "just now"},
		{time.Minute, "1 minute ago"},
		{5 * time.Hour, "5 hours ago"},
		{2 * day, "2 days ago"},
		{90 * day, "3 months ago"},
		{3 * 365 * day, "3 years ago"},
		{time.Hour, "1 hour ago"},
		{59 * time.Minute, "59 minutes ago"},
		{400 * day, "13 months ago"},
		{150 * 365 * day, "150 years ago"},
	}
	for _, tt := range tests {
		if got := ago(tt.d); got != tt.want {
			t.Errorf("ago(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
