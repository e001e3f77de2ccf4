package mail

import (
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"rounds/views"
)

// Templates are the two bodies of one kind of email, from views/emails:
// name.txt, and name.html inside layout.html, the frame every HTML email
// shares (the site's name, the greeting, a place for the email's own
// "content" and "footer").
type Templates struct {
	name string
	text *texttemplate.Template
	html *htmltemplate.Template
}

// ParseTemplates parses the templates of the emails called name, at
// start-up, so that a broken one stops the boot instead of an email.
func ParseTemplates(name string) (*Templates, error) {
	text, err := texttemplate.ParseFS(views.FS, "emails/"+name+".txt")
	if err != nil {
		return nil, fmt.Errorf("parse the %s email's text template: %w", name, err)
	}
	page, err := htmltemplate.ParseFS(views.FS, "emails/layout.html", "emails/"+name+".html")
	if err != nil {
		return nil, fmt.Errorf("parse the %s email's HTML template: %w", name, err)
	}
	return &Templates{name: name, text: text, html: page}, nil
}

// Render writes both bodies of an email showing data.
func (t *Templates) Render(data any) (text, html string, err error) {
	var tb, hb strings.Builder
	if err := t.text.Execute(&tb, data); err != nil {
		return "", "", fmt.Errorf("render the %s email's text: %w", t.name, err)
	}
	if err := t.html.Execute(&hb, data); err != nil {
		return "", "", fmt.Errorf("render the %s email's HTML: %w", t.name, err)
	}
	return tb.String(), hb.String(), nil
}
