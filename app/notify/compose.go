// Package notify emails members their replies, mentions, consult messages
// and reactions as their email settings ask: right away, batched so that
// one email per member carries everything new within a few minutes,
// grouped by topic. (What goes in the digest instead, the digest package
// adds to its own email.)
//
// Every email obeys its board's email policy (a "titles only" board never
// sends post text, a "counts only" board not even the title), carries
// only what the member may still read when it is sent, and names an
// anonymous author by their post's label alone. Each has a one-click
// unsubscribe (RFC 8058) for the kinds it carries, threading headers that
// group a topic's emails in a mail client and, when Rounds takes replies
// by email, a reply address signed for the member and the topic.
package notify

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"rounds/app/digest"
	"rounds/app/mail"
	"rounds/app/mail/inbound"
	"rounds/models"
)

// siteName is how the emails name the site.
const siteName = "Rounds"

// excerptRunes is how much of a post an email quotes.
const excerptRunes = 400

// Composer turns a member's new notifications into an email.
type Composer struct {
	base         *url.URL
	host         string
	unsubscribes *Unsubscribes
	// replies signs the reply addresses; nil when Rounds takes no replies
	// by email, and the emails then carry none.
	replies *inbound.Addresses
	emails  *mail.Templates
}

// NewComposer parses the templates. Links start with baseURL; replies may
// be nil.
func NewComposer(baseURL *url.URL, unsubscribes *Unsubscribes, replies *inbound.Addresses) (*Composer, error) {
	if baseURL == nil || baseURL.Host == "" {
		return nil, fmt.Errorf("notify: base URL %v has no host", baseURL)
	}
	if unsubscribes == nil {
		return nil, fmt.Errorf("notify: unsubscribe tokens are required")
	}
	emails, err := mail.ParseTemplates("notify")
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	base := *baseURL
	base.Path = strings.TrimSuffix(base.Path, "/")
	base.RawQuery, base.Fragment = "", ""
	return &Composer{base: &base, host: baseURL.Hostname(), unsubscribes: unsubscribes, replies: replies, emails: emails}, nil
}

// UnsubscribePath is where every notification email's unsubscribe link
// points, followed by the token.
const UnsubscribePath = "/unsubscribe/email/"

// UnsubscribeURL is the one-click unsubscribe link for the member's
// emails of these kinds.
func (c *Composer) UnsubscribeURL(memberID int64, kinds []string) string {
	return c.link(UnsubscribePath + c.unsubscribes.Token(memberID, kinds))
}

func (c *Composer) link(path string) string { return c.base.String() + path }

// TopicThreadID is the stable Message-ID every email about a topic
// refers to, so that a mail client groups them.
func (c *Composer) TopicThreadID(topicID int64) string {
	return "topic-" + strconv.FormatInt(topicID, 10) + "@" + c.host
}

// ConsultThreadID is the stable Message-ID every email about a consult
// refers to.
func (c *Composer) ConsultThreadID(consultID int64) string {
	return "consult-" + strconv.FormatInt(consultID, 10) + "@" + c.host
}

// consultPlace is how the emails name where a consult message is.
const consultPlace = "Private consult"

// Batch is what one email carries to one member.
type Batch struct {
	Member  *models.User
	Address string
	Items   []models.NotificationEmail
}

type emailView struct {
	Subject      string
	Site         string
	SiteURL      string
	Member       string
	Topics       []topicView
	Why          string
	SettingsURL  string
	Stops        []stopView
	ReplyByEmail bool
	ReplyPlace   string // "topic" or "consult", when ReplyByEmail
}

type topicView struct {
	ID       int64
	ThreadID string
	Consult  bool
	Title    string // "" on a board whose policy keeps titles out of email
	Board    string
	URL      string
	ReplyTo  string
	Items    []itemView
}

type itemView struct {
	Sentence string
	Excerpt  string
	URL      string
}

type stopView struct {
	Label string
	URL   string
}

// kindWords name each kind of email in its footer's stop link.
var kindWords = map[string]string{
	models.NotifyReply:    "replies",
	models.NotifyMention:  "mentions",
	models.EmailConsult:   "consult messages",
	models.NotifyReaction: "reactions",
}

// Compose builds the email for a batch that is not empty.
func (c *Composer) Compose(b Batch) (mail.Message, error) {
	if len(b.Items) == 0 {
		return mail.Message{}, fmt.Errorf("notification email for member %d is empty", b.Member.ID)
	}
	v := emailView{Site: siteName, SiteURL: c.link("/"), Member: b.Member.DisplayName, SettingsURL: c.link("/settings/digest#email")}
	var kinds []string
	// Topics and consults, each grouped apart: a topic's and a
	// consult's IDs are of different tables.
	type place struct {
		consult bool
		id      int64
	}
	byPlace := map[place]int{}
	for _, n := range b.Items {
		if !slices.Contains(kinds, n.Kind) {
			kinds = append(kinds, n.Kind)
		}
		key := place{n.IsConsult(), n.TopicID}
		if key.consult {
			key.id = n.ConsultID
		}
		i, ok := byPlace[key]
		if !ok {
			i = len(v.Topics)
			byPlace[key] = i
			var t topicView
			if key.consult {
				// The member takes part in the consult, or it would not be
				// here: its subject is theirs to read.
				t = topicView{ID: n.ConsultID, Consult: true, ThreadID: c.ConsultThreadID(n.ConsultID), Title: n.ConsultSubject,
					Board: consultPlace, URL: c.link("/consults/" + strconv.FormatInt(n.ConsultID, 10))}
				if c.replies != nil {
					t.ReplyTo = c.replies.NewReplyAddress(inbound.KindConsult, b.Member.ID, n.ConsultID)
				}
			} else {
				t = topicView{ID: n.TopicID, ThreadID: c.TopicThreadID(n.TopicID), Board: n.BoardTitle, URL: c.topicURL(n)}
				if n.EmailPolicy != models.EmailCounts {
					t.Title = n.TopicTitle
				}
				if c.replies != nil {
					t.ReplyTo = c.replies.NewReplyAddress(inbound.KindTopic, b.Member.ID, n.TopicID)
				}
			}
			v.Topics = append(v.Topics, t)
		}
		item := itemView{Sentence: n.Sentence(), URL: c.link(n.Path())}
		// Only a board that mails posts lets the email quote one; a
		// reaction's post is the member's own.
		if n.EmailPolicy == models.EmailFull && n.Kind != models.NotifyReaction {
			item.Excerpt = digest.Excerpt(n.Cooked, excerptRunes)
		}
		v.Topics[i].Items = append(v.Topics[i].Items, item)
	}
	slices.SortFunc(kinds, func(a, b string) int {
		return slices.Index(models.EmailKinds, a) - slices.Index(models.EmailKinds, b)
	})
	words := make([]string, len(kinds))
	for i, k := range kinds {
		words[i] = kindWords[k]
		v.Stops = append(v.Stops, stopView{Label: "Stop emails about " + kindWords[k], URL: c.UnsubscribeURL(b.Member.ID, []string{k})})
	}
	v.Why = "about " + joinWords(words)
	v.Subject = c.subject(b, v)

	headers := map[string]string{
		"List-Unsubscribe":      "<" + c.UnsubscribeURL(b.Member.ID, kinds) + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"List-Id":               siteName + " notifications <notifications." + c.host + ">",
		"Auto-Submitted":        "auto-generated",
	}
	if len(v.Topics) == 1 {
		// One topic: the email joins the topic's thread in the mail
		// client, and a reply to it is a reply to the topic.
		ref := "<" + v.Topics[0].ThreadID + ">"
		headers["In-Reply-To"], headers["References"] = ref, ref
		if v.Topics[0].ReplyTo != "" {
			headers["Reply-To"] = v.Topics[0].ReplyTo
			v.ReplyByEmail, v.ReplyPlace = true, "topic"
			if v.Topics[0].Consult {
				v.ReplyPlace = "consult"
			}
		}
	}
	text, page, err := c.emails.Render(v)
	if err != nil {
		return mail.Message{}, err
	}
	first, last := b.Items[0].ID, b.Items[len(b.Items)-1].ID
	return mail.Message{
		To:        []string{b.Address},
		Subject:   v.Subject,
		Text:      text,
		HTML:      page,
		Headers:   headers,
		MessageID: fmt.Sprintf("notify-%d-%d-%d@%s", b.Member.ID, first, last, c.host),
	}, nil
}

func (c *Composer) subject(b Batch, v emailView) string {
	if len(v.Topics) == 1 {
		t := v.Topics[0]
		what := b.Items[0].Sentence()
		if len(b.Items) > 1 {
			what = fmt.Sprintf("%d new in a topic", len(b.Items))
			if t.Consult {
				what = fmt.Sprintf("%d new in a consult", len(b.Items))
			}
		}
		if t.Title == "" {
			return fmt.Sprintf("%s: %s in %s", siteName, what, t.Board)
		}
		return fmt.Sprintf("%s: %s · %s", siteName, what, t.Title)
	}
	consults := 0
	for _, t := range v.Topics {
		if t.Consult {
			consults++
		}
	}
	places := "topics"
	switch consults {
	case 0:
	case len(v.Topics):
		places = "consults"
	default:
		places = "topics and consults"
	}
	return fmt.Sprintf("%s: %d new in %d %s", siteName, len(b.Items), len(v.Topics), places)
}

func (c *Composer) topicURL(n models.NotificationEmail) string {
	p := "/t/" + strconv.FormatInt(n.TopicID, 10)
	if n.TopicSlug != "" && n.EmailPolicy != models.EmailCounts {
		p += "/" + url.PathEscape(n.TopicSlug)
	}
	return c.link(p)
}

// joinWords is "a", "a and b", "a, b and c".
func joinWords(w []string) string {
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

// KindsInWords names kinds of email as a sentence does: "replies and
// mentions".
func KindsInWords(kinds []string) string {
	words := make([]string, len(kinds))
	for i, k := range kinds {
		words[i] = kindWords[k]
	}
	return joinWords(words)
}
