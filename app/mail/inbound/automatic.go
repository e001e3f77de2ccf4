package inbound

import (
	"mime"
	"net/textproto"
	"regexp"
	"strings"
)

// Reasons a message counts as sent by a machine, as Message.Automatic
// gives them. Such mail is dropped without an answer: answering an
// auto-reply with a bounce is how mail loops start.
const (
	AutoSubmitted  = "auto-submitted"  // Auto-Submitted other than "no" (RFC 3834)
	AutoReply      = "auto-reply"      // X-Autoreply, X-Autorespond and the like, or an out-of-office subject
	BulkMail       = "bulk"            // Precedence: bulk, junk or list
	MailingList    = "mailing list"    // List-Id or List-Unsubscribe
	DeliveryReport = "delivery report" // multipart/report, a null Return-Path or sender, a mailer daemon
)

// autoReplySubject matches the subjects out-of-office replies start with in
// the common clients and languages, as a last resort for those that set no
// header.
var autoReplySubject = regexp.MustCompile(`(?i)^\s*(auto:|automatic reply|auto[- ]?reply|auto[- ]?response|autosvar|automatisk svar|automatische antwort|abwesenheitsnotiz|réponse automatique|respuesta automática|risposta automatica|automatisch antwoord|out of (the )?office|fuori sede|frånvaro)`)

var daemonSender = regexp.MustCompile(`(?i)^(mailer[-_]?daemon|postmaster)@`)

// automatic says why a message's headers show a machine sent it, "" when
// nothing does. subject is the decoded Subject.
func automatic(h textproto.MIMEHeader, subject string) string {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && !strings.HasPrefix(v, "no") {
		return AutoSubmitted
	}
	for _, name := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply"} {
		if v := strings.ToLower(strings.TrimSpace(h.Get(name))); v != "" && v != "no" && v != "false" {
			return AutoReply
		}
	}
	for _, name := range []string{"Precedence", "X-Precedence"} {
		switch strings.ToLower(strings.TrimSpace(h.Get(name))) {
		case "bulk", "junk", "list", "auto_reply":
			return BulkMail
		}
	}
	if h.Get("List-Id") != "" || h.Get("List-Unsubscribe") != "" {
		return MailingList
	}
	if mediaType, _, _ := mime.ParseMediaType(h.Get("Content-Type")); mediaType == "multipart/report" {
		return DeliveryReport
	}
	if rp, ok := h["Return-Path"]; ok && len(rp) > 0 && strings.TrimSpace(rp[0]) == "<>" {
		return DeliveryReport
	}
	if h.Get("X-Failed-Recipients") != "" || daemonSender.MatchString(addressOf(h.Get("From"))) {
		return DeliveryReport
	}
	if autoReplySubject.MatchString(subject) {
		return AutoReply
	}
	return ""
}

// addressOf is the bare address in a From header, for a quick look.
func addressOf(v string) string {
	if i := strings.LastIndexByte(v, '<'); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), ">"))
}
