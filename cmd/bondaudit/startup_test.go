package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// fakeDot puts a dot first on PATH that records each run in a file and
// fails, and returns PATH and the record's path.
func fakeDot(t *testing.T) (path, record string) {
	t.Helper()
	dir := t.TempDir()
	record = filepath.Join(dir, "dot-ran")
	script := "#!/bin/sh\necho \"$@\" >> '" + record + "'\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "dot"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir + string(os.PathListSeparator) + os.Getenv("PATH"), record
}

// Issue 18: commands that draw no SVG do not touch the SVG renderer at all:
// Graphviz's dot is never started by rules, explain, --help or a text audit
// (a fake dot first on PATH records any run), while drawing an SVG does
// start it (so the fake would notice).
func TestStartupTouchesNoRenderer(t *testing.T) {
	bin := sharedBinary(t)
	path, record := fakeDot(t)
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = t.TempDir()
		cmd.Env = append(os.Environ(), "PATH="+path)
		out, err := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != exitOK && code != exitFindings {
			t.Fatalf("bondaudit %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, args := range [][]string{
		{"rules"},
		{"explain", "lacp.no-partner"},
		{"--help"},
		{"audit", "demo"},
		{"audit", "demo", "--format", "json"},
		{"topology", "demo"},
		{"diagram", "demo", "--format", "dot"},
	} {
		run(args...)
		if b, err := os.ReadFile(record); err == nil {
			t.Errorf("bondaudit %s ran dot (%q)", strings.Join(args, " "), b)
			os.Remove(record)
		}
	}
	// The control: an SVG starts dot (here the fake, which fails it).
	cmd := exec.Command(bin, "diagram", "demo", "--format", "svg")
	cmd.Env = append(os.Environ(), "PATH="+path)
	cmd.Run()
	if _, err := os.Stat(record); err != nil {
		t.Errorf("diagram --format svg did not run the fake dot first on PATH: the check above proves nothing")
	}
}

// initLine is one package's line of GODEBUG=inittrace=1 output.
var initLine = regexp.MustCompile(`^init (\S+) @\S+ ms, \S+ ms clock, (\d+) bytes, (\d+) allocs$`)

// Issue 18: the renderers' packages do no work when the program starts:
// their templates and expressions are built on first use. Measured by
// what each package's init allocates (GODEBUG=inittrace=1), not by time:
// before, the diagram package parsed its HTML page (28 KiB, 410 allocations)
// and the report package its HTML report (88 KiB, 1,679) for every command.
func TestStartupInitsAreSmall(t *testing.T) {
	bin := sharedBinary(t)
	cmd := exec.Command(bin, "rules")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	const module = "github.com/bondaudit/bondaudit/"
	limits := map[string]int{ // bytes an init may allocate
		module + "topology/diagram": 4 << 10,
		module + "rules/report":     4 << 10,
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		m := initLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		limit, ok := limits[m[1]]
		if !ok {
			continue
		}
		seen[m[1]] = true
		if n, _ := strconv.Atoi(m[2]); n > limit {
			t.Errorf("init of %s allocates %s bytes in %s allocations at start-up, want at most %d: build renderers' templates and expressions on first use", m[1], m[2], m[3], limit)
		}
	}
	for pkg := range limits {
		if !seen[pkg] {
			t.Errorf("no inittrace line for %s: the output format changed?\n%s", pkg, out)
		}
	}
}
