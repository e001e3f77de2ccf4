package npi

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"rounds/models"
)

// DefaultBatchSize is how many providers an import writes per transaction
// when ImportOptions leaves it out: large enough that commits are rare, small
// enough that memory stays flat however big the file.
const DefaultBatchSize = 2000

// ImportOptions shapes one registry import.
type ImportOptions struct {
	// Source names what was imported, such as the file's name, in the
	// import record.
	Source string
	// BatchSize is how many providers go to the store per transaction;
	// DefaultBatchSize when zero.
	BatchSize int
	// Progress, when set, is called after every batch and once at the end
	// with the bytes read from the input so far, to draw against the file's
	// size, and the providers written so far.
	Progress func(bytesRead, rows int64)
}

// ImportStats counts what an import did. When it stops early, the counts
// cover the batches already written.
type ImportStats struct {
	Rows    int64 // providers written
	Skipped int64 // rows whose NPI is malformed or fails its check digit
	Batches int   // transactions committed
}

// Import streams an NPPES "npidata_pfile" CSV into the store, replacing the
// entries of NPIs it already holds. Columns are found by their header
// names, so a file with more, fewer or reordered columns still loads; only
// "NPI" is required. It reads the file once, keeping one batch in memory,
// and stops with ctx.Err() when ctx ends; batches already written stay,
// and running it again on the same file is safe.
func Import(ctx context.Context, r io.Reader, store *models.Store, opts ImportOptions) (ImportStats, error) {
	var stats ImportStats
	if err := ctx.Err(); err != nil {
		return stats, err
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	counted := &countingReader{r: r}
	buffered := bufio.NewReaderSize(counted, 1<<20)
	// A byte-order mark, as a spreadsheet saving the file adds, would make
	// the first header a bare-quote error.
	if mark, err := buffered.Peek(3); err == nil && string(mark) == "\ufeff" {
		if _, err := buffered.Discard(3); err != nil {
			return stats, fmt.Errorf("import NPI registry: %w", err)
		}
	}
	records := csv.NewReader(buffered)
	records.ReuseRecord = true
	records.FieldsPerRecord = -1 // trailing empty columns are sometimes cut
	records.LazyQuotes = false   // a stray quote is a damaged file, not data
	header, err := records.Read()
	if errors.Is(err, io.EOF) {
		return stats, fmt.Errorf("import NPI registry: the file is empty")
	}
	if err != nil {
		return stats, fmt.Errorf("import NPI registry: read header: %w", err)
	}
	cols, err := locateColumns(header)
	if err != nil {
		return stats, fmt.Errorf("import NPI registry: %w", err)
	}
	run, err := store.StartNPIImport(ctx, opts.Source)
	if err != nil {
		return stats, fmt.Errorf("import NPI registry: %w", err)
	}
	progress := func() {
		if opts.Progress != nil {
			opts.Progress(counted.n, stats.Rows)
		}
	}
	batch := make([]models.NPIProvider, 0, opts.BatchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := store.UpsertNPIProviders(ctx, batch); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("import NPI registry: %w", err)
		}
		stats.Rows += int64(len(batch))
		stats.Batches++
		batch = batch[:0]
		progress()
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return stats, err
		}
		record, err := records.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return stats, fmt.Errorf("import NPI registry: %w", err)
		}
		p, ok := cols.provider(record)
		if !ok {
			stats.Skipped++
			continue
		}
		p.ImportedAt = run.StartedAt
		batch = append(batch, p)
		if len(batch) >= opts.BatchSize {
			if err := flush(); err != nil {
				return stats, err
			}
		}
	}
	if err := flush(); err != nil {
		return stats, err
	}
	run.RowsImported, run.RowsSkipped = stats.Rows, stats.Skipped
	if err := store.FinishNPIImport(ctx, run); err != nil {
		return stats, fmt.Errorf("import NPI registry: %w", err)
	}
	progress()
	return stats, nil
}

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// columns holds where each field Rounds keeps sits in the file, -1 when
// the file lacks it.
type columns struct {
	npi, entityType, organization, lastName, firstName, credential int
	practiceState, deactivated, reactivated                        int
	slots                                                          []taxonomySlot
}

// taxonomySlot is one of the registry's numbered taxonomy groups: a
// taxonomy, the license held for it, and whether it is the primary one.
type taxonomySlot struct {
	taxonomy, license, licenseState, primary int
}

// The most taxonomy groups looked for; NPPES has 15.
const maxTaxonomySlots = 50

func locateColumns(header []string) (columns, error) {
	at := make(map[string]int, len(header))
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		if _, seen := at[name]; !seen {
			at[name] = i
		}
	}
	find := func(name string) int {
		if i, ok := at[strings.ToLower(name)]; ok {
			return i
		}
		return -1
	}
	c := columns{
		npi:           find("NPI"),
		entityType:    find("Entity Type Code"),
		organization:  find("Provider Organization Name (Legal Business Name)"),
		lastName:      find("Provider Last Name (Legal Name)"),
		firstName:     find("Provider First Name"),
		credential:    find("Provider Credential Text"),
		practiceState: find("Provider Business Practice Location Address State Name"),
		deactivated:   find("NPI Deactivation Date"),
		reactivated:   find("NPI Reactivation Date"),
	}
	if c.npi < 0 {
		return c, fmt.Errorf("the header has no NPI column; is this an NPPES npidata_pfile?")
	}
	for n := 1; n <= maxTaxonomySlots; n++ {
		s := taxonomySlot{
			taxonomy:     find("Healthcare Provider Taxonomy Code_" + strconv.Itoa(n)),
			license:      find("Provider License Number_" + strconv.Itoa(n)),
			licenseState: find("Provider License Number State Code_" + strconv.Itoa(n)),
			primary:      find("Healthcare Provider Primary Taxonomy Switch_" + strconv.Itoa(n)),
		}
		if s.taxonomy >= 0 || s.license >= 0 {
			c.slots = append(c.slots, s)
		}
	}
	return c, nil
}

// provider reads one record; false when its NPI is not a valid one. Kept
// strings are copied out, since the record's memory is reused for the next.
func (c *columns) provider(r record) (models.NPIProvider, bool) {
	number := r.get(c.npi)
	if !Valid(number) {
		return models.NPIProvider{}, false
	}
	p := models.NPIProvider{
		NPI:           strings.Clone(number),
		LastName:      strings.Clone(r.get(c.lastName)),
		FirstName:     strings.Clone(r.get(c.firstName)),
		Credential:    strings.Clone(r.get(c.credential)),
		PracticeState: strings.Clone(r.get(c.practiceState)),
		Deactivated:   deactivated(r.get(c.deactivated), r.get(c.reactivated)),
	}
	switch r.get(c.entityType) {
	case "1":
		p.EntityType = models.NPIIndividual
	case "2":
		p.EntityType = models.NPIOrganization
		if org := r.get(c.organization); org != "" {
			p.LastName = strings.Clone(org)
		}
	}
	if s, ok := c.primarySlot(r); ok {
		p.TaxonomyCode = strings.Clone(r.get(s.taxonomy))
		p.LicenseNumber = strings.Clone(r.get(s.license))
		p.LicenseState = strings.Clone(r.get(s.licenseState))
	}
	return p, true
}

// primarySlot is the group the provider marked primary, else the first
// with a taxonomy, else the first with a license.
func (c *columns) primarySlot(r record) (taxonomySlot, bool) {
	for _, s := range c.slots {
		if strings.EqualFold(r.get(s.primary), "Y") {
			return s, true
		}
	}
	for _, s := range c.slots {
		if r.get(s.taxonomy) != "" {
			return s, true
		}
	}
	for _, s := range c.slots {
		if r.get(s.license) != "" {
			return s, true
		}
	}
	return taxonomySlot{}, false
}

// record is one CSV row; rows may stop short of the header's width.
type record []string

func (r record) get(i int) string {
	if i < 0 || i >= len(r) {
		return ""
	}
	return strings.TrimSpace(r[i])
}

// deactivated reads the registry's two dates: an NPI is out of use when it
// was deactivated and not reactivated since. A date that cannot be read
// counts against the NPI, so a moderator looks twice rather than not at all.
func deactivated(deactivatedOn, reactivatedOn string) bool {
	if deactivatedOn == "" {
		return false
	}
	if reactivatedOn == "" {
		return true
	}
	off, err1 := parseRegistryDate(deactivatedOn)
	on, err2 := parseRegistryDate(reactivatedOn)
	if err1 != nil || err2 != nil {
		return true
	}
	return on.Before(off)
}

func parseRegistryDate(s string) (time.Time, error) {
	if t, err := time.Parse("01/02/2006", s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02", s)
}
