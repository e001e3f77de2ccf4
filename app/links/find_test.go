package links_test

import (
	"reflect"
	"testing"

	"rounds/app/links"
	"rounds/app/markdown"
)

func page(u string) links.Link { return links.Link{Kind: links.KindPage, URL: u} }
func doi(d string) links.Link {
	return links.Link{Kind: links.KindDOI, URL: "https://doi.org/" + d, DOI: d}
}
func pmid(id string) links.Link {
	return links.Link{Kind: links.KindPMID, URL: "https://pubmed.ncbi.nlm.nih.gov/" + id + "/", PMID: id}
}

// TestFind checks the links a post's markdown makes, as app/markdown finds
// them while it renders the post, in the same parse.
func TestFind(t *testing.T) {
	md := markdown.New()
	tests := []struct {
		name   string
		source string
		want   []links.Link
	}{
		{"empty", "", nil},
		{"no links", "Started apixaban 5 mg BD; review in 2 weeks.", nil},
		{"bare https URL", "See https://www.nice.org.uk/guidance/ng196 for the pathway.",
			[]links.Link{page("https://www.nice.org.uk/guidance/ng196")}},
		{"bare URL ending a sentence", "Guidance is at https://www.nice.org.uk/guidance/ng196.",
			[]links.Link{page("https://www.nice.org.uk/guidance/ng196")}},
		{"bare URL in parentheses", "(full text: https://example.org/trial)",
			[]links.Link{page("https://example.org/trial")}},
		{"bare URL with balanced parentheses", "https://en.wikipedia.org/wiki/Warfarin_(drug), then",
			[]links.Link{page("https://en.wikipedia.org/wiki/Warfarin_(drug)")}},
		{"www link becomes http", "Try www.example.org/calc today",
			[]links.Link{page("http://www.example.org/calc")}},
		{"markdown link", "Per [NICE NG196](https://www.nice.org.uk/guidance/ng196).",
			[]links.Link{page("https://www.nice.org.uk/guidance/ng196")}},
		{"reference-style link", "Per [NICE][1].\n\n[1]: https://www.nice.org.uk/guidance/ng196",
			[]links.Link{page("https://www.nice.org.uk/guidance/ng196")}},
		{"angle-bracket autolink", "<https://example.org/a>", []links.Link{page("https://example.org/a")}},
		{"page URL normalised", "[x](HTTPS://Example.ORG:443/Path?q=1#results)",
			[]links.Link{page("https://example.org/Path?q=1")}},
		{"non-default port kept, empty path gets slash", "[x](http://Example.org:8080)",
			[]links.Link{page("http://example.org:8080/")}},
		{"non-http links ignored", "[mail](mailto:a@example.org) [ftp](ftp://example.org/f) [rel](/t/1) a@example.org", nil},
		{"credentials ignored", "[x](https://user:pw@example.org/)", nil},
		{"images ignored", "![ECG](https://example.org/ecg.png)", nil},
		{"bare DOI", "Polack et al., 10.1056/NEJMoa2034577", []links.Link{doi("10.1056/nejmoa2034577")}},
		{"doi: prefix with trailing full stop", "doi:10.1056/NEJMoa2034577.", []links.Link{doi("10.1056/nejmoa2034577")}},
		{"DOI: upper-case prefix with space", "DOI: 10.1056/NEJMOA2034577, and more", []links.Link{doi("10.1056/nejmoa2034577")}},
		{"DOI with parentheses", "The Lancet 10.1016/S0140-6736(20)30183-5 was first",
			[]links.Link{doi("10.1016/s0140-6736(20)30183-5")}},
		{"DOI with parentheses inside parentheses", "(Huang 2020, 10.1016/S0140-6736(20)30183-5).",
			[]links.Link{doi("10.1016/s0140-6736(20)30183-5")}},
		{"DOI in parentheses", "(doi:10.1001/jama.2020.1585)", []links.Link{doi("10.1001/jama.2020.1585")}},
		{"doi.org URL is a DOI not a page", "https://doi.org/10.1056/NEJMoa2034577",
			[]links.Link{doi("10.1056/nejmoa2034577")}},
		{"dx.doi.org markdown link with parentheses", "[Huang](http://dx.doi.org/10.1016/S0140-6736(20)30183-5)",
			[]links.Link{doi("10.1016/s0140-6736(20)30183-5")}},
		{"bare doi.org URL with parentheses then full stop", "Read https://doi.org/10.1016/S0140-6736(20)30183-5.",
			[]links.Link{doi("10.1016/s0140-6736(20)30183-5")}},
		{"percent-encoded doi.org path", "[x](https://doi.org/10.1002%2Fjbm.820350412)", []links.Link{doi("10.1002/jbm.820350412")}},
		{"doi.org without a DOI is a page", "https://doi.org/help", []links.Link{page("https://doi.org/help")}},
		{"DOI inside a journal URL is the page", "https://www.nejm.org/doi/full/10.1056/NEJMoa2034577",
			[]links.Link{page("https://www.nejm.org/doi/full/10.1056/NEJMoa2034577")}},
		{"not a DOI: too few prefix digits or glued to a number", "10.123/abc and 210.1056/x and v10.1056/y", nil},
		{"PMID colon", "PMID: 33301246", []links.Link{pmid("33301246")}},
		{"PMID space, lower case", "see pmid 33301246;", []links.Link{pmid("33301246")}},
		{"PMID no space", "(PMID:33301246)", []links.Link{pmid("33301246")}},
		{"PMID glued to digits is not one", "PMID 3330124612345 and XPMID 1", nil},
		{"pubmed URL", "https://pubmed.ncbi.nlm.nih.gov/33301246/", []links.Link{pmid("33301246")}},
		{"pubmed URL without scheme", "pubmed.ncbi.nlm.nih.gov/33301246", []links.Link{pmid("33301246")}},
		{"PMID in mixed case", "see Pmid 33301246", []links.Link{pmid("33301246")}},
		{"pubmed URL in capitals", "PUBMED.NCBI.NLM.NIH.GOV/33301246", []links.Link{pmid("33301246")}},
		{"old ncbi pubmed URL", "[abstract](https://www.ncbi.nlm.nih.gov/pubmed/33301246)", []links.Link{pmid("33301246")}},
		{"pubmed search is a page", "https://pubmed.ncbi.nlm.nih.gov/?term=apixaban",
			[]links.Link{page("https://pubmed.ncbi.nlm.nih.gov/?term=apixaban")}},
		{"code span ignored", "Use `https://example.org/x` and `10.1056/NEJMoa2034577` and `PMID: 1`", nil},
		{"fenced code ignored", "```\nhttps://example.org/x doi:10.1056/NEJMoa2034577\n```\n", nil},
		{"indented code ignored", "Text\n\n    https://example.org/x 10.1056/NEJMoa2034577\n", nil},
		{"duplicates collapse across forms", "10.1056/NEJMoa2034577 and https://doi.org/10.1056/nejmoa2034577 and " +
			"[x](https://dx.doi.org/10.1056/NEJMOA2034577) https://example.org/a#one https://EXAMPLE.org/a#two",
			[]links.Link{doi("10.1056/nejmoa2034577"), page("https://example.org/a")}},
		{"order of appearance, mixed kinds", "First PMID 33301246, then https://example.org/b, then doi:10.1001/jama.2020.1585\n\n" +
			"- and *10.1016/S0140-6736(20)30183-5* in a list\n- [c](https://example.org/c)",
			[]links.Link{pmid("33301246"), page("https://example.org/b"), doi("10.1001/jama.2020.1585"),
				doi("10.1016/s0140-6736(20)30183-5"), page("https://example.org/c")}},
		{"DOI across emphasis split by linkify triggers", "ref 10.1000/abc_def_ghi end", []links.Link{doi("10.1000/abc_def_ghi")}},
		{"in a table", "| trial | ref |\n|---|---|\n| RE-LY | PMID: 19717844 |", []links.Link{pmid("19717844")}},
		{"link label text not scanned", "[10.1056/NEJMoa2034577](https://www.nejm.org/doi/10.1056/NEJMoa2034577)",
			[]links.Link{page("https://www.nejm.org/doi/10.1056/NEJMoa2034577")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := md.Render(tt.source)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Links; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Render(%q).Links\n got %#v\nwant %#v", tt.source, got, tt.want)
			}
		})
	}
}

func TestFromURLAndMerge(t *testing.T) {
	source, ok := links.FromURL("https://doi.org/10.1056/NEJMoa2034577")
	if !ok || source != doi("10.1056/nejmoa2034577") {
		t.Fatalf("links.FromURL = %v, %v", source, ok)
	}
	if _, ok := links.FromURL("ftp://example.org/f"); ok {
		t.Error("links.FromURL took an ftp address")
	}
	got := links.Merge([]links.Link{source}, []links.Link{page("https://example.org/a"), doi("10.1056/nejmoa2034577")})
	want := []links.Link{source, page("https://example.org/a")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("links.Merge = %v, want %v", got, want)
	}
}
