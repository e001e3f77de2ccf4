package inbound

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// ReplyText is what a member wrote in an email, without what their mail
// client added: the email they answered (below an attribution such as
// "On Tue, 3 Mar 2026 at 10:15, Rounds <…> wrote:" in English and the
// languages of the common clients, Outlook's "-----Original Message-----"
// and From:/Sent:/To:/Subject: block, quoted "> " lines left at the end),
// the signature below "-- ", and footers such as "Sent from my iPhone".
//
// A reply written between the quoted lines keeps them, as markdown
// quotes, since they say what each part answers; only the quoted lines
// after the member's last words go. Whitespace is tidied as the composer
// would have it: line breaks kept, trailing spaces, non-breaking and
// zero-width spaces and runs of blank lines taken out, and a blank line put
// after a quote so that markdown does not run the next line into it.
func ReplyText(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	lines = cutQuotedEmail(lines)
	lines = cutSignature(lines)
	lines = trimTrailing(lines)
	lines = cutContactBlock(lines)
	return tidy(lines)
}

// Attributions: the line a client writes above the email it quotes. They
// are matched against a line and the one or two after it joined, since
// clients wrap them where a name or address is long. Compiled when the
// first email is read, not when a node starts: each counted repeat is
// copied out in the compiled program (a third of the start-up's package
// set-up), and most nodes take no email at all.
var attributions = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		regexp.MustCompile(`(?i)^on\b.{4,300}\bwrote:$`),                  // Gmail, Apple Mail, Thunderbird, Yahoo
		regexp.MustCompile(`(?i)^[0-9].{4,300}\bwrote:$`),                 // "03/03/2026 10:15, Priya Nair wrote:"
		regexp.MustCompile(`(?i)^.{0,200}<[^<>@\s]+@[^<>\s]+>\s*wrote:$`), // "Priya Nair <priya@x.org> wrote:"
		regexp.MustCompile(`(?i)^le\b.{4,300}\ba écrit\s?:$`),             // French
		regexp.MustCompile(`(?i)^am\b.{4,300}\bschrieb\b.{0,200}:$`),      // German
		regexp.MustCompile(`(?i)^el\b.{4,300}\bescribió:$`),               // Spanish
		regexp.MustCompile(`(?i)^em\b.{4,300}\bescreveu:$`),               // Portuguese
		regexp.MustCompile(`(?i)^il\b.{4,300}\bha scritto:$`),             // Italian
		regexp.MustCompile(`(?i)^op\b.{4,300}\bschreef\b.{0,200}:$`),      // Dutch
		regexp.MustCompile(`(?i)^den\b.{4,300}\bskrev\b.{0,200}:$`),       // Swedish, Danish, Norwegian
	}
})

// looseAttribution is a bare "Priya Nair wrote:": a few capitalised words.
var looseAttribution = regexp.MustCompile(`^(\p{Lu}[\p{L}\p{M}.'-]*,?\s){1,5}wrote:$`)

// attributionDetail is what a client's attribution has and a member's
// "On Tuesday I wrote:" lacks: an address or a time of day.
var attributionDetail = regexp.MustCompile(`@|\b\d{1,2}[:.h]\d{2}\b`)

// originalMessage is Outlook's separator and its translations.
var originalMessage = regexp.MustCompile(`(?i)^-{3,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|mensagem original|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado)\s*-{3,}$`)

// Outlook's header block: From:, then Sent: or Date:, and To: or Subject:
// within a few lines; markdown bold (from HTML) is allowed around names.
var (
	headerFrom = regexp.MustCompile(`(?i)^\**(from|de|von|van|da|från|fra)\s?:\**\s*\S`)
	headerSent = regexp.MustCompile(`(?i)^\**(sent|date|envoyé|gesendet|datum|enviado|enviada|fecha|verzonden|inviato|data|skickat|sendt)\s?:\**\s*\S`)
	headerTo   = regexp.MustCompile(`(?i)^\**(to|subject|à|an|para|aan|a|objet|betreff|asunto|oggetto|onderwerp|assunto|till|ämne|til|emne|cc)\s?:\**\s*\S`)
	underscore = regexp.MustCompile(`^_{10,}$`)
)

// cutQuotedEmail ends the reply above the email it answers. An attribution
// followed by the member's own words further down is a reply written
// between quotes: the attribution goes, the rest stays for trimTrailing.
func cutQuotedEmail(lines []string) []string {
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" || isQuoted(line) {
			continue
		}
		if originalMessage.MatchString(line) || underscore.MatchString(line) && headerBlockAt(lines, nextNonBlank(lines, i+1)) || headerBlockAt(lines, i) {
			return lines[:i]
		}
		if n := attributionAt(lines, i); n > 0 {
			if answeredBetween(lines[i+n:]) {
				lines = append(lines[:i:i], lines[i+n:]...)
				i--
				continue
			}
			return lines[:i]
		}
	}
	return lines
}

// attributionAt says how many lines the attribution starting at line i
// takes, 0 when there is none. An attribution is trusted when quoted lines
// follow it; without them, as Yahoo writes it, only when it names an
// address or a time, so that prose such as "On Tuesday I wrote:" stays.
func attributionAt(lines []string, i int) int {
	joined := ""
	for n := 1; n <= 3 && i+n <= len(lines); n++ {
		next := strings.TrimSpace(strings.Map(cleanRune, lines[i+n-1]))
		if next == "" || isQuoted(next) {
			break
		}
		joined = strings.TrimSpace(joined + " " + next)
		j := nextNonBlank(lines, i+n)
		quoteFollows := j < len(lines) && isQuoted(strings.TrimSpace(lines[j]))
		for _, re := range attributions() {
			if re.MatchString(joined) && (quoteFollows || attributionDetail.MatchString(joined)) {
				return n
			}
		}
		if quoteFollows && looseAttribution.MatchString(joined) {
			return n
		}
	}
	return 0
}

// headerBlockAt says whether an Outlook header block starts at line i.
func headerBlockAt(lines []string, i int) bool {
	if i >= len(lines) || !headerFrom.MatchString(strings.TrimSpace(lines[i])) {
		return false
	}
	var sent, to bool
	for j := i + 1; j < len(lines) && j <= i+8; j++ {
		l := strings.TrimSpace(lines[j])
		sent = sent || headerSent.MatchString(l)
		to = to || headerTo.MatchString(l)
	}
	return sent && to
}

// answeredBetween says whether the member wrote something after quoted
// lines, rather than only quoting the email below an attribution.
func answeredBetween(rest []string) bool {
	quoted := false
	for i, l := range rest {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case isQuoted(l):
			quoted = true
		case quoted:
			// Own words after a quote, unless only a signature or footer
			// follows.
			tail := trimTrailing(cutSignature(append([]string(nil), rest[i:]...)))
			return len(tail) > 0
		default:
			return false // the quote does not start right below
		}
	}
	return false
}

func isQuoted(line string) bool { return strings.HasPrefix(line, ">") }

func nextNonBlank(lines []string, i int) int {
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	return i
}

// cutSignature ends the reply above the signature delimiter: "-- " on its
// own line (RFC 3676), or "--" when a client has eaten the space and only a
// few lines follow. Quoted lines are not searched.
func cutSignature(lines []string) []string {
	for i, l := range lines {
		if isQuoted(strings.TrimSpace(l)) {
			continue
		}
		if l == "-- " || l == "--" && i > 0 && shortTail(lines[i+1:]) {
			return lines[:i]
		}
	}
	return lines
}

// shortTail says whether lines could be a signature: a few short lines.
func shortTail(lines []string) bool {
	n := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n++
		if n > 6 || len(l) > 100 {
			return false
		}
	}
	return true
}

// contactLine is a line of contact details in a signature: a telephone,
// bleep or fax number behind its label, or an email address.
var contactLine = regexp.MustCompile(`(?i)^((tel|tél|telephone|téléphone|telefon|phone|ph|mobile|mob|cell|handy|fax|pager|bleep|ext|direct|office|switchboard|t|m|f|p)\b\.?\s*[:.]?\s*[+(]?\d[\d ()./-]{3,}|(e-?mail|mail)\s*[:.]?\s*\S+@\S+|<?[^\s@<>]+@[^\s@<>]+\.[a-z]{2,}>?)$`)

// cutContactBlock takes off a last paragraph that holds contact details,
// since mail clients add signatures without "-- " above them, and their
// telephone numbers would otherwise stop the reply at the identifier
// guard. The paragraph must be short and follow something else.
func cutContactBlock(lines []string) []string {
	start := len(lines)
	for start > 0 && strings.TrimSpace(lines[start-1]) != "" {
		start--
	}
	block := lines[start:]
	if start == 0 || len(block) == 0 || len(block) > 8 {
		return lines
	}
	contact := false
	for _, l := range block {
		l = strings.TrimSpace(l)
		if len(l) > 100 || isQuoted(l) {
			return lines
		}
		for _, part := range strings.Split(l, "|") {
			contact = contact || contactLine.MatchString(strings.TrimSpace(part))
		}
	}
	if !contact {
		return lines
	}
	return trimTrailing(lines[:start])
}

// Mobile and webmail footers: a short last line that starts with one of
// footerStarts and names a device or mail app.
var (
	footerStart  = regexp.MustCompile(`(?i)^(sent|get|envoyé|enviado|inviato|verzonden|gesendet|von meinem|skickat|sendt|download)\s`)
	footerThings = regexp.MustCompile(`(?i)\b(iphone|ipad|android|blackberry|samsung|galaxy|pixel|huawei|xiaomi|smartphone|mobile|phone|tablet|outlook|mail|gmail|yahoo|aol|proton|protonmail|windows|ios|handy|móvil|cellulare)\b`)
)

// trimTrailing takes off what follows the member's last words: blank
// lines, quoted lines and mobile footers.
func trimTrailing(lines []string) []string {
	for len(lines) > 0 {
		l := strings.TrimSpace(lines[len(lines)-1])
		if l == "" || isQuoted(l) || isFooter(l) {
			lines = lines[:len(lines)-1]
			continue
		}
		if n := attributionAt(lines, len(lines)-1); n == 1 {
			lines = lines[:len(lines)-1] // an attribution whose quote was cut
			continue
		}
		break
	}
	return lines
}

func isFooter(l string) bool {
	return len(l) <= 80 && len(strings.Fields(l)) <= 12 && footerStart.MatchString(l) && footerThings.MatchString(l)
}

// tidy joins the lines as the composer would have them.
func tidy(lines []string) string {
	var b strings.Builder
	blank := true // at the start, so leading blank lines go
	prevQuoted := false
	for _, l := range lines {
		l = strings.Map(cleanRune, l)
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if strings.TrimSpace(l) == "" {
			if !blank {
				b.WriteByte('\n')
			}
			blank, prevQuoted = true, false
			continue
		}
		quoted := isQuoted(strings.TrimSpace(l))
		if prevQuoted && !quoted {
			b.WriteByte('\n') // or markdown runs the line into the quote
		}
		b.WriteString(l)
		b.WriteByte('\n')
		blank, prevQuoted = false, quoted
	}
	return strings.TrimRight(b.String(), "\n")
}

// cleanRune makes non-breaking spaces ordinary and drops zero-width
// spaces and the byte-order mark, which mail clients sprinkle into text
// and which only confuse markdown and search, and control characters
// other than tab, which Rounds refuses in anything members write.
func cleanRune(r rune) rune {
	switch r {
	case '\u00a0', '\u202f', '\u2007':
		return ' '
	case '\u200b', '\u2060', '\ufeff':
		return -1 // but not the joiners, which emoji and some scripts need
	}
	if unicode.IsControl(r) && r != '\t' {
		return -1 // as models.CleanText, which the write path applies
	}
	return r
}
