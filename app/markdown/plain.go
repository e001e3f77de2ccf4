package markdown

import (
	"regexp"
	"strings"

	"rounds/models"
)

// CaseSummary writes a case summary as the markdown of the opening post
// of a case topic whose author wrote no discussion of their own: the
// composer saves it so, and the demo's cases are written with it. The
// summary's fields are plain text, so the characters markdown would read
// are escaped.
func CaseSummary(cs *models.CaseSummary) string {
	var b strings.Builder
	if cs.SourceURL != "" {
		b.WriteString("**Case:** <" + cs.SourceURL + ">\n\n")
	}
	b.WriteString("**Age band:** " + Plain(models.CaseAgeBandLabel(cs.AgeBand)) + "\\\n")
	b.WriteString("**Sex:** " + Plain(models.CaseSexLabel(cs.Sex)) + "\n\n")
	b.WriteString("**Presentation:** " + Plain(cs.Presentation) + "\n\n")
	if cs.Workup != "" {
		b.WriteString("**Work-up so far:** " + Plain(cs.Workup) + "\n\n")
	}
	b.WriteString("**Question for peers:** " + Plain(cs.Question) + "\n")
	return b.String()
}

// markdownInline are the characters that mean something to markdown
// anywhere in a line; markdownListStart, at the start of one.
var (
	markdownInline    = strings.NewReplacer("\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "<", "\\<", ">", "\\>", "|", "\\|", "~", "\\~", "&", "\\&")
	markdownListStart = regexp.MustCompile(`^(\d+)([.)])`)
)

// Plain writes plain text as markdown that renders as that text: its line
// breaks kept, its blank lines as paragraphs.
func Plain(text string) string {
	paragraphs := strings.Split(text, "\n\n")
	out := paragraphs[:0]
	for _, para := range paragraphs {
		var lines []string
		for _, line := range strings.Split(para, "\n") {
			line = markdownInline.Replace(strings.TrimSpace(line))
			if line == "" {
				continue
			}
			if strings.ContainsRune("#-+=", rune(line[0])) {
				line = "\\" + line
			}
			line = markdownListStart.ReplaceAllString(line, `$1\$2`)
			lines = append(lines, line)
		}
		if len(lines) > 0 {
			out = append(out, strings.Join(lines, "\\\n"))
		}
	}
	return strings.Join(out, "\n\n")
}
