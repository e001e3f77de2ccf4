package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net"
	"net/http"
	netmail "net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"

	"rounds/app/apptest"
	"rounds/app/notify"
	"rounds/models"
)

// mailSink is an SMTP server inside the test process: the site's outgoing
// mail (ROUNDS_SMTP_URL) lands in it.
type mailSink struct {
	mu       sync.Mutex
	messages [][]byte
}

func (s *mailSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSinkSession{s: s}, nil }

func (s *mailSink) received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.messages...)
}

// oneSince is the one email received since the sink held before, its
// headers and text; the test fails unless exactly one came. what names
// the emails in the failure.
func (s *mailSink) oneSince(t testing.TB, before int, what string) (netmail.Header, string) {
	t.Helper()
	got := s.received()
	if len(got) != before+1 {
		t.Fatalf("%d %s, want 1", len(got)-before, what)
	}
	return mailText(t, got[before])
}

type mailSinkSession struct{ s *mailSink }

func (ss *mailSinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *mailSinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (ss *mailSinkSession) Reset()                               {}
func (ss *mailSinkSession) Logout() error                        { return nil }
func (ss *mailSinkSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.messages = append(ss.s.messages, data)
	return nil
}

// startMailSink serves a sink on a loopback port and returns it with its
// smtp:// URL.
func startMailSink(t testing.TB) (*mailSink, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &mailSink{}
	srv := smtp.NewServer(s)
	srv.Domain = "sink.test"
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return s, "smtp://" + ln.Addr().String()
}

// mailText is a received message's headers and its text, decoded.
func mailText(t testing.TB, raw []byte) (netmail.Header, string) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	// Multipart or not, quoted-printable soft breaks are all that stand
	// between the test and the words.
	text, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	if err != nil {
		text = body
	}
	return msg.Header, string(text)
}

// withAddress gives a member an address a sign-in provider vouched for.
func withAddress(t testing.TB, a *apptest.App, u *models.User) string {
	t.Helper()
	addr := u.Username + "@hospital.test"
	if err := a.Store.LinkIdentity(context.Background(), u.ID, models.Identity{Provider: "test", Issuer: "https://idp.test",
		Subject: u.Username, Email: addr, EmailVerified: true}); err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestEmailSettingsSection(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		b := a.SignedIn(t, okafor)
		res := b.Get("/settings/digest")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `id="email"`, "Email for replies and mentions", `name="email_reply" value="now" checked`,
			`name="email_mention" value="now" checked`, `name="email_consult" value="now" checked`, `name="email_reaction" value="digest" checked`)

		// A choice that is not one is refused, and the others kept.
		res = b.Submit("/settings/digest", "/settings/email", url.Values{"email_reply": {"never"}, "email_mention": {"hourly"},
			"email_consult": {"digest"}, "email_reaction": {"now"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Choose how mentions come", `name="email_reply" value="never" checked`,
			`name="email_consult" value="digest" checked`, `name="email_reaction" value="now" checked`)
		if es, err := a.Store.EmailSettingsFor(ctx, okafor.ID); err != nil || es[models.NotifyReply] != models.EmailNow {
			t.Fatalf("a refused form changed the settings: %v, %v", es, err)
		}

		res = b.Submit("/settings/digest", "/settings/email", url.Values{"email_reply": {"never"}, "email_mention": {"digest"},
			"email_consult": {"now"}, "email_reaction": {"never"}})
		wantStatus(t, res, http.StatusSeeOther)
		res = b.Get(res.Location())
		mustContain(t, res, "Saved.", `name="email_reply" value="never" checked`, `name="email_mention" value="digest" checked`)
		es, err := a.Store.EmailSettingsFor(ctx, okafor.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(es); got != "map[consult:now mention:digest reaction:never reply:never]" {
			t.Fatalf("saved %s", got)
		}
		// Without the form's CSRF token nothing is saved.
		res = b.Post("/settings/email", url.Values{"email_reply": {"now"}, "email_mention": {"now"}, "email_consult": {"now"}, "email_reaction": {"now"}})
		wantStatus(t, res, http.StatusForbidden)
	})
}

// A one-click unsubscribe (RFC 8058) needs no session and no CSRF token:
// the signed token is the authority. Its GET only asks.
func TestEmailUnsubscribeOneClick(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := context.Background()
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		path := notify.UnsubscribePath + a.Site.Unsubscribes.Token(okafor.ID, []string{models.NotifyMention})
		mail := a.Browser(t) // a mail client: no cookies
		res := mail.Get(path)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "Stop emails about mentions?", `name="List-Unsubscribe" value="One-Click"`)
		if es, _ := a.Store.EmailSettingsFor(ctx, okafor.ID); es[models.NotifyMention] != models.EmailNow {
			t.Fatal("the GET changed the settings")
		}
		// Incomplete, forged: nothing changes.
		wantStatus(t, mail.Post(path, url.Values{}), http.StatusBadRequest)
		forged := notify.UnsubscribePath + "AQIB" + strings.Repeat("A", 22)
		wantStatus(t, mail.Post(forged, url.Values{"List-Unsubscribe": {"One-Click"}}), http.StatusNotFound)
		wantStatus(t, mail.Get(forged), http.StatusNotFound)
		if es, _ := a.Store.EmailSettingsFor(ctx, okafor.ID); es[models.NotifyMention] != models.EmailNow {
			t.Fatal("a refused unsubscribe changed the settings")
		}

		res = mail.Post(path, url.Values{"List-Unsubscribe": {"One-Click"}})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "You are unsubscribed", "no more mentions")
		es, err := a.Store.EmailSettingsFor(ctx, okafor.ID)
		if err != nil {
			t.Fatal(err)
		}
		if es[models.NotifyMention] != models.EmailNever || es[models.NotifyReply] != models.EmailNow {
			t.Fatalf("after unsubscribing from mentions: %v", es)
		}
		// Again: still fine, nothing more.
		wantStatus(t, mail.Post(path, url.Values{"List-Unsubscribe": {"One-Click"}}), http.StatusOK)
	})
}
