package app

import (
	"html/template"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// Limits on what a member may write.
const (
	titleMin = 5
	titleMax = 200
	bodyMin  = 1
	bodyMax  = 32000
	tagsMax  = 5
)

var tagPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,29}$`)

// fieldErrors are a form's problems by field name, each shown beside its
// field; nil when the form is fine.
type fieldErrors map[string]string

func (e *fieldErrors) add(field, message string) {
	if *e == nil {
		*e = fieldErrors{}
	}
	(*e)[field] = message
}

// status is the HTTP status of a form shown with these problems: 422 when
// there are any, so a refused submission is never mistaken for success.
func (e fieldErrors) status() int {
	if e != nil {
		return fiber.StatusUnprocessableEntity
	}
	return fiber.StatusOK
}

// composer is the form for a new topic, a reply or an edit. It always holds
// what the member typed, so a refused submission never loses their words.
type composer struct {
	Action    string
	Title     string
	Tags      string
	Body      string
	Version   int
	WithTitle bool
	Submit    string
	Errors    fieldErrors
	Notice    string
	Preview   template.HTML
	Cancel    string
	// PHI is what the identifier check found in the text, if anything.
	PHI *phiCheck
	// Anonymity is how the member would be shown posting anonymously,
	// set when the board allows it; Anonymous is their choice.
	Anonymity *models.AnonymousLabel
	Anonymous bool
	// TitleHint and BodyHint, when set, replace the fields' usual hints.
	TitleHint string
	BodyHint  string
	// BodyLabel, when set, names the text field, as "Message" in a consult.
	BodyLabel string
	// Case holds a case summary's text when a moderator edits
	// identifiers out of a case topic's opening post.
	Case *models.CaseText
	// Place is where the form's draft is kept (none for a form that
	// keeps no draft); Draft notes the draft shown, and DraftReturn is
	// where discarding it leads: the form, empty again.
	Place       models.DraftPlace
	Draft       *draftNote
	DraftReturn string
	// MentionBoard is the slug of the board whose readers the form
	// suggests for an @mention.
	MentionBoard string
	// Images are the post's images, staged while the composer is open;
	// nil on a form that takes none (an edit).
	Images *imageTray
	// OfferPoll offers to add a poll to the new post once it is posted;
	// AddPoll is the member's choice.
	OfferPoll bool
	AddPoll   bool
}

// DraftPlace is the form's place, as it carries it; "" when it keeps no
// draft.
func (f *composer) DraftPlace() string {
	if f.Place.Kind == "" {
		return ""
	}
	return f.Place.String()
}

// AnonymousVerb is what the form's anonymity choice offers to do.
func (f *composer) AnonymousVerb() string { return "Post" }

// caseView is what the case summary's fields show: the text and the
// form's problems.
type caseView struct {
	*models.CaseText
	Errors fieldErrors
}

// CaseView is the case summary's fields, nil when the form has none.
func (f *composer) CaseView() *caseView {
	if f.Case == nil {
		return nil
	}
	return &caseView{CaseText: f.Case, Errors: f.Errors}
}

// offerAnonymity lets the form post anonymously when the board allows it,
// showing the label the member would post under (as much of their
// specialty as enough of the board's readers share) and keeping their
// choice from the submitted form.
func (h *Handler) offerAnonymity(c *fiber.Ctx, f *composer, boardID int64, access models.BoardAccess) error {
	if !access.Anonymous {
		f.Anonymous = false
		return nil
	}
	label, err := h.store.AnonymousLabelFor(c.UserContext(), boardID, member(c), h.cfg.AnonymityK)
	if err != nil {
		return err
	}
	f.Anonymity = &label
	f.Anonymous = c.FormValue("anonymous") != ""
	return nil
}

// validate checks the form against the limits and returns the cleaned
// title and tags.
func (f *composer) validate() (title string, tags []string) {
	if f.WithTitle {
		title = strings.Join(strings.Fields(f.Title), " ")
		switch n := utf8.RuneCountInString(title); {
		case n < titleMin:
			f.Errors.add("title", "The title needs at least 5 characters.")
		case n > titleMax:
			f.Errors.add("title", "The title can be at most 200 characters; it has "+itoa(n)+".")
		}
		var err string
		tags, err = parseTags(f.Tags)
		if err != "" {
			f.Errors.add("tags", err)
		}
	}
	body := strings.TrimSpace(f.Body)
	switch n := utf8.RuneCountInString(body); {
	case n < bodyMin:
		f.Errors.add("body", "Write something before posting.")
	case n > bodyMax:
		f.Errors.add("body", "A post can be at most 32,000 characters; this one has "+itoa(n)+". Split it into two posts.")
	}
	if !utf8.ValidString(f.Body) || !utf8.ValidString(f.Title) {
		f.Errors.add("body", "The text contains characters that are not valid UTF-8.")
	}
	return title, tags
}

// parseTags reads up to five comma- or space-separated lower-case tags.
func parseTags(raw string) ([]string, string) {
	var tags []string
	seen := map[string]bool{}
	for _, t := range strings.FieldsFunc(strings.ToLower(raw), func(r rune) bool { return r == ',' || r == ' ' || r == '#' }) {
		if seen[t] {
			continue
		}
		if !tagPattern.MatchString(t) {
			return nil, "Tags are single lower-case words of letters, digits and hyphens (at most 30 characters): “" + t + "” is not."
		}
		seen[t] = true
		tags = append(tags, t)
	}
	if len(tags) > tagsMax {
		return nil, "A topic can carry at most five tags."
	}
	return tags, ""
}
