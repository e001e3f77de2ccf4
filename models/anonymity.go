package models

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"gorm.io/gorm"
)

// DefaultAnonymityK is how many verified readers of a board must share
// what an anonymous label says of its author before it may say it.
const DefaultAnonymityK = 10

// AnonymityLevel is how much an anonymous label says of its author.
type AnonymityLevel string

const (
	// LevelSpecialty names the author's specialty ("Anonymous Cardiology").
	LevelSpecialty AnonymityLevel = "specialty"
	// LevelField names the field their specialty belongs to ("Anonymous
	// Internal medicine").
	LevelField AnonymityLevel = "field"
	// LevelProfession names their profession ("Anonymous Physician").
	LevelProfession AnonymityLevel = "profession"
	// LevelClinician names nothing: "Anonymous clinician".
	LevelClinician AnonymityLevel = "clinician"
)

// AnonymousLabel is how an anonymous post shows its author: As is what
// follows "Anonymous" (empty for "Anonymous clinician"), Level how much
// that says, and K the crowd it was checked against.
type AnonymousLabel struct {
	As    string
	Level AnonymityLevel
	K     int
}

// Byline is the label as pages show it.
func (l AnonymousLabel) Byline() string { return AnonymousAuthor(l.As) }

// specialtyFields gathers specialties into fields of practice, so that an
// author whose specialty few readers share can still be shown by their
// field. Keys are normalized (see normalizeSpecialty).
var specialtyFields = func() map[string]string {
	fields := map[string][]string{
		"Internal medicine": {"internal medicine", "general internal medicine", "general medicine", "hospital medicine",
			"hospitalist", "cardiology", "cardiologist", "interventional cardiology", "electrophysiology",
			"cardiac electrophysiology", "heart failure", "advanced heart failure", "nephrology", "pulmonology",
			"pulmonary medicine", "respiratory medicine", "pulmonary and critical care", "pulmonary and critical care medicine",
			"critical care medicine", "critical care", "intensive care medicine", "intensive care", "acute care",
			"gastroenterology", "hepatology", "endocrinology", "diabetes", "rheumatology", "hematology", "haematology",
			"oncology", "medical oncology", "hematology oncology", "hematology and oncology", "infectious diseases",
			"infectious disease", "geriatrics", "geriatric medicine", "allergy and immunology", "immunology",
			"palliative care", "palliative medicine", "hospice and palliative medicine", "sleep medicine"},
		"Emergency medicine": {"emergency medicine", "emergency", "pediatric emergency medicine", "paediatric emergency medicine",
			"urgent care", "paramedicine", "emergency medical services", "ems", "toxicology", "medical toxicology",
			"prehospital care", "wilderness medicine"},
		"Pediatrics": {"pediatrics", "paediatrics", "neonatology", "neonatal", "neonatal perinatal medicine",
			"pediatric primary care", "adolescent medicine"},
		"Surgery": {"surgery", "general surgery", "orthopedics", "orthopaedics", "orthopedic surgery", "orthopaedic surgery",
			"cardiothoracic surgery", "cardiac surgery", "thoracic surgery", "vascular surgery", "neurosurgery", "urology",
			"otolaryngology", "ent", "plastic surgery", "trauma surgery", "colorectal surgery", "transplant surgery",
			"ophthalmology", "surgical oncology"},
		"Anesthesiology": {"anesthesiology", "anaesthesiology", "anesthesia", "anaesthesia", "anaesthetics",
			"pain medicine", "regional anesthesia"},
		"Primary care": {"family medicine", "family practice", "general practice", "primary care", "community medicine",
			"preventive medicine", "occupational medicine", "sports medicine"},
		"Women's health": {"obstetrics and gynecology", "obstetrics and gynaecology", "obstetrics", "gynecology",
			"gynaecology", "ob gyn", "obgyn", "maternal fetal medicine", "midwifery", "reproductive endocrinology",
			"womens health", "women s health"},
		"Mental health": {"psychiatry", "psychiatric mental health", "child and adolescent psychiatry",
			"addiction medicine", "psychology", "clinical psychology", "behavioral health", "behavioural health"},
		"Neurology": {"neurology", "neurocritical care", "stroke", "stroke medicine", "neurophysiology",
			"clinical neurophysiology", "epilepsy"},
		"Diagnostic medicine": {"radiology", "diagnostic radiology", "interventional radiology", "pathology",
			"nuclear medicine", "laboratory medicine", "clinical pathology"},
		"Rehabilitation": {"physical medicine and rehabilitation", "physiatry", "rehabilitation", "physical therapy",
			"physiotherapy", "occupational therapy", "speech language pathology"},
		"Allied health": {"respiratory therapy", "clinical nutrition", "dietetics", "nutrition", "perfusion",
			"radiography", "sonography"},
	}
	byName := map[string]string{}
	for field, names := range fields {
		for _, n := range names {
			byName[n] = field
		}
	}
	return byName
}()

// fieldWords place a specialty the list above does not name, by a word in
// it; nursing and pharmacy come first, so "Pediatric Nursing" is nursing
// and "Emergency Medicine Pharmacy" pharmacy.
var fieldWords = []struct{ word, field string }{
	{"nursing", "Nursing"}, {"nurse", "Nursing"},
	{"pharmacy", "Pharmacy"}, {"pharmacist", "Pharmacy"}, {"pharmacotherapy", "Pharmacy"},
	{"surgery", "Surgery"}, {"surgical", "Surgery"}, {"surgeon", "Surgery"},
	{"pediatric", "Pediatrics"}, {"paediatric", "Pediatrics"}, {"neonat", "Pediatrics"},
	{"psychiatr", "Mental health"},
	{"emergency", "Emergency medicine"},
	{"cardiac", "Internal medicine"}, {"oncology", "Internal medicine"},
}

// professionLabels name the professions a label may show; "other" is
// left out, since "Anonymous clinician" says as much.
var professionLabels = map[string]string{
	"physician":           "Physician",
	"nurse_practitioner":  "Nurse practitioner",
	"physician_assistant": "Physician assistant",
	"nurse":               "Nurse",
	"pharmacist":          "Pharmacist",
}

// normalizeSpecialty is the form in which two members' specialties are
// compared: lower case, "&" read as "and", punctuation as spaces.
func normalizeSpecialty(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "&", " and ")
	s = strings.ReplaceAll(s, "'", "")
	s = strings.ReplaceAll(s, "’", "")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

// SpecialtyField is the field of practice a specialty belongs to, or ""
// when Rounds cannot place it.
func SpecialtyField(specialty string) string {
	key := normalizeSpecialty(specialty)
	if key == "" {
		return ""
	}
	if field, ok := specialtyFields[key]; ok {
		return field
	}
	for _, fw := range fieldWords {
		if strings.Contains(key, fw.word) {
			return fw.field
		}
	}
	return ""
}

// headcount is how many verified readers of a board give one specialty,
// spelled one way, and one profession.
type headcount struct {
	Specialty  string
	Profession string
	N          int
}

// chooseLabel is the most an anonymous label may say of the author among
// the crowd of a board's readers: their specialty when at least k of them
// share it, else their field, else their profession, else nothing.
func chooseLabel(author *User, crowd []headcount, k int) AnonymousLabel {
	if k < 1 {
		k = DefaultAnonymityK
	}
	key, field := normalizeSpecialty(author.Specialty), SpecialtyField(author.Specialty)
	var specialty, inField, inProfession int
	spellings := map[string]int{}
	for _, h := range crowd {
		if key != "" && normalizeSpecialty(h.Specialty) == key {
			specialty += h.N
			spellings[h.Specialty] += h.N
		}
		if field != "" && SpecialtyField(h.Specialty) == field {
			inField += h.N
		}
		if h.Profession == author.Profession {
			inProfession += h.N
		}
	}
	switch {
	case key != "" && specialty >= k:
		return AnonymousLabel{As: commonSpelling(spellings), Level: LevelSpecialty, K: k}
	case field != "" && inField >= k:
		return AnonymousLabel{As: field, Level: LevelField, K: k}
	case professionLabels[author.Profession] != "" && inProfession >= k:
		return AnonymousLabel{As: professionLabels[author.Profession], Level: LevelProfession, K: k}
	}
	return AnonymousLabel{Level: LevelClinician, K: k}
}

// commonSpelling is the way most of the crowd writes a specialty, so the
// label never carries one member's own capitalization or abbreviation.
func commonSpelling(spellings map[string]int) string {
	names := make([]string, 0, len(spellings))
	for s := range spellings {
		names = append(names, s)
	}
	sort.Slice(names, func(i, j int) bool {
		if spellings[names[i]] != spellings[names[j]] {
			return spellings[names[i]] > spellings[names[j]]
		}
		return names[i] < names[j]
	})
	return strings.TrimSpace(names[0])
}

// boardCrowd counts a board's verified readers by specialty and
// profession: every verified member its groups let read it, and the
// moderators, who read every board.
func boardCrowd(tx *gorm.DB, boardID int64) ([]headcount, error) {
	var crowd []headcount
	err := tx.Raw(`SELECT u.specialty, u.profession, COUNT(*) AS n
		FROM users u JOIN boards b ON b.id = ?
		WHERE u.status = ? AND (u.role IN (?, ?) OR `+permittedSQLFor("can_read", "u")+`)
		GROUP BY u.specialty, u.profession`, boardID, StatusVerified, RoleModerator, RoleAdmin).Scan(&crowd).Error
	if err != nil {
		return nil, fmt.Errorf("count the readers of board %d: %w", boardID, err)
	}
	return crowd, nil
}

// anonymousLabel is the label an anonymous post by author on a board gets
// now, inside the caller's transaction.
func anonymousLabel(tx *gorm.DB, boardID int64, author *User, k int) (AnonymousLabel, error) {
	crowd, err := boardCrowd(tx, boardID)
	if err != nil {
		return AnonymousLabel{}, err
	}
	return chooseLabel(author, crowd, k), nil
}

// AnonymousLabelFor is how author would be shown posting anonymously on a
// board now, with k the smallest crowd a label may name: the composer
// shows it before they post. The post itself gets its label when it is
// written, and keeps it.
func (s *Store) AnonymousLabelFor(ctx context.Context, boardID int64, author *User, k int) (AnonymousLabel, error) {
	return anonymousLabel(s.db.WithContext(ctx), boardID, author, k)
}

// labelAnonymousPost fixes an anonymous post's label as it is written.
func labelAnonymousPost(tx *gorm.DB, post *Post, boardID int64, k int) error {
	if !post.Anonymous {
		post.AnonymousAs = ""
		return nil
	}
	var author User
	if err := tx.Take(&author, post.AuthorID).Error; err != nil {
		return notFound(err, "load author")
	}
	label, err := anonymousLabel(tx, boardID, &author, k)
	if err != nil {
		return err
	}
	post.AnonymousAs = label.As
	return nil
}
