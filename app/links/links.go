// Package links finds the links a post contains — web pages, DOIs and PubMed
// IDs — and fetches the previews shown under it: a page's Open Graph card,
// or a citation from Crossref or PubMed. Recognition is pure; previews go
// out through app/fetch, which guards every request.
package links

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Kinds of link.
const (
	KindPage = "page"
	KindDOI  = "doi"
	KindPMID = "pmid"
)

// Link is one link found in a post. URL is canonical, so two spellings of
// the same article or page compare equal.
type Link struct {
	Kind string // KindPage, KindDOI or KindPMID
	// URL is https://doi.org/<lower-cased DOI>, https://pubmed.ncbi.nlm.nih.gov/<PMID>/,
	// or the page URL with a lower-case scheme and host, no fragment and no default port.
	URL  string
	DOI  string // lower-cased, for KindDOI; DOIs are case-insensitive
	PMID string // for KindPMID
}

// Finder collects the links of a post from its parsed markdown, as
// app/markdown walks it once for everything a post needs: page URLs from
// markdown links and linkified bare URLs, DOIs and PubMed IDs also from
// plain text. Nothing inside code spans, code blocks, raw HTML or images
// counts. Links come in order of appearance and without duplicates.
type Finder struct {
	links []Link
	seen  map[string]bool
	run   strings.Builder
}

// Visit is the walker's step for one node of a document parsed from src.
func (f *Finder) Visit(n ast.Node, entering bool, src []byte) ast.WalkStatus {
	if t, ok := n.(*ast.Text); ok {
		if entering {
			// Inline parsers split text at their trigger characters, so
			// adjacent Text nodes are joined back before scanning.
			f.run.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				f.run.WriteByte('\n')
			}
		}
		return ast.WalkContinue
	}
	f.scanRun()
	if !entering {
		return ast.WalkContinue
	}
	switch n := n.(type) {
	case *ast.CodeSpan, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML, *ast.Image:
		return ast.WalkSkipChildren
	case *ast.Link:
		// The label is only the words shown; the destination is the link.
		f.addURL(string(n.Destination))
		return ast.WalkSkipChildren
	case *ast.AutoLink:
		if n.AutoLinkType == ast.AutoLinkURL {
			f.addURL(string(n.URL(src)))
		}
		return ast.WalkSkipChildren
	}
	return ast.WalkContinue
}

// Links ends the walk and returns what was found.
func (f *Finder) Links() []Link {
	f.scanRun()
	return f.links
}

// FromURL is the link an address written outside a post's text makes,
// such as a case's source, classified as a link in the text would be.
func FromURL(raw string) (Link, bool) { return linkFromURL(raw) }

// Merge returns first, then the links of then not already in first.
func Merge(first, then []Link) []Link {
	if len(first) == 0 {
		return then
	}
	f := &Finder{}
	for _, l := range first {
		f.add(l)
	}
	for _, l := range then {
		f.add(l)
	}
	return f.links
}

func (f *Finder) add(l Link) {
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if f.seen[l.URL] {
		return
	}
	f.seen[l.URL] = true
	f.links = append(f.links, l)
}

func (f *Finder) addURL(raw string) {
	if l, ok := linkFromURL(raw); ok {
		f.add(l)
	}
}

// scanRun looks for DOIs and PubMed IDs in the text gathered since the last
// non-text node.
func (f *Finder) scanRun() {
	if f.run.Len() == 0 {
		return
	}
	for _, l := range scanText(f.run.String()) {
		f.add(l)
	}
	f.run.Reset()
}
