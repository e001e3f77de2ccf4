// Package digest brings members the best of their boards by email: it
// chooses what goes into a member's digest, and in what order, from the
// topics the store lets them see (Choose), turns it into a multipart email
// from the templates in views/emails, and runs the River jobs that find
// whose digest is due and send each one exactly once.
//
// Permissions are the store's, applied when a digest is built, which is
// just before it is sent: a member who lost access to a board, or was
// suspended, between scheduling and sending gets nothing from it.
package digest

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"rounds/app/mail"
	"rounds/models"
)

// siteName is how the emails name the site.
const siteName = "Rounds"

// excerptRunes is how much of a post an excerpt keeps.
const excerptRunes = 240

// Composer turns a member's digest into an email. It holds the templates,
// parsed once, so a broken template fails at start-up.
type Composer struct {
	base   *url.URL
	host   string
	emails *mail.Templates

	// excerpts remembers each post's excerpt by the post and its HTML: the
	// same few busy posts appear in thousands of digests.
	mu       sync.Mutex
	excerpts map[excerptKey]string
}

type excerptKey struct {
	post   int64
	cooked string
}

// maxExcerpts bounds the excerpts kept; past it they are all dropped.
const maxExcerpts = 4096

func (c *Composer) excerpt(postID int64, cooked string) string {
	key := excerptKey{postID, cooked}
	c.mu.Lock()
	e, ok := c.excerpts[key]
	c.mu.Unlock()
	if ok {
		return e
	}
	e = Excerpt(cooked, excerptRunes)
	c.mu.Lock()
	if c.excerpts == nil || len(c.excerpts) >= maxExcerpts {
		c.excerpts = make(map[excerptKey]string)
	}
	c.excerpts[key] = e
	c.mu.Unlock()
	return e
}

// NewComposer parses the digest templates; links in the emails start with
// baseURL, the site's public address.
func NewComposer(baseURL *url.URL) (*Composer, error) {
	if baseURL == nil || baseURL.Host == "" {
		return nil, fmt.Errorf("digest: base URL %v has no host", baseURL)
	}
	emails, err := mail.ParseTemplates("digest")
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	base := *baseURL
	base.Path = strings.TrimSuffix(base.Path, "/")
	base.RawQuery, base.Fragment = "", ""
	return &Composer{base: &base, host: baseURL.Hostname(), emails: emails}, nil
}

// Envelope is what an email needs beyond the digest's content.
type Envelope struct {
	To     string
	Period models.Period
	// Frequency and Location are the member's settings, for the wording
	// and the dates.
	Frequency models.DigestFrequency
	Location  *time.Location
	// UnsubscribeToken goes into the one-click unsubscribe link.
	UnsubscribeToken string
}

// MessageID is the digest's Message-ID: the same for every attempt at one
// member's period, so a mail client or server can tell a repeat.
func (c *Composer) MessageID(userID int64, periodKey string) string {
	return "digest-" + strconv.FormatInt(userID, 10) + "-" + strings.NewReplacer("/", ".").Replace(periodKey) + "@" + c.host
}

// UnsubscribeURL is the link that stops digests without signing in; a GET
// shows a confirmation page, a POST with List-Unsubscribe=One-Click
// (RFC 8058) unsubscribes at once.
func (c *Composer) UnsubscribeURL(token string) string {
	return c.link("/unsubscribe/" + url.PathEscape(token))
}

func (c *Composer) link(path string) string { return c.base.String() + path }

// Compose builds the email for a digest that is not empty.
func (c *Composer) Compose(userID int64, d *Digest, env Envelope) (mail.Message, error) {
	if d.Empty() {
		return mail.Message{}, fmt.Errorf("digest for member %d is empty", userID)
	}
	view := c.view(d, env)
	text, page, err := c.emails.Render(view)
	if err != nil {
		return mail.Message{}, err
	}
	return mail.Message{
		To:      []string{env.To},
		Subject: view.Subject,
		Text:    text,
		HTML:    page,
		Headers: map[string]string{
			"List-Unsubscribe":      "<" + view.UnsubscribeURL + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"List-Id":               siteName + " digest <digest." + c.host + ">",
			"Auto-Submitted":        "auto-generated",
		},
		MessageID: c.MessageID(userID, env.Period.Key),
	}, nil
}

// Render returns the subject and both bodies, for a preview in the
// browser.
func (c *Composer) Render(d *Digest, env Envelope) (subject, text, html string, err error) {
	view := c.view(d, env)
	text, html, err = c.emails.Render(view)
	return view.Subject, text, html, err
}

// emailView is what the templates see.
type emailView struct {
	Subject        string
	Site           string
	SiteURL        string
	Member         string
	Intro          string
	Frequency      string
	Watched        []topicView
	Elsewhere      []topicView
	Counts         []boardCount
	Notes          []noteView
	SettingsURL    string
	UnsubscribeURL string
}

type topicView struct {
	Title    string
	URL      string
	Board    string
	BoardURL string
	NewTopic bool
	NewPosts int
	Posts    []postView
}

type postView struct {
	Author  string
	Excerpt string
	URL     string
}

// noteView is one of the member's replies, mentions or reactions, as
// the board's email policy lets the digest tell it.
type noteView struct {
	Sentence string
	Title    string // "" on a board that keeps titles out of email
	Board    string
	Excerpt  string
	URL      string
}

// boardCount is a board whose policy lets a digest say only how much is
// new there.
type boardCount struct {
	Board    string
	URL      string
	NewPosts int
	Topics   int
}

func (c *Composer) view(d *Digest, env Envelope) emailView {
	loc := env.Location
	if loc == nil {
		loc = time.UTC
	}
	v := emailView{
		Site:           siteName,
		SiteURL:        c.link("/"),
		Member:         d.Member.DisplayName,
		Frequency:      "every week",
		SettingsURL:    c.link("/settings/digest"),
		UnsubscribeURL: c.UnsubscribeURL(env.UnsubscribeToken),
	}
	if env.Frequency == models.DigestDaily {
		v.Frequency = "every day"
	}
	counts := map[int64]int{}
	topics := 0
	for _, item := range d.Items {
		if item.EmailPolicy == models.EmailCounts {
			i, ok := counts[item.BoardID]
			if !ok {
				i = len(v.Counts)
				counts[item.BoardID] = i
				v.Counts = append(v.Counts, boardCount{Board: item.BoardTitle, URL: c.link("/b/" + url.PathEscape(item.BoardSlug))})
			}
			v.Counts[i].NewPosts += item.NewPosts
			v.Counts[i].Topics++
			topics++
			continue
		}
		t := topicView{
			Title:    item.TopicTitle,
			URL:      c.topicURL(item),
			Board:    item.BoardTitle,
			BoardURL: c.link("/b/" + url.PathEscape(item.BoardSlug)),
			NewTopic: item.NewTopic,
			NewPosts: item.NewPosts,
		}
		if item.EmailPolicy == models.EmailFull {
			for _, p := range item.Posts {
				t.Posts = append(t.Posts, postView{
					Author:  p.Author,
					Excerpt: c.excerpt(p.PostID, p.Cooked),
					URL:     c.link("/p/" + strconv.FormatInt(p.PostID, 10)),
				})
			}
		}
		if item.Watched {
			v.Watched = append(v.Watched, t)
		} else {
			v.Elsewhere = append(v.Elsewhere, t)
		}
		topics++
	}
	for _, n := range d.Notes {
		note := noteView{Sentence: n.Sentence(), Board: n.BoardTitle, URL: c.link(n.Path())}
		if n.EmailPolicy != models.EmailCounts {
			note.Title = n.TopicTitle
		}
		if n.IsConsult() {
			// A consult's participant reads its subject and text.
			note.Board, note.Title = "Private consult", n.ConsultSubject
			note.Excerpt = Excerpt(n.Cooked, excerptRunes)
		} else if n.EmailPolicy == models.EmailFull && n.Kind != models.NotifyReaction {
			note.Excerpt = c.excerpt(n.PostID, n.Cooked)
		}
		v.Notes = append(v.Notes, note)
	}
	noun := "topics"
	if topics == 1 {
		noun = "topic"
	}
	v.Subject = fmt.Sprintf("%s digest: %d active %s since %s", siteName, topics, noun, d.Since.In(loc).Format("Mon 2 Jan"))
	if topics == 0 {
		noun = "replies and mentions"
		if len(v.Notes) == 1 {
			noun = "reply or mention"
		}
		v.Subject = fmt.Sprintf("%s digest: %d %s since %s", siteName, len(v.Notes), noun, d.Since.In(loc).Format("Mon 2 Jan"))
	}
	v.Intro = fmt.Sprintf("Here is what your peers have posted since %s.", d.Since.In(loc).Format("Monday 2 January, 15:04 MST"))
	return v
}

func (c *Composer) topicURL(item Item) string {
	p := "/t/" + strconv.FormatInt(item.TopicID, 10)
	if item.TopicSlug != "" {
		p += "/" + url.PathEscape(item.TopicSlug)
	}
	return c.link(p)
}

// Excerpt is the start of a post's sanitized HTML as plain text, at most
// limit characters, cut at a word.
func Excerpt(cooked string, limit int) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(cooked))
	space := false
	skip := 0 // inside <script>/<style>, which sanitized posts never have anyway
	for b.Len() < limit*4 {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "p", "br", "li", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td":
				space = true
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			for _, r := range html.UnescapeString(string(z.Text())) {
				if unicode.IsSpace(r) {
					space = true
					continue
				}
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteRune(r)
			}
		}
	}
	s := b.String()
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	runes := []rune(s)[:limit]
	cut := len(runes)
	for i := len(runes) - 1; i > limit/2; i-- {
		if runes[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(runes[:cut]), unicode.IsPunct) + "…"
}
