package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

var linkRelBytes = []byte(linkRel)

// footnotePrefixAttr holds a post's footnote id prefix on its document node,
// which goldmark never renders.
const footnotePrefixAttr = "rounds-footnote-prefix"

// footnoteTransformer gives a post with footnotes its id prefix.
type footnoteTransformer struct{}

func (footnoteTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	// The footnote transformer, which runs first, moves the list of
	// footnotes to the end of the document.
	if last := doc.LastChild(); last != nil && last.Kind() == extast.KindFootnoteList {
		doc.SetAttributeString(footnotePrefixAttr, footnotePrefix(reader.Source()))
	}
}

// footnotePrefix derives the ids' prefix from the post's source, so that two
// posts on one topic page do not both claim id "fn:1" and send a reader to the
// wrong footnote, while rendering stays deterministic.
func footnotePrefix(source []byte) []byte {
	// FNV-1a, 32 bits: collisions only matter between posts on one page.
	h := uint32(2166136261)
	for _, c := range source {
		h ^= uint32(c)
		h *= 16777619
	}
	prefix := make([]byte, 0, 12)
	prefix = append(prefix, "fn"...)
	const hexDigits = "0123456789abcdef"
	for shift := 28; shift >= 0; shift -= 4 {
		prefix = append(prefix, hexDigits[(h>>shift)&0xf])
	}
	return append(prefix, '-')
}

func footnoteIDPrefix(n ast.Node) []byte {
	doc := n.OwnerDocument()
	if doc == nil {
		return nil
	}
	v, ok := doc.AttributeString(footnotePrefixAttr)
	if !ok {
		return nil
	}
	prefix, _ := v.([]byte)
	return prefix
}

// linkRenderer puts linkRel on every link a post can contain. Links and
// autolinks go through goldmark's own rendering, given the attribute on the
// way; footnote links, which goldmark renders without attributes, are
// rendered here.
type linkRenderer struct {
	html           *html.Renderer
	link, autoLink renderer.NodeRendererFunc
}

func newLinkRenderer() *linkRenderer {
	r := &linkRenderer{html: html.NewRenderer().(*html.Renderer)}
	funcs := registeredFuncs{}
	r.html.RegisterFuncs(funcs)
	r.link, r.autoLink = funcs[ast.KindLink], funcs[ast.KindAutoLink]
	return r
}

// registeredFuncs collects a NodeRenderer's functions by kind.
type registeredFuncs map[ast.NodeKind]renderer.NodeRendererFunc

func (f registeredFuncs) Register(kind ast.NodeKind, fn renderer.NodeRendererFunc) {
	f[kind] = fn
}

// SetOption passes the Markdown's renderer options (XHTML, unsafe, …) on to
// the wrapped HTML renderer, so links render as every other node does.
func (r *linkRenderer) SetOption(name renderer.OptionName, value any) {
	r.html.SetOption(name, value)
}

func (r *linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, withRel(r.link))
	reg.Register(ast.KindAutoLink, withRel(r.autoLink))
	reg.Register(extast.KindFootnoteLink, renderFootnoteReference)
	reg.Register(extast.KindFootnoteBacklink, renderFootnoteBackReference)
	reg.Register(kindTimestamp, renderTimestamp)
}

func withRel(render renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n.SetAttributeString("rel", linkRelBytes)
		}
		return render(w, source, n, entering)
	}
}

func renderFootnoteReference(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*extast.FootnoteLink)
	prefix := footnoteIDPrefix(node)
	index := strconv.Itoa(n.Index)
	_, _ = w.WriteString(`<sup id="`)
	writeReferenceID(w, prefix, n.RefIndex, index)
	_, _ = w.WriteString(`"><a href="#`)
	_, _ = w.Write(prefix)
	_, _ = w.WriteString(`fn:`)
	_, _ = w.WriteString(index)
	_, _ = w.WriteString(`" class="footnote-ref" role="doc-noteref" rel="` + linkRel + `">`)
	_, _ = w.WriteString(index)
	_, _ = w.WriteString(`</a></sup>`)
	return ast.WalkContinue, nil
}

func renderFootnoteBackReference(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*extast.FootnoteBacklink)
	prefix := footnoteIDPrefix(node)
	_, _ = w.WriteString(`&#160;<a href="#`)
	writeReferenceID(w, prefix, n.RefIndex, strconv.Itoa(n.Index))
	_, _ = w.WriteString(`" class="footnote-backref" role="doc-backlink" rel="` + linkRel + `">&#x21a9;&#xfe0e;</a>`)
	return ast.WalkContinue, nil
}

// writeReferenceID writes goldmark's id for the refIndex-th reference to a
// footnote: fnref:N for the first, fnref2:N for the second, and so on.
func writeReferenceID(w util.BufWriter, prefix []byte, refIndex int, index string) {
	_, _ = w.Write(prefix)
	_, _ = w.WriteString(`fnref`)
	if refIndex > 0 {
		_, _ = w.WriteString(strconv.Itoa(refIndex))
	}
	_ = w.WriteByte(':')
	_, _ = w.WriteString(index)
}
