package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"gorm.io/gorm"
)

// CaseSummary is the structured start of a case topic: where the case is
// published, who the patient is in the broadest terms, and what the author
// asks their peers. The age is a band, never an exact age, and the author
// attests that nothing in the post identifies the patient.
type CaseSummary struct {
	SourceURL    string
	AgeBand      string
	Sex          string
	Presentation string
	Workup       string
	Question     string
	AttestedByID int64
	AttestedAt   time.Time
	// OpeningSource is the markdown of the topic's opening post, loaded
	// with the summary so the topic page can tell an opening post that
	// is the summary itself (its author wrote no discussion) and show
	// the case once.
	OpeningSource string
}

// CaseChoice is one option of a case's age band or sex: the stable code the
// store keeps and the label a member reads.
type CaseChoice struct {
	Code  string
	Label string
}

// CaseAgeBands are the age bands a case may give, youngest first. Every
// age over 89 is one band, because an exact age that old can identify a
// patient.
var CaseAgeBands = []CaseChoice{
	{"newborn", "Newborn (0–28 days)"},
	{"infant", "Infant (1–12 months)"},
	{"child", "Child (1–12 years)"},
	{"adolescent", "Adolescent (13–17)"},
	{"18-29", "18–29"},
	{"30-39", "30–39"},
	{"40-49", "40–49"},
	{"50-59", "50–59"},
	{"60-69", "60–69"},
	{"70-79", "70–79"},
	{"80-89", "80–89"},
	{"90-plus", "90 or older"},
}

// CaseSexes are the sexes a case may give.
var CaseSexes = []CaseChoice{
	{"female", "Female"},
	{"male", "Male"},
	{"intersex", "Intersex"},
	{"not-stated", "Not stated"},
}

// CaseAgeBandLabel is the label of an age band code; "" for no such band.
func CaseAgeBandLabel(code string) string { return choiceLabel(CaseAgeBands, code) }

// CaseSexLabel is the label of a sex code; "" for no such code.
func CaseSexLabel(code string) string { return choiceLabel(CaseSexes, code) }

func choiceLabel(choices []CaseChoice, code string) string {
	for _, c := range choices {
		if c.Code == code {
			return c.Label
		}
	}
	return ""
}

// exactOldAge finds an exact age over 89 written out: "92-year-old",
// "95 yo", "aged 91", "age: 103".
var exactOldAge = regexp.MustCompile(`(?i)\b(?:9\d|1\d\d)\s*-?\s*(?:years?|yrs?|y/o|yo|y\.o\.)(?:\W|$)|\bage[d:]?\s*:?\s*(?:9\d|1\d\d)\b`)

// MentionsAgeOver89 says whether text gives an exact age over 89, which
// can identify a patient and must be written as the "90 or older" band.
func MentionsAgeOver89(text string) bool { return exactOldAge.MatchString(text) }

// ErrInvalidCase is a case summary the store refuses to keep.
var ErrInvalidCase = errors.New("invalid case summary")

// check refuses codes outside the lists: the store never keeps an exact
// age, whatever a form sends.
func (cs *CaseSummary) check() error {
	if CaseAgeBandLabel(cs.AgeBand) == "" {
		return fmt.Errorf("age band %q: %w", cs.AgeBand, ErrInvalidCase)
	}
	if CaseSexLabel(cs.Sex) == "" {
		return fmt.Errorf("sex %q: %w", cs.Sex, ErrInvalidCase)
	}
	return nil
}

// insertCaseSummary writes a case topic's summary. Empty required fields
// go in as NULL, so the NOT NULL columns are the last guard against a
// case with no presentation, question or attestation.
func insertCaseSummary(tx *gorm.DB, topicID int64, cs *CaseSummary, now time.Time) error {
	attestedAt := cs.AttestedAt
	if attestedAt.IsZero() {
		attestedAt = now
	}
	err := tx.Exec(`INSERT INTO case_summaries (topic_id, source_url, age_band, sex, presentation, workup, question,
		attested_by_id, attested_at) VALUES (?, ?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''), NULLIF(?, 0), ?)`,
		topicID, cs.SourceURL, cs.AgeBand, cs.Sex, cs.Presentation, cs.Workup, cs.Question,
		cs.AttestedByID, storeTime(attestedAt)).Error
	if err != nil {
		return fmt.Errorf("insert case summary: %w", err)
	}
	return nil
}

// CaseSummaryFor loads the summary of a case topic.
func (s *Store) CaseSummaryFor(ctx context.Context, topicID int64) (*CaseSummary, error) {
	var found []CaseSummary
	err := s.db.WithContext(ctx).Raw(`SELECT cs.source_url, cs.age_band, cs.sex, cs.presentation, cs.workup, cs.question,
		cs.attested_by_id, cs.attested_at, COALESCE(p.source, '') AS opening_source
		FROM case_summaries cs LEFT JOIN posts p ON p.topic_id = cs.topic_id AND p.number = 1
		WHERE cs.topic_id = ?`, topicID).Scan(&found).Error
	if err != nil {
		return nil, fmt.Errorf("case summary of topic %d: %w", topicID, err)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("case summary of topic %d: %w", topicID, ErrNotFound)
	}
	found[0].AttestedAt = found[0].AttestedAt.UTC()
	return &found[0], nil
}
