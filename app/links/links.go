// Package links finds the links a post contains — web pages, DOIs and PubMed
// IDs — and fetches the previews shown under it: a page's Open Graph card,
// or a citation from Crossref or PubMed. Recognition is pure; previews go
// out through app/fetch, which guards every request.
package links

import (
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
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

// parser mirrors the extensions app/markdown renders with, so a link is
// found exactly when the rendered post shows one: linkify decides what a
// bare URL is, and code spans and blocks stay code.
var parser = goldmark.New(goldmark.WithExtensions(
	extension.Table,
	extension.Strikethrough,
	extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http://", "https://"})),
	extension.Footnote,
)).Parser()

// Find returns the links in a post's markdown source, in order of
// appearance and without duplicates. Page URLs are taken from markdown links
// and linkified bare URLs; DOIs and PubMed IDs are also recognised in plain
// text. Nothing inside code spans, code blocks, raw HTML or images counts.
func Find(markdownSource string) []Link {
	if !utf8.ValidString(markdownSource) {
		markdownSource = strings.ToValidUTF8(markdownSource, "\uFFFD")
	}
	src := []byte(markdownSource)
	doc := parser.Parse(text.NewReader(src))

	f := &finder{seen: map[string]bool{}}
	// The walker's callback never returns an error.
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok {
			if entering {
				// Inline parsers split text at their trigger characters, so
				// adjacent Text nodes are joined back before scanning.
				f.run.Write(t.Segment.Value(src))
				if t.SoftLineBreak() || t.HardLineBreak() {
					f.run.WriteByte('\n')
				}
			}
			return ast.WalkContinue, nil
		}
		f.scanRun()
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML, *ast.Image:
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			// The label is only the words shown; the destination is the link.
			f.addURL(string(n.Destination))
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				f.addURL(string(n.URL(src)))
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	f.scanRun()
	return f.links
}

type finder struct {
	links []Link
	seen  map[string]bool
	run   strings.Builder
}

func (f *finder) add(l Link) {
	if f.seen[l.URL] {
		return
	}
	f.seen[l.URL] = true
	f.links = append(f.links, l)
}

func (f *finder) addURL(raw string) {
	if l, ok := linkFromURL(raw); ok {
		f.add(l)
	}
}

// scanRun looks for DOIs and PubMed IDs in the text gathered since the last
// non-text node.
func (f *finder) scanRun() {
	if f.run.Len() == 0 {
		return
	}
	for _, l := range scanText(f.run.String()) {
		f.add(l)
	}
	f.run.Reset()
}
