package npi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"rounds/models"
)

// Finding is what the registry says about an NPI a member gave. It is
// evidence for a moderator to weigh, not a verdict: the stored registry may
// predate a new NPI, and names and licenses change.
type Finding struct {
	NPI         string // as checked, after Normalize
	FormatValid bool   // 10 digits, starting 1 or 2, with the right check digit
	// RegistryImported says a registry import has finished; without one,
	// Found false means nothing. RegistryAsOf is when the latest finished.
	RegistryImported bool
	RegistryAsOf     time.Time
	Found            bool
	Provider         *models.NPIProvider // the registry entry when Found
	Individual       bool                // the NPI is a person's, not an organization's
	Deactivated      bool
	// The matches are false when there was nothing to compare: no entry,
	// or nothing given.
	LastNameMatches     bool
	LicenseStateMatches bool
	// Notes say the above in words for the moderator, one short sentence
	// each, in the order worth reading.
	Notes []string
}

// Evidence looks up the NPI a member gave and compares the registry entry
// with the last name and license state (a two-letter code) they gave. Names
// match ignoring case, accents, spaces, hyphens and apostrophes. Only a
// store failure is an error; everything about the NPI is in the Finding.
func Evidence(ctx context.Context, store *models.Store, npi, lastName, licenseState string) (Finding, error) {
	f := Finding{NPI: Normalize(npi)}
	if err := Check(f.NPI); err != nil {
		f.Notes = append(f.Notes, fmt.Sprintf("Not a valid NPI: %v.", err))
		return f, nil
	}
	f.FormatValid = true

	latest, err := store.LatestNPIImport(ctx)
	switch {
	case err == nil:
		f.RegistryImported = true
		if latest.FinishedAt != nil {
			f.RegistryAsOf = *latest.FinishedAt
		}
	case !errors.Is(err, models.ErrNotFound):
		return f, fmt.Errorf("evidence for NPI %s: %w", f.NPI, err)
	}
	p, err := store.NPIProvider(ctx, f.NPI)
	switch {
	case errors.Is(err, models.ErrNotFound):
		if f.RegistryImported {
			f.Notes = append(f.Notes, fmt.Sprintf("Not in the NPI registry as imported on %s; an NPI issued since would be missing.",
				f.RegistryAsOf.Format(time.DateOnly)))
		} else {
			f.Notes = append(f.Notes, "The NPI registry has not been imported here, so it cannot say whether this NPI exists.")
		}
		return f, nil
	case err != nil:
		return f, fmt.Errorf("evidence for NPI %s: %w", f.NPI, err)
	}
	f.Found, f.Provider = true, p
	f.Individual = p.EntityType == models.NPIIndividual
	f.Deactivated = p.Deactivated
	f.Notes = append(f.Notes, "In the registry: "+describe(p)+".")
	if !f.RegistryImported {
		f.Notes = append(f.Notes, "The last registry import did not finish; the entry may be out of date.")
	}
	if f.Deactivated {
		f.Notes = append(f.Notes, "The registry lists this NPI as deactivated.")
	}
	if p.EntityType == models.NPIOrganization {
		f.Notes = append(f.Notes, "This NPI belongs to an organization, not a person.")
	}

	f.LastNameMatches = f.compareLastName(p, lastName)
	f.LicenseStateMatches = f.compareLicenseState(p, licenseState)
	return f, nil
}

func (f *Finding) compareLastName(p *models.NPIProvider, given string) bool {
	switch {
	case strings.TrimSpace(given) == "":
		f.Notes = append(f.Notes, "No last name given to compare.")
		return false
	case p.LastName == "":
		f.Notes = append(f.Notes, "The registry has no name for this NPI.")
		return false
	case foldName(given) == foldName(p.LastName):
		f.Notes = append(f.Notes, "Last name matches the registry.")
		return true
	case sharesNamePart(given, p.LastName):
		f.Notes = append(f.Notes, fmt.Sprintf("Last name only partly matches the registry's %s; a double or changed surname?", p.LastName))
		return false
	default:
		f.Notes = append(f.Notes, fmt.Sprintf("Last name differs: the registry has %s.", p.LastName))
		return false
	}
}

func (f *Finding) compareLicenseState(p *models.NPIProvider, given string) bool {
	given = strings.ToUpper(strings.TrimSpace(given))
	switch {
	case given == "":
		f.Notes = append(f.Notes, "No license state given to compare.")
		return false
	case p.LicenseState == "":
		f.Notes = append(f.Notes, "The registry has no license state for this NPI.")
		return false
	case strings.EqualFold(given, p.LicenseState):
		f.Notes = append(f.Notes, fmt.Sprintf("License state matches the registry's primary license (%s).", p.LicenseState))
		return true
	default:
		// Only the primary license is kept, so a second license in the
		// given state would not show here.
		f.Notes = append(f.Notes, fmt.Sprintf("License state differs: the registry's primary license is in %s; other licenses are not kept here.", p.LicenseState))
		return false
	}
}

// describe is the registry entry in one line.
func describe(p *models.NPIProvider) string {
	var parts []string
	name := strings.TrimSpace(p.FirstName + " " + p.LastName)
	if p.Credential != "" {
		name += ", " + p.Credential
	}
	if name != "" {
		parts = append(parts, name)
	}
	if p.TaxonomyCode != "" {
		parts = append(parts, "taxonomy "+p.TaxonomyCode)
	}
	if p.LicenseNumber != "" || p.LicenseState != "" {
		parts = append(parts, strings.TrimSpace("license "+p.LicenseNumber+" "+p.LicenseState))
	}
	if p.PracticeState != "" {
		parts = append(parts, "practising in "+p.PracticeState)
	}
	if len(parts) == 0 {
		return "no details"
	}
	return strings.Join(parts, "; ")
}

// foldName keeps a name's letters only, lower-cased and without accents,
// so "Müller" and "MULLER", or "O'Brien" and "OBRIEN", compare equal.
func foldName(s string) string {
	return strings.Join(nameParts(s), "")
}

// nameParts splits a folded name at anything that is not a letter.
func nameParts(s string) []string {
	var (
		parts []string
		b     strings.Builder
	)
	end := func() {
		if b.Len() > 0 {
			parts = append(parts, b.String())
			b.Reset()
		}
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining accent: drop it, keep the letter it sat on.
		case r == '\'' || r == '’' || r == '.':
			// O'Brien, D’Souza and St. John are one part each.
		case unicode.IsLetter(r):
			if s, ok := unaccented[unicode.ToLower(r)]; ok {
				b.WriteString(s)
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		default:
			end()
		}
	}
	end()
	return parts
}

// unaccented spells letters that Unicode does not decompose into a base
// letter and an accent.
var unaccented = map[rune]string{
	'ß': "ss", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i",
}

// sharesNamePart says whether two names have a part of two letters or
// more in common, as "Garcia" and "Garcia Lopez" do.
func sharesNamePart(a, b string) bool {
	seen := map[string]bool{}
	for _, p := range nameParts(a) {
		if len(p) >= 2 {
			seen[p] = true
		}
	}
	for _, p := range nameParts(b) {
		if seen[p] {
			return true
		}
	}
	return false
}
