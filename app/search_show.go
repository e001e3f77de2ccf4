package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

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
}

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
