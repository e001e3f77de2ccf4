package links

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"

	"rounds/app/fetch"
	"rounds/models"
)

// ErrNoPreview means the link is fine but there is nothing to show for it:
// a page without metadata, a DOI Crossref does not know, an unknown PMID.
// The post keeps a plain link. Test with errors.Is; other errors are fetch
// or format failures (a *fetch.Error is reachable with errors.As).
var ErrNoPreview = errors.New("no preview for this link")

// Preview is what a post shows for a link. Every string is plain text, not
// HTML, and must be escaped when rendered.
type Preview struct {
	Kind        string // as the Link's
	URL         string // the Link's canonical URL
	Title       string
	Description string
	SiteName    string // og:site_name for a page; the publisher for a DOI
	ImageURL    string // absolute http(s) URL, pages only
	Journal     string
	Year        int
	Authors     []string // "Given Family" from Crossref, "Family AB" from PubMed
	DOI         string   // lower-cased
	PMID        string
}

// Options configures a Client. The zero value talks to the public services.
type Options struct {
	CrossrefURL string // default https://api.crossref.org
	EutilsURL   string // default https://eutils.ncbi.nlm.nih.gov/entrez/eutils
	// Mailto is a contact address: Crossref serves requests that carry one
	// from its faster "polite" pool, and NCBI asks for one as email=.
	Mailto string
}

// Client fetches previews. It is safe for concurrent use.
type Client struct {
	fetcher *fetch.Fetcher
	opts    Options
}

// New returns a Client that makes its requests through f.
func New(f *fetch.Fetcher, o Options) *Client {
	if o.CrossrefURL == "" {
		o.CrossrefURL = "https://api.crossref.org"
	}
	if o.EutilsURL == "" {
		o.EutilsURL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
	}
	o.CrossrefURL = strings.TrimRight(o.CrossrefURL, "/")
	o.EutilsURL = strings.TrimRight(o.EutilsURL, "/")
	return &Client{fetcher: f, opts: o}
}

// Preview fetches what to show for l.
func (c *Client) Preview(ctx context.Context, l Link) (*Preview, error) {
	var p *Preview
	var err error
	switch l.Kind {
	case KindPage:
		p, err = c.page(ctx, l)
	case KindDOI:
		p, err = c.crossref(ctx, l)
	case KindPMID:
		p, err = c.pubmed(ctx, l)
	default:
		return nil, fmt.Errorf("preview %s: unknown link kind %q", l.URL, l.Kind)
	}
	if p != nil {
		p.keepable()
	}
	return p, err
}

// keepable leaves in the preview only text Rounds keeps: whatever the
// remote site sent, nothing in it that models.CleanText would take out.
func (p *Preview) keepable() {
	for _, s := range []*string{&p.Title, &p.Description, &p.SiteName, &p.ImageURL, &p.Journal, &p.DOI, &p.PMID} {
		*s, _ = models.CleanText(*s)
	}
	for i := range p.Authors {
		p.Authors[i], _ = models.CleanText(p.Authors[i])
	}
}

// notFound turns a 404 or 410 from a lookup service into ErrNoPreview, while
// keeping the fetch error in the chain for the logs.
func notFound(err error) bool {
	var fe *fetch.Error
	return errors.As(err, &fe) && fe.Kind == fetch.KindStatus && (fe.Status == 404 || fe.Status == 410)
}

// Lengths, in runes, past which remote text is cut.
const (
	maxTitle       = 300
	maxDescription = 600
	maxName        = 200 // site, journal and author names
	maxAuthors     = 20  // a consortium paper can list thousands
)

// markupTag matches HTML, JATS and MathML tags such as <i>, </jats:italic>
// or <sup xmlns="…">; a < followed by a space or digit ("p < 0.05") is text.
var markupTag = regexp.MustCompile(`</?([A-Za-z][A-Za-z0-9._:-]*)(?:\s[^<>]*)?/?>`)

// inlineTags are removed without a trace so "<i>in vivo</i>." stays
// "in vivo."; any other tag (a paragraph, a title) becomes a space so words
// either side do not run together.
var inlineTags = map[string]bool{
	"a": true, "b": true, "i": true, "u": true, "em": true, "strong": true, "sup": true, "sub": true,
	"sc": true, "span": true, "small": true, "font": true, "italic": true, "bold": true,
	"underline": true, "monospace": true, "inline-formula": true, "named-content": true,
}

// plainText makes remote text safe to hold as plain text: tags stripped,
// control characters dropped, whitespace collapsed, and cut to max runes.
// decode also decodes HTML entities, for sources (JSON) that have not been
// through the HTML parser already.
func plainText(s string, max int, decode bool) string {
	s = markupTag.ReplaceAllStringFunc(s, func(tag string) string {
		name := strings.ToLower(markupTag.FindStringSubmatch(tag)[1])
		if i := strings.LastIndexByte(name, ':'); i >= 0 {
			name = name[i+1:] // jats:italic, mml:mi
		}
		if inlineTags[name] {
			return ""
		}
		return " "
	})
	if decode {
		s = html.UnescapeString(s)
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	return truncate(strings.Join(strings.Fields(s), " "), max)
}

// truncate cuts s to at most max runes, ending with an ellipsis at a word
// boundary when one is near.
func truncate(s string, max int) string {
	runes := []rune(s)
	if len(runes) <= max {
		return s
	}
	cut := string(runes[:max-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}
