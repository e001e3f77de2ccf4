package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"rounds/app/mail/inbound"
	"rounds/app/phi"
	"rounds/app/ratelimit"
	"rounds/models"
)

// emailReplies posts the replies members send by email, on the reply
// form's write path: the same checks of who may reply where, the same
// limits, the same identifier guard, the same one parse into a post.
//
// The identifier guard has no checkbox in an email, so a reply with any
// finding is not posted: a blocking one as on the site, and one the site
// would ask the author to confirm too. The bounce lists what was found
// (masked) and sends the member to the site, where the composer shows
// each finding and takes the confirmation. A reply by email is never
// anonymous.
type emailReplies struct {
	h *Handler
}

// PostReply is inbound.Poster's: it refuses what the reply form would
// refuse, and a message it has posted already is not posted again.
func (e *emailReplies) PostReply(ctx context.Context, r inbound.Reply) (inbound.Result, error) {
	h := e.h
	u, err := h.store.UserByID(ctx, r.Token.MemberID)
	if models.IsNotFound(err) {
		return inbound.Result{Refused: inbound.ReasonNotReadable}, nil
	}
	if err != nil {
		return inbound.Result{}, err
	}
	ok, err := h.store.MemberHasAddress(ctx, u.ID, r.From)
	if err != nil {
		return inbound.Result{}, err
	}
	if !ok {
		return inbound.Result{Refused: inbound.ReasonSender}, nil
	}
	switch r.Token.Kind {
	case inbound.KindTopic:
	case inbound.KindConsult:
		return e.postConsultMessage(ctx, u, r)
	default:
		return inbound.Result{Refused: inbound.ReasonNotReadable}, nil
	}
	if r.MessageID != "" {
		postID, err := h.store.EmailReplyPost(ctx, u.ID, r.MessageID)
		if err != nil {
			return inbound.Result{}, err
		}
		if postID > 0 {
			return inbound.Result{PostID: postID, URL: e.postURL(postID)}, nil
		}
	}
	if !u.IsVerified() {
		return inbound.Result{Refused: inbound.ReasonNotAllowed}, nil
	}
	topic, err := h.store.TopicByID(ctx, r.Token.ThreadID)
	if models.IsNotFound(err) {
		return inbound.Result{Refused: inbound.ReasonNotReadable}, nil
	}
	if err != nil {
		return inbound.Result{}, err
	}
	access, err := h.store.BoardAccessFor(ctx, u, topic.BoardID)
	if models.IsNotFound(err) {
		return inbound.Result{Refused: inbound.ReasonNotReadable}, nil
	}
	if err != nil {
		return inbound.Result{}, err
	}
	if !access.Read || topic.OpenerHidden && !u.IsModerator() {
		return inbound.Result{Refused: inbound.ReasonNotReadable}, nil
	}
	onSite := h.cfg.BaseURL.String() + topicURL(&topic.Topic)
	switch {
	case topic.Locked:
		return inbound.Result{Refused: inbound.ReasonClosed}, nil
	case postRefusal(access) != "":
		return inbound.Result{Refused: inbound.ReasonNotAllowed, URL: onSite}, nil
	}
	body, refused := e.screen(ctx, u, r, onSite)
	if refused != nil {
		return *refused, nil
	}
	audio, err := h.episodeAudio(ctx, &topic.Topic)
	if err != nil {
		return inbound.Result{}, err
	}
	content, err := h.postContent(ctx, body, nil, audio)
	if err != nil {
		return inbound.Result{}, err
	}
	post, err := h.store.CreateEmailReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: u.ID, PostContent: content}, r.MessageID)
	if errors.Is(err, models.ErrLocked) {
		return inbound.Result{Refused: inbound.ReasonClosed}, nil
	}
	if err != nil {
		// Another delivery of the same message may have posted it just now.
		if r.MessageID != "" {
			if postID, lookErr := h.store.EmailReplyPost(ctx, u.ID, r.MessageID); lookErr == nil && postID > 0 {
				return inbound.Result{PostID: postID, URL: e.postURL(postID)}, nil
			}
		}
		return inbound.Result{}, err
	}
	h.log.Info("reply by email posted", "member", u.ID, "topic", topic.ID, "post", post.ID)
	return inbound.Result{PostID: post.ID, URL: e.postURL(post.ID)}, nil
}

// screen applies the checks every reply by email passes before it is
// written, to a topic or a consult, in the order the forms apply them:
// its length, the identifier guard (any finding bounces) and the member's
// posting limit. It returns the reply's text, or why it is refused, with
// onSite, where the member may write it instead.
func (e *emailReplies) screen(ctx context.Context, u *models.User, r inbound.Reply, onSite string) (string, *inbound.Result) {
	body := strings.TrimSpace(r.Text)
	if n := utf8.RuneCountInString(body); n > bodyMax {
		return "", &inbound.Result{Refused: inbound.ReasonTooLong, Limit: bodyMax, URL: onSite}
	}
	if found := phi.Scan(r.Text); len(found) > 0 {
		res := &inbound.Result{Refused: inbound.ReasonIdentifiers, URL: onSite}
		for _, f := range found {
			res.Identifiers = append(res.Identifiers, inbound.Identifier{Kind: phiTypeLabel(f.Type), Start: f.Start, End: f.End})
		}
		return "", res
	}
	if refused := e.takePostingLimit(ctx, u); refused != nil {
		refused.URL = onSite
		return "", refused
	}
	return body, nil
}

// postConsultMessage writes a reply by email to a consult as the consult's
// reply form does: only from a current participant, under the same limit
// and the same identifier guard (any finding bounces, as for topics).
func (e *emailReplies) postConsultMessage(ctx context.Context, u *models.User, r inbound.Reply) (inbound.Result, error) {
	h := e.h
	if r.MessageID != "" {
		m, err := h.store.ConsultEmailReply(ctx, u.ID, r.MessageID)
		if err != nil {
			return inbound.Result{}, err
		}
		if m != nil {
			return inbound.Result{PostID: m.ID, URL: e.consultMessageURL(m)}, nil
		}
	}
	if !u.IsVerified() {
		return inbound.Result{Refused: inbound.ReasonNotAllowed}, nil
	}
	// Whoever is not a participant now learns nothing of the consult,
	// not even that it exists.
	v, err := h.store.ConsultFor(ctx, u.ID, r.Token.ThreadID)
	if models.IsNotFound(err) {
		return inbound.Result{Refused: inbound.ReasonNotReadable}, nil
	}
	if err != nil {
		return inbound.Result{}, err
	}
	onSite := h.cfg.BaseURL.String() + consultURL(v.ID)
	body, refused := e.screen(ctx, u, r, onSite)
	if refused != nil {
		return *refused, nil
	}
	content, err := h.postContent(ctx, body, nil, "")
	if err != nil {
		return inbound.Result{}, err
	}
	m, err := h.store.AddConsultEmailMessage(ctx, v.ID, u.ID, content, r.MessageID)
	if errors.Is(err, models.ErrNotParticipant) {
		return inbound.Result{Refused: inbound.ReasonNotReadable}, nil
	}
	if err != nil {
		// Another delivery of the same message may have written it just now.
		if r.MessageID != "" {
			if done, lookErr := h.store.ConsultEmailReply(ctx, u.ID, r.MessageID); lookErr == nil && done != nil {
				return inbound.Result{PostID: done.ID, URL: e.consultMessageURL(done)}, nil
			}
		}
		return inbound.Result{}, err
	}
	h.log.Info("consult message by email written", "member", u.ID, "consult", v.ID, "message", m.ID)
	return inbound.Result{PostID: m.ID, URL: e.consultMessageURL(m)}, nil
}

// takePostingLimit takes one post from the member's posting limit, as
// the reply forms do; it returns the refusal when the limit is spent.
func (e *emailReplies) takePostingLimit(ctx context.Context, u *models.User) *inbound.Result {
	h := e.h
	rule, ok := h.cfg.RateLimits[ratelimit.Post]
	if !ok || u.IsModerator() {
		return nil
	}
	allowed, wait, err := h.limiter.Take(ctx, "member:"+strconv.FormatInt(u.ID, 10), rule, h.now())
	if err != nil {
		h.log.Error("rate limit unavailable", "rule", ratelimit.Post, "err", err)
		return nil
	}
	if !allowed {
		return &inbound.Result{Refused: inbound.ReasonRateLimited, RetryAfter: wait}
	}
	return nil
}

func (e *emailReplies) consultMessageURL(m *models.ConsultMessage) string {
	return e.h.cfg.BaseURL.String() + consultURL(m.ConsultID) + "#message-" + strconv.FormatInt(m.ID, 10)
}

// AllowMail is inbound.Limiter's: a mail server hands over at most as
// many messages as one network may post (the post_ip limit), before the
// member's own posting limit counts the replies among them.
func (e *emailReplies) AllowMail(ctx context.Context, remote netip.Addr, _ string) (bool, error) {
	rule, ok := e.h.cfg.RateLimits[ratelimit.PostIP]
	if !ok {
		return true, nil
	}
	allowed, _, err := e.h.limiter.Take(ctx, "smtp:"+remote.String(), rule, e.h.now())
	return allowed, err
}

func (e *emailReplies) postURL(postID int64) string {
	return e.h.cfg.BaseURL.String() + "/p/" + strconv.FormatInt(postID, 10)
}

// Bounce tells the member, at their own address from Rounds' records,
// why their reply was not posted. Mail from an address that is not the
// member's gets no answer beyond the member's own notice: a forger learns
// nothing.
func (e *emailReplies) Bounce(ctx context.Context, r inbound.Reply, res inbound.Result) error {
	h := e.h
	if res.Refused == inbound.ReasonEmpty {
		ok, err := h.store.MemberHasAddress(ctx, r.Token.MemberID, r.From)
		if err != nil || !ok {
			return err
		}
	}
	addr, err := h.store.DigestAddress(ctx, r.Token.MemberID)
	if models.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := h.mailer.Send(ctx, inbound.BounceMessage(addr, r, res)); err != nil {
		return fmt.Errorf("bounce reply by email to member %d: %w", r.Token.MemberID, err)
	}
	return nil
}

// StartInbound listens for replies by email on ROUNDS_SMTP_INBOUND_ADDR
// until Close; it does nothing when that is not set.
func (s *Site) StartInbound(ctx context.Context) error {
	if s.Config.SMTPInboundAddr == "" || s.Replies == nil {
		return nil
	}
	h := &Handler{cfg: s.Config, store: s.Store, markdown: s.Markdown, log: s.Log, now: s.Store.Now, mailer: s.Mailer,
		images: s.Images, limiter: s.Limiter}
	poster := &emailReplies{h: h}
	srv, err := inbound.NewServer(inbound.ServerOptions{Addresses: s.Replies, Poster: poster, Bouncer: poster, Limiter: poster, Log: s.Log})
	if err != nil {
		return err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.Config.SMTPInboundAddr)
	if err != nil {
		return fmt.Errorf("listen for replies by email on ROUNDS_SMTP_INBOUND_ADDR %s: %w", s.Config.SMTPInboundAddr, err)
	}
	s.inbound, s.inboundAddr = srv, ln.Addr()
	go func() {
		if err := srv.Serve(ln); err != nil {
			s.Log.Error("inbound mail stopped", "err", err)
		}
	}()
	s.Log.Info("taking replies by email", "addr", ln.Addr().String(), "domain", s.Replies.Domain())
	return nil
}

// InboundAddr is where the node takes replies by email, nil when it does
// not.
func (s *Site) InboundAddr() net.Addr { return s.inboundAddr }
