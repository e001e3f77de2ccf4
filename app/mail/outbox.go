package mail

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// OutboxEntry is one message written to the outbox folder.
type OutboxEntry struct {
	Name    string    // file name, for ReadOutbox
	Time    time.Time // when it was written, UTC, to the microsecond
	To      string    // the To header, decoded; empty if the file cannot be parsed
	Subject string    // decoded; empty if the file cannot be parsed
	Path    string    // the file's full path
}

// ErrNotInOutbox is returned by ReadOutbox for a name that Outbox would not
// list, and always when the mailer sends through SMTP.
var ErrNotInOutbox = errors.New("no such message in the outbox")

// outboxLayout starts every file name, so that names sort by time.
const outboxLayout = "20060102T150405.000000Z"

// outboxName is what writeOutbox makes; nothing else in the folder is ours,
// and nothing else may be read through ReadOutbox.
var outboxName = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}\.[0-9]{6}Z-[a-z0-9]+\.eml$`)

func ensureOutbox(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create outbox folder %s: %w", dir, err)
	}
	return nil
}

// writeOutbox writes msg, as it would go over the wire, to a new file. The
// temporary file and rename mean Outbox never lists a half-written message.
func (m *Mailer) writeOutbox(msg *gomail.Msg) error {
	raw, err := render(msg)
	if err != nil {
		return err
	}
	name := time.Now().UTC().Format(outboxLayout) + "-" + randomToken()[:10] + ".eml"
	tmp, err := os.CreateTemp(m.dir, ".writing-*")
	if err != nil {
		return fmt.Errorf("write outbox: %w", err)
	}
	err = tmp.Chmod(0o640)
	if err == nil {
		_, err = tmp.Write(raw)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(m.dir, name))
	}
	if err != nil {
		return fmt.Errorf("write outbox: %w", errors.Join(err, os.Remove(tmp.Name())))
	}
	return nil
}

// Outbox lists the messages written to the outbox folder, newest first, at
// most limit of them (all when limit <= 0). It is for a demo page that shows
// admins the mail Rounds would have sent, and returns nil, nil when the
// mailer sends through SMTP.
func (m *Mailer) Outbox(limit int) ([]OutboxEntry, error) {
	if m.smtp != nil {
		return nil, nil
	}
	files, err := os.ReadDir(m.dir)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	var names []string
	for _, f := range files {
		if f.Type().IsRegular() && outboxName.MatchString(f.Name()) {
			names = append(names, f.Name())
		}
	}
	slices.Sort(names)
	slices.Reverse(names)
	if limit > 0 && len(names) > limit {
		names = names[:limit]
	}
	entries := make([]OutboxEntry, 0, len(names))
	for _, name := range names {
		entry, err := m.outboxEntry(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since ReadDir
		}
		if err != nil {
			return nil, err
		}
		entries = append(entries, entry)
	}
	return entries, nil
}

func (m *Mailer) outboxEntry(name string) (OutboxEntry, error) {
	path := filepath.Join(m.dir, name)
	entry := OutboxEntry{Name: name, Path: path}
	if t, err := time.Parse(outboxLayout, name[:len(outboxLayout)]); err == nil {
		entry.Time = t // else a stray file with an impossible date: keep the zero time
	}
	f, err := os.Open(path)
	if err != nil {
		return entry, fmt.Errorf("read outbox: %w", err)
	}
	defer f.Close() // read-only: a close error loses nothing
	// Only the header is read; a file that does not parse is still listed,
	// so the page can show it is there.
	msg, err := mail.ReadMessage(bufio.NewReader(f))
	if err != nil {
		return entry, nil
	}
	var dec mime.WordDecoder
	entry.To = decodeHeader(&dec, msg.Header.Get("To"))
	entry.Subject = decodeHeader(&dec, msg.Header.Get("Subject"))
	return entry, nil
}

func decodeHeader(dec *mime.WordDecoder, value string) string {
	if decoded, err := dec.DecodeHeader(value); err == nil {
		return decoded
	}
	return value
}

// ReadOutbox returns one message file, by a Name that Outbox lists. Any
// other name, including one with '/' or "..", is refused with
// ErrNotInOutbox.
func (m *Mailer) ReadOutbox(name string) ([]byte, error) {
	if m.smtp != nil || !outboxName.MatchString(name) {
		return nil, fmt.Errorf("read outbox %q: %w", name, ErrNotInOutbox)
	}
	// os.Root also refuses a symlink that leads out of the folder.
	root, err := os.OpenRoot(m.dir)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer root.Close() // read-only: a close error loses nothing
	raw, err := root.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read outbox %q: %w", name, ErrNotInOutbox)
	}
	if err != nil {
		return nil, fmt.Errorf("read outbox %q: %w", name, err)
	}
	return raw, nil
}
