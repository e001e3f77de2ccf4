package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPHICheckPrintsFindingsPerFile(t *testing.T) {
	dir := t.TempDir()
	note := writeFile(t, dir, "note.txt", "Pt: Maria Garcia, MRN 48213377, K 5.9.\n")
	clean := writeFile(t, dir, "clean.txt", "Started apixaban 5 mg BID; INR 2.3, BP 142/88.\n")

	var out bytes.Buffer
	err := run([]string{"phi", "check", note, clean}, &out, &out)
	var found blockingFound
	// A patient's name blocks, as the MRN does.
	if !errors.As(err, &found) || found.count != 2 {
		t.Fatalf("err = %v, want two blocking identifiers (exit 1)", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 findings, got:\n%s", out.String())
	}
	for _, want := range []string{note + `: 4-16 name high "Maria Garcia": `, note + `: 22-30 mrn high "48213377": Looks like a medical record number.`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if err := run([]string{"phi", "check", clean}, &out, &out); err != nil {
		t.Fatalf("clinical prose: err = %v (exit 0 expected), output %q", err, out.String())
	}
	if out.Len() != 0 {
		t.Errorf("clinical prose printed %q", out.String())
	}
}

func TestPHICheckReadsStdin(t *testing.T) {
	var out bytes.Buffer
	// A low-confidence finding alone asks the author; it does not fail the check.
	err := runPHICheck(nil, strings.NewReader("a 92-year-old with sepsis"), &out, &out)
	if err != nil {
		t.Fatalf("err = %v, want nil (exit 0)", err)
	}
	if got := out.String(); got != "2-13 age low \"92-year-old\": An age over 89 is an identifier; write \"90 or older\" instead.\n" {
		t.Errorf("output %q", got)
	}
}

func TestPHICheckJSONLines(t *testing.T) {
	input := `{"id": "post-1", "text": "Call her daughter on (617) 555-0142."}
{"id": 42, "text": "Hb 7.2 g/dL, plt 42, INR 2.3."}

{"text": "DOB 03/14/1932", "board": "cardiology"}
`
	var out bytes.Buffer
	err := runPHICheck([]string{"--jsonl"}, strings.NewReader(input), &out, &out)
	var found blockingFound
	if !errors.As(err, &found) || found.count != 2 {
		t.Fatalf("err = %v, want two blocking identifiers", err)
	}
	type finding struct {
		Type, Confidence, Text, Reason string
		Start, End                     int
	}
	var got []struct {
		ID       json.RawMessage `json:"id"`
		Findings []finding       `json:"findings"`
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var g struct {
			ID       json.RawMessage `json:"id"`
			Findings []finding       `json:"findings"`
		}
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			t.Fatalf("output line %q: %v", line, err)
		}
		if !strings.Contains(line, `"findings":[`) {
			t.Errorf("findings is not an array in %q", line)
		}
		got = append(got, g)
	}
	if len(got) != 3 {
		t.Fatalf("want one output line per input line (3), got:\n%s", out.String())
	}
	if string(got[0].ID) != `"post-1"` || string(got[1].ID) != `42` || string(got[2].ID) != `null` {
		t.Errorf("ids not passed through: %s %s %s", got[0].ID, got[1].ID, got[2].ID)
	}
	want := finding{Type: "phone", Confidence: "high", Start: 21, End: 35, Text: "(617) 555-0142", Reason: "Looks like a telephone number."}
	if len(got[0].Findings) != 1 || got[0].Findings[0] != want {
		t.Errorf("post-1 findings %+v, want %+v", got[0].Findings, want)
	}
	if len(got[1].Findings) != 0 {
		t.Errorf("lab values were flagged: %+v", got[1].Findings)
	}
	if len(got[2].Findings) != 1 || got[2].Findings[0].Type != "date" || got[2].Findings[0].Confidence != "high" {
		t.Errorf("date of birth findings %+v", got[2].Findings)
	}
}

func TestPHICheckBadInputNamesTheLine(t *testing.T) {
	cases := map[string]string{
		"not json":   "{\"id\": 1, \"text\": \"fine\"}\n{\"id\": 2, \"text\": \"oops\"\n",
		"no text":    "{\"id\": 1, \"text\": \"fine\"}\n{\"id\": 2, \"body\": \"wrong field\"}\n",
		"text array": "{\"id\": 1, \"text\": \"fine\"}\n{\"id\": 2, \"text\": [\"a\"]}\n",
		"object id":  "{\"id\": 1, \"text\": \"fine\"}\n{\"id\": {\"n\": 2}, \"text\": \"x\"}\n",
	}
	for name, input := range cases {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			err := runPHICheck([]string{"--jsonl"}, strings.NewReader(input), &out, &out)
			var usage usageError
			if !errors.As(err, &usage) {
				t.Fatalf("err = %v, want a usage error (exit 2)", err)
			}
			if !strings.Contains(err.Error(), "stdin line 2:") {
				t.Errorf("message %q does not name line 2", err)
			}
		})
	}
	var out bytes.Buffer
	err := run([]string{"phi", "check", filepath.Join(t.TempDir(), "missing.txt")}, &out, &out)
	var usage usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("a missing file gave %v, want a usage error naming it", err)
	}
	if err := run([]string{"phi", "scan"}, &out, &out); !errors.As(err, &usage) {
		t.Errorf("an unknown subcommand gave %v, want a usage error", err)
	}
}

// The exit statuses come from main itself: run this test binary as the
// rounds command and check what the shell would see.
func TestPHICheckExitStatus(t *testing.T) {
	if args := os.Getenv("ROUNDS_PHI_MAIN_ARGS"); args != "" {
		os.Args = append([]string{"rounds"}, strings.Split(args, "\x1f")...)
		main()
		os.Exit(0)
	}
	dir := t.TempDir()
	cases := []struct {
		name  string
		args  []string
		stdin string
		code  int
	}{
		{"blocking identifier", []string{"phi", "check"}, "SSN 123-45-6789", 1},
		{"low confidence only", []string{"phi", "check"}, "transferred from Mount Sinai", 0},
		{"clinical prose", []string{"phi", "check"}, "K 5.9, HR 110, 5 mg", 0},
		{"bad json line", []string{"phi", "check", "--jsonl"}, "{\"id\": 1, \"text\": \"ok\"}\nnot json\n", 2},
		{"missing file", []string{"phi", "check", filepath.Join(dir, "nope.txt")}, "", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestPHICheckExitStatus$")
			cmd.Env = append(os.Environ(), "ROUNDS_PHI_MAIN_ARGS="+strings.Join(c.args, "\x1f"))
			cmd.Stdin = strings.NewReader(c.stdin)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.code {
				t.Errorf("exit status %d, want %d (stderr %q)", code, c.code, stderr.String())
			}
			if c.code == 2 && !strings.Contains(stderr.String(), "rounds phi check:") {
				t.Errorf("stderr %q does not say what was wrong", stderr.String())
			}
		})
	}
}
