package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

func TestNPIProviderNotFound(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		_, err := store.NPIProvider(context.Background(), "1234567893")
		if !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("lookup in an empty registry: err %v, want ErrNotFound", err)
		}
	})
}

func TestUpsertNPIProviders(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		at := time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC)
		doe := models.NPIProvider{NPI: "1234567893", EntityType: models.NPIIndividual,
			LastName: "DOE", FirstName: "JANE", Credential: "M.D., PH.D.", TaxonomyCode: "207RC0000X",
			LicenseNumber: "A12345", LicenseState: "CA", PracticeState: "CA", ImportedAt: at}
		clinic := models.NPIProvider{NPI: "1000000004", EntityType: models.NPIOrganization,
			LastName: "RIVERSIDE CLINIC, LLC", TaxonomyCode: "261QP2300X", PracticeState: "OR", ImportedAt: at}
		if err := store.UpsertNPIProviders(ctx, []models.NPIProvider{doe, clinic}); err != nil {
			t.Fatalf("first upsert: %v", err)
		}
		got, err := store.NPIProvider(ctx, doe.NPI)
		if err != nil {
			t.Fatal(err)
		}
		got.ImportedAt = got.ImportedAt.UTC()
		if *got != doe {
			t.Fatalf("stored %+v\nwant %+v", *got, doe)
		}

		// The registry changes: a new surname, a license moved, deactivation.
		later := at.Add(30 * 24 * time.Hour)
		doe.LastName, doe.LicenseState, doe.Deactivated, doe.ImportedAt = "DOE-SMITH", "NV", true, later
		if err := store.UpsertNPIProviders(ctx, []models.NPIProvider{doe}); err != nil {
			t.Fatalf("second upsert: %v", err)
		}
		got, err = store.NPIProvider(ctx, doe.NPI)
		if err != nil {
			t.Fatal(err)
		}
		got.ImportedAt = got.ImportedAt.UTC()
		if *got != doe {
			t.Fatalf("after re-upsert %+v\nwant %+v", *got, doe)
		}
		if org, err := store.NPIProvider(ctx, clinic.NPI); err != nil || org.LastName != clinic.LastName {
			t.Fatalf("untouched entry: %+v, %v", org, err)
		}
		if n, err := store.CountNPIProviders(ctx); err != nil || n != 2 {
			t.Fatalf("count %d, %v; want 2", n, err)
		}
	})
}

func TestUpsertNPIProvidersManyStatements(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		// Enough rows to need several statements on both engines, with an
		// NPI repeated inside the batch, which the later entry wins.
		const n = 3500
		batch := make([]models.NPIProvider, 0, n+1)
		for i := range n {
			batch = append(batch, models.NPIProvider{NPI: fmt.Sprintf("1%09d", i), EntityType: models.NPIIndividual,
				LastName: fmt.Sprintf("NAME%d", i)})
		}
		batch = append(batch, models.NPIProvider{NPI: fmt.Sprintf("1%09d", 7), LastName: "LATER"})
		if err := store.UpsertNPIProviders(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if count, err := store.CountNPIProviders(ctx); err != nil || count != n {
			t.Fatalf("count %d, %v; want %d", count, err, n)
		}
		for npi, want := range map[string]string{"1000000000": "NAME0", "1000003499": "NAME3499", "1000000007": "LATER"} {
			p, err := store.NPIProvider(ctx, npi)
			if err != nil {
				t.Fatal(err)
			}
			if p.LastName != want {
				t.Errorf("NPI %s: last name %q, want %q", npi, p.LastName, want)
			}
			if p.ImportedAt.IsZero() {
				t.Errorf("NPI %s: no import time", npi)
			}
		}
	})
}

func TestNPIImportRecords(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		if _, err := store.LatestNPIImport(ctx); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("before any import: err %v, want ErrNotFound", err)
		}
		stopped, err := store.StartNPIImport(ctx, "npidata_pfile_20260101-20260104.csv")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.LatestNPIImport(ctx); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("with only an unfinished import: err %v, want ErrNotFound", err)
		}
		done, err := store.StartNPIImport(ctx, "npidata_pfile_20260105-20260111.csv")
		if err != nil {
			t.Fatal(err)
		}
		done.RowsImported, done.RowsSkipped = 9, 2
		if err := store.FinishNPIImport(ctx, done); err != nil {
			t.Fatal(err)
		}
		latest, err := store.LatestNPIImport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if latest.ID != done.ID || latest.ID == stopped.ID || latest.RowsImported != 9 || latest.RowsSkipped != 2 ||
			latest.FinishedAt == nil || latest.Source != done.Source {
			t.Fatalf("latest import %+v, want the finished one %+v", latest, done)
		}
	})
}
