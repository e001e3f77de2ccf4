package seed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
)

// PodcastPath is where `rounds demo` serves its own show: the feed and the
// audio of its episodes, so the podcast features (a show to follow, a
// topic with a player, times that seek it) work with no network.
const PodcastPath = "/demo/podcast/"

// Podcast is the demo's own show as files, each at its full address on
// the site. The site serves them there, and its fetcher answers requests
// for those addresses with them, so the show is read as any shared feed is.
type Podcast struct {
	FeedURL string
	// Modified is when the show last changed: its newest episode.
	Modified time.Time
	Files    []PodcastFile
}

// PodcastFile is one file of the show.
type PodcastFile struct {
	URL         string // full address, under the site's base URL
	Path        string // the address's path on the site
	ContentType string
	// Size is the length of the body, known before the body is made.
	Size int64
	body func() []byte
}

// Body is the file's content. An episode's audio is made the first time
// it is asked for rather than when the show is built: making the three
// took most of the demo's start-up time, at every start.
func (f *PodcastFile) Body() []byte { return f.body() }

// File finds the file served at path; nil when there is none.
func (p *Podcast) File(path string) *PodcastFile {
	for i := range p.Files {
		if p.Files[i].Path == path {
			return &p.Files[i]
		}
	}
	return nil
}

// demoEpisode is an episode of the demo's show.
type demoEpisode struct {
	number int
	title  string
	// ago is how long before the demo was made it came out.
	ago   time.Duration
	about string
	sound jingle
}

const (
	showTitle  = "The Rounds Podcast"
	showAuthor = "The Rounds community"
	// demoSound says, in every episode, what the demo's audio is.
	demoSound = "In the demo, every episode is 24 seconds of sound made by Rounds itself: a chime, " +
		"a heartbeat at rest from 0:04, the same heart racing from 0:16 and a closing chime at 0:20."
	// lactateEpisode is the episode the demo's podcast topic discusses.
	lactateEpisode = 12
)

func demoEpisodes() []demoEpisode {
	return []demoEpisode{
		{number: 11, title: "Push-dose pressors without the mix-ups (with Priya Nair, PharmD)", ago: 40 * 24 * time.Hour,
			about: "Priya Nair walks through how a tenfold epinephrine error happens at the bedside, and what pharmacy-prepared and prefilled syringes change.",
			sound: jingle{root: 293.66, rest: 66, racing: 110}},
		{number: 12, title: "Lactate is not a perfusion number (with Dr. Hiroshi Tanaka)", ago: 25 * 24 * time.Hour,
			about: "Hiroshi Tanaka on what lactate does and does not tell you in sepsis, lactate clearance against ScvO2, and capillary refill time in ANDROMEDA-SHOCK.",
			sound: jingle{root: 261.63, rest: 72, racing: 120}},
		{number: 13, title: "Liberation: pairing awakening and breathing trials (with Tomás Álvarez, RRT)", ago: 6 * 24 * time.Hour,
			about: "Tomás Álvarez on who owns the timing of spontaneous awakening and breathing trials, and why doing them hours apart loses most of the benefit.",
			sound: jingle{root: 349.23, rest: 64, racing: 116}},
	}
}

// episodeGUID names an episode in the feed; the demo's topics find their
// episode by it.
func episodeGUID(number int) string { return fmt.Sprintf("rounds-demo-episode-%d", number) }

// DemoPodcast builds the demo's show for a site at base, with its
// episodes dated back from made, the time the demo community was made, so
// the same site always serves the same show.
func DemoPodcast(base *url.URL, made time.Time) *Podcast {
	site := strings.TrimRight(base.String(), "/")
	day := made.UTC().Truncate(24 * time.Hour)
	p := &Podcast{FeedURL: site + PodcastPath + "feed.xml"}
	var items bytes.Buffer
	for _, ep := range demoEpisodes() {
		name := fmt.Sprintf("episode-%d.wav", ep.number)
		sound := ep.sound
		published := day.Add(-ep.ago + 7*time.Hour)
		if published.After(p.Modified) {
			p.Modified = published
		}
		p.Files = append(p.Files, PodcastFile{URL: site + PodcastPath + name, Path: PodcastPath + name,
			ContentType: "audio/wav", Size: wavSize, body: sync.OnceValue(sound.wav)})
		fmt.Fprintf(&items, `    <item>
      <title>%s</title>
      <guid isPermaLink="false">%s</guid>
      <pubDate>%s</pubDate>
      <description>%s</description>
      <enclosure url="%s" length="%d" type="audio/wav"/>
      <itunes:duration>%s</itunes:duration>
    </item>
`, escapeXML(fmt.Sprintf("Episode %d: %s", ep.number, ep.title)), episodeGUID(ep.number), published.Format(time.RFC1123Z),
			escapeXML(ep.about+"\n\n"+demoSound), escapeXML(site+PodcastPath+name), wavSize, clock(episodeEnds))
	}
	feed := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel>
    <title>%s</title>
    <link>%s</link>
    <description>%s</description>
    <language>en</language>
    <itunes:author>%s</itunes:author>
%s  </channel>
</rss>
`, escapeXML(showTitle), escapeXML(site+"/b/podcasts"),
		escapeXML("Clinicians talking shop with the guests the Rounds community asks for. "+demoSound),
		escapeXML(showAuthor), items.String())
	p.Files = append([]PodcastFile{{URL: p.FeedURL, Path: PodcastPath + "feed.xml", ContentType: "application/rss+xml",
		Size: int64(len(feed)), body: func() []byte { return []byte(feed) }}}, p.Files...)
	return p
}

func escapeXML(s string) string {
	var b strings.Builder
	// EscapeText never fails writing to a strings.Builder.
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// clock writes a duration as a podcast app does: 0:24, 12:34, 1:02:03.
func clock(d time.Duration) string {
	s := int(d.Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
