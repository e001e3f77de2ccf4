// Command rounds is the one binary of Rounds, a peer-only community for
// verified clinicians: it serves the site and runs the site's one-shot
// tasks.
//
// Usage:
//
//	rounds <command> [flags]
//
// The commands are:
//
//	serve    run the server (production)
//	demo     run the server with demo content and a demo sign-in
//	migrate  bring the database schema up to date
//	reindex  rebuild this node's search index from the database
//	seed     fill the database with synthetic content for benchmarks
//	npi      import the public NPI registry used as verification evidence
//	phi      check text for patient identifiers (HIPAA Safe Harbor)
//	user     change a member's role
//	version  print the version
//	help     list the commands, or show one command's usage
//
// Settings come from ROUNDS_* environment variables (see README.md), read
// and checked once by app/config; flags are only for one-shot commands.
// The commands hold no logic of their own: every command that touches the
// database opens and migrates it (setup), serve and demo have app.Wire
// build a node and app.New serve it, and the others call the packages that
// do their work.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// version is stamped at build time with -ldflags "-X main.version=…".
var version = "dev"

type command struct {
	name    string
	summary string
	usage   string
	run     func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the server (production)", "rounds serve\n\nServes Rounds at ROUNDS_ADDR using ROUNDS_DATABASE_URL (or SQLite in ROUNDS_DATA_DIR).\nMigrates the database first. Stops gracefully on SIGTERM or Ctrl-C, letting requests in flight finish.\nEvery setting comes from ROUNDS_* environment variables; see the README.", runServe},
		{"demo", "run the server with demo content and a demo sign-in", "rounds demo\n\nLike serve, on the embedded default (SQLite and the index under ROUNDS_DATA_DIR, ./data unless set).\nOn its first start it fills an empty database with an invented community of clinicians; later starts keep\nwhat is there. A demo sign-in lets you act as any demo member; its identity provider and its podcast are served\nby the site itself (under /oidc and /demo/podcast/), so set ROUNDS_BASE_URL to the address a browser elsewhere\nuses to reach it. Work email at stmary.example.org verifies an applicant unless ROUNDS_VERIFY_EMAIL_DOMAINS is set.\nNever use it for real members.", runDemo},
		{"migrate", "bring the database schema up to date", "rounds migrate\n\nApplies any migrations not yet applied and prints the schema version. Safe to run again.", runMigrate},
		{"reindex", "rebuild this node's search index from the database", "rounds reindex\n\nBuilds a new search index under ROUNDS_DATA_DIR/search from every post in the database, then swaps it in\nin one step. A server running on this data folder keeps answering from the old index meanwhile and\nswitches to the new one within a second. Shows a progress bar on a terminal and log lines otherwise.", runReindex},
		{"seed", "fill the database with synthetic content for benchmarks", "rounds seed [--topics N] [--replies M] [--members K] [--seed S]\n\nWrites N synthetic topics of M replies each (N×(M+1) posts) in clinical English into the configured\ndatabase, for load tests. Shows a progress bar on a terminal and log lines otherwise.", runSeed},
		{"npi", "import the public NPI registry used as verification evidence", "rounds npi import FILE\n\nStreams the NPPES 'npidata_pfile' CSV (unzipped from the monthly CMS download) into the database, so\nmoderators see whether an applicant's NPI is registered, active, and matches their name and license state.\nA multi-GB file needs little memory; a progress bar shows on a terminal. Safe to run again with a newer file.", runNPI},
		{"phi", "check text for patient identifiers (HIPAA Safe Harbor)", "rounds phi check [--jsonl] [FILE…]\n\nScans the files (or stdin when none is given) for HIPAA Safe Harbor identifiers and prints one line per\nfinding: byte offsets, type, confidence, the matched text and why. With several files each line starts with\nthe file name. With --jsonl each input line is {\"id\": …, \"text\": …} and each output line is\n{\"id\": …, \"findings\": [{\"type\", \"confidence\", \"start\", \"end\", \"text\", \"reason\"}]}.\nExits 1 when a high-confidence identifier (one that blocks a post) is found, 2 on unreadable input, else 0.", runPHI},
		{"user", "change a member's role", "rounds user role EMAIL member|moderator|admin\n\nGives the account that signed in with EMAIL (as its provider reported it) a role, and ends its sessions\nso the change applies at the next sign-in. Refuses when no account, or more than one, has that address.", runUser},
		{"version", "print the version", "rounds version\n\nPrints the version of this build.", runVersion},
	}
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		var usage usageError
		if errors.As(err, &usage) {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "rounds:", err)
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		printHelp(stderr)
		return usageError{"rounds: a command is required"}
	}
	name := args[0]
	switch name {
	case "help", "-h", "--help", "-help":
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					fmt.Fprintln(stdout, c.usage)
					return nil
				}
			}
			return usageError{fmt.Sprintf("rounds: no command %q; run 'rounds help'", args[1])}
		}
		printHelp(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(args[1:], stdout, stderr)
		}
	}
	return usageError{fmt.Sprintf("rounds: no command %q; run 'rounds help'", name)}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Rounds — a peer-only community for verified clinicians.")
	fmt.Fprintln(w, "\nUsage: rounds <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "  help     show this, or 'rounds help <command>' for one command")
	fmt.Fprintln(w, "\nSettings come from ROUNDS_* environment variables (see README.md).")
}

// newFlags makes a flag set whose -h prints the command's usage.
func newFlags(name string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		for _, c := range commands() {
			if c.name == name {
				fmt.Fprintln(stdout, c.usage)
			}
		}
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(stdout, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags reads a command's flags; -h is a successful request for help.
func parseFlags(fs *flag.FlagSet, args []string) (helped bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return true, nil
	}
	if err != nil {
		return false, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return false, usageError{fmt.Sprintf("rounds %s: unexpected arguments: %s", fs.Name(), strings.Join(fs.Args(), " "))}
	}
	return false, nil
}

func runVersion(args []string, stdout, _ io.Writer) error {
	fs := newFlags("version", stdout)
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	fmt.Fprintln(stdout, "rounds", version)
	return nil
}
