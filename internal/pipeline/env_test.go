package pipeline

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bondaudit/bondaudit/collect/demo"
)

// testEnv is an Env writing into buffers, at the fixed time now.
func testEnv() (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &Env{Stdout: &out, Stderr: &errb, Now: func() time.Time { return now }}, &out, &errb
}

// forcedCollections counts the process's runtime.GC calls so far.
func forcedCollections() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// Diff collects once between its two sides (the comment in Diff says why).
func TestDiffCollectsBetweenSides(t *testing.T) {
	e, out, _ := testEnv()
	before := forcedCollections()
	if _, err := e.Diff(DiffRequest{Format: "text", FailOn: "never"}, [2]string{"old", "new"},
		func(string) (fs.FS, error) { return demo.FS(), nil }); err != nil {
		t.Fatal(err)
	}
	if n := forcedCollections() - before; n != 1 {
		t.Errorf("%d forced collections during diff, want 1 (between the sides)", n)
	}
	if out.Len() == 0 {
		t.Error("diff wrote nothing")
	}
}

// TestOutput: "" and "-" are Stdout; a path is a file written whole; an
// error names the flag.
func TestOutput(t *testing.T) {
	e, out, _ := testEnv()
	hello := func(w io.Writer) error { _, err := io.WriteString(w, "hello\n"); return err }
	for _, p := range []string{"", "-"} {
		if err := e.Output("-o", p, hello); err != nil {
			t.Fatal(err)
		}
	}
	if out.String() != "hello\nhello\n" {
		t.Errorf("stdout %q", out.String())
	}
	file := filepath.Join(t.TempDir(), "r.txt")
	if err := e.Output("-o", file, hello); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); string(b) != "hello\n" || out.Len() != 12 {
		t.Errorf("file %q, stdout %q", b, out.String())
	}
	err := e.Output("--save-baseline", filepath.Join(t.TempDir(), "none", "r.json"), hello)
	if err == nil || !strings.HasPrefix(err.Error(), "--save-baseline: ") {
		t.Errorf("err = %v, want one naming --save-baseline", err)
	}
}

// TestEnvLoadPrintsProblems: a site that cannot be read at all lists its
// problems on Stderr, indented; a small site draws no progress line even
// on a terminal.
func TestEnvLoadPrintsProblems(t *testing.T) {
	e, _, errb := testEnv()
	e.Terminal = true
	_, err := e.Load(fstest.MapFS{"hosts/h1.json": {Data: []byte("{not json")}}, "broken", Options{})
	if err == nil || !strings.HasPrefix(errb.String(), "  hosts/h1.json") || strings.Contains(errb.String(), "reading") {
		t.Errorf("err %v, stderr %q", err, errb.String())
	}
	errb.Reset()
	if _, err := e.Judged(demo.FS(), "demo", nil, Options{}); err != nil || errb.Len() != 0 {
		t.Errorf("demo: err %v, stderr %q", err, errb.String())
	}
}

// TestOpenerAfterFlagChecks: a run checks its flags before it opens the
// site, so a bad flag is the error even when the site is missing.
func TestOpenerAfterFlagChecks(t *testing.T) {
	e, _, _ := testEnv()
	opened := false
	open := func() (fs.FS, string, error) { opened = true; return nil, "", errors.New("no site") }
	checks := map[string]func() error{
		"--format: ": func() error { return e.Topology(TopologyRequest{Format: "pdf"}, open) },
		"nothing to judge": func() error {
			_, err := e.WhatIf(WhatIfRequest{Format: "text"}, open)
			return err
		},
		"--depth 0": func() error { return e.Diagram(DiagramRequest{Format: "dot", Depth: 0, MaxNodes: 1}, open) },
		"--max-nodes 0": func() error {
			return e.Diagram(DiagramRequest{Format: "dot", Depth: 1}, open)
		},
		`--format: unknown format "pdf": want yaml, markdown or json`: func() error {
			_, err := e.Fix(FixRequest{Format: "pdf"}, open)
			return err
		},
		`--prefer "both"`: func() error {
			_, err := e.Fix(FixRequest{Format: "yaml", Prefer: "both"}, open)
			return err
		},
		"--fail-on ": func() error {
			_, err := e.Diff(DiffRequest{Format: "text", FailOn: "sometimes"}, [2]string{"a", "b"},
				func(string) (fs.FS, error) { opened = true; return nil, errors.New("no site") })
			return err
		},
	}
	for want, run := range checks {
		opened = false
		if err := run(); err == nil || !strings.HasPrefix(err.Error(), want) || opened {
			t.Errorf("%s: err %v, site opened %v", want, err, opened)
		}
	}
	// Past the checks the site's error is the run's.
	if err := e.Topology(TopologyRequest{Format: "text"}, open); err == nil || err.Error() != "no site" || !opened {
		t.Errorf("err %v, opened %v", err, opened)
	}
}

// TestEnvAudit: the first run of a --baseline/--save-baseline pair says
// so and saves the full report; the next one compares with it and, with
// nothing new, does not fail; without a baseline the demo's findings fail
// --fail-on warning.
func TestEnvAudit(t *testing.T) {
	ctx := context.Background()
	e, out, errb := testEnv()
	base := filepath.Join(t.TempDir(), "base.json")
	q := AuditRequest{Format: "json", FailOn: "warning", Baseline: base, SaveBaseline: base}
	fails, err := e.Audit(ctx, demo.FS(), "demo", q)
	if err != nil || !fails {
		t.Fatalf("first run: fails %v, err %v", fails, err)
	}
	if !strings.HasPrefix(errb.String(), "baseline "+base+" does not exist yet: first run") {
		t.Errorf("first run: stderr %q", errb.String())
	}
	if b, err := os.ReadFile(base); err != nil || !bytes.Contains(b, []byte(`"findings"`)) || !strings.Contains(out.String(), `"findings"`) {
		t.Errorf("baseline saved: %v; stdout %d bytes", err, out.Len())
	}
	errb.Reset()
	fails, err = e.Audit(ctx, demo.FS(), "demo", q)
	if err != nil || fails {
		t.Errorf("second run: fails %v, err %v", fails, err)
	}
	if !strings.HasPrefix(errb.String(), "compared with baseline "+base+": 0 new, ") {
		t.Errorf("second run: stderr %q", errb.String())
	}
	if _, err := e.Audit(ctx, demo.FS(), "demo", AuditRequest{Format: "json", FailOn: "error", Baseline: filepath.Join(t.TempDir(), "none.json")}); err == nil || !strings.HasPrefix(err.Error(), "--baseline ") {
		t.Errorf("missing baseline without --save-baseline: %v", err)
	}
	if _, err := e.Audit(ctx, demo.FS(), "demo", AuditRequest{Format: "pdf"}); err == nil || !strings.HasPrefix(err.Error(), "--format: ") {
		t.Errorf("--format pdf: %v", err)
	}
}

// TestHostsOutcome: collect hosts fails (exit 2) on an error or when no
// host was collected, and reports the rest (exit 1) when some were not.
func TestHostsOutcome(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct {
		ok, total int
		err       error
		fails     bool
		wantErr   string
	}{
		{3, 3, nil, false, ""},
		{2, 3, nil, true, ""},
		{0, 3, nil, false, "no host could be collected"},
		{3, 3, boom, false, "boom"},
	} {
		fails, err := HostsOutcome(c.ok, c.total, c.err)
		if fails != c.fails || (err == nil) != (c.wantErr == "") || (err != nil && err.Error() != c.wantErr) {
			t.Errorf("%d of %d, %v: fails %v, err %v", c.ok, c.total, c.err, fails, err)
		}
	}
}

// TestSiteOutcome: collect site's verdict on its two pools.
func TestSiteOutcome(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct {
		name                  string
		hOK, hTotal           int
		hErr                  error
		sOK, sTotal, sUnsaved int
		sErr                  error
		fails                 bool
		wantErr               string
	}{
		{"all collected", 2, 2, nil, 3, 3, 0, nil, false, ""},
		{"a host missing", 1, 2, nil, 3, 3, 0, nil, true, ""},
		{"a switch missing", 2, 2, nil, 2, 3, 0, nil, true, ""},
		{"no host but switches", 0, 2, nil, 3, 3, 0, nil, true, ""},
		{"nothing", 0, 2, nil, 0, 3, 0, nil, false, "no host and no switch could be collected"},
		{"hosts failed", 2, 2, boom, 3, 3, 0, nil, false, "hosts: boom"},
		{"switches failed", 2, 2, nil, 0, 0, 0, boom, false, "switches: boom"},
		{"both failed", 0, 0, boom, 0, 0, 0, boom, false, "hosts: boom\nswitches: boom"},
		{"unsaved", 2, 2, nil, 3, 3, 1, nil, false, "1 of 3 switch snapshots could not be saved in s/switches"},
	} {
		fails, err := siteOutcome(c.hOK, c.hTotal, c.hErr, c.sOK, c.sTotal, c.sUnsaved, c.sErr, "s/switches")
		if fails != c.fails || (err == nil) != (c.wantErr == "") || (err != nil && err.Error() != c.wantErr) {
			t.Errorf("%s: fails %v, err %v", c.name, fails, err)
		}
	}
}

func TestSmallHelpers(t *testing.T) {
	for names, want := range map[string]string{"": "", "a": "a", "a b": "a or b", "a b c": "a, b or c"} {
		if got := FormatList(strings.Fields(names)); got != want {
			t.Errorf("FormatList(%q) = %q, want %q", names, got, want)
		}
	}
	for out, want := range map[string]string{"": "yaml", "p.yaml": "yaml", "t.MD": "markdown", "p.json": "json", "p.txt": "yaml"} {
		if got := FixFormatByExt(out, "yaml"); got != want {
			t.Errorf("FixFormatByExt(%q) = %q, want %q", out, got, want)
		}
	}
	if got := DiffLabels("/h/2026-11-24", "/h/2026-11-25"); got != [2]string{"2026-11-24", "2026-11-25"} {
		t.Errorf("DiffLabels of two folders: %q", got)
	}
	if got := DiffLabels("a/site/", "b/site"); got != [2]string{"a/site", "b/site"} {
		t.Errorf("DiffLabels of two folders named site: %q", got)
	}
	sep := string(filepath.Separator)
	for dir, want := range map[string]string{"site": "." + sep + "site", "./site": "./site", "../x": "../x", sep + "abs": sep + "abs"} {
		if got := exportArg(dir); got != want {
			t.Errorf("exportArg(%q) = %q, want %q", dir, got, want)
		}
	}
}

// TestExportDemo: every embedded file is written; a folder that is not
// empty is refused unless force.
func TestExportDemo(t *testing.T) {
	e, out, _ := testEnv()
	dir := filepath.Join(t.TempDir(), "site")
	if err := e.ExportDemo(dir, false); err != nil {
		t.Fatal(err)
	}
	var want []string
	fs.WalkDir(demo.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			want = append(want, p)
		}
		return err
	})
	var got []string
	fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			got = append(got, p)
		}
		return err
	})
	if len(want) == 0 || !slices.Equal(got, want) || !strings.HasSuffix(out.String(), "next: bondaudit audit "+dir+"\n") {
		t.Errorf("exported %d files of %d; stdout %q", len(got), len(want), out.String())
	}
	if err := e.ExportDemo(dir, false); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("again without force: %v", err)
	}
	if err := e.ExportDemo(dir, true); err != nil {
		t.Errorf("again with force: %v", err)
	}
}
