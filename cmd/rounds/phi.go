package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"rounds/app/phi"
)

// blockingFound is the error for exit status 1: the text holds an
// identifier that would block a post. main prints it as "rounds: …".
type blockingFound struct{ count int }

func (e blockingFound) Error() string {
	return fmt.Sprintf("phi check: %d high-confidence identifier(s) found; a post with them would be blocked", e.count)
}

func runPHI(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "check" {
		return runPHICheck(args[1:], os.Stdin, stdout, stderr)
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help") {
		return runPHICheck([]string{"-h"}, os.Stdin, stdout, stderr)
	}
	return usageError{"rounds phi: the only subcommand is 'check [--jsonl] [FILE…]'; see 'rounds help phi'"}
}

// runPHICheck scans text from the files named, or from stdin when none
// (or "-") is, and prints what the composer would flag.
func runPHICheck(args []string, stdin io.Reader, stdout, _ io.Writer) error {
	fs := newFlags("phi", stdout)
	jsonl := fs.Bool("jsonl", false, `read JSON lines {"id": …, "text": …} and write one JSON line of findings for each`)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err.Error()}
	}
	names := fs.Args()
	if len(names) == 0 {
		names = []string{"-"}
	}
	out := bufio.NewWriter(stdout)
	blocking := 0
	for _, name := range names {
		n, err := checkInput(name, stdin, out, *jsonl, len(names) > 1)
		blocking += n
		if err != nil {
			if ferr := out.Flush(); ferr != nil {
				return fmt.Errorf("write findings: %w", ferr)
			}
			return err
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write findings: %w", err)
	}
	if blocking > 0 {
		return blockingFound{blocking}
	}
	return nil
}

// checkInput scans one input and returns how many blocking findings it held.
func checkInput(name string, stdin io.Reader, out io.Writer, jsonl, showName bool) (int, error) {
	label := name
	var r io.Reader = stdin
	if name == "-" {
		label = "stdin"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return 0, usageError{fmt.Sprintf("rounds phi check: cannot read %s: %v", name, err)}
		}
		defer f.Close()
		r = f
	}
	if jsonl {
		return checkJSONLines(label, r, out)
	}
	text, err := io.ReadAll(r)
	if err != nil {
		return 0, usageError{fmt.Sprintf("rounds phi check: cannot read %s: %v", label, err)}
	}
	blocking := 0
	for _, f := range phi.Scan(string(text)) {
		if f.Blocking() {
			blocking++
		}
		prefix := ""
		if showName {
			prefix = label + ": "
		}
		if _, err := fmt.Fprintf(out, "%s%d-%d %s %s %q: %s\n", prefix, f.Start, f.End, f.Type, f.Confidence, f.Text, f.Reason); err != nil {
			return blocking, fmt.Errorf("write findings: %w", err)
		}
	}
	return blocking, nil
}

// jsonlInput is one line of --jsonl input. The id is passed through as it
// was given; only strings and numbers are accepted.
type jsonlInput struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

type jsonlOutput struct {
	ID       json.RawMessage `json:"id"`
	Findings []phi.Finding   `json:"findings"`
}

// maxLine bounds one JSON line; a post is far smaller.
const maxLine = 16 << 20

func checkJSONLines(label string, r io.Reader, out io.Writer) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	blocking := 0
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		bad := func(why string) (int, error) {
			return blocking, usageError{fmt.Sprintf("rounds phi check: %s line %d: %s", label, line, why)}
		}
		var in jsonlInput
		if err := json.Unmarshal(raw, &in); err != nil {
			return bad(fmt.Sprintf(`not a JSON object {"id": …, "text": …}: %v`, err))
		}
		if in.Text == nil {
			return bad(`no "text" string`)
		}
		id := bytes.TrimSpace(in.ID)
		if len(id) == 0 {
			id = json.RawMessage("null")
		} else if c := id[0]; c != '"' && c != '-' && (c < '0' || c > '9') && string(id) != "null" {
			return bad(`"id" must be a string or a number`)
		}
		findings := phi.Scan(*in.Text)
		if findings == nil {
			findings = []phi.Finding{}
		}
		if phi.HasBlocking(findings) {
			for _, f := range findings {
				if f.Blocking() {
					blocking++
				}
			}
		}
		if err := enc.Encode(jsonlOutput{ID: id, Findings: findings}); err != nil {
			return blocking, fmt.Errorf("write findings: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return blocking, usageError{fmt.Sprintf("rounds phi check: %s line %d: longer than %d MB", label, line+1, maxLine>>20)}
		}
		return blocking, usageError{fmt.Sprintf("rounds phi check: cannot read %s: %v", label, err)}
	}
	return blocking, nil
}
