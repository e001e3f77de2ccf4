package mail

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
	"strings"
)

// OutboxMessage is a written message as a person reads it: its headers decoded
// and its text and HTML bodies decoded from their transfer encoding
// (quoted-printable or base64), for the page that shows the outbox.
type OutboxMessage struct {
	From, To, Subject, Date string
	Text                    string // the text/plain body; empty when there is none
	HTML                    string // the text/html body; empty when there is none
}

// maxParts bounds the parts read from one message, nested ones included.
const maxParts = 50

// ParseOutbox reads a message as ReadOutbox returns it. The first
// text/plain and the first text/html part are kept, from however deep in
// multipart/alternative or multipart/mixed they sit; attachments are left
// out.
func ParseOutbox(raw []byte) (*OutboxMessage, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse message: %w", err)
	}
	var dec mime.WordDecoder
	m := &OutboxMessage{From: decodeHeader(&dec, msg.Header.Get("From")), To: decodeHeader(&dec, msg.Header.Get("To")),
		Subject: decodeHeader(&dec, msg.Header.Get("Subject")), Date: msg.Header.Get("Date")}
	parts := 0
	err = m.readPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"),
		msg.Header.Get("Content-Disposition"), msg.Body, &parts)
	if err != nil {
		return nil, fmt.Errorf("parse message: %w", err)
	}
	return m, nil
}

func (m *OutboxMessage) readPart(contentType, encoding, disposition string, body io.Reader, parts *int) error {
	*parts++
	if *parts > maxParts {
		return errors.New("too many parts")
	}
	if contentType == "" {
		contentType = "text/plain; charset=utf-8"
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			// NextPart undoes quoted-printable itself and drops the
			// header that announced it.
			p, err := r.NextPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read part: %w", err)
			}
			err = m.readPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"),
				p.Header.Get("Content-Disposition"), p, parts)
			if err != nil {
				return err
			}
		}
	}
	if d, _, _ := mime.ParseMediaType(disposition); d == "attachment" {
		return nil
	}
	if mediaType != "text/plain" && mediaType != "text/html" {
		return nil
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, newlineDropper{body})
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("decode %s part: %w", mediaType, err)
	}
	// Rounds writes UTF-8 only; anything else shows as it is.
	s := strings.ToValidUTF8(strings.ReplaceAll(string(text), "\r\n", "\n"), "\uFFFD")
	switch {
	case mediaType == "text/plain" && m.Text == "":
		m.Text = s
	case mediaType == "text/html" && m.HTML == "":
		m.HTML = s
	}
	return nil
}

// newlineDropper drops the line breaks that wrap base64 text.
type newlineDropper struct{ r io.Reader }

func (d newlineDropper) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	kept := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			p[kept] = c
			kept++
		}
	}
	return kept, err
}
