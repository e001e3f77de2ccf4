package npi_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"rounds/app/npi"
	"rounds/models/modelstest"
)

// benchRows is enough rows that a file held in memory would show in the
// peak heap, which stays at one batch when the import streams.
const benchRows = 200_000

// BenchmarkImport streams a synthetic NPPES file as wide as the real one
// (330 columns, mostly empty) through an io.Pipe into a fresh store per
// engine. Run it alone, as it writes 200,000 rows per iteration:
//
//	go test -run '^$' -bench Import -benchtime 1x ./app/npi/
//
// rows/s is the throughput, peak-heap-MB the largest live heap seen at any
// batch (flat whatever the file's size), B/row what each row allocates.
func BenchmarkImport(b *testing.B) {
	for _, e := range modelstest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			store := modelstest.Migrated(b, e)
			ctx := context.Background()
			var (
				rows, input int64
				peak        uint64
				before, ms  runtime.MemStats
			)
			watch := func(int64, int64) {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.ReportAllocs()
			for b.Loop() {
				pr, pw := io.Pipe()
				go func() { pw.CloseWithError(writeSyntheticRegistry(pw, benchRows)) }()
				counted := &byteCounter{r: pr}
				stats, err := npi.Import(ctx, counted, store, npi.ImportOptions{Source: "synthetic", Progress: watch})
				if err != nil {
					b.Fatal(err)
				}
				if stats.Rows != benchRows {
					b.Fatalf("imported %d rows, want %d", stats.Rows, benchRows)
				}
				rows += stats.Rows
				input += counted.n
			}
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(input)/float64(b.N), "input-bytes/op")
			b.ReportMetric(float64(ms.TotalAlloc-before.TotalAlloc)/float64(rows), "B/row")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

type byteCounter struct {
	r io.Reader
	n int64
}

func (c *byteCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// syntheticHeader is the shape of the real npidata_pfile: the fields Rounds
// keeps among the many it does not.
func syntheticHeader() []string {
	h := []string{"NPI", "Entity Type Code", "Replacement NPI", "Employer Identification Number (EIN)",
		"Provider Organization Name (Legal Business Name)", "Provider Last Name (Legal Name)", "Provider First Name",
		"Provider Middle Name", "Provider Name Prefix Text", "Provider Name Suffix Text", "Provider Credential Text",
		"Provider First Line Business Practice Location Address", "Provider Business Practice Location Address City Name",
		"Provider Business Practice Location Address State Name", "Provider Business Practice Location Address Postal Code",
		"Provider Enumeration Date", "Last Update Date", "NPI Deactivation Reason Code", "NPI Deactivation Date",
		"NPI Reactivation Date", "Provider Gender Code"}
	for n := 1; n <= 15; n++ {
		h = append(h, fmt.Sprintf("Healthcare Provider Taxonomy Code_%d", n), fmt.Sprintf("Provider License Number_%d", n),
			fmt.Sprintf("Provider License Number State Code_%d", n), fmt.Sprintf("Healthcare Provider Primary Taxonomy Switch_%d", n))
	}
	for n := 1; len(h) < 330; n++ {
		h = append(h, fmt.Sprintf("Other Provider Identifier_%d", n), fmt.Sprintf("Other Provider Identifier Type Code_%d", n),
			fmt.Sprintf("Other Provider Identifier State_%d", n), fmt.Sprintf("Other Provider Identifier Issuer_%d", n))
	}
	return h
}

// writeSyntheticRegistry writes a header and rows of made-up individuals
// with valid NPIs, every field quoted as NPPES does.
func writeSyntheticRegistry(w io.Writer, rows int) error {
	header := syntheticHeader()
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[h] = i
	}
	out := bufio.NewWriterSize(w, 1<<16)
	fields := make([]string, len(header))
	write := func() error {
		for i, f := range fields {
			if i > 0 {
				out.WriteByte(',')
			}
			out.WriteByte('"')
			out.WriteString(strings.ReplaceAll(f, `"`, `""`))
			out.WriteByte('"')
		}
		_, err := out.WriteString("\r\n")
		return err
	}
	copy(fields, header)
	if err := write(); err != nil {
		return err
	}
	states := []string{"CA", "TX", "NY", "FL", "MA", "WA"}
	for i := range rows {
		clear(fields)
		state := states[i%len(states)]
		fields[col["NPI"]] = syntheticNPI(i)
		fields[col["Entity Type Code"]] = "1"
		fields[col["Provider Last Name (Legal Name)"]] = fmt.Sprintf("SURNAME%d", i)
		fields[col["Provider First Name"]] = "FIRSTNAME"
		fields[col["Provider Credential Text"]] = "M.D., M.P.H."
		fields[col["Provider First Line Business Practice Location Address"]] = fmt.Sprintf("%d MAIN ST, SUITE %d", i%9000, i%300)
		fields[col["Provider Business Practice Location Address City Name"]] = "SPRINGFIELD"
		fields[col["Provider Business Practice Location Address State Name"]] = state
		fields[col["Provider Business Practice Location Address Postal Code"]] = "123450000"
		fields[col["Provider Enumeration Date"]] = "05/23/2005"
		fields[col["Last Update Date"]] = "07/08/2021"
		fields[col["Provider Gender Code"]] = "F"
		fields[col["Healthcare Provider Taxonomy Code_1"]] = "207R00000X"
		fields[col["Provider License Number_1"]] = fmt.Sprintf("A%06d", i)
		fields[col["Provider License Number State Code_1"]] = state
		fields[col["Healthcare Provider Primary Taxonomy Switch_1"]] = "N"
		fields[col["Healthcare Provider Taxonomy Code_2"]] = "207RC0000X"
		fields[col["Provider License Number_2"]] = fmt.Sprintf("A%06d", i)
		fields[col["Provider License Number State Code_2"]] = state
		fields[col["Healthcare Provider Primary Taxonomy Switch_2"]] = "Y"
		fields[col["Other Provider Identifier_1"]] = fmt.Sprintf("%08d", i)
		fields[col["Other Provider Identifier Type Code_1"]] = "05"
		fields[col["Other Provider Identifier State_1"]] = state
		if err := write(); err != nil {
			return err
		}
	}
	return out.Flush()
}

// syntheticNPI is the i-th valid NPI above 1100000000.
func syntheticNPI(i int) string {
	nine := fmt.Sprintf("11%07d", i)
	for d := '0'; d <= '9'; d++ {
		if n := nine + string(d); npi.Valid(n) {
			return n
		}
	}
	panic("no check digit for " + nine)
}
