package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/sys/unix"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/internal/snmplab"
)

// runBinary runs the built bondaudit with args and returns its exit code,
// stdout and stderr.
func runBinary(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(sharedBinary(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errb.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errb.String()
	}
	t.Fatalf("running bondaudit: %v", err)
	return -1, "", ""
}

var datedRun = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{6}Z(-[1-9][0-9]*)?$`)

// historyOf lists a history folder: its dated runs (oldest first) and
// everything else; a run holding a run (nesting) fails the test.
func historyOf(t *testing.T, dir string) (runs, other []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !datedRun.MatchString(e.Name()) {
			other = append(other, e.Name())
			continue
		}
		if !e.IsDir() {
			t.Errorf("history %s is not a folder", e.Name())
		}
		runs = append(runs, e.Name())
		filepath.WalkDir(filepath.Join(dir, e.Name()), func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() && datedRun.MatchString(d.Name()) && p != filepath.Join(dir, e.Name()) {
				t.Errorf("a run nests inside another: %s", p)
			}
			return nil
		})
	}
	return runs, other
}

func latestOf(t *testing.T, dir string) string {
	t.Helper()
	l, err := os.Readlink(filepath.Join(dir, "latest"))
	if err != nil {
		t.Fatalf("latest: %v", err)
	}
	return l
}

// holdLock takes the flock of history/.lock as a running bondaudit run
// would, writing holder into the file; release lets it go.
func holdLock(t *testing.T, history, holder string) (release func()) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(history, ".lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(holder), 0)
	return func() { f.Close() }
}

// TestRunThreeTimesOverAChangingSite is issue 14's "done when": bondaudit
// run three times over a site that changes between runs (a cable moved
// and a host gone, then a capture aged), checking the history folder, the
// diff, the outputs, the exit codes, the lock and retention.
func TestRunThreeTimesOverAChangingSite(t *testing.T) {
	site := copyDemo(t)
	work := t.TempDir()
	history := filepath.Join(work, "history")
	outDir := filepath.Join(work, "out")
	os.Mkdir(outDir, 0o755)
	config := filepath.Join(work, "run.yaml")
	writeConfig := func(failOn string) {
		t.Helper()
		c := fmt.Sprintf(`site: dc1
hosts: {from: %s}
switches: {from: %s}
history: history
retention: {keep: 2}
outputs:
  - {format: json, path: out/report.json}
  - {format: prom, path: out/bondaudit.prom}
  - {format: html, path: out/report.html}
  - {format: markdown, path: out/report.md}
  - {format: junit, path: out/report.xml}
  - {format: sarif, path: out/report.sarif}
fail_on: %s
`, filepath.Join(site, "hosts"), filepath.Join(site, "switches"), failOn)
		if err := os.WriteFile(config, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig("error")

	// Run 1: the demo site as it is. It has errors: exit 1 (fail_on error).
	code, stdout, stderr := runBinary(t, "run", config)
	if code != 1 || stdout != "" {
		t.Fatalf("run 1: exit %d, stdout %q\n%s", code, stdout, stderr)
	}
	runs, _ := historyOf(t, history)
	if len(runs) != 1 || latestOf(t, history) != runs[0] {
		t.Fatalf("after run 1: runs %q, latest %q", runs, latestOf(t, history))
	}
	run1 := runs[0]
	for _, w := range []string{"collected 8 hosts from " + filepath.Join(site, "hosts"), "collected 4 switches from ",
		"snapshot " + filepath.Join(history, run1), "first run in " + history, "wrote prom " + filepath.Join(outDir, "bondaudit.prom")} {
		if !strings.Contains(stderr, w) {
			t.Errorf("run 1 stderr has no %q:\n%s", w, stderr)
		}
	}
	for _, n := range []string{"report.json", "bondaudit.prom", "report.html", "report.md", "report.xml", "report.sarif"} {
		st, err := os.Stat(filepath.Join(outDir, n))
		if err != nil || st.Size() == 0 || st.Mode().Perm()&0o044 != 0o044 {
			t.Errorf("output %s: %v %v (want it readable by others: node_exporter runs as its own user)", n, st, err)
		}
	}
	var rep struct {
		Site     string
		Findings []struct{ Rule, Host string }
	}
	b, _ := os.ReadFile(filepath.Join(outDir, "report.json"))
	if err := json.Unmarshal(b, &rep); err != nil || rep.Site != "dc1" {
		t.Errorf("report.json: site %q (%v), want the config's dc1", rep.Site, err)
	}

	// The lock: a run while another holds it exits 2 naming the holder and
	// touches nothing.
	started := time.Now().UTC().Add(-90 * time.Second).Truncate(time.Second)
	release := holdLock(t, history, fmt.Sprintf(`{"pid":4242,"host":"auditor1","started":%q,"config":"/etc/bondaudit/run.yaml"}`, started.Format(time.RFC3339)))
	code, _, stderr = runBinary(t, "run", config)
	since := started.Format("15:04:05 UTC")
	if started.Day() != time.Now().UTC().Day() { // just after midnight
		since = started.Format("2006-01-02 15:04:05 UTC")
	}
	want := fmt.Sprintf("bondaudit run: another run holds %s (pid 4242 on auditor1, since %s, config /etc/bondaudit/run.yaml)\n",
		filepath.Join(history, ".lock"), since)
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("run while locked: exit %d, stderr\n%s\nwant\n%s", code, stderr, want)
	}
	if r, _ := historyOf(t, history); !slices.Equal(r, runs) {
		t.Errorf("a locked-out run changed the history: %q", r)
	}
	release()

	// Run 2: a cable moved (db01 eno1 from leaf2 Ethernet5 to Ethernet6) and
	// a host's capture gone (web02).
	lldp := filepath.Join(site, "hosts", "db01", "lldp.json")
	b, _ = os.ReadFile(lldp)
	os.WriteFile(lldp, bytes.Replace(b, []byte(`"value": "Ethernet5"`), []byte(`"value": "Ethernet6"`), 1), 0o644)
	os.RemoveAll(filepath.Join(site, "hosts", "web02"))
	// and a host planted a link to a secret: NOT READ, never copied
	os.Symlink(writeSecret(t), filepath.Join(site, "hosts", "evil.json"))
	code, _, stderr = runBinary(t, "run", config)
	if code != 1 {
		t.Fatalf("run 2: exit %d\n%s", code, stderr)
	}
	runs, _ = historyOf(t, history)
	if len(runs) != 2 || runs[0] != run1 || latestOf(t, history) != runs[1] {
		t.Fatalf("after run 2: runs %q, latest %q", runs, latestOf(t, history))
	}
	run2 := filepath.Join(history, runs[1])
	if !strings.Contains(stderr, "since "+run1+": 3 new, ") || !strings.Contains(stderr, " gone with 1 missing host") || !strings.Contains(stderr, "collected 7 hosts") {
		t.Errorf("run 2 stderr:\n%s", stderr)
	}
	b, _ = os.ReadFile(filepath.Join(run2, "report.json"))
	if !bytes.Contains(b, []byte(`"hosts/evil.json: symlink leaves the site"`)) {
		t.Errorf("run 2's report.json does not say hosts/evil.json was NOT READ:\n%s", b)
	}
	filepath.WalkDir(history, func(p string, d fs.DirEntry, err error) error {
		if b, _ := os.ReadFile(p); err == nil && !d.IsDir() && bytes.Contains(b, []byte(secretText)) {
			t.Errorf("the secret reached %s", p)
		}
		return nil
	})
	md, _ := os.ReadFile(filepath.Join(run2, "diff.md"))
	for _, w := range []string{"| cabling | moved | db01 eno1 | leaf2 Ethernet5 → leaf2 Ethernet6 |", "| host | removed | web02 |"} {
		if !bytes.Contains(md, []byte(w)) {
			t.Errorf("diff.md has no %q:\n%s", w, md)
		}
	}
	var diff struct {
		Changes struct {
			HostsRemoved []string `json:"hosts_removed"`
			LinksMoved   []struct {
				Host, NIC string
				To        struct{ Switch, Port string }
			} `json:"links_moved"`
		} `json:"changes"`
	}
	b, _ = os.ReadFile(filepath.Join(run2, "diff.json"))
	if err := json.Unmarshal(b, &diff); err != nil || len(diff.Changes.LinksMoved) != 1 || diff.Changes.LinksMoved[0].To.Port != "Ethernet6" ||
		!slices.Equal(diff.Changes.HostsRemoved, []string{"web02"}) {
		t.Errorf("diff.json: %v %+v", err, diff.Changes)
	}
	// web02 is gone, not fixed: run 2's report has map.host-missing for
	// it, and the diff puts its old findings under gone, none resolved.
	if f := findingsIn(t, filepath.Join(run2, "report.json")); !f["map.host-missing web02"] {
		t.Errorf("run 2's report.json has no map.host-missing for web02: %v", f)
	}
	var gone struct {
		Findings struct{ Resolved, Gone []struct{ Rule, Host string } }
	}
	b, _ = os.ReadFile(filepath.Join(run2, "diff.json"))
	json.Unmarshal(b, &gone)
	for _, f := range gone.Findings.Resolved {
		if f.Host == "web02" {
			t.Errorf("diff.json resolves web02's %s", f.Rule)
		}
	}
	if len(gone.Findings.Gone) == 0 || gone.Findings.Gone[0].Host != "web02" {
		t.Errorf("diff.json lists no finding gone with web02: %+v", gone.Findings.Gone)
	}

	// Run 3: app01's capture aged three days; fail_on never: exit 0. A
	// lock file left by a killed run (no flock held) is taken over.
	aged := time.Now().Add(-72 * time.Hour).Truncate(time.Second)
	filepath.WalkDir(filepath.Join(site, "hosts", "app01"), func(p string, _ fs.DirEntry, _ error) error {
		return os.Chtimes(p, aged, aged)
	})
	os.WriteFile(filepath.Join(history, ".lock"), []byte(`{"pid":999999,"host":"auditor1","started":"2026-12-01T06:15:00Z","config":"/etc/bondaudit/run.yaml"}`), 0o644)
	writeConfig("never")
	code, _, stderr = runBinary(t, "run", config)
	if code != 0 {
		t.Fatalf("run 3: exit %d\n%s", code, stderr)
	}
	runs, other := historyOf(t, history)
	if len(runs) != 2 || slices.Contains(runs, run1) || latestOf(t, history) != runs[1] || filepath.Join(history, runs[0]) != run2 {
		t.Errorf("after run 3 (keep 2): runs %q, latest %q", runs, latestOf(t, history))
	}
	if !slices.Equal(other, []string{".lock", "latest"}) {
		t.Errorf("history also holds %q", other)
	}
	for _, w := range []string{"took over the lock of a run that ended without releasing it (pid 999999 on auditor1, since 2026-12-01 06:15:00 UTC",
		"pruned 1 run (keep 2): " + run1, "since " + filepath.Base(run2) + ": "} {
		if !strings.Contains(stderr, w) {
			t.Errorf("run 3 stderr has no %q:\n%s", w, stderr)
		}
	}
	st, err := os.Stat(filepath.Join(history, runs[1], "hosts", "app01", "ip-link.json"))
	if err != nil || !st.ModTime().Equal(aged) {
		t.Errorf("app01's capture in the snapshot: %v, want it captured at %v", st, aged)
	}
	// app01's capture is three days old: map.stale-capture, and nothing
	// else stale (the other captures were just written).
	stale := 0
	for k := range findingsIn(t, filepath.Join(history, runs[1], "report.json")) {
		if strings.HasPrefix(k, "map.stale-capture ") {
			stale++
		}
	}
	if f := findingsIn(t, filepath.Join(history, runs[1], "report.json")); !f["map.stale-capture app01"] || stale != 1 {
		t.Errorf("run 3: map.stale-capture on %d subjects, want app01 only: %v", stale, f)
	}
	runAlertsOnScrape(t, outDir)
	if b, _ := os.ReadFile(filepath.Join(history, ".lock")); len(b) != 0 {
		t.Errorf("the finished run left its lock file saying %q", b)
	}
}

// TestRunTwiceInOneSecond: two runs in the same second (the in-process
// CLI's clock is fixed) get two folders side by side, the second named -2.
func TestRunTwiceInOneSecond(t *testing.T) {
	site := copyDemo(t)
	work := t.TempDir()
	config := filepath.Join(work, "run.yaml")
	os.WriteFile(config, []byte(fmt.Sprintf("site: dc1\nhosts: {from: %s}\nswitches: {from: %s}\nhistory: h\nfail_on: never\n",
		filepath.Join(site, "hosts"), filepath.Join(site, "switches"))), 0o644)
	for i := range 3 {
		if code, _, stderr := runCLI(t, "run", config); code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i+1, code, stderr)
		}
	}
	runs, other := historyOf(t, filepath.Join(work, "h"))
	if want := []string{"2026-11-25T080000Z", "2026-11-25T080000Z-2", "2026-11-25T080000Z-3"}; !slices.Equal(runs, want) {
		t.Errorf("runs %q, want %q", runs, want)
	}
	if !slices.Equal(other, []string{".lock", "latest"}) || latestOf(t, filepath.Join(work, "h")) != "2026-11-25T080000Z-3" {
		t.Errorf("history also holds %q; latest %q", other, latestOf(t, filepath.Join(work, "h")))
	}
	if _, err := os.Stat(filepath.Join(work, "h", "2026-11-25T080000Z-2", "diff.md")); err != nil {
		t.Errorf("the second run was not compared with the first: %v", err)
	}
}

// TestRunConfigErrors: a bad config is exit 2 with file:line.
func TestRunConfigErrors(t *testing.T) {
	config := filepath.Join(t.TempDir(), "run.yaml")
	os.WriteFile(config, []byte("site: dc1\nhosts: {from: /srv/hosts}\nhistory: /srv/h\nouputs: []\n"), 0o644)
	code, _, stderr := runCLI(t, "run", config)
	if want := "bondaudit run: " + config + `:4: unknown key "ouputs"; allowed: site, hosts, switches, policy, history, retention, outputs, fail_on`; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr\n%s\nwant\n%s", code, stderr, want)
	}
	code, _, stderr = runCLI(t, "run", filepath.Join(t.TempDir(), "nope.yaml"))
	if code != 2 || !strings.Contains(stderr, "bondaudit run: run config: open ") {
		t.Errorf("missing config: exit %d, %s", code, stderr)
	}
}

// TestRunPollsTargets: switches.targets polls real snmpd agents as
// collect switches does (here leaf2 of the demo, and an address where
// nothing answers); the polled snapshots land in the run's snapshot, the
// dead switch is reported unreachable, and the community string reaches
// no file of the history and no output.
func TestRunPollsTargets(t *testing.T) {
	const community = "c0mmunity-RUN-XYZZY"
	agent := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: filepath.Join("..", "..", "collect", "demo", "site", "switches", "leaf2.snmprec"), Community: community})
	dead := snmplab.FreeUDPPort(t)
	site := copyDemo(t)
	os.RemoveAll(filepath.Join(site, "switches"))
	work := t.TempDir()
	t.Setenv("TEST_RUN_COMMUNITY", community)
	os.WriteFile(filepath.Join(work, "targets.yaml"), []byte(fmt.Sprintf(`
defaults:
  community: {env: TEST_RUN_COMMUNITY}
  timeout: 1s
  retries: 0
  deadline: 30s
targets:
  - {name: leaf2, address: 127.0.0.1, port: %d}
  - {name: gone1, address: 127.0.0.1, port: %d}
`, agent.Port, dead)), 0o600)
	config := filepath.Join(work, "run.yaml")
	os.WriteFile(config, []byte(fmt.Sprintf("site: dc1\nhosts: {from: %s}\nswitches: {targets: targets.yaml, concurrency: 2}\nhistory: h\n"+
		"outputs:\n  - {path: out.json}\nfail_on: never\n", filepath.Join(site, "hosts"))), 0o644)
	code, _, stderr := runCLI(t, "run", config)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, w := range []string{"switch gone1: not collected", "polled 1 of 2 switches from " + filepath.Join(work, "targets.yaml")} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr has no %q:\n%s", w, stderr)
		}
	}
	snap := filepath.Join(work, "h", "2026-11-25T080000Z")
	for _, n := range []string{"leaf2.json", "gone1.json"} {
		if _, err := os.Stat(filepath.Join(snap, "switches", n)); err != nil {
			t.Errorf("snapshot of %s: %v", n, err)
		}
	}
	var rep struct {
		Findings []struct{ Rule, Switch string }
		Links    []struct{ Host, Switch, Port string }
	}
	b, _ := os.ReadFile(filepath.Join(work, "out.json"))
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rep.Findings, func(f struct{ Rule, Switch string }) bool {
		return f.Rule == "map.switch-unreachable" && f.Switch == "gone1"
	}) {
		t.Errorf("gone1 is not reported unreachable: %+v", rep.Findings)
	}
	if !slices.ContainsFunc(rep.Links, func(l struct{ Host, Switch, Port string }) bool {
		return l.Host == "web02" && l.Switch == "leaf2" && l.Port == "Ethernet7"
	}) {
		t.Errorf("web02 is not mapped to the polled leaf2: %+v", rep.Links)
	}
	filepath.WalkDir(work, func(p string, d fs.DirEntry, err error) error {
		if b, _ := os.ReadFile(p); err == nil && !d.IsDir() && filepath.Base(p) != "targets.yaml" && bytes.Contains(b, []byte(community)) {
			t.Errorf("the community string reached %s", p)
		}
		return nil
	})
	if strings.Contains(stderr, community) {
		t.Error("the community string reached stderr")
	}
}

// findingsIn reads a JSON report's findings as "rule host" / "rule
// switch" keys.
func findingsIn(t *testing.T, path string) map[string]bool {
	t.Helper()
	var rep struct {
		Findings []struct{ Rule, Host, Switch string }
	}
	b, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(b, &rep)
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	m := map[string]bool{}
	for _, f := range rep.Findings {
		m[f.Rule+" "+f.Host+f.Switch] = true
	}
	return m
}

// runAlertsOnScrape has a real node_exporter, as its own unprivileged
// user, serve the run's .prom file, and evaluates the shipped alert rules'
// expressions with promtool over what it served: the stale-capture alert
// must fire for app01 only, the run must show as succeeding, and every
// series carries the config's site label.
func runAlertsOnScrape(t *testing.T, outDir string) {
	t.Helper()
	promtool := needtool.Need(t, "prometheus", "promtool")
	if os.Getuid() != 0 {
		t.Skip("node_exporter runs as nobody: needs root")
	}
	textDir := promDir(t)
	b, err := os.ReadFile(filepath.Join(outDir, "bondaudit.prom"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(textDir, "bondaudit.prom"), b, 0o644)
	body, logs := scrapeTextfiles(t, textDir)
	if !strings.Contains(body, `node_textfile_scrape_error 0`) {
		t.Fatalf("node_exporter could not read the run's .prom:\n%s", logs)
	}
	var scraped []promPoint
	for _, p := range promSeries(t, onlyBondaudit(body)) {
		if p.labels["site"] != "dc1" {
			t.Errorf("%s%v: site label %q, want the config's dc1", p.name, p.labels, p.labels["site"])
		}
		scraped = append(scraped, p)
	}
	if v, ok := find(scraped, "bondaudit_run_success", nil); !ok || v != 1 {
		t.Errorf("bondaudit_run_success = %v (%v), want 1", v, ok)
	}
	// promtool: the scraped series as input, the rules file's own
	// expressions evaluated over them
	var rulesDoc struct {
		Groups []struct {
			Rules []struct{ Alert, Expr string }
		}
	}
	rb, err := os.ReadFile(rulesFile)
	if err == nil {
		err = yaml.Unmarshal(rb, &rulesDoc)
	}
	if err != nil {
		t.Fatal(err)
	}
	expr := map[string]string{}
	for _, g := range rulesDoc.Groups {
		for _, r := range g.Rules {
			expr[r.Alert] = strings.TrimSpace(r.Expr)
		}
	}
	var in strings.Builder
	in.WriteString("rule_files: []\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n")
	for _, p := range scraped {
		var ls []string
		for k, v := range p.labels {
			ls = append(ls, fmt.Sprintf("%s=%q", k, v))
		}
		slices.Sort(ls)
		fmt.Fprintf(&in, "      - series: %q\n        values: '%s %s'\n", p.name+"{"+strings.Join(ls, ",")+"}",
			strconv.FormatFloat(p.value, 'g', -1, 64), strconv.FormatFloat(p.value, 'g', -1, 64))
	}
	in.WriteString("    promql_expr_test:\n")
	age, _ := find(scraped, "bondaudit_host_capture_age_seconds", map[string]string{"host": "app01"})
	fmt.Fprintf(&in, "      - expr: %q\n        eval_time: 1m\n        exp_samples:\n          - labels: 'bondaudit_host_capture_age_seconds{host=\"app01\",site=\"dc1\"}'\n            value: %s\n",
		expr["BondauditHostCaptureStale"], strconv.FormatFloat(age, 'g', -1, 64))
	fmt.Fprintf(&in, "      - expr: %q\n        eval_time: 1m\n        exp_samples: []\n", expr["BondauditSwitchUnreachable"])
	fmt.Fprintf(&in, "      - expr: %q\n        eval_time: 1m\n        exp_samples: []\n", expr["BondauditSwitchCaptureStale"])
	testFile := filepath.Join(t.TempDir(), "scraped.test.yml")
	os.WriteFile(testFile, []byte(in.String()), 0o644)
	if out, err := exec.Command(promtool, "test", "rules", testFile).CombinedOutput(); err != nil {
		t.Errorf("the alert rules over the scraped run: %v\n%s\n--- test file:\n%s", err, out, in.String())
	}
}

// onlyBondaudit keeps the bondaudit_ sample lines of a scrape.
func onlyBondaudit(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "bondaudit_") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
