// Package markdown renders member-written markdown to sanitized HTML at
// write time, so that a post's source and its safe HTML can be stored side
// by side and pages never render markdown on the read path.
package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"rounds/app/links"
)

// Renderer turns post markdown into HTML. It is built once and is safe for
// concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	// imageURL is WithImageURL's, nil when images load from where they are.
	imageURL func(string) string
	// parses counts the documents parsed, for tests that make sure a post
	// is parsed once when written and never when read.
	parses atomic.Int64
}

// New builds the markdown parser and the sanitizing policy.
func New(opts ...Option) *Renderer {
	r := &Renderer{}
	for _, o := range opts {
		o(r)
	}
	r.md = goldmark.New(
		// Raw HTML stays off (no html.WithUnsafe): goldmark replaces it with
		// a comment and bluemonday is the second line of defence.
		goldmark.WithExtensions(
			extension.NewTable(
				// An align attribute, not a style attribute, so the policy
				// never has to let CSS through.
				extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute),
			),
			extension.Strikethrough,
			extension.TaskList,
			extension.NewLinkify(
				// The default also links ftp://, which the policy would strip.
				extension.WithLinkifyAllowedProtocols([]string{"http://", "https://"}),
			),
			extension.NewFootnote(
				extension.WithFootnoteIDPrefixFunction(footnoteIDPrefix),
			),
		),
		goldmark.WithParserOptions(
			// goldmark runs lower numbers first: after the footnote
			// transformer (999), which builds the list of footnotes.
			parser.WithASTTransformers(util.Prioritized(footnoteTransformer{}, 1000)),
			// After linkify (999), which takes the addresses first.
			parser.WithInlineParsers(util.Prioritized(pubmedParser{}, 1000), util.Prioritized(mentionParser{}, 1000)),
		),
		goldmark.WithRendererOptions(
			// Lower numbers register last and win: over the HTML (1000)
			// and footnote (500) renderers for the kinds linkRenderer handles.
			renderer.WithNodeRenderers(util.Prioritized(newLinkRenderer(), 100)),
		),
	)
	r.policy = newPolicy(r.imageURL != nil)
	return r
}

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer {
	buf := bufferPool.Get().(*bytes.Buffer)
	buf.Reset()
	return buf
}

func putBuffer(buf *bytes.Buffer) {
	// A huge post should not pin its buffer in the pool forever.
	if buf.Cap() <= 64<<10 {
		bufferPool.Put(buf)
	}
}

// bufferWriter lets goldmark write straight into a pooled buffer instead of
// allocating a bufio.Writer around it on every call.
type bufferWriter struct{ *bytes.Buffer }

func (bufferWriter) Buffered() int { return 0 }
func (bufferWriter) Flush() error  { return nil }

// Result is everything a post needs from its markdown, read in one parse.
type Result struct {
	// HTML is the post as readers see it, sanitised.
	HTML string
	// Plain is the readable text with whitespace collapsed: what search
	// indexes and quotes, and excerpts show. It is text, not HTML: a
	// member's literal "<" stays "<", so escape it wherever it is shown.
	Plain string
	// Mentions are the usernames mentioned with @username, in order of
	// appearance, without duplicates and at most ten. Code spans, code
	// blocks and raw HTML do not count.
	Mentions []string
	// Links are the web pages, DOIs and PubMed IDs the post links to, as
	// app/links finds them.
	Links []links.Link
}

// RenderOption adjusts one Render.
type RenderOption func(*renderOptions)

type renderOptions struct {
	audioURL string                                  // WithTimestamps'
	members  func([]string) (map[string]bool, error) // WithMembers'
}

// Parses reports how many times this renderer has parsed markdown.
func (r *Renderer) Parses() int64 { return r.parses.Load() }

// Render parses markdown source once and returns everything read from it:
// the sanitised HTML, the plain text, the mentions and the links. It never
// returns unsafe HTML: on error the result is empty.
func (r *Renderer) Render(source string, opts ...RenderOption) (Result, error) {
	var o renderOptions
	for _, opt := range opts {
		opt(&o)
	}
	src := []byte(normalizeSource(source))
	doc := r.md.Parser().Parse(text.NewReader(src))
	r.parses.Add(1)

	// What the member wrote is read before the images are pointed at the
	// proxy and the timestamps are linked: neither is theirs.
	var (
		plain    plainVisitor
		found    linkVisitor
		mentions mentionVisitor
	)
	visitors := []visitor{&plain, &found}
	if strings.Contains(source, "@") {
		visitors = append(visitors, &mentions)
	}
	walkAll(doc, src, visitors...)
	res := Result{Plain: plain.b.String(), Links: found.Links(), Mentions: mentions.mentions()}

	if o.members != nil && len(res.Mentions) > 0 {
		if err := unlinkStrangers(doc, src, o.members); err != nil {
			return Result{}, fmt.Errorf("look up the members mentioned: %w", err)
		}
	}
	if r.imageURL != nil {
		proxyImages(doc, r.imageURL)
	}
	if o.audioURL != "" {
		linkTimestamps(doc, src, o.audioURL)
	}

	unsafe := getBuffer()
	defer putBuffer(unsafe)
	if err := r.md.Renderer().Render(bufferWriter{unsafe}, src, doc); err != nil {
		return Result{}, fmt.Errorf("render markdown: %w", err)
	}
	clean := getBuffer()
	defer putBuffer(clean)
	if err := r.policy.SanitizeReaderToWriter(unsafe, clean); err != nil {
		return Result{}, fmt.Errorf("sanitize rendered markdown: %w", err)
	}
	res.HTML = clean.String()
	return res, nil
}

// normalizeSource makes the source valid UTF-8 without NUL bytes, as
// CommonMark asks and as the database's text columns require of the HTML.
func normalizeSource(source string) string {
	if !utf8.ValidString(source) {
		source = strings.ToValidUTF8(source, "\uFFFD")
	}
	if strings.IndexByte(source, 0) >= 0 {
		source = strings.ReplaceAll(source, "\x00", "\uFFFD")
	}
	return source
}
