package inbound

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"rounds/app/mail"
)

// maxBounceNotes bounds the identifiers a bounce lists one by one.
const maxBounceNotes = 10

// contextWords is how many of the member's words a bounce shows either
// side of an identifier, for them to find it.
const contextWords = 4

// BounceMessage is the email that tells a member their reply by email was
// not posted, why, and what to do. to must be the member's own address
// from Rounds' records, never the envelope sender or From header, which
// anyone can write; the Bouncer sends it with the mailer.
//
// It quotes none of the reply back except a few words around each
// identifier found, with every identifier itself replaced by its kind
// ("…was seen on [Date] at the…"): the member's sent mail keeps the whole
// reply, and an identifier Rounds refused to post should not travel by
// email once more, to a mailbox it does not control, because Rounds
// refused it. Neither does it quote the subject, which the member may
// have edited; In-Reply-To threads it with the reply instead.
//
// It carries Auto-Submitted: auto-replied (RFC 3834), so that the
// member's own auto-reply does not answer it and start a loop.
func BounceMessage(to string, r Reply, res Result) mail.Message {
	var b strings.Builder
	b.WriteString("Rounds did not post the reply you sent by email")
	if r.Token.Kind == KindConsult {
		b.WriteString(" to a consult")
	}
	b.WriteString(", because ")
	b.WriteString(refusalText(r, res))
	b.WriteString("\n\n")
	if res.URL != "" {
		fmt.Fprintf(&b, "You can also reply on the site: %s\n\n", res.URL)
	}
	b.WriteString("Nothing of it was posted. Your mail program keeps what you wrote in its sent mail.\n\n-- \nRounds\n")

	headers := map[string]string{
		"Auto-Submitted":           "auto-replied",
		"X-Auto-Response-Suppress": "All", // Exchange's way of saying the same
	}
	if r.MessageID != "" {
		headers["In-Reply-To"] = "<" + r.MessageID + ">"
		refs := r.References
		if len(refs) > 9 {
			refs = refs[len(refs)-9:]
		}
		ids := make([]string, 0, len(refs)+1)
		for _, id := range append(append([]string(nil), refs...), r.MessageID) {
			ids = append(ids, "<"+id+">")
		}
		headers["References"] = strings.Join(ids, " ")
	}
	return mail.Message{
		To:      []string{to},
		Subject: "Your reply was not posted",
		Text:    b.String(),
		Headers: headers,
	}
}

// refusalText ends the sentence "…was not posted, because " and says what
// the member can do.
func refusalText(r Reply, res Result) string {
	thread := "topic"
	if r.Token.Kind == KindConsult {
		thread = "consult"
	}
	switch res.Refused {
	case ReasonIdentifiers:
		notes := identifierNotes(r.Text, res.Identifiers)
		return "it seems to identify a patient. Take out what is listed below and send it again, " +
			"or post it on the site, where the composer shows each one. The identifiers themselves are " +
			"not repeated here, so that they are not sent by email once more.\n\n" + notes
	case ReasonNotReadable:
		return "the " + thread + " is no longer open to you: it was removed, moved where you cannot read it, or your access changed."
	case ReasonClosed:
		if thread == "consult" {
			return "the consult is closed to you: it was closed, or you left it."
		}
		return "the topic is locked: moderators closed it to new replies."
	case ReasonNotAllowed:
		return "your account cannot post there just now. Sign in to Rounds to see why."
	case ReasonRateLimited:
		wait := "a little while"
		if res.RetryAfter > 0 {
			wait = "about " + roughDuration(res.RetryAfter)
		}
		return "you have posted a lot in a short time. Send it again in " + wait + "."
	case ReasonSender:
		from := r.From
		if from == "" {
			from = "an address Rounds could not read"
		}
		return "it came from " + from + ", which is not the address Rounds has for you. " +
			"If you sent it, send it from the address this email came to. If you did not, " +
			"someone has a copy of an email Rounds sent you; nothing they send this way is posted."
	case ReasonTooLong:
		if res.Limit > 0 {
			return fmt.Sprintf("it is longer than the %d characters a post may have. Shorten it and send it again.", res.Limit)
		}
		return "it is longer than a post may be. Shorten it and send it again."
	case ReasonEmpty:
		return "Rounds found nothing to post once the quoted email and signature were taken out. " +
			"Write your reply above the quoted email and send it again."
	}
	return "Rounds could not post it (" + string(res.Refused) + ")."
}

// identifierNotes lists each identifier by kind and line, with the words
// around it and every identifier on the line masked by its kind.
func identifierNotes(text string, ids []Identifier) string {
	valid := make([]Identifier, 0, len(ids))
	unplaced := map[string]bool{}
	for _, id := range ids {
		if id.Start < 0 || id.End > len(text) || id.Start >= id.End {
			unplaced[kindOf(id)] = true
			continue
		}
		valid = append(valid, id)
	}
	sort.Slice(valid, func(i, j int) bool { return valid[i].Start < valid[j].Start })

	var b strings.Builder
	for i, id := range valid {
		if i == maxBounceNotes {
			fmt.Fprintf(&b, "- and %d more\n", len(valid)-maxBounceNotes)
			break
		}
		line := strings.Count(text[:id.Start], "\n") + 1
		fmt.Fprintf(&b, "- %s, line %d: %q\n", kindOf(id), line, maskedContext(text, valid, id))
	}
	kinds := make([]string, 0, len(unplaced))
	for k := range unplaced {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(&b, "- %s\n", k)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func kindOf(id Identifier) string {
	if id.Kind == "" {
		return "Identifier"
	}
	return id.Kind
}

// maskedContext is the line around id, a few words either side, with
// every identifier on it replaced by "[kind]". ids are sorted by Start.
func maskedContext(text string, ids []Identifier, id Identifier) string {
	lineStart := strings.LastIndexByte(text[:id.Start], '\n') + 1
	lineEnd := len(text)
	if i := strings.IndexByte(text[id.Start:], '\n'); i >= 0 {
		lineEnd = max(id.Start+i, id.End)
	}

	// The line as words and masks, each knowing whether a space comes
	// before it, so that "SSN:[…]," stays glued as written.
	type piece struct {
		text   string
		space  bool
		target bool
	}
	var pieces []piece
	words := func(from, to int) {
		for i := from; i < to; {
			j := i
			for j < to && !isSpace(text[j]) {
				j++
			}
			if j > i {
				pieces = append(pieces, piece{text: text[i:j], space: i == lineStart || isSpace(text[i-1])})
			}
			for j < to && isSpace(text[j]) {
				j++
			}
			i = j
		}
	}
	pos := lineStart
	for i := 0; i < len(ids); i++ {
		span := ids[i]
		if span.End <= pos || span.Start >= lineEnd {
			continue
		}
		start, end := max(span.Start, pos), min(span.End, lineEnd)
		target := start <= id.Start && id.Start < span.End
		for i+1 < len(ids) && ids[i+1].Start < end { // overlapping: one mask
			i++
			end = min(max(end, ids[i].End), lineEnd)
			target = target || ids[i].Start == id.Start
		}
		words(pos, start)
		pieces = append(pieces, piece{text: "[" + kindOf(span) + "]", space: start == lineStart || isSpace(text[start-1]), target: target})
		pos = end
	}
	words(pos, lineEnd)

	// Glued pieces make one word: "[Social Security number]," counts once.
	var wordsOf []piece
	for _, p := range pieces {
		if n := len(wordsOf); n > 0 && !p.space {
			wordsOf[n-1].text += p.text
			wordsOf[n-1].target = wordsOf[n-1].target || p.target
			continue
		}
		wordsOf = append(wordsOf, p)
	}
	at := 0
	for i, w := range wordsOf {
		if w.target {
			at = i
			break
		}
	}
	from, to := max(at-contextWords, 0), min(at+contextWords+1, len(wordsOf))
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	for i := from; i < to; i++ {
		if i > from {
			b.WriteByte(' ')
		}
		b.WriteString(wordsOf[i].text)
	}
	if to < len(wordsOf) {
		b.WriteString("…")
	}
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

// roughDuration says how long to wait in words a member reads at a glance.
func roughDuration(d time.Duration) string {
	switch {
	case d < 90*time.Second:
		return "a minute"
	case d < 90*time.Minute:
		return fmt.Sprintf("%d minutes", int(math.Round(d.Minutes())))
	case d < 36*time.Hour:
		return fmt.Sprintf("%d hours", int(math.Round(d.Hours())))
	}
	return fmt.Sprintf("%d days", int(math.Round(d.Hours()/24)))
}
