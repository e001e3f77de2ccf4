package app

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/app/markdown"
	"rounds/models"
)

// Limits on a case summary's text fields, in characters.
const (
	casePresentationMin = 10
	casePresentationMax = 2000
	caseWorkupMax       = 4000
	caseQuestionMin     = 10
	caseQuestionMax     = 1000
	caseSourceMax       = 2000
)

// caseForm is the form that presents a case: a link to it, a structured
// summary, the usual title, tags and (optional) discussion, and the
// attestation that nothing in it identifies the patient. Like the
// composer, it always holds what the member typed.
type caseForm struct {
	composer
	models.CaseText
	AgeBand  string
	Sex      string
	Attested bool
}

// AnonymousVerb is what the case form's anonymity choice offers to do.
func (f *caseForm) AnonymousVerb() string { return "Present" }

// caseFieldOrder is the order of the form's fields on the page, so the
// list of problems at the top reads in the same order.
var caseFieldOrder = []string{"source", "title", "age", "sex", "presentation", "workup", "question", "tags", "body", "images", "phi", "attest"}

// Problems lists the form's problems in the order of its fields.
func (f *caseForm) Problems() []fieldProblem {
	return problemsInOrder(f.Errors, caseFieldOrder)
}

const exactAgeMessage = "An exact age over 89 can identify a patient: choose “90 or older” as the age band and leave the age out here."

// validate checks the form and returns the cleaned title and tags, the
// summary to store and the markdown of the opening post: the discussion
// the member wrote, or, when they wrote none, the summary itself, so the
// post reads well and is found by search.
func (f *caseForm) validate(memberID int64) (title string, tags []string, summary *models.CaseSummary, source string) {
	link, _ := checkCaseText(&f.CaseText, &f.Errors)
	summary = &models.CaseSummary{SourceURL: link, AgeBand: f.AgeBand, Sex: f.Sex, Presentation: f.Presentation,
		Workup: f.Workup, Question: f.Question, AttestedByID: memberID}
	switch {
	case models.CaseAgeBandLabel(f.AgeBand) != "":
	case strings.TrimSpace(f.AgeBand) == "":
		f.Errors.add("age", "Choose the patient’s age band.")
	default:
		f.Errors.add("age", "Choose one of the age bands listed; an exact age is never stored.")
	}
	if models.CaseSexLabel(f.Sex) == "" {
		f.Errors.add("sex", "Choose the patient’s sex, or “Not stated”.")
	}
	source = f.Body
	if strings.TrimSpace(source) == "" {
		source = markdown.CaseSummary(summary)
	}
	// The composer's rules for the title, tags and post, on the post as it
	// will be saved; what the member typed stays in the form.
	check := f.composer
	check.Body, check.WithTitle, check.Errors = source, true, nil
	title, tags = check.validate()
	for field, m := range check.Errors {
		f.Errors.add(field, m)
	}
	if models.MentionsAgeOver89(f.Title) {
		f.Errors.add("title", exactAgeMessage)
	}
	if models.MentionsAgeOver89(f.Body) {
		f.Errors.add("body", exactAgeMessage)
	}
	if !f.Attested {
		f.Errors.add("attest", "Confirm that the post contains no names, dates, record numbers or other details that could identify the patient.")
	}
	return title, tags, summary, source
}

// caseText keeps one kind of line break and drops blank edges.
func caseText(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s))
}

func caseTextProblem(errs *fieldErrors, field, name, text string, least, most int) {
	n := utf8.RuneCountInString(text)
	switch {
	case !utf8.ValidString(text):
		errs.add(field, name+" contains characters that are not valid UTF-8.")
	case least > 0 && n == 0:
		errs.add(field, name+" is required.")
	case n < least:
		errs.add(field, name+" needs at least "+itoa(least)+" characters.")
	case n > most:
		errs.add(field, name+" can be at most "+itoa(most)+" characters; it has "+itoa(n)+".")
	case models.MentionsAgeOver89(text):
		errs.add(field, exactAgeMessage)
	}
}

// caseSourceURL checks the link to a case: a web address only, since it
// is shown to every reader as a link.
func caseSourceURL(raw string) (string, string) {
	const example = " For example https://radiopaedia.org/cases/…"
	if utf8.RuneCountInString(raw) > caseSourceMax {
		return "", "The link can be at most 2,000 characters."
	}
	if strings.ContainsAny(raw, " \t\n\r<>\"'`\\") {
		return "", "The link cannot contain spaces, quotes or angle brackets." + example
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", "That is not a web address we can read." + example
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "http" && scheme != "https" {
		return "", "The link must be a web page: an address starting with https:// or http://." + example
	}
	if u.Host == "" || u.Opaque != "" {
		return "", "That is not a web address we can read." + example
	}
	if u.User != nil {
		return "", "The link cannot carry a user name or password."
	}
	return u.String(), ""
}

// readCaseText reads and checks the free text of a case summary from a
// form, as the case form does, adding its problems to errs. A link that
// passes is kept as it will be stored.
func readCaseText(c *fiber.Ctx, errs *fieldErrors) *models.CaseText {
	t := &models.CaseText{Presentation: c.FormValue("presentation"), Workup: c.FormValue("workup"),
		Question: c.FormValue("question"), SourceURL: strings.TrimSpace(c.FormValue("source_url"))}
	if link, ok := checkCaseText(t, errs); ok {
		t.SourceURL = link
	}
	return t
}

// checkCaseText tidies the line breaks and edges of a case summary's text
// and adds its problems to errs. It returns the link as it will be stored,
// empty when there is none or it does not pass, and whether it passed; the
// link as typed stays in t for the form.
func checkCaseText(t *models.CaseText, errs *fieldErrors) (link string, ok bool) {
	t.Presentation, t.Workup, t.Question = caseText(t.Presentation), caseText(t.Workup), caseText(t.Question)
	ok = true
	if raw := strings.TrimSpace(t.SourceURL); raw != "" {
		var problem string
		if link, problem = caseSourceURL(raw); problem != "" {
			errs.add("source", problem)
			ok = false
		}
	}
	caseTextProblem(errs, "presentation", "The presentation", t.Presentation, casePresentationMin, casePresentationMax)
	caseTextProblem(errs, "workup", "The work-up so far", t.Workup, 0, caseWorkupMax)
	caseTextProblem(errs, "question", "The question for peers", t.Question, caseQuestionMin, caseQuestionMax)
	return link, ok
}
