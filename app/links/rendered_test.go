package links_test

import (
	"regexp"
	"slices"
	"testing"

	"rounds/app/links"
	"rounds/app/markdown"
)

// Every PubMed record a rendered post links to has a preview card, and
// every PubMed ID written in the text is linked: the renderer and Find
// read a PMID the same way.
func TestRenderedPubMedLinksHaveCards(t *testing.T) {
	href := regexp.MustCompile(`href="(https://pubmed\.ncbi\.nlm\.nih\.gov/\d+/)"`)
	md := markdown.New()
	for _, source := range []string{
		"Jones AE, et al. JAMA. 2010;303(8):739-746. PMID: 20179283",
		"PMID 18191684 is the ABC trial (pmid:018191684), and PMID:7 another.",
		"See https://pubmed.ncbi.nlm.nih.gov/31651936/ and\nPMID: 31651936 again.",
	} {
		res, err := md.Render(source)
		if err != nil {
			t.Fatal(err)
		}
		html := res.HTML
		var linked, carded []string
		for _, m := range href.FindAllStringSubmatch(html, -1) {
			if !slices.Contains(linked, m[1]) {
				linked = append(linked, m[1])
			}
		}
		for _, l := range res.Links {
			if l.Kind == links.KindPMID {
				carded = append(carded, l.URL)
			}
		}
		slices.Sort(linked)
		slices.Sort(carded)
		if len(linked) == 0 || !slices.Equal(linked, carded) {
			t.Errorf("%q: the post links %v, its cards are %v", source, linked, carded)
		}
	}
}
