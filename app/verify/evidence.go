package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"rounds/app/npi"
	"rounds/models"
)

// Evidence is what Rounds found for an application, as moderators see it.
// It is stored with the application as JSON when it is submitted and when
// the work email is confirmed.
type Evidence struct {
	GatheredAt time.Time `json:"gathered_at"`
	// NPI: format and check digit, then the local registry (if imported).
	NPIGiven            bool     `json:"npi_given"`
	NPIFormatValid      bool     `json:"npi_format_valid"`
	NPIRegistryImported bool     `json:"npi_registry_imported"`
	NPIFound            bool     `json:"npi_found"`
	NPILastNameMatches  bool     `json:"npi_last_name_matches"`
	NPIStateMatches     bool     `json:"npi_state_matches"`
	NPINotes            []string `json:"npi_notes"`
	// Work email: only a confirmed address counts for its domain.
	WorkEmail          string `json:"work_email"`
	WorkEmailConfirmed bool   `json:"work_email_confirmed"`
	AllowedDomain      bool   `json:"allowed_domain"` // on ROUNDS_VERIFY_EMAIL_DOMAINS and confirmed
	// TrustedProvider names a sign-in provider trusted to sign in only
	// clinicians, through which the member has signed in.
	TrustedProvider string `json:"trusted_provider,omitempty"`
}

// Gather collects the evidence for an application. trustedProviders are
// the names of the member's sign-in providers that are trusted.
func Gather(ctx context.Context, store *models.Store, v *models.Verification, allowedDomains, trustedProviders []string, now time.Time) (Evidence, error) {
	e := Evidence{GatheredAt: now.UTC(), WorkEmail: v.WorkEmail, WorkEmailConfirmed: v.WorkEmailConfirmedAt != nil}
	if v.NPI != "" {
		f, err := npi.Evidence(ctx, store, v.NPI, LastName(v.FullName), v.LicenseState)
		if err != nil {
			return e, fmt.Errorf("gather evidence: %w", err)
		}
		e.NPIGiven, e.NPIFormatValid, e.NPIRegistryImported, e.NPIFound = true, f.FormatValid, f.RegistryImported, f.Found
		e.NPILastNameMatches, e.NPIStateMatches, e.NPINotes = f.LastNameMatches, f.LicenseStateMatches, f.Notes
	}
	e.AllowedDomain = e.WorkEmailConfirmed && slices.Contains(allowedDomains, EmailDomain(v.WorkEmail))
	if len(trustedProviders) > 0 {
		e.TrustedProvider = trustedProviders[0]
	}
	return e, nil
}

// Encode is the evidence as stored.
func (e Evidence) Encode() (string, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return "", fmt.Errorf("encode evidence: %w", err)
	}
	return string(b), nil
}

// Decode reads stored evidence; an empty string is no evidence yet.
func Decode(raw string) (Evidence, error) {
	var e Evidence
	if raw == "" {
		return e, nil
	}
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		return e, fmt.Errorf("decode evidence: %w", err)
	}
	return e, nil
}

// AutoVerifies says whether the evidence alone verifies the member, and by
// which rule. The rules, also shown to applicants on their status page:
//
//  1. They signed in through a provider trusted to sign in only clinicians
//     (an institution's own sign-in).
//  2. They confirmed, by a code sent there, a work email on a domain the
//     operators allow (ROUNDS_VERIFY_EMAIL_DOMAINS).
//
// Nothing else is strong enough: an NPI, even one found in the registry
// under the same name, is public and can be copied, so it goes to the
// moderators as evidence, not as proof.
func (e Evidence) AutoVerifies() (bool, string) {
	switch {
	case e.TrustedProvider != "":
		return true, "Signed in through the trusted provider " + e.TrustedProvider + "."
	case e.AllowedDomain && e.WorkEmailConfirmed:
		return true, "Confirmed the work email " + e.WorkEmail + " on an allowed domain by code."
	}
	return false, ""
}
