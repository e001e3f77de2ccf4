package app

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,49}$`)

// boardForm is the administrators' form for a board and who may use it.
// It holds what was typed, so a refused form loses nothing.
type boardForm struct {
	Action      string
	Submit      string
	Title       string
	Slug        string
	Description string
	Position    string
	Archived    bool
	// AllowAnonymous lets members post as "Anonymous {specialty}".
	AllowAnonymous bool
	// EmailPolicy is what digests may carry from the board.
	EmailPolicy string
	Groups      []models.Group
	Read        map[int64]bool
	Post        map[int64]bool
	Errors      fieldErrors
	Saved       bool
}

// readBoardForm takes the submitted fields and checks them.
func readBoardForm(c *fiber.Ctx) *boardForm {
	f := &boardForm{Title: strings.TrimSpace(c.FormValue("title")), Slug: strings.TrimSpace(c.FormValue("slug")),
		Description: strings.TrimSpace(c.FormValue("description")), Position: strings.TrimSpace(c.FormValue("position")),
		Archived: c.FormValue("archived") != "", AllowAnonymous: c.FormValue("allow_anonymous") != "",
		EmailPolicy: c.FormValue("email_policy"), Read: checkedIDs(c, "read"), Post: checkedIDs(c, "post")}
	if f.EmailPolicy == "" {
		f.EmailPolicy = string(models.EmailFull) // the form always sends one; scripts may not
	}
	if !models.EmailPolicy(f.EmailPolicy).Valid() {
		f.Errors.add("email_policy", "Choose what digest emails may carry from this board.")
	}
	if n := utf8.RuneCountInString(f.Title); n < 2 || n > 100 {
		f.Errors.add("title", "A board title has 2 to 100 characters.")
	}
	if !slugPattern.MatchString(f.Slug) {
		f.Errors.add("slug", "The address is lower-case letters, digits and hyphens, starting with a letter or digit (at most 50).")
	}
	if utf8.RuneCountInString(f.Description) > 500 {
		f.Errors.add("description", "The description can be at most 500 characters.")
	}
	if _, err := strconv.Atoi(f.positionOrZero()); err != nil {
		f.Errors.add("position", "The order is a whole number, such as 10; lower comes first.")
	}
	f.Errors.addRefused(c)
	return f
}

func (f *boardForm) positionOrZero() string {
	if f.Position == "" {
		return "0"
	}
	return f.Position
}

// apply copies the checked form onto a board.
func (f *boardForm) apply(b *models.Board) {
	b.Title, b.Slug, b.Description, b.Archived, b.AllowAnonymous = f.Title, f.Slug, f.Description, f.Archived, f.AllowAnonymous
	b.Position, _ = strconv.Atoi(f.positionOrZero()) // checked in readBoardForm
}

// checkedIDs reads a set of checkboxes carrying ids.
func checkedIDs(c *fiber.Ctx, name string) map[int64]bool {
	ids := map[int64]bool{}
	for _, raw := range c.Request().PostArgs().PeekMulti(name) {
		if id, err := strconv.ParseInt(string(raw), 10, 64); err == nil && id > 0 {
			ids[id] = true
		}
	}
	return ids
}

func idList(set map[int64]bool) []int64 {
	ids := make([]int64, 0, len(set))
	for id, on := range set {
		if on {
			ids = append(ids, id)
		}
	}
	return ids
}

// renderBoardForm shows the form with the groups to choose from.
func (h *Handler) renderBoardForm(c *fiber.Ctx, title string, f *boardForm) error {
	groups, err := h.store.Groups(c.UserContext())
	if err != nil {
		return err
	}
	f.Groups = groups
	f.Saved = c.Method() == fiber.MethodGet && c.Query("saved") != ""
	c.Status(f.Errors.status())
	data := h.page(c, title)
	data.Page = f
	return h.views.render(c, "admin_board_form", data)
}

// adminField is one text input of an administrators' form.
func adminField(errors map[string]string, name, label, value, hint string) fieldView {
	return fieldView{Name: name, Label: label, Value: value, Hint: hint, Type: "text", Error: errors[name]}
}

// summary is the board's settings in one line, for the audit log.
func (f *boardForm) summary() string {
	parts := []string{"/b/" + f.Slug + " “" + f.Title + "”", "digests: " + f.EmailPolicy,
		fmt.Sprintf("read groups: %d, post groups: %d", len(idList(f.Read)), len(idList(f.Post)))}
	if f.Archived {
		parts = append(parts, "archived")
	}
	if f.AllowAnonymous {
		parts = append(parts, "anonymous posts allowed")
	}
	return strings.Join(parts, "; ")
}
