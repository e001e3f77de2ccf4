package inbound

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// Message is an email sent to Rounds, as far as a reply needs it.
type Message struct {
	From      string // the From header's address; "" when it has none Rounds can read
	FromName  string
	Subject   string
	Date      time.Time // zero when missing or unreadable
	MessageID string    // without angle brackets; "" when missing
	// InReplyTo and References are the message IDs it answers, without
	// angle brackets, as a mail client threads them.
	InReplyTo  []string
	References []string
	// Automatic says why a machine rather than a person sent the message
	// (an auto-reply, a bounce, a mailing list); "" when a person did.
	// Automatic mail is dropped: never posted, never answered.
	Automatic string
	// Body is the text of the message, decoded: its plain text part, or
	// its HTML part made text when it has no plain text.
	Body     string
	FromHTML bool
	// Reply is what the member wrote: Body through ReplyText.
	Reply string
}

// ErrUnreadable wraps the reasons a message cannot be read at all.
var ErrUnreadable = errors.New("message cannot be read")

// Limits on the MIME tree: enough for any mail client, few enough that a
// crafted message cannot make the reader work hard.
const (
	maxDepth = 8
	maxParts = 64
)

// ReadMessage reads a raw RFC 5322 message: its headers, and the text of
// its first plain text part (or, lacking one, its first HTML part) that is
// not an attachment or an attached message, decoded from base64 or
// quoted-printable and from its charset into UTF-8, with format=flowed
// lines joined. The body of automatic mail is not read. Callers bound the
// message's size.
func ReadMessage(r io.Reader) (*Message, error) {
	raw, err := mail.ReadMessage(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	dec := &mime.WordDecoder{CharsetReader: charsetReader}
	h := raw.Header
	m := &Message{
		MessageID:  firstID(h.Get("Message-Id")),
		InReplyTo:  messageIDs(h.Get("In-Reply-To")),
		References: messageIDs(h.Get("References")),
	}
	if subject, err := dec.DecodeHeader(h.Get("Subject")); err == nil {
		m.Subject = strings.Join(strings.Fields(subject), " ")
	} else {
		m.Subject = strings.Join(strings.Fields(h.Get("Subject")), " ")
	}
	if from, err := (&mail.AddressParser{WordDecoder: dec}).ParseList(h.Get("From")); err == nil && len(from) > 0 {
		m.From, m.FromName = from[0].Address, from[0].Name
	}
	if date, err := h.Date(); err == nil {
		m.Date = date
	}
	header := textproto.MIMEHeader(h)
	m.Automatic = automatic(header, m.Subject)
	if m.Automatic != "" {
		return m, nil // to be dropped: its body does not matter
	}

	f := &finder{}
	if err := f.walk(header, raw.Body, 0); err != nil && f.plain == nil && f.html == nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	if f.plain != nil {
		m.Body = f.plain.text()
	}
	if strings.TrimSpace(m.Body) == "" && f.html != nil {
		m.Body, m.FromHTML = HTMLText(f.html.text()), true
	}
	m.Reply = ReplyText(m.Body)
	return m, nil
}

// textPart is a text part's content, transfer encoding undone, and its
// Content-Type parameters.
type textPart struct {
	content []byte
	params  map[string]string
}

// text is the part in UTF-8, format=flowed lines joined.
func (p *textPart) text() string {
	s := decodeCharset(p.content, p.params["charset"])
	if strings.EqualFold(p.params["format"], "flowed") {
		s = unflow(s, strings.EqualFold(p.params["delsp"], "yes"))
	}
	return s
}

// finder looks through a message's MIME tree for its first plain text and
// first HTML part.
type finder struct {
	plain, html *textPart
	parts       int
}

func (f *finder) walk(h textproto.MIMEHeader, body io.Reader, depth int) error {
	f.parts++
	if depth > maxDepth || f.parts > maxParts {
		return errors.New("too many nested or separate parts")
	}
	if attachment(h) {
		return nil
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if mediaType == "" || err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		mediaType, params = "text/plain", map[string]string{} // RFC 2045's default
	}
	switch {
	case strings.HasPrefix(mediaType, "multipart/"):
		boundary := params["boundary"]
		if boundary == "" {
			return fmt.Errorf("%s without a boundary", mediaType)
		}
		mr := multipart.NewReader(body, boundary)
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read %s: %w", mediaType, err)
			}
			if err := f.walk(part.Header, part, depth+1); err != nil {
				return err
			}
		}
	case mediaType == "text/plain" && f.plain == nil, mediaType == "text/html" && f.html == nil:
		content, err := decodeTransfer(body, h.Get("Content-Transfer-Encoding"))
		if err != nil {
			return fmt.Errorf("decode %s: %w", mediaType, err)
		}
		p := &textPart{content: content, params: params}
		if mediaType == "text/plain" {
			f.plain = p
		} else {
			f.html = p
		}
	}
	return nil // other media types, attached messages (message/rfc822)
}

// attachment says whether a part is a file rather than the message's text.
func attachment(h textproto.MIMEHeader) bool {
	disp, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return false
	}
	return disp == "attachment" || params["filename"] != ""
}

func decodeTransfer(r io.Reader, encoding string) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		raw, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		clean := bytes.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, raw)
		out, err := base64.StdEncoding.AppendDecode(nil, clean)
		if err != nil {
			// Some senders leave the padding off.
			out, err = base64.RawStdEncoding.AppendDecode(nil, bytes.TrimRight(clean, "="))
		}
		return out, err
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(r))
	}
	return io.ReadAll(r) // 7bit, 8bit, binary
}

// decodeCharset turns text in charset into UTF-8. Text with no charset, or
// one Rounds does not know, is read as UTF-8 when it is valid UTF-8, and
// otherwise as Windows-1252, which is what undeclared 8-bit mail nearly
// always is.
func decodeCharset(b []byte, charset string) string {
	cs := strings.ToLower(strings.TrimSpace(charset))
	switch cs {
	case "utf-8", "utf8":
		return strings.ToValidUTF8(string(b), "\uFFFD")
	case "", "us-ascii", "ascii":
		if utf8.Valid(b) {
			return string(b)
		}
		cs = "windows-1252"
	}
	enc, err := htmlindex.Get(cs)
	if err != nil {
		if utf8.Valid(b) {
			return string(b)
		}
		enc, _ = htmlindex.Get("windows-1252")
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(input), nil
}

// unflow joins the lines of format=flowed text (RFC 3676): a line ending
// in a space goes on in the next line of the same quote depth. Quote marks
// come back as "> " per level, which ReplyText reads.
func unflow(s string, delsp bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out strings.Builder
	var para strings.Builder
	paraDepth := -1
	emit := func(depth int, text string) {
		if depth > 0 {
			out.WriteString(strings.Repeat(">", depth))
			out.WriteByte(' ')
		}
		out.WriteString(text)
		out.WriteByte('\n')
	}
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		content := strings.TrimPrefix(line[depth:], " ") // space-stuffing
		if paraDepth >= 0 && depth != paraDepth {
			emit(paraDepth, para.String()) // badly flowed: end it here
			para.Reset()
			paraDepth = -1
		}
		if content != "-- " && strings.HasSuffix(content, " ") {
			if delsp {
				content = content[:len(content)-1]
			}
			para.WriteString(content)
			paraDepth = depth
			continue
		}
		para.WriteString(content)
		emit(depth, para.String())
		para.Reset()
		paraDepth = -1
	}
	if paraDepth >= 0 {
		emit(paraDepth, para.String())
	}
	return out.String()
}

var messageIDPattern = regexp.MustCompile(`<([^<>\s]+)>`)

// messageIDs reads the message IDs of a header such as References.
func messageIDs(v string) []string {
	var ids []string
	for _, m := range messageIDPattern.FindAllStringSubmatch(v, 50) {
		ids = append(ids, m[1])
	}
	if ids == nil {
		if v = strings.TrimSpace(v); v != "" && !strings.ContainsAny(v, " \t<>") {
			ids = []string{v} // without brackets, as some clients write it
		}
	}
	return ids
}

func firstID(v string) string {
	if ids := messageIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return ""
}
