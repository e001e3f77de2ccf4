// Package markdown renders member-written markdown to sanitized HTML at
// write time, so that a post's source and its safe HTML can be stored side
// by side and pages never render markdown on the read path.
package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Renderer turns post markdown into HTML. It is built once and is safe for
// concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	// imageURL is WithImageURL's, nil when images load from where they are.
	imageURL func(string) string
}

// New builds the markdown parser and the sanitizing policy.
func New(opts ...Option) *Renderer {
	r := &Renderer{}
	for _, o := range opts {
		o(r)
	}
	transformers := []util.PrioritizedValue{util.Prioritized(footnoteTransformer{}, 1000)}
	if r.imageURL != nil {
		transformers = append(transformers, util.Prioritized(imageTransformer{r.imageURL}, 1001))
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
			parser.WithASTTransformers(transformers...),
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

// Render turns markdown source into sanitized HTML. It never returns unsafe
// HTML: on error the HTML is empty.
func (r *Renderer) Render(source string) (string, error) {
	src := []byte(normalizeSource(source))

	unsafe := getBuffer()
	defer putBuffer(unsafe)
	if err := r.md.Convert(src, bufferWriter{unsafe}); err != nil {
		return "", fmt.Errorf("convert markdown: %w", err)
	}

	clean := getBuffer()
	defer putBuffer(clean)
	if err := r.policy.SanitizeReaderToWriter(unsafe, clean); err != nil {
		return "", fmt.Errorf("sanitize rendered markdown: %w", err)
	}
	return clean.String(), nil
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
