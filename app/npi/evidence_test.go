package npi_test

import (
	"context"
	"strings"
	"testing"

	"rounds/app/npi"
	"rounds/models"
	"rounds/models/modelstest"
)

func TestEvidence(t *testing.T) {
	type want struct {
		formatValid, found, individual, deactivated, lastName, licenseState bool
		note                                                                string // in one of the notes
	}
	tests := []struct {
		name, npi, lastName, state string
		want                       want
	}{
		{"all agree", "1234567893", "Doe", "ca",
			want{true, true, true, false, true, true, "JANE DOE, M.D., PH.D.; taxonomy 207RC0000X; license A12345 CA"}},
		{"typed with hyphens", "123-456-7893", "DOE", "CA",
			want{true, true, true, false, true, true, "Last name matches"}},
		{"typo in the NPI", "1234567890", "Doe", "CA",
			want{false, false, false, false, false, false, "Not a valid NPI: the last digit"}},
		{"well-formed but not in the registry", "1003000126", "Doe", "CA",
			want{true, false, false, false, false, false, "Not in the NPI registry as imported on"}},
		{"an organization's NPI", "1000000004", "Riverside", "OR",
			want{true, true, false, false, false, false, "belongs to an organization"}},
		{"deactivated", "1609876549", "Doe", "CA",
			want{true, true, false, true, false, false, "deactivated"}},
		{"deactivated again after a reactivation", "1321098760", "Lee", "WA",
			want{true, true, true, true, true, true, "deactivated"}},
		{"reactivated", "1987654328", "Patel", "NJ",
			want{true, true, true, false, true, true, "License state matches the registry's primary license (NJ)"}},
		{"accents", "1456789019", "Muller", "NY",
			want{true, true, true, false, true, true, "Last name matches"}},
		{"apostrophe left out", "1543210987", "OBrien", "",
			want{true, true, true, false, true, false, "No license state given"}},
		{"curly apostrophe", "1543210987", "o’brien", "",
			want{true, true, true, false, true, false, "Last name matches"}},
		{"hyphen as a space", "1876543210", "Smith Jones", "MA",
			want{true, true, true, false, true, true, "Last name matches"}},
		{"half a double surname", "1876543210", "Jones", "MA",
			want{true, true, true, false, false, true, "only partly matches the registry's SMITH-JONES"}},
		{"other name and state", "1876543210", "Brown", "NY",
			want{true, true, true, false, false, false, "the registry's primary license is in MA"}},
		{"nothing given", "1876543210", "", "",
			want{true, true, true, false, false, false, "No last name given"}},
	}
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		importSample(t, store, npi.ImportOptions{Source: sampleFile})
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f, err := npi.Evidence(context.Background(), store, tt.npi, tt.lastName, tt.state)
				if err != nil {
					t.Fatal(err)
				}
				got := want{f.FormatValid, f.Found, f.Individual, f.Deactivated, f.LastNameMatches, f.LicenseStateMatches, tt.want.note}
				if got != tt.want {
					t.Errorf("finding %+v\nwant %+v\nnotes %q", got, tt.want, f.Notes)
				}
				if f.FormatValid && !f.RegistryImported {
					t.Errorf("registry reported as not imported after an import")
				}
				if f.Found != (f.Provider != nil) {
					t.Errorf("found %v with provider %v", f.Found, f.Provider)
				}
				if !strings.Contains(strings.Join(f.Notes, "\n"), tt.want.note) {
					t.Errorf("notes %q, want one containing %q", f.Notes, tt.want.note)
				}
			})
		}
	})
}

func TestEvidenceBeforeAnyImport(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		f, err := npi.Evidence(context.Background(), store, "1234567893", "Doe", "CA")
		if err != nil {
			t.Fatal(err)
		}
		if !f.FormatValid || f.Found || f.RegistryImported {
			t.Fatalf("finding %+v, want a valid NPI, not found, registry not imported", f)
		}
		if len(f.Notes) != 1 || !strings.Contains(f.Notes[0], "has not been imported") {
			t.Fatalf("notes %q, want the registry's absence said", f.Notes)
		}
	})
}
