package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// NPI entity types, as the registry codes them.
const (
	NPIIndividual   = 1
	NPIOrganization = 2
)

// NPIProvider is one entry of the public US National Provider Identifier
// registry (NPPES), kept so moderators can weigh an NPI a member gives.
type NPIProvider struct {
	NPI        string `gorm:"primaryKey"`
	EntityType int    // NPIIndividual or NPIOrganization; 0 when the registry left it out
	// LastName is a person's legal last name, or an organization's legal
	// business name.
	LastName      string
	FirstName     string
	Credential    string // as the provider wrote it: "M.D.", "RN, BSN"
	TaxonomyCode  string // the primary one
	LicenseNumber string // the license that goes with the primary taxonomy
	LicenseState  string
	PracticeState string
	Deactivated   bool
	ImportedAt    time.Time
}

// TableName keeps GORM off its own guess for an initialism.
func (NPIProvider) TableName() string { return "npi_providers" }

// NPIImport records one run that loaded the registry.
type NPIImport struct {
	ID           int64
	Source       string
	RowsImported int64
	RowsSkipped  int64
	StartedAt    time.Time
	FinishedAt   *time.Time // nil while running, or when the run stopped part-way
}

// TableName keeps GORM off its own guess for an initialism.
func (NPIImport) TableName() string { return "npi_imports" }

// NPIProvider loads one registry entry; ErrNotFound when the NPI is absent.
func (s *Store) NPIProvider(ctx context.Context, npi string) (*NPIProvider, error) {
	var p NPIProvider
	if err := s.db.WithContext(ctx).Where("npi = ?", npi).Take(&p).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("load NPI %s", npi))
	}
	return &p, nil
}

// CountNPIProviders says how many registry entries are stored.
func (s *Store) CountNPIProviders(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&NPIProvider{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count NPI providers: %w", err)
	}
	return n, nil
}

// npiColumns are written by UpsertNPIProviders, in this order; every one
// but the key is replaced when the NPI is already stored.
var npiColumns = []string{"npi", "entity_type", "last_name", "first_name", "credential",
	"taxonomy_code", "license_number", "license_state", "practice_state", "deactivated", "imported_at"}

// UpsertNPIProviders writes a batch of registry entries in one transaction,
// inserting new NPIs and replacing stored ones. Entries without ImportedAt
// get the current time. When the batch names an NPI twice, the later entry
// wins.
func (s *Store) UpsertNPIProviders(ctx context.Context, providers []NPIProvider) error {
	providers = lastOfEachNPI(providers)
	if len(providers) == 0 {
		return nil
	}
	// Multi-row statements, as bulkInsert (which cannot carry the ON
	// CONFLICT tail) once sent on both engines: PostgreSQL binds parameters
	// in linear time, the embedded SQLite driver in quadratic time, so
	// there a few hundred per statement.
	params := 16000
	if s.engine == SQLite {
		params = 900
	}
	perStatement := max(params/len(npiColumns), 1)
	now := s.Now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		conn, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("upsert NPI providers: transaction has no *sql.Tx")
		}
		var (
			query     string
			queryRows int
			args      = make([]any, 0, min(len(providers), perStatement)*len(npiColumns))
		)
		for start := 0; start < len(providers); start += perStatement {
			chunk := providers[start:min(start+perStatement, len(providers))]
			if len(chunk) != queryRows {
				query, queryRows = s.npiUpsertSQL(len(chunk)), len(chunk)
			}
			args = args[:0]
			for _, p := range chunk {
				at := p.ImportedAt
				if at.IsZero() {
					at = now
				}
				args = append(args, p.NPI, p.EntityType, p.LastName, p.FirstName, p.Credential,
					p.TaxonomyCode, p.LicenseNumber, p.LicenseState, p.PracticeState, p.Deactivated, at.UTC())
			}
			if _, err := conn.ExecContext(ctx, query, args...); err != nil {
				return fmt.Errorf("upsert %d NPI providers from %s: %w", len(chunk), chunk[0].NPI, err)
			}
		}
		return nil
	})
}

// npiUpsertSQL is a multi-row upsert of rows entries, in the syntax SQLite
// and PostgreSQL share.
func (s *Store) npiUpsertSQL(rows int) string {
	row := "(" + strings.Repeat("?,", len(npiColumns)-1) + "?)"
	var b strings.Builder
	b.WriteString("INSERT INTO npi_providers (" + strings.Join(npiColumns, ", ") + ") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	b.WriteString(" ON CONFLICT (npi) DO UPDATE SET ")
	for i, c := range npiColumns[1:] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = excluded." + c)
	}
	return s.placeholders(b.String())
}

// lastOfEachNPI drops all but the last entry for each NPI, keeping order:
// PostgreSQL refuses a statement that updates the same row twice.
func lastOfEachNPI(providers []NPIProvider) []NPIProvider {
	last := make(map[string]int, len(providers))
	for i, p := range providers {
		last[p.NPI] = i
	}
	if len(last) == len(providers) {
		return providers
	}
	kept := make([]NPIProvider, 0, len(last))
	for i, p := range providers {
		if last[p.NPI] == i {
			kept = append(kept, p)
		}
	}
	return kept
}

// StartNPIImport records that a run loading the registry from source has
// begun.
func (s *Store) StartNPIImport(ctx context.Context, source string) (*NPIImport, error) {
	imp := &NPIImport{Source: source, StartedAt: s.Now()}
	if err := s.db.WithContext(ctx).Create(imp).Error; err != nil {
		return nil, fmt.Errorf("record NPI import from %q: %w", source, err)
	}
	return imp, nil
}

// FinishNPIImport records that a run completed with the counts it carries.
func (s *Store) FinishNPIImport(ctx context.Context, imp *NPIImport) error {
	now := s.Now()
	err := s.db.WithContext(ctx).Model(imp).Updates(map[string]any{
		"rows_imported": imp.RowsImported,
		"rows_skipped":  imp.RowsSkipped,
		"finished_at":   now,
	}).Error
	if err != nil {
		return fmt.Errorf("finish NPI import %d: %w", imp.ID, err)
	}
	imp.FinishedAt = &now
	return nil
}

// LatestNPIImport loads the most recent run that completed; ErrNotFound
// when the registry was never fully loaded.
func (s *Store) LatestNPIImport(ctx context.Context) (*NPIImport, error) {
	var imp NPIImport
	err := s.db.WithContext(ctx).Where("finished_at IS NOT NULL").
		Order("finished_at DESC").Order("id DESC").Take(&imp).Error
	if err != nil {
		return nil, notFound(err, "load latest NPI import")
	}
	return &imp, nil
}
