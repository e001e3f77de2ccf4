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

// esummaryDoc is one record of an E-utilities ESummary JSON response
// (db=pubmed, retmode=json, version 0.3 of the format).
type esummaryDoc struct {
	UID             string `json:"uid"`
	Title           string `json:"title"`
	Source          string `json:"source"`          // "N Engl J Med"
	FullJournalName string `json:"fulljournalname"` // "The New England journal of medicine"
	PubDate         string `json:"pubdate"`         // "2020 Dec 31", "2019 Spring"
	EPubDate        string `json:"epubdate"`
	SortPubDate     string `json:"sortpubdate"` // "2020/12/31 00:00"
	Authors         []struct {
		Name     string `json:"name"`
		AuthType string `json:"authtype"`
	} `json:"authors"`
	ArticleIDs []struct {
		IDType string `json:"idtype"`
		Value  string `json:"value"`
	} `json:"articleids"`
	Error string `json:"error"` // "cannot get document summary" for an unknown ID
}

var yearIn = regexp.MustCompile(`\b\d{4}\b`)

// pubmed previews a PMID as a citation from NCBI's E-utilities.
func (c *Client) pubmed(ctx context.Context, l Link) (*Preview, error) {
	q := url.Values{"db": {"pubmed"}, "id": {l.PMID}, "retmode": {"json"}}
	if c.opts.Mailto != "" {
		q.Set("tool", "rounds")
		q.Set("email", c.opts.Mailto)
	}
	resp, err := c.fetcher.Get(ctx, c.opts.EutilsURL+"/esummary.fcgi?"+q.Encode(), "application/json")
	if err != nil {
		if notFound(err) {
			return nil, fmt.Errorf("pubmed %s: %w: %w", l.PMID, ErrNoPreview, err)
		}
		return nil, fmt.Errorf("pubmed %s: %w", l.PMID, err)
	}
	// "result" holds "uids" (a list) next to one object per ID, so it is
	// read as a map and the record picked out by its ID.
	var summary struct {
		Result map[string]json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(resp.Body, &summary); err != nil {
		return nil, fmt.Errorf("pubmed %s: decode response: %w", l.PMID, err)
	}
	raw, ok := summary.Result[l.PMID]
	if !ok {
		return nil, fmt.Errorf("pubmed %s: not in response: %w", l.PMID, ErrNoPreview)
	}
	var doc esummaryDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("pubmed %s: decode record: %w", l.PMID, err)
	}
	if doc.Error != "" {
		return nil, fmt.Errorf("pubmed %s: %s: %w", l.PMID, doc.Error, ErrNoPreview)
	}

	p := &Preview{
		Kind:    KindPMID,
		URL:     l.URL,
		Title:   firstJSON(maxTitle, doc.Title),
		Journal: firstJSON(maxName, doc.FullJournalName, doc.Source),
		PMID:    l.PMID,
	}
	for _, d := range []string{doc.PubDate, doc.EPubDate, doc.SortPubDate} {
		if y, err := strconv.Atoi(yearIn.FindString(d)); err == nil {
			p.Year = y
			break
		}
	}
	for _, a := range doc.Authors {
		if name := firstJSON(maxName, a.Name); name != "" && len(p.Authors) < maxAuthors {
			p.Authors = append(p.Authors, name)
		}
	}
	for _, id := range doc.ArticleIDs {
		if id.IDType == "doi" {
			p.DOI = strings.ToLower(strings.TrimSpace(id.Value))
			break
		}
	}
	if p.Title == "" {
		return nil, fmt.Errorf("pubmed %s: record has no title: %w", l.PMID, ErrNoPreview)
	}
	return p, nil
}
