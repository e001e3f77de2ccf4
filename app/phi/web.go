package phi

import (
	"net/netip"
	"regexp"
	"strings"
)

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}`)
	urlRE   = regexp.MustCompile(`^(?i)(?:https?://|www\.)[^\s<>"'()\[\]{}]+`)
	ipv4RE  = regexp.MustCompile(`^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`)
	// IPv6 needs four or more groups, or "::", so clock times (1:02:03) never match.
	ipv6RE = regexp.MustCompile(`(?i)\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b|(?i)\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4})?\b`)
)

// Hosts whose pages are about medicine, not about a person: journals,
// indexes, registries, guideline bodies and public-health agencies. Linking
// to them is how clinicians cite evidence, so they are never flagged.
var scholarlyHosts = []string{
	"doi.org", "pubmed.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov", "nih.gov", "nlm.nih.gov",
	"clinicaltrials.gov", "cdc.gov", "fda.gov", "cms.gov", "ahrq.gov", "hhs.gov", "va.gov",
	"who.int", "nice.org.uk", "nhs.uk", "gov.uk", "europa.eu", "ema.europa.eu",
	"nejm.org", "thelancet.com", "jamanetwork.com", "bmj.com", "annals.org", "acpjournals.org",
	"nature.com", "science.org", "cell.com", "sciencedirect.com", "springer.com", "link.springer.com",
	"wiley.com", "onlinelibrary.wiley.com", "tandfonline.com", "sagepub.com", "oup.com", "academic.oup.com",
	"karger.com", "thieme-connect.com", "lww.com", "journals.lww.com", "plos.org", "biomedcentral.com",
	"frontiersin.org", "mdpi.com", "medrxiv.org", "biorxiv.org", "arxiv.org", "cochranelibrary.com",
	"uptodate.com", "dynamed.com", "medscape.com", "merckmanuals.com", "statpearls.com", "ncbi.nih.gov",
	"ahajournals.org", "acc.org", "heart.org", "escardio.org", "idsociety.org", "atsjournals.org",
	"thoracic.org", "chestnet.org", "aafp.org", "aap.org", "publications.aap.org", "acog.org", "acr.org",
	"asco.org", "nccn.org", "diabetesjournals.org", "kdigo.org", "gastrojournal.org", "rcp.ac.uk",
	"rcog.org.uk", "sign.ac.uk", "guidelinecentral.com", "mdcalc.com", "drugs.com", "dailymed.nlm.nih.gov",
	"lexicomp.com", "medlineplus.gov", "orpha.net", "omim.org", "clinicalkey.com", "ema.europa.eu",
}

// Hosts whose pages are usually about one person: social profiles,
// fundraisers and patient journals. A link there can identify a patient.
var personalHosts = []string{
	"facebook.com", "fb.com", "instagram.com", "twitter.com", "x.com", "tiktok.com", "linkedin.com",
	"youtube.com", "youtu.be", "snapchat.com", "threads.net", "bsky.app", "mastodon.social",
	"reddit.com", "pinterest.com", "tumblr.com", "gofundme.com", "caringbridge.org", "legacy.com",
	"findagrave.com", "myspace.com", "vk.com", "wa.me", "t.me", "onlyfans.com", "patreon.com",
}

func scanWeb(d doc, cands []candidate) []candidate {
	text := d.text
	// E-mail: look around each "@".
	for off, lastEnd := 0, -1; ; {
		i := strings.IndexByte(text[off:], '@')
		if i < 0 {
			break
		}
		at := off + i
		off = at + 1
		// An address has a letter or digit on both sides of its "@".
		if at == 0 || at+1 >= len(text) || !isWordByte(text[at-1]) || !(isDigit(text[at+1]) || isASCIILetter(text[at+1])) {
			continue
		}
		lo := at - 64
		if lo < lastEnd {
			lo = lastEnd
		}
		if lo < 0 {
			lo = 0
		}
		for lo < at && lo > 0 && isWordByte(text[lo-1]) {
			lo++
		}
		hi := at + 255
		if hi > len(text) {
			hi = len(text)
		}
		if m := emailRE.FindStringIndex(text[lo:hi]); m != nil {
			s, e := lo+m[0], lo+m[1]
			if s <= at && at < e {
				cands = d.add(cands, rankExact, TypeEmail, High, s, e, "Looks like an e-mail address.")
				lastEnd = e
				off = e
			}
		}
	}
	for _, p := range d.links() {
		start, end := p[0], p[1]
		if reason, ok := personalURL(d, start, end); ok {
			cands = d.add(cands, rankWeb, TypeURL, Low, start, end, reason)
		}
	}
	for _, r := range d.runs {
		if r.end-r.start <= 3 && r.end < len(text) && text[r.end] == '.' {
			if m := anchored(ipv4RE, text, r.start, 16); m != nil && validIPv4(text[m[0]:m[1]]) && !versionContext(d, m[0]) &&
				(m[1] == len(text) || text[m[1]] != '.' || m[1]+1 == len(text) || !isDigit(text[m[1]+1])) {
				cands = d.add(cands, rankWeb, TypeIP, Low, m[0], m[1], "Looks like an IP address, which can point at a person's device.")
			}
		}
	}
	for _, tok := range colonTokens(text) {
		for _, m := range ipv6RE.FindAllStringIndex(text[tok[0]:tok[1]], -1) {
			s, e := tok[0]+m[0], tok[0]+m[1]
			v := text[s:e]
			if _, err := netip.ParseAddr(v); err == nil && strings.Count(v, ":") >= 2 && !allDigitsAndColons(v) {
				cands = d.add(cands, rankWeb, TypeIP, Low, s, e, "Looks like an IP address, which can point at a person's device.")
			}
		}
	}
	return cands
}

// links returns where each web link starts and ends.
func (d doc) links() [][2]int {
	var out [][2]int
	lastEnd := -1
	for _, p := range d.wordStarts([]string{"http", "www."}) {
		if p < lastEnd {
			continue
		}
		if m := anchored(urlRE, d.text, p, 2048); m != nil {
			end := trimURL(d.text, m[0], m[1])
			out = append(out, [2]int{m[0], end})
			lastEnd = end
		}
	}
	return out
}

// colonTokens returns the space-free stretches of text that hold three or
// more colons, or "::" — the only places an IPv6 address can be.
func colonTokens(text string) [][2]int {
	var out [][2]int
	for off := 0; ; {
		i := strings.IndexByte(text[off:], ':')
		if i < 0 {
			return out
		}
		c := off + i
		s, e := c, c
		for s > 0 && !isSpaceByte(text[s-1]) {
			s--
		}
		for e < len(text) && !isSpaceByte(text[e]) {
			e++
		}
		tok := text[s:e]
		if strings.Count(tok, ":") >= 3 || strings.Contains(tok, "::") {
			out = append(out, [2]int{s, e})
		}
		off = e
		if off >= len(text) {
			return out
		}
	}
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimURL drops punctuation that ends the sentence rather than the link.
func trimURL(text string, start, end int) int {
	for end > start && strings.IndexByte(".,;:!?", text[end-1]) >= 0 {
		end--
	}
	return end
}

// personalURL decides whether a link may point at a person. Links to
// scholarly and guideline sites never do; social profiles and fundraisers
// usually do; any other link is flagged only when its path looks like a
// profile or a personal page, or when it is labelled as someone's website.
func personalURL(d doc, start, end int) (string, bool) {
	u := d.lower[start:end]
	u = strings.TrimPrefix(u, "https://")
	u = strings.TrimPrefix(u, "http://")
	host, path, _ := strings.Cut(u, "/")
	host = strings.TrimPrefix(host, "www.")
	if i := strings.IndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	for _, h := range scholarlyHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return "", false
		}
	}
	for _, h := range personalHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return "Links to a social profile or personal page, which can identify a patient.", true
		}
	}
	if strings.HasPrefix(path, "~") || strings.Contains(path, "/~") || strings.HasPrefix(path, "@") ||
		strings.HasPrefix(path, "profile") || strings.HasPrefix(path, "user/") || strings.HasPrefix(path, "users/") ||
		strings.HasPrefix(path, "people/") || strings.HasPrefix(path, "u/") || strings.HasPrefix(path, "in/") {
		return "Links to what looks like a personal page, which can identify a patient.", true
	}
	b := d.before(start, 40)
	if strings.Contains(b, "website") || strings.Contains(b, "homepage") || strings.Contains(b, "home page") ||
		strings.Contains(b, "blog") || strings.Contains(b, "profile") || strings.Contains(b, "page:") {
		return "Links to someone's own website, which can identify a patient.", true
	}
	return "", false
}

func validIPv4(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

// versionContext tells software versions (v1.2.3.4, "version 10.0.0.1")
// from addresses.
func versionContext(d doc, start int) bool {
	b := d.before(start, 12)
	return strings.HasSuffix(b, "v") || strings.Contains(b, "version") || strings.Contains(b, "release")
}

func allDigitsAndColons(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != ':' {
			return false
		}
	}
	return true
}
