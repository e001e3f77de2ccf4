package seed

import (
	"bytes"
	"encoding/binary"
	"net/url"
	"strings"
	"testing"
	"time"

	"rounds/app/podcast"
)

// The demo's show is a feed that Rounds' own feed reader takes, whose
// episodes are WAV files every browser plays, at addresses on the site.
func TestDemoPodcast(t *testing.T) {
	base := &url.URL{Scheme: "https", Host: "rounds.example.org"}
	made := time.Date(2026, 3, 14, 15, 4, 5, 0, time.UTC)
	show := DemoPodcast(base, made)
	feed := show.File("/demo/podcast/feed.xml")
	if feed == nil || show.FeedURL != "https://rounds.example.org/demo/podcast/feed.xml" || feed.ContentType != "application/rss+xml" {
		t.Fatalf("feed %+v at %s", feed, show.FeedURL)
	}
	parsed, err := podcast.ParseFeed(show.FeedURL, feed.Body())
	if err != nil {
		t.Fatalf("the feed does not read:\n%s\n%v", feed.Body(), err)
	}
	if parsed.Title != showTitle || len(parsed.Episodes) != 3 {
		t.Fatalf("show %q with %d episodes", parsed.Title, len(parsed.Episodes))
	}
	for i, ep := range parsed.Episodes {
		if i > 0 && !ep.Published.Before(parsed.Episodes[i-1].Published) {
			t.Errorf("episode %q is not older than the one before", ep.Title)
		}
		if !ep.Published.Before(made) || made.Sub(ep.Published) > 60*24*time.Hour {
			t.Errorf("episode %q came out %v, not within the two months before the demo was made", ep.Title, ep.Published)
		}
		if ep.Duration != episodeEnds || !strings.Contains(ep.Description, "0:16") {
			t.Errorf("episode %q: %v long, description %q", ep.Title, ep.Duration, ep.Description)
		}
		audio := show.File(strings.TrimPrefix(ep.AudioURL, "https://rounds.example.org"))
		if audio == nil || audio.ContentType != "audio/wav" || ep.AudioType != "audio/wav" || ep.AudioLength != int64(len(audio.Body())) {
			t.Fatalf("episode %q: audio %s is not served by the site as announced", ep.Title, ep.AudioURL)
		}
		checkWAV(t, audio.Body(), episodeEnds)
	}
	if !show.Modified.Equal(parsed.Episodes[0].Published) {
		t.Errorf("the show changed %v, its newest episode came out %v", show.Modified, parsed.Episodes[0].Published)
	}
	again := DemoPodcast(base, made.Add(2*time.Hour))
	for i := range show.Files {
		if got := int64(len(show.Files[i].Body())); got != show.Files[i].Size {
			t.Errorf("%s is %d bytes, announced as %d before it was made", show.Files[i].Path, got, show.Files[i].Size)
		}
		if !bytes.Equal(show.Files[i].Body(), again.Files[i].Body()) {
			t.Errorf("%s differs when the show is built again on the same day", show.Files[i].Path)
		}
	}
}

// checkWAV wants a RIFF WAVE file of 16-bit mono PCM that plays for d and
// is not silent.
func checkWAV(t *testing.T, b []byte, d time.Duration) {
	t.Helper()
	le := binary.LittleEndian
	if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
		t.Fatalf("not a WAV file: % x", b[:min(len(b), 44)])
	}
	if int(le.Uint32(b[4:])) != len(b)-8 || int(le.Uint32(b[40:])) != len(b)-44 {
		t.Errorf("the RIFF and data sizes %d, %d do not match the file's %d bytes", le.Uint32(b[4:]), le.Uint32(b[40:]), len(b))
	}
	format, channels, rate, bits := le.Uint16(b[20:]), le.Uint16(b[22:]), le.Uint32(b[24:]), le.Uint16(b[34:])
	if format != 1 || channels != 1 || bits != 16 || le.Uint32(b[28:]) != rate*2 || le.Uint16(b[32:]) != 2 {
		t.Errorf("format %d, %d channels, %d Hz, %d bits", format, channels, rate, bits)
	}
	if got := time.Duration(len(b)-44) * time.Second / time.Duration(rate*2); got != d {
		t.Errorf("plays for %v, want %v", got, d)
	}
	loudest := 0
	for i := 44; i+1 < len(b); i += 2 {
		loudest = max(loudest, abs(int(int16(le.Uint16(b[i:])))))
	}
	if loudest < 10000 || loudest > 32767 {
		t.Errorf("loudest sample %d: silent or clipped", loudest)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestClock(t *testing.T) {
	for d, want := range map[time.Duration]string{24 * time.Second: "0:24", 754 * time.Second: "12:34", 3723 * time.Second: "1:02:03"} {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %q, want %q", d, got, want)
		}
	}
}
