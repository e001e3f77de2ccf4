package podcast

import (
	"os"
	"strings"
	"testing"
	"time"

	"rounds/models"
)

func TestParseFeedReadsTheITunesTags(t *testing.T) {
	body, err := os.ReadFile("testdata/show.xml")
	if err != nil {
		t.Fatal(err)
	}
	show, err := ParseFeed("https://podcast.example.org/feed.xml", body)
	if err != nil {
		t.Fatal(err)
	}
	if show.Title != "Bedside Rounds & More" || show.Author != "Dr. A. Host" {
		t.Errorf("show %q by %q", show.Title, show.Author)
	}
	if show.Description != "Conversations about clinical reasoning." {
		t.Errorf("description %q", show.Description)
	}
	if show.ImageURL != "https://podcast.example.org/art/show.jpg" {
		t.Errorf("artwork %q, want the relative href resolved", show.ImageURL)
	}
	if len(show.Episodes) != 2 {
		t.Fatalf("%d episodes, want the 2 with audio", len(show.Episodes))
	}
	newest, older := show.Episodes[0], show.Episodes[1]
	if newest.Title != "Episode 42: Syncope work-up" {
		t.Errorf("episodes not newest first: %q", newest.Title)
	}
	if newest.AudioURL != "https://podcast.example.org/audio/42.m4a" || newest.AudioType != "audio/x-m4a" || newest.AudioLength != 30000000 {
		t.Errorf("enclosure %q %q %d", newest.AudioURL, newest.AudioType, newest.AudioLength)
	}
	if newest.Duration != 2705*time.Second || newest.Description != "Who needs a monitor, and for how long." {
		t.Errorf("duration %v, description %q", newest.Duration, newest.Description)
	}
	if newest.ImageURL != show.ImageURL {
		t.Errorf("an episode without art takes the show's: %q", newest.ImageURL)
	}
	if older.GUID != "bedside-41" || older.Duration != time.Hour+2*time.Minute+3*time.Second {
		t.Errorf("guid %q duration %v", older.GUID, older.Duration)
	}
	if !older.Published.Equal(time.Date(2025, 6, 3, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("published %v", older.Published)
	}
	if strings.Contains(older.Description, "alert") || older.Description != "Calcium first? Insulin dose?" {
		t.Errorf("description %q: script text must go", older.Description)
	}
}

func TestParseFeedRefusesWhatIsNotAPodcast(t *testing.T) {
	if _, err := ParseFeed("https://x.example/", []byte("<html><body>hello</body></html>")); err == nil {
		t.Error("an HTML page parsed as a feed")
	}
	noAudio := `<rss version="2.0"><channel><title>t</title><item><title>a</title></item></channel></rss>`
	if _, err := ParseFeed("https://x.example/feed", []byte(noAudio)); err != ErrNoAudio {
		t.Errorf("a feed without audio: %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"3723": 3723 * time.Second, "62:03": 62*time.Minute + 3*time.Second, "1:02:03": 3723 * time.Second,
		"00:45": 45 * time.Second, "": 0, "abc": 0, "1:75": 0, "1:2:3:4": 0, "-5": 0, " 90 ": 90 * time.Second,
	} {
		if got := ParseDuration(in); got != want {
			t.Errorf("ParseDuration(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "", -time.Second: "", 45 * time.Second: "0:45", 2705 * time.Second: "45:05", 3723 * time.Second: "1:02:03",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestPlainTextAndClip(t *testing.T) {
	if got := PlainText("<p>One &amp; two</p><p>three<br>four</p>"); got != "One & two\nthree\nfour" {
		t.Errorf("PlainText = %q", got)
	}
	if got := clip("a few words that go on", 12); got != "a few words…" {
		t.Errorf("clip = %q", got)
	}
}

// A feed's text reaches the database only as Rounds keeps text: a JSON
// feed can carry NUL and other control characters that XML cannot.
func TestParseFeedKeepsNoControlCharacters(t *testing.T) {
	feed := `{"version": "https://jsonfeed.org/version/1.1", "title": "Bedside\u0000 Rounds\u001b",
		"authors": [{"name": "Dr.\u0007 A. Host"}], "description": "Clinical\u0000 reasoning",
		"items": [{"id": "ep\u0000-42", "title": "Episode\u0000 42", "content_text": "Syncope\u0000 work-up",
			"attachments": [{"url": "https://podcast.example.org/audio/42.mp3", "mime_type": "audio/mpeg\u0000"}]}]}`
	show, err := ParseFeed("https://podcast.example.org/feed.json", []byte(feed))
	if err != nil {
		t.Fatal(err)
	}
	ep := show.Episodes[0]
	for name, got := range map[string]string{"show title": show.Title, "author": show.Author, "show description": show.Description,
		"GUID": ep.GUID, "episode title": ep.Title, "episode description": ep.Description, "audio type": ep.AudioType} {
		if clean, ok := models.CleanText(got); !ok || strings.ContainsRune(got, 0) {
			t.Errorf("%s %q, want %q", name, got, clean)
		}
	}
	if show.Title != "Bedside Rounds" || ep.GUID != "ep-42" || ep.AudioType != "audio/mpeg" {
		t.Errorf("show %q, episode %q of type %q", show.Title, ep.GUID, ep.AudioType)
	}
}
