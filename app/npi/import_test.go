package npi_test

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rounds/app/npi"
	"rounds/models"
	"rounds/models/modelstest"
)

const sampleFile = "testdata/npidata_pfile_sample.csv"

// sampleProviders is what the sample file holds, by NPI; its three rows
// with a malformed NPI are left out.
var sampleProviders = map[string]models.NPIProvider{
	// The primary taxonomy is the second group; its license goes with it.
	"1234567893": {EntityType: models.NPIIndividual, LastName: "DOE", FirstName: "JANE", Credential: "M.D., PH.D.",
		TaxonomyCode: "207RC0000X", LicenseNumber: "A12345", LicenseState: "CA", PracticeState: "CA"},
	"1000000004": {EntityType: models.NPIOrganization, LastName: "RIVERSIDE CLINIC, LLC",
		TaxonomyCode: "261QP2300X", PracticeState: "OR"},
	"2000000002": {EntityType: models.NPIIndividual, LastName: "NGUYEN", FirstName: "AN", Credential: "RN",
		TaxonomyCode: "163W00000X", LicenseNumber: "RN998877", LicenseState: "TX", PracticeState: "TX"},
	// No group is marked primary: the first with a taxonomy counts.
	"1456789019": {EntityType: models.NPIIndividual, LastName: "MÜLLER", FirstName: "KARL", Credential: "DO",
		TaxonomyCode: "207Q00000X", LicenseNumber: "301234", LicenseState: "NY", PracticeState: "NY"},
	// Deactivated entries carry nothing but the NPI and the date.
	"1609876549": {Deactivated: true},
	"1987654328": {EntityType: models.NPIIndividual, LastName: "PATEL", FirstName: "PRIYA", Credential: "MD",
		TaxonomyCode: "2084P0800X", LicenseNumber: "25MA00001", LicenseState: "NJ", PracticeState: "NJ"},
	// Reactivated in 2018, deactivated again in 2023.
	"1321098760": {EntityType: models.NPIIndividual, LastName: "LEE", FirstName: "SAM", Credential: "PA-C",
		TaxonomyCode: "363A00000X", LicenseNumber: "PA60000001", LicenseState: "WA", PracticeState: "WA", Deactivated: true},
	// A row cut short after the credential.
	"1543210987": {EntityType: models.NPIIndividual, LastName: "O'BRIEN", FirstName: "SEAN", Credential: "NP"},
	// Its address spans two lines and holds quotes.
	"1876543210": {EntityType: models.NPIIndividual, LastName: "SMITH-JONES", FirstName: "ALEX", Credential: "MD",
		TaxonomyCode: "2080P0216X", LicenseNumber: "123456", LicenseState: "MA", PracticeState: "MA"},
}

type progressCall struct{ bytes, rows int64 }

func importSample(t *testing.T, store *models.Store, opts npi.ImportOptions) npi.ImportStats {
	t.Helper()
	f, err := os.Open(sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stats, err := npi.Import(context.Background(), f, store, opts)
	if err != nil {
		t.Fatalf("import %s: %v", sampleFile, err)
	}
	return stats
}

func TestImportSample(t *testing.T) {
	info, err := os.Stat(sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		var calls []progressCall
		opts := npi.ImportOptions{Source: filepath.Base(sampleFile), BatchSize: 4,
			Progress: func(bytes, rows int64) { calls = append(calls, progressCall{bytes, rows}) }}
		stats := importSample(t, store, opts)
		if want := (npi.ImportStats{Rows: 9, Skipped: 3, Batches: 3}); stats != want {
			t.Fatalf("stats %+v, want %+v", stats, want)
		}
		for number, want := range sampleProviders {
			got, err := store.NPIProvider(ctx, number)
			if err != nil {
				t.Errorf("NPI %s: %v", number, err)
				continue
			}
			if got.ImportedAt.IsZero() {
				t.Errorf("NPI %s: no import time", number)
			}
			want.NPI, want.ImportedAt = number, got.ImportedAt
			if *got != want {
				t.Errorf("NPI %s:\n got %+v\nwant %+v", number, *got, want)
			}
		}
		for _, skipped := range []string{"1234567890", "123456789", "3234567893"} {
			if _, err := store.NPIProvider(ctx, skipped); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("malformed NPI %s: err %v, want ErrNotFound", skipped, err)
			}
		}

		// After each batch, then once at the end with the whole file read.
		if len(calls) != stats.Batches+1 {
			t.Fatalf("progress called %d times, want %d: %v", len(calls), stats.Batches+1, calls)
		}
		for i := 1; i < len(calls); i++ {
			if calls[i].bytes < calls[i-1].bytes || calls[i].rows < calls[i-1].rows {
				t.Errorf("progress went backwards: %v", calls)
			}
		}
		if last := calls[len(calls)-1]; last != (progressCall{info.Size(), 9}) {
			t.Errorf("last progress %+v, want %d bytes and 9 rows", last, info.Size())
		}
		latest, err := store.LatestNPIImport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if latest.Source != opts.Source || latest.RowsImported != 9 || latest.RowsSkipped != 3 {
			t.Errorf("import record %+v", latest)
		}

		// Loading the same file again replaces rather than duplicates.
		again := importSample(t, store, npi.ImportOptions{})
		if want := (npi.ImportStats{Rows: 9, Skipped: 3, Batches: 1}); again != want {
			t.Fatalf("second import stats %+v, want %+v", again, want)
		}
		if n, err := store.CountNPIProviders(ctx); err != nil || n != 9 {
			t.Fatalf("after a second import: %d providers, %v; want 9", n, err)
		}
	})
}

func TestImportFindsColumnsByName(t *testing.T) {
	// Reordered, lower-cased, a byte-order mark, an unknown column, most
	// columns absent and the primary group last.
	const file = "\ufeff\"provider first name\",\"Unknown Column\",\"Provider License Number State Code_2\"," +
		"\"Healthcare Provider Primary Taxonomy Switch_2\",\"Healthcare Provider Taxonomy Code_2\",\"Provider License Number_2\"," +
		"\"NPI\",\"Provider Last Name (Legal Name)\",\"Entity Type Code\",\"Healthcare Provider Taxonomy Code_1\"\n" +
		"\"JANE\",\"x\",\"CA\",\"Y\",\"207RC0000X\",\"A12345\",\" 1234567893 \",\"DOE\",\"1\",\"207R00000X\"\n"
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		stats, err := npi.Import(ctx, strings.NewReader(file), store, npi.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if stats.Rows != 1 || stats.Skipped != 0 {
			t.Fatalf("stats %+v, want one row", stats)
		}
		got, err := store.NPIProvider(ctx, "1234567893")
		if err != nil {
			t.Fatal(err)
		}
		want := models.NPIProvider{NPI: "1234567893", EntityType: models.NPIIndividual, LastName: "DOE", FirstName: "JANE",
			TaxonomyCode: "207RC0000X", LicenseNumber: "A12345", LicenseState: "CA", ImportedAt: got.ImportedAt}
		if *got != want {
			t.Fatalf("got %+v\nwant %+v", *got, want)
		}
	})
}

func TestImportRefusesDamagedFiles(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "empty"},
		{"no NPI column", "\"Provider Last Name (Legal Name)\"\n\"DOE\"\n", "no NPI column"},
		{"stray quote", "\"NPI\",\"Provider Last Name (Legal Name)\"\n\"1234567893\",\"DOE\"\n\"2000000002\",\"NG\"UYEN\"\n", "line 3"},
	}
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := npi.Import(context.Background(), strings.NewReader(tt.file), store, npi.ImportOptions{})
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err %v, want one mentioning %q", err, tt.want)
				}
				if tt.name == "stray quote" {
					var parseErr *csv.ParseError
					if !errors.As(err, &parseErr) {
						t.Errorf("err %v is not a *csv.ParseError", err)
					}
				}
			})
		}
		if _, err := store.LatestNPIImport(context.Background()); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a failed import counts as finished: %v", err)
		}
	})
}

func TestImportStopsWhenCancelled(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		t.Run("mid-file", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f, err := os.Open(sampleFile)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// Cancel as the first batch lands, as a caller's interrupt would.
			stats, err := npi.Import(ctx, f, store, npi.ImportOptions{BatchSize: 2,
				Progress: func(int64, int64) { cancel() }})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err %v, want context.Canceled", err)
			}
			if stats.Rows != 2 || stats.Batches != 1 {
				t.Fatalf("stats %+v, want the first batch only", stats)
			}
			if n, err := store.CountNPIProviders(context.Background()); err != nil || n != 2 {
				t.Fatalf("%d providers stored, %v; want the first batch's 2", n, err)
			}
			if _, err := store.LatestNPIImport(context.Background()); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("a cancelled import counts as finished: %v", err)
			}
		})
		t.Run("before starting", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := npi.Import(ctx, strings.NewReader("\"NPI\"\n\"1234567893\"\n"), store, npi.ImportOptions{})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err %v, want context.Canceled", err)
			}
		})
	})
}
