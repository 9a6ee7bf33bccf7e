package runjob

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// demoSite writes the demo site's hosts to dir/hosts and its switch walks
// to dir/walks, as a site kept by its hosts and a folder of recordings.
func demoSite(t *testing.T, dir string) {
	t.Helper()
	err := fs.WalkDir(demo.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		rel := strings.Replace(p, "switches", "walks", 1)
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := fs.ReadFile(demo.FS(), p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

type fixture struct {
	dir    string
	cfg    *Config
	clock  time.Time
	stderr bytes.Buffer
}

func newFixture(t *testing.T, extra string) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: t0}
	demoSite(t, f.dir)
	path := filepath.Join(f.dir, "run.yaml")
	yaml := "site: dc1\nhosts: {from: hosts}\nswitches: {from: walks}\nhistory: history\n" + extra
	write(t, path, yaml)
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	f.cfg = cfg
	return f
}

func (f *fixture) run(t *testing.T) (*Outcome, error) {
	t.Helper()
	f.stderr.Reset()
	return Run(context.Background(), f.cfg, Options{Now: func() time.Time { return f.clock }, Stderr: &f.stderr,
		Hostname: func() (string, error) { return "auditor1", nil }})
}

func (f *fixture) history(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(f.cfg.History)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

// TestRunTwiceInOneSecond: two runs in the same second are two dated
// folders side by side; the second is compared with the first; latest
// points at the second; each holds a site audit reads, its report and
// manifest.
func TestRunTwiceInOneSecond(t *testing.T) {
	f := newFixture(t, "outputs:\n  - {path: out/report.json}\n  - {format: prom, path: out/bondaudit.prom}\n")
	os.Mkdir(filepath.Join(f.dir, "out"), 0o755)
	out1, err := f.run(t)
	if err != nil {
		t.Fatalf("%v\n%s", err, f.stderr.String())
	}
	first := f.stderr.String()
	if out1.Previous != "" || out1.Diff != nil || !strings.Contains(first, "first run in ") {
		t.Errorf("first run compared with %q:\n%s", out1.Previous, first)
	}
	// a cable moves: db01 eno1 now hears leaf2 Ethernet6
	lldp := filepath.Join(f.dir, "hosts", "db01", "lldp.json")
	b, _ := os.ReadFile(lldp)
	os.WriteFile(lldp, bytes.Replace(b, []byte(`"value": "Ethernet5"`), []byte(`"value": "Ethernet6"`), 1), 0o644)
	out2, err := f.run(t)
	if err != nil {
		t.Fatalf("%v\n%s", err, f.stderr.String())
	}
	if got, want := f.history(t), []string{".lock", "2026-12-03T140211Z", "2026-12-03T140211Z-2", "latest"}; !slices.Equal(got, want) {
		t.Errorf("history holds %q, want %q", got, want)
	}
	if l, _ := os.Readlink(filepath.Join(f.cfg.History, "latest")); l != "2026-12-03T140211Z-2" {
		t.Errorf("latest -> %q", l)
	}
	for _, snap := range []string{out1.Snapshot, out2.Snapshot} {
		entries, _ := os.ReadDir(snap)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if slices.ContainsFunc(names, func(n string) bool { _, dated := ParseRunName(n); return dated }) {
			t.Errorf("%s holds a run inside it: %q", snap, names)
		}
		for _, n := range []string{"hosts", "switches", ReportName, ManifestName} {
			if !slices.Contains(names, n) {
				t.Errorf("%s has no %s: %q", snap, n, names)
			}
		}
	}
	if out2.Previous != out1.Snapshot || out2.Diff == nil {
		t.Fatalf("second run compared with %q", out2.Previous)
	}
	moved := out2.Diff.Drift.LinksMoved
	if len(moved) != 1 || moved[0].Host != "db01" || moved[0].NIC != "eno1" || moved[0].To.Port != "Ethernet6" {
		t.Errorf("links moved %+v, want db01 eno1 to leaf2 Ethernet6", moved)
	}
	md, _ := os.ReadFile(filepath.Join(out2.Snapshot, DiffMarkdownName))
	if !bytes.Contains(md, []byte("| cabling | moved | db01 eno1 | leaf2 Ethernet5 → leaf2 Ethernet6 |")) {
		t.Errorf("diff.md:\n%s", md)
	}
	var dj struct {
		Schema  string `json:"schema"`
		Changes struct {
			LinksMoved []topology.LinkMove `json:"links_moved"`
		} `json:"changes"`
	}
	b, _ = os.ReadFile(filepath.Join(out2.Snapshot, DiffJSONName))
	if err := json.Unmarshal(b, &dj); err != nil || dj.Schema != "bondaudit.diff/v1" || len(dj.Changes.LinksMoved) != 1 {
		t.Errorf("diff.json: %v %+v", err, dj)
	}
	if !strings.Contains(f.stderr.String(), "since 2026-12-03T140211Z: 2 new, 0 resolved") ||
		!strings.Contains(f.stderr.String(), "1 topology change") {
		t.Errorf("stderr:\n%s", f.stderr.String())
	}
	// the report names the site by its stable name, not the folder
	for _, p := range []string{filepath.Join(out2.Snapshot, ReportName), filepath.Join(f.dir, "out", "report.json")} {
		var rep struct{ Site string }
		b, _ := os.ReadFile(p)
		if json.Unmarshal(b, &rep); rep.Site != "dc1" {
			t.Errorf("%s: site %q, want dc1", p, rep.Site)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(f.dir, "out", "bondaudit.prom")); !bytes.Contains(b, []byte(`site="dc1"`)) {
		t.Errorf("prom output has no site=\"dc1\":\n%s", b)
	}
	// the run's own series: how long it took and that it succeeded
	b, _ = os.ReadFile(filepath.Join(f.dir, "out", "bondaudit.prom"))
	for _, want := range []string{`bondaudit_run_success{site="dc1"} 1`, `bondaudit_last_success_timestamp_seconds{site="dc1"} `,
		`bondaudit_run_duration_seconds{site="dc1"} `} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("prom output lacks %q:\n%s", want, b)
		}
	}
}

// TestRunGoneHostAndNotRead: a host whose capture is gone is gone from
// the snapshot; what the hosts' folder holds that may not be read is NOT
// READ in the report, and in the next run's comparison.
func TestRunGoneHostAndNotRead(t *testing.T) {
	f := newFixture(t, "")
	if _, err := f.run(t); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(f.dir, "hosts", "web02"))
	os.Symlink("/etc/passwd", filepath.Join(f.dir, "hosts", "evil.json"))
	f.clock = f.clock.Add(time.Hour)
	out, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Join(out.Snapshot, "hosts", "web02")) || exists(filepath.Join(out.Snapshot, "hosts", "evil.json")) {
		t.Error("the snapshot holds web02 or evil.json")
	}
	if !slices.Contains(out.Report.Problems, "hosts/evil.json: symlink leaves the site") {
		t.Errorf("problems %q", out.Report.Problems)
	}
	if !slices.Equal(out.Diff.Drift.HostsRemoved, []string{"web02"}) {
		t.Errorf("hosts removed %q", out.Diff.Drift.HostsRemoved)
	}
	if !strings.Contains(f.stderr.String(), "collected 7 hosts from "+filepath.Join(f.dir, "hosts")+" (1 input NOT READ)") {
		t.Errorf("stderr:\n%s", f.stderr.String())
	}
	// web02 is gone, not fixed: a map.host-missing finding, and none of
	// its findings resolved
	missing := false
	for _, fd := range out.Report.Findings {
		missing = missing || fd.Rule == "map.host-missing" && fd.Host == "web02"
	}
	if !missing {
		t.Error("no map.host-missing finding for web02")
	}
	for _, fd := range out.Diff.Delta.Resolved {
		if fd.Host == "web02" {
			t.Errorf("web02's finding %s %s counted as resolved", fd.Rule, fd.NIC)
		}
	}
	if len(out.Diff.Delta.Gone) == 0 {
		t.Error("the diff lists no finding gone with web02")
	}

	// the next run compares with this one, NOT READ included on both sides
	f.clock = f.clock.Add(time.Hour)
	out3, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(out3.Diff.Old.Problems, "hosts/evil.json: symlink leaves the site") {
		t.Errorf("previous side's problems %q", out3.Diff.Old.Problems)
	}
	if len(out3.Diff.Delta.New) != 0 || out3.Diff.Delta.ResolvedKeys() != 0 {
		t.Errorf("nothing changed, yet %d new, %d resolved", len(out3.Diff.Delta.New), out3.Diff.Delta.ResolvedKeys())
	}
}

// TestRunKeepsCaptureTimes: an aged capture keeps its age in the
// snapshot (the capture time lane fresh reads).
func TestRunKeepsCaptureTimes(t *testing.T) {
	f := newFixture(t, "")
	aged := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	filepath.WalkDir(filepath.Join(f.dir, "hosts", "app01"), func(p string, _ fs.DirEntry, _ error) error {
		return os.Chtimes(p, aged, aged)
	})
	out, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"hosts/app01", "hosts/app01/bonding/bond0", "hosts/app01/ip-link.json"} {
		st, err := os.Stat(filepath.Join(out.Snapshot, p))
		if err != nil || !st.ModTime().Equal(aged) {
			t.Errorf("%s: %v, want %v (%v)", p, st.ModTime(), aged, err)
		}
	}
	// captured 2026-11-20, the run at the fixture's clock: stale
	stale := map[string]bool{}
	for _, fd := range out.Report.Findings {
		if fd.Rule == "map.stale-capture" {
			stale[fd.Host+fd.Switch] = true
		}
	}
	if !stale["app01"] || len(stale) != 1 {
		t.Errorf("map.stale-capture on %v, want app01 only", stale)
	}
}

// TestRunNothingReadable: a run with nothing readable fails, keeps what
// it collected without a report, leaves latest alone, and is no
// baseline for the next run.
func TestRunNothingReadable(t *testing.T) {
	f := newFixture(t, "")
	if _, err := f.run(t); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(f.dir, "hosts.good")
	os.Rename(filepath.Join(f.dir, "hosts"), good)
	os.Rename(filepath.Join(f.dir, "walks"), filepath.Join(f.dir, "walks.good"))
	write(t, filepath.Join(f.dir, "hosts", "h1.json"), "{not json")
	os.Mkdir(filepath.Join(f.dir, "walks"), 0o755)
	f.clock = f.clock.Add(time.Hour)
	_, err := f.run(t)
	var re *Error
	if !errors.As(err, &re) || !errors.Is(err, collect.ErrNothingReadable) || len(re.Problems) == 0 || re.Snapshot == "" {
		t.Fatalf("err = %v (%+v)", err, re)
	}
	if exists(filepath.Join(re.Snapshot, ReportName)) || !exists(filepath.Join(re.Snapshot, "hosts", "h1.json")) {
		t.Error("the failed run's snapshot has a report, or not what was collected")
	}
	if l, _ := os.Readlink(filepath.Join(f.cfg.History, "latest")); l != "2026-12-03T140211Z" {
		t.Errorf("latest -> %q after a failed run", l)
	}
	os.RemoveAll(filepath.Join(f.dir, "hosts"))
	os.RemoveAll(filepath.Join(f.dir, "walks"))
	os.Rename(good, filepath.Join(f.dir, "hosts"))
	os.Rename(filepath.Join(f.dir, "walks.good"), filepath.Join(f.dir, "walks"))
	f.clock = f.clock.Add(time.Hour)
	out, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(out.Previous) != "2026-12-03T140211Z" {
		t.Errorf("compared with %q, want the last run that finished", out.Previous)
	}
}

// TestRunLockHeld: a run while another holds the history's lock does
// nothing and says who holds it.
func TestRunLockHeld(t *testing.T) {
	f := newFixture(t, "")
	holder := Holder{PID: 777, Host: "other", Started: t0.Add(-time.Minute), Config: "/etc/bondaudit/run.yaml"}
	l, err := Acquire(f.cfg.History, holder)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.run(t)
	var he *HeldError
	if !errors.As(err, &he) || he.Holder == nil || he.Holder.PID != 777 {
		t.Fatalf("err = %v", err)
	}
	if got := f.history(t); !slices.Equal(got, []string{".lock"}) {
		t.Errorf("history holds %q while the lock was held", got)
	}
	l.Release()
	if _, err := f.run(t); err != nil {
		t.Fatal(err)
	}
}

// TestRunRemovesLeftovers: a killed run's half-collected folder and a
// stale lock are cleaned up by the next run.
func TestRunRemovesLeftovers(t *testing.T) {
	f := newFixture(t, "")
	left := filepath.Join(f.cfg.History, tempPrefix+"123456")
	write(t, filepath.Join(left, "hosts", "x.json"), "{}")
	b, _ := json.Marshal(Holder{PID: 123456, Host: "auditor1", Started: t0.Add(-6 * time.Hour), Config: f.cfg.Path})
	write(t, filepath.Join(f.cfg.History, ".lock"), string(b))
	if _, err := f.run(t); err != nil {
		t.Fatal(err)
	}
	if exists(left) {
		t.Error("the killed run's folder is still there")
	}
	for _, w := range []string{"took over the lock of a run that ended without releasing it (pid 123456 on auditor1, since 08:02:11 UTC",
		"removed what a killed run left in " + f.cfg.History + ": " + tempPrefix + "123456"} {
		if !strings.Contains(f.stderr.String(), w) {
			t.Errorf("stderr has no %q:\n%s", w, f.stderr.String())
		}
	}
}

// TestRunRetention: old runs go per the retention, only dated folders,
// never the current one.
func TestRunRetention(t *testing.T) {
	f := newFixture(t, "retention: {keep: 2, days: 1}\n")
	os.MkdirAll(filepath.Join(f.cfg.History, "notes"), 0o755)
	os.MkdirAll(filepath.Join(f.cfg.History, "2020-01-01"), 0o755)
	var snaps []string
	for i := range 4 {
		f.clock = t0.Add(time.Duration(i) * 25 * time.Hour)
		out, err := f.run(t)
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, filepath.Base(out.Snapshot))
	}
	want := []string{".lock", "2020-01-01", snaps[2], snaps[3], "latest", "notes"}
	if got := f.history(t); !slices.Equal(got, want) {
		t.Errorf("history %q, want %q", got, want)
	}
	if !strings.Contains(f.stderr.String(), "pruned 1 run (keep 2, 1 days): "+snaps[1]) {
		t.Errorf("stderr:\n%s", f.stderr.String())
	}
}

// TestRunPolledSwitches: switches from a targets file are polled (here a
// stand-in for snmp.Poll) and saved into the snapshot; one that failed is
// reported unreachable, and the run goes on.
func TestRunPolledSwitches(t *testing.T) {
	f := newFixture(t, "")
	f.cfg.Switches = &Switches{Targets: "/etc/targets.yaml", Concurrency: 3}
	site, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var asked string
	poll := func(_ context.Context, targets string, conc int) ([]snmp.Result, error) {
		asked = targets
		var rs []snmp.Result
		for _, s := range site.Switches {
			if s.Name == "access2" {
				err := errors.New("timeout")
				rs = append(rs, snmp.Result{Target: snmp.Target{Name: s.Name}, Err: err,
					Switch: &topology.Switch{Name: s.Name, Unreachable: true, Error: err.Error()}})
				continue
			}
			rs = append(rs, snmp.Result{Target: snmp.Target{Name: s.Name}, Switch: s})
		}
		return rs, nil
	}
	out, err := Run(context.Background(), f.cfg, Options{Now: func() time.Time { return t0 }, Stderr: &f.stderr, Poll: poll})
	if err != nil {
		t.Fatal(err)
	}
	if asked != "/etc/targets.yaml" {
		t.Errorf("polled %q", asked)
	}
	for _, n := range []string{"access2", "leaf1a", "leaf1b", "leaf2"} {
		if !exists(filepath.Join(out.Snapshot, "switches", n+".json")) {
			t.Errorf("no snapshot of %s", n)
		}
	}
	if !slices.ContainsFunc(out.Report.Findings, func(f rules.Finding) bool {
		return f.Rule == "map.switch-unreachable" && f.Switch == "access2"
	}) {
		t.Error("access2 is not reported unreachable")
	}
	if !strings.Contains(f.stderr.String(), "polled 3 of 4 switches from /etc/targets.yaml") {
		t.Errorf("stderr:\n%s", f.stderr.String())
	}
}

// TestRunPolicy: the policy is checked, copied into the snapshot and
// applied; a broken one fails the run before anything is written.
func TestRunPolicy(t *testing.T) {
	f := newFixture(t, "policy: policy.yaml\n")
	write(t, filepath.Join(f.dir, "policy.yaml"), "disabled: [redundancy.single-switch]\n")
	out, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out.Snapshot, "policy.yaml")); string(b) != "disabled: [redundancy.single-switch]\n" {
		t.Errorf("snapshot policy.yaml = %q", b)
	}
	if slices.ContainsFunc(out.Report.Findings, func(f rules.Finding) bool { return f.Rule == "redundancy.single-switch" }) {
		t.Error("the policy was not applied")
	}
	write(t, filepath.Join(f.dir, "policy.yaml"), "disabled: [no.such-rule]\n")
	f.clock = f.clock.Add(time.Minute)
	if _, err := f.run(t); err == nil || !strings.Contains(err.Error(), "policy.yaml:1") {
		t.Fatalf("broken policy: %v", err)
	}
	if got := f.history(t); len(got) != 3 {
		t.Errorf("a failed policy left %q", got)
	}
}

// TestRunOutputNotWritten: an output that cannot be written fails the run
// (exit 2) after the others, the snapshot and latest are done.
func TestRunOutputNotWritten(t *testing.T) {
	f := newFixture(t, "outputs:\n  - {path: missing/dir/r.json}\n  - {path: r.md}\n")
	out, err := f.run(t)
	var re *Error
	if !errors.As(err, &re) || !strings.Contains(err.Error(), filepath.Join(f.dir, "missing/dir/r.json")) {
		t.Fatalf("err = %v", err)
	}
	if out == nil || !exists(filepath.Join(f.dir, "r.md")) || !exists(filepath.Join(f.cfg.History, "latest")) {
		t.Errorf("the other output or latest was not written")
	}
}

// TestRunSourceMissing: a hosts folder that is not there fails the run
// before anything lands in the history.
func TestRunSourceMissing(t *testing.T) {
	f := newFixture(t, "")
	os.RemoveAll(filepath.Join(f.dir, "hosts"))
	_, err := f.run(t)
	if err == nil || !strings.HasPrefix(err.Error(), "hosts.from: site "+filepath.Join(f.dir, "hosts")) {
		t.Fatalf("err = %v", err)
	}
	if got := f.history(t); !slices.Equal(got, []string{".lock"}) {
		t.Errorf("history holds %q after a failed collection", got)
	}
}
