package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/app/phi"
	"rounds/models"
)

// phiTypeLabels name each kind of identifier for an author.
var phiTypeLabels = map[string]string{
	phi.TypeName: "Name", phi.TypeDate: "Date", phi.TypeAge: "Age over 89", phi.TypePhone: "Phone number",
	phi.TypeFax: "Fax number", phi.TypeEmail: "Email address", phi.TypeSSN: "Social Security number",
	phi.TypeMRN: "Medical record number", phi.TypeHealthPlan: "Health-plan number", phi.TypeAccount: "Account number",
	phi.TypeLicense: "Licence number", phi.TypeCertificate: "Certificate number", phi.TypeDevice: "Device identifier",
	phi.TypeVehicle: "Vehicle identifier", phi.TypeURL: "Personal web address", phi.TypeIP: "IP address",
	phi.TypeAddress: "Street address", phi.TypeZIP: "ZIP code", phi.TypeCreditCard: "Payment card number",
	phi.TypeIBAN: "Bank account (IBAN)", phi.TypePatientID: "Patient code", phi.TypeNumber: "Identifying number",
	phi.TypeClinician: "Clinician's name", phi.TypeFacility: "Hospital or clinic", phi.TypeLocation: "City or town",
}

// phiTypeLabel names a kind of identifier, or says "Identifier" for a
// kind without a name of its own.
func phiTypeLabel(typ string) string {
	if label, ok := phiTypeLabels[typ]; ok {
		return label
	}
	return "Identifier"
}

// phiField is one field of a form, scanned for identifiers.
type phiField struct {
	Name  string // the form field, e.g. "body"
	Label string // as the form names it, e.g. "your post"
	Text  string
}

// phiNote is one finding as the composer shows it: the matched text with a
// little of what surrounds it, its kind and why it was flagged.
type phiNote struct {
	Field     string
	Label     string
	Type      string
	TypeLabel string
	Blocking  bool
	Reason    string
	Before    string
	Match     string
	After     string
}

// phiCheck is what the guard found in a form. A blocking finding stops the
// post until it is edited out; the others are confirmed by the author with
// a checkbox carrying Fingerprint, so a confirmation covers exactly these
// findings and no others added since.
type phiCheck struct {
	Notes       []phiNote
	Blocking    bool
	Fingerprint string
	Confirmed   bool
	// Live is the composer's live preview: it shows the findings but asks
	// for nothing, since the confirmation belongs to the form.
	Live bool
}

// context runes shown either side of a finding.
const phiContext = 30

// checkPHI scans the fields; nil when nothing was found. confirm is the
// fingerprint the form sent with its checkbox, if any.
func checkPHI(confirm string, fields ...phiField) *phiCheck {
	var check phiCheck
	sum := sha256.New()
	for _, f := range fields {
		for _, found := range phi.Scan(f.Text) {
			n := phiNote{Field: f.Name, Label: f.Label, Type: found.Type, TypeLabel: phiTypeLabel(found.Type),
				Blocking: found.Blocking(), Reason: found.Reason, Match: found.Text,
				Before: tailRunes(f.Text[:found.Start], phiContext), After: headRunes(f.Text[found.End:], phiContext)}
			check.Blocking = check.Blocking || n.Blocking
			check.Notes = append(check.Notes, n)
			sum.Write([]byte(f.Name + "\x00" + found.Type + "\x00" + found.Text + "\x00"))
		}
	}
	if len(check.Notes) == 0 {
		return nil
	}
	check.Fingerprint = hex.EncodeToString(sum.Sum(nil))[:20]
	check.Confirmed = !check.Blocking && confirm == check.Fingerprint
	return &check
}

// problem is what stops the save, for the form's error summary; empty
// when the post may be saved.
func (p *phiCheck) problem() string {
	switch {
	case p == nil:
		return ""
	case p.Blocking:
		return "Your text contains patient identifiers that Rounds will not post. Edit out the ones marked below; nothing you wrote is lost."
	case !p.Confirmed:
		return "Check the possible patient identifiers listed below: edit them out, or confirm that none identifies a patient."
	}
	return ""
}

// confirmedJSON is what the author confirmed, kept with the post for the
// moderators.
func (p *phiCheck) confirmedJSON() string {
	if p == nil || !p.Confirmed {
		return ""
	}
	type kept struct {
		Field  string `json:"field"`
		Type   string `json:"type"`
		Text   string `json:"text"`
		Reason string `json:"reason"`
	}
	list := make([]kept, len(p.Notes))
	for i, n := range p.Notes {
		list[i] = kept{n.Field, n.Type, n.Match, n.Reason}
	}
	b, err := json.Marshal(list)
	if err != nil {
		return ""
	}
	return string(b)
}

// confirmedNotes reads back what an author confirmed, for moderators.
func confirmedNotes(raw string) []phiNote {
	if raw == "" {
		return nil
	}
	var list []struct {
		Field, Type, Text, Reason string
	}
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return nil
	}
	notes := make([]phiNote, len(list))
	for i, k := range list {
		notes[i] = phiNote{Field: k.Field, Type: k.Type, TypeLabel: phiTypeLabel(k.Type), Match: k.Text, Reason: k.Reason}
	}
	return notes
}

func tailRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return "…" + strings.TrimLeft(string(r[len(r)-n:]), " ")
}

func headRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimRight(string([]rune(s)[:n]), " ") + "…"
}

// guardPHI checks a form's fields for identifiers before it is saved: the
// findings go on the form, and, unless the member only asked for a
// preview, a blocking finding or an unconfirmed one stops the save with a
// problem on the form.
func guardPHI(c *fiber.Ctx, form *composer, fields ...phiField) {
	form.PHI = checkPHI(c.FormValue("phi_confirm"), fields...)
	if c.FormValue("preview") != "" {
		return
	}
	if msg := form.PHI.problem(); msg != "" {
		form.Errors.add("phi", msg)
	}
}

// composerFields are what a composer's identifier check reads.
func composerFields(form *composer) []phiField {
	fields := []phiField{{Name: "body", Label: "your post", Text: form.Body}}
	if form.WithTitle {
		fields = append([]phiField{{Name: "title", Label: "the title", Text: form.Title}, {Name: "tags", Label: "the tags", Text: form.Tags}}, fields...)
	}
	if c := form.Case; c != nil {
		fields = append(fields, caseFields(c)...)
	}
	return fields
}

// caseFields are what the identifier check reads in a case summary.
func caseFields(c *models.CaseText) []phiField {
	return []phiField{{Name: "source", Label: "the case link", Text: c.SourceURL},
		{Name: "presentation", Label: "the presentation", Text: c.Presentation},
		{Name: "workup", Label: "the work-up", Text: c.Workup}, {Name: "question", Label: "the question", Text: c.Question}}
}
