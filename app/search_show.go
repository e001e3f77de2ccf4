package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
	"rounds/search"
)

// searchPage is the search form and, once a member has searched, what
// came of it: results, or the one message that says why there are none.
type searchPage struct {
	Query      string
	Searched   bool
	Problem    string // the query's syntax error, in the member's words
	Rebuilding string // why there are no results while the index is rebuilt
	NoBoard    string // the board: slug named that the member cannot read
	Results    *searchResults
	// InConsults says the member searched their own consults, and
	// ConsultHits is what matched.
	InConsults  bool
	ConsultHits []consultHit
}

// consultHit is a message of the member's own consults that matched.
type consultHit struct {
	models.ConsultHit
	Excerpt string
}

// consultHitsShown is how many matching consult messages a search shows.
const consultHitsShown = 50

func (h *Handler) searchShow(c *fiber.Ctx) error {
	p := searchPage{Query: strings.TrimSpace(c.Query("q"))}
	data := h.page(c, "Search")
	if p.Problem = inputRefusal(c); p.Problem != "" {
		c.Status(fiber.StatusUnprocessableEntity)
	} else if p.Query != "" {
		data.Title = "Search: " + p.Query
		if err := h.runSearch(c, &p); err != nil {
			return err
		}
	}
	data.Page = p
	return h.views.render(c, "search_show", data)
}

// runSearch parses and runs the member's query, setting the status a
// problem deserves; only a failure of the site itself is returned.
func (h *Handler) runSearch(c *fiber.Ctx, p *searchPage) error {
	p.Searched = true
	q, err := search.Parse(p.Query)
	var syntax *search.SyntaxError
	if errors.As(err, &syntax) {
		p.Problem = syntax.Message
		c.Status(fiber.StatusBadRequest)
		return nil
	}
	if err != nil {
		return fmt.Errorf("parse search %q: %w", p.Query, err)
	}
	if q.InConsults {
		return h.searchConsults(c, p, q)
	}
	page := max(c.QueryInt("page", 1), 1)
	found, err := h.searchResults(c, q, page)
	if errors.Is(err, search.ErrRebuilding) {
		s := h.search.Status()
		p.Rebuilding = fmt.Sprintf("Search is being rebuilt: %d of %d posts indexed. Try again in a moment.", s.Built, s.Total)
		c.Set(fiber.HeaderRetryAfter, "10")
		c.Status(fiber.StatusServiceUnavailable)
		return nil
	}
	if err != nil {
		return err
	}
	if found.NoBoard {
		p.NoBoard = q.Board
	}
	p.Results = found
	return nil
}

// searchConsults finds the query's words and phrases in the member's own
// consults, straight from the database: consults are never in the index,
// so no other search can reach them.
func (h *Handler) searchConsults(c *fiber.Ctx, p *searchPage, q search.Query) error {
	p.InConsults = true
	terms := append(append([]string{}, q.Words...), q.Phrases...)
	if len(terms) == 0 {
		p.Problem = "Add the words to look for in your consults, as in: in:consults colchicine."
		c.Status(fiber.StatusBadRequest)
		return nil
	}
	hits, err := h.store.SearchConsults(c.UserContext(), member(c).ID, terms, consultHitsShown)
	if err != nil {
		return err
	}
	for _, hit := range hits {
		p.ConsultHits = append(p.ConsultHits, consultHit{ConsultHit: hit, Excerpt: headRunes(hit.Plain, consultExcerptLength)})
	}
	return nil
}

// consultExcerptLength is how many characters of a matching message the
// results show.
const consultExcerptLength = 200
