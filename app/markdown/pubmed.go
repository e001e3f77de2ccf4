package markdown

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// pmidAtStart is a PubMed ID written out as clinicians cite one, "PMID:
// 18191684" or "PMID 18191684", as app/links recognises it for its card.
var pmidAtStart = regexp.MustCompile(`^(?i:PMID)[ \t]*:?[ \t]*(\d{1,9})\b`)

// pubmedParser makes a PubMed ID written in the text a link to its record,
// so a citation given by its PMID alone can be followed, as a bare URL can.
// Like linkify, it looks only at the start of a line, after white space or
// after an opening parenthesis, so "APMID 1" stays text.
type pubmedParser struct{}

func (pubmedParser) Trigger() []byte { return []byte{' ', '('} }

func (pubmedParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if pc.IsInLinkLabel() {
		return nil
	}
	line, segment := block.PeekLine()
	if len(line) == 0 {
		return nil
	}
	consumes := 0
	if c := line[0]; util.IsSpace(c) || c == '(' {
		consumes = 1
		line = line[1:]
	}
	// The parser runs at every space of every post: most words are
	// turned away before the expression is asked.
	if len(line) < 5 || line[0]|0x20 != 'p' || line[1]|0x20 != 'm' || line[2]|0x20 != 'i' || line[3]|0x20 != 'd' {
		return nil
	}
	m := pmidAtStart.FindSubmatchIndex(line)
	if m == nil {
		return nil
	}
	pmid := strings.TrimLeft(string(line[m[2]:m[3]]), "0")
	if pmid == "" {
		return nil // PubMed never gives the ID 0
	}
	if consumes != 0 {
		ast.MergeOrAppendTextSegment(parent, segment.WithStop(segment.Start+1))
	}
	start := segment.Start + consumes
	block.Advance(consumes + m[1])
	link := ast.NewLink()
	link.Destination = []byte("https://pubmed.ncbi.nlm.nih.gov/" + pmid + "/")
	link.AppendChild(link, ast.NewTextSegment(text.NewSegment(start, start+m[1])))
	return link
}
