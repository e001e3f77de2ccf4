package links

import (
	"net"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

var (
	// doiInText is Crossref's recommended pattern, /^10.\d{4,9}\/[-._;()\/:A-Z0-9]+$/i,
	// unanchored. It catches the modern DOIs that make up nearly all of them.
	doiInText = regexp.MustCompile(`(?i)10\.\d{4,9}/[-._;()/:a-z0-9]+`)
	// doiInURL is looser: in a doi.org address the DOI is the whole path, so
	// older DOIs with characters such as < > are taken too.
	doiInURL = regexp.MustCompile(`(?i)^10\.\d{4,9}/\S+$`)

	pmidInText = regexp.MustCompile(`(?i)\b(?:PMID\s*:?\s*|pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})\b`)
	pmidPath   = regexp.MustCompile(`^/(\d{1,9})/?$`)
	pmidOldURL = regexp.MustCompile(`^/pubmed/(\d{1,9})/?$`)
)

// scanText finds DOIs and PubMed IDs in plain text, in order.
func scanText(s string) []Link {
	type found struct {
		at   int
		link Link
	}
	var all []found
	// Nearly all text holds neither a DOI nor a PubMed ID, and a search
	// for what each must contain costs far less than the expressions do
	// (a fifth of rendering a seeded post went to them).
	hasDOI := strings.Contains(s, "10.")
	hasPMID := containsFoldASCII(s, "pmid") || containsFoldASCII(s, "pubmed")
	if !hasDOI && !hasPMID {
		return nil
	}
	var dois, pmids [][]int
	if hasDOI {
		dois = doiInText.FindAllStringIndex(s, -1)
	}
	if hasPMID {
		pmids = pmidInText.FindAllStringSubmatchIndex(s, -1)
	}
	for _, m := range dois {
		if m[0] > 0 && isWordByte(s[m[0]-1]) {
			continue // "210.1000/x" or "v10.1000/x" is not a DOI
		}
		if doi := trimDOI(s[m[0]:m[1]]); doiInText.MatchString(doi) {
			all = append(all, found{m[0], doiLink(doi)})
		}
	}
	for _, m := range pmids {
		if l, ok := pmidLink(s[m[2]:m[3]]); ok {
			all = append(all, found{m[0], l})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at < all[j].at })
	links := make([]Link, 0, len(all))
	for _, f := range all {
		links = append(links, f.link)
	}
	return links
}

// containsFoldASCII reports whether s contains word, a lower-case ASCII
// word, in any case. (Under (?i) the expressions' letters p, m, i, d, u, b
// and e match only their ASCII capitals and themselves.)
func containsFoldASCII(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for j < len(word) && s[i+j]|0x20 == word[j] {
			j++
		}
		if j == len(word) {
			return true
		}
	}
	return false
}

func isWordByte(b byte) bool {
	return b == '.' || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// trimDOI drops punctuation that ends the sentence rather than the DOI: a
// final . , ; : and a ) that closes a parenthesis opened before the DOI.
// DOIs such as 10.1016/S0140-6736(20)30183-5 keep their balanced brackets.
func trimDOI(doi string) string {
	for doi != "" {
		switch last := doi[len(doi)-1]; {
		case strings.IndexByte(".,;:", last) >= 0:
			doi = doi[:len(doi)-1]
		case last == ')' && strings.Count(doi, ")") > strings.Count(doi, "("):
			doi = doi[:len(doi)-1]
		default:
			return doi
		}
	}
	return doi
}

// linkFromURL classifies an http(s) URL: a doi.org address is a DOI, a
// PubMed record address is a PMID, anything else is a page.
func linkFromURL(raw string) (Link, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Link{}, false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" || u.Hostname() == "" || u.User != nil {
		// Addresses with credentials are never fetched, so never previewed.
		return Link{}, false
	}
	host := strings.ToLower(u.Hostname())
	switch host {
	case "doi.org", "dx.doi.org", "www.doi.org":
		if doi := trimDOI(strings.TrimPrefix(u.Path, "/")); doiInURL.MatchString(doi) {
			return doiLink(doi), true
		}
	case "pubmed.ncbi.nlm.nih.gov":
		if m := pmidPath.FindStringSubmatch(u.Path); m != nil {
			if l, ok := pmidLink(m[1]); ok {
				return l, true
			}
		}
	case "ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov":
		if m := pmidOldURL.FindStringSubmatch(u.Path); m != nil {
			if l, ok := pmidLink(m[1]); ok {
				return l, true
			}
		}
	}

	u.Scheme = scheme
	port := u.Port()
	if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		port = ""
	}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	} else {
		u.Host = host
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" && u.RawPath == "" {
		u.Path = "/"
	}
	return Link{Kind: KindPage, URL: u.String()}, true
}

func doiLink(doi string) Link {
	doi = strings.ToLower(doi)
	return Link{Kind: KindDOI, URL: "https://doi.org/" + escapeDOI(doi), DOI: doi}
}

// pmidLink refuses an all-zero ID, which PubMed never assigns.
func pmidLink(pmid string) (Link, bool) {
	pmid = strings.TrimLeft(pmid, "0")
	if pmid == "" {
		return Link{}, false
	}
	return Link{Kind: KindPMID, URL: "https://pubmed.ncbi.nlm.nih.gov/" + pmid + "/", PMID: pmid}, true
}

// escapeDOI percent-encodes a DOI for use as a URL path, leaving the
// characters of Crossref's pattern as they are so the common DOI reads the
// same in the address as on the page.
func escapeDOI(doi string) string {
	var b strings.Builder
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(doi); i++ {
		c := doi[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._;()/:", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
