package links

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// crossrefWork is the part of Crossref's /works/{doi} response a citation
// needs; see https://api.crossref.org/swagger-ui/index.html.
type crossrefWork struct {
	Message struct {
		DOI            string   `json:"DOI"`
		Title          []string `json:"title"`
		ContainerTitle []string `json:"container-title"`
		Publisher      string   `json:"publisher"`
		Abstract       string   `json:"abstract"` // JATS XML
		Author         []struct {
			Given  string `json:"given"`
			Family string `json:"family"`
			Name   string `json:"name"` // a group author such as a trial consortium
		} `json:"author"`
		Published       crossrefDate `json:"published"`
		PublishedPrint  crossrefDate `json:"published-print"`
		PublishedOnline crossrefDate `json:"published-online"`
		Issued          crossrefDate `json:"issued"`
		// message.URL is http://dx.doi.org/…; the Link's https://doi.org
		// address is the same resolver without the old host and scheme.
	} `json:"message"`
}

// crossrefDate is {"date-parts": [[2020, 12, 31]]}; parts can be null, and
// older records carry strings.
type crossrefDate struct {
	DateParts [][]any `json:"date-parts"`
}

func (d crossrefDate) year() int {
	if len(d.DateParts) == 0 || len(d.DateParts[0]) == 0 {
		return 0
	}
	switch y := d.DateParts[0][0].(type) {
	case float64:
		return int(y)
	case string:
		n, err := strconv.Atoi(y)
		if err != nil {
			return 0
		}
		return n
	}
	return 0
}

// abstractHeading is the "Abstract" title JATS abstracts start with.
var abstractHeading = regexp.MustCompile(`^\s*<(?:jats:)?title>[^<]*</(?:jats:)?title>`)

// crossref previews a DOI as a citation from Crossref's metadata.
func (c *Client) crossref(ctx context.Context, l Link) (*Preview, error) {
	addr := c.opts.CrossrefURL + "/works/" + escapeDOI(l.DOI)
	if c.opts.Mailto != "" {
		addr += "?" + url.Values{"mailto": {c.opts.Mailto}}.Encode()
	}
	resp, err := c.fetcher.Get(ctx, addr, "application/json")
	if err != nil {
		if notFound(err) {
			return nil, fmt.Errorf("crossref %s: %w: %w", l.DOI, ErrNoPreview, err)
		}
		return nil, fmt.Errorf("crossref %s: %w", l.DOI, err)
	}
	var work crossrefWork
	if err := json.Unmarshal(resp.Body, &work); err != nil {
		return nil, fmt.Errorf("crossref %s: decode response: %w", l.DOI, err)
	}
	m := work.Message

	p := &Preview{
		Kind:        KindDOI,
		URL:         l.URL,
		Title:       firstJSON(maxTitle, m.Title...),
		Description: firstJSON(maxDescription, abstractHeading.ReplaceAllString(m.Abstract, "")),
		SiteName:    firstJSON(maxName, m.Publisher),
		Journal:     firstJSON(maxName, m.ContainerTitle...),
		DOI:         strings.ToLower(strings.TrimSpace(m.DOI)),
	}
	if p.DOI == "" {
		p.DOI = l.DOI
	}
	for _, d := range []crossrefDate{m.Published, m.PublishedPrint, m.PublishedOnline, m.Issued} {
		if y := d.year(); y > 0 {
			p.Year = y
			break
		}
	}
	for _, a := range m.Author {
		name := firstJSON(maxName, strings.TrimSpace(a.Given+" "+a.Family), a.Name)
		if name == "" {
			continue
		}
		if len(p.Authors) == maxAuthors {
			break
		}
		p.Authors = append(p.Authors, name)
	}
	if p.Title == "" {
		return nil, fmt.Errorf("crossref %s: work has no title: %w", l.DOI, ErrNoPreview)
	}
	return p, nil
}

// firstJSON returns the first candidate that is not empty once cleaned.
// Strings from JSON APIs can hold markup and entities, so both go.
func firstJSON(max int, candidates ...string) string {
	for _, s := range candidates {
		if s = plainText(s, max, true); s != "" {
			return s
		}
	}
	return ""
}
