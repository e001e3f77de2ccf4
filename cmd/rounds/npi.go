package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"rounds/app/npi"
)

func runNPI(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return runNPIImport([]string{"-h"}, stdout, stderr)
		}
		return usageError{"rounds npi: the only subcommand is 'import FILE'; see 'rounds help npi'"}
	}
	return runNPIImport(args[1:], stdout, stderr)
}

func runNPIImport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("npi", stdout)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"rounds npi import: give exactly one file: the NPPES npidata_pfile CSV"}
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open NPI registry file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("read NPI registry file: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e, err := setup(ctx, stderr)
	if err != nil {
		return err
	}
	defer e.close()
	report := progress(stderr, e.log, info.Size(), "importing NPI registry", true)
	stats, err := npi.Import(ctx, f, e.store, npi.ImportOptions{
		Source:   filepath.Base(path),
		Progress: func(bytesRead, _ int64) { report(bytesRead) },
	})
	if err != nil {
		return fmt.Errorf("import %s after %d providers: %w", path, stats.Rows, err)
	}
	fmt.Fprintf(stdout, "imported %d providers from %s (%d rows skipped for an invalid NPI)\n", stats.Rows, path, stats.Skipped)
	return nil
}
