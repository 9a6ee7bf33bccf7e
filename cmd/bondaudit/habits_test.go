package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/internal/snmplab"
)

// TestDemoExport: demo --export writes the embedded site file for file,
// says what it wrote, refuses a non-empty folder without --force, and the
// folder audits like the built-in site.
func TestDemoExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	code, out, errs := runCLI(t, "demo", "--export", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"wrote the demo site into " + dir + ": 37 files", "8 host captures", "4 switch walks", "next: bondaudit audit " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	n := 0
	err := fs.WalkDir(demo.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		want, _ := fs.ReadFile(demo.FS(), p)
		got, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: not exported as embedded (%v)", p, err)
		}
		return nil
	})
	if err != nil || n != 37 {
		t.Fatalf("walk: %v, %d files", err, n)
	}
	_, built, _ := auditJSON(t, "demo", "--format", "json")
	_, exported, _ := auditJSON(t, "audit", dir, "--format", "json", "--fail-on", "never")
	if len(built.Findings) == 0 || len(built.Findings) != len(exported.Findings) || exported.Site != "site" {
		t.Errorf("exported site audits to %d findings (site %q), the built-in one to %d", len(exported.Findings), exported.Site, len(built.Findings))
	}
	code, _, errs = runCLI(t, "demo", "--export", dir)
	if code != exitFailed || !strings.Contains(errs, "not empty") || !strings.Contains(errs, "--force") {
		t.Errorf("export into a non-empty folder: exit %d, %q", code, errs)
	}
	os.WriteFile(filepath.Join(dir, "hosts", "app01", "hostname"), []byte("changed\n"), 0o644)
	if code, _, errs = runCLI(t, "demo", "--export", dir, "--force"); code != 0 {
		t.Errorf("--force: exit %d, %s", code, errs)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "hosts", "app01", "hostname")); string(b) != "app01\n" {
		t.Errorf("--force did not rewrite hosts/app01/hostname: %q", b)
	}
	if code, _, errs = runCLI(t, "demo", "--force"); code != exitFailed || !strings.Contains(errs, "--export") {
		t.Errorf("--force alone: exit %d, %q", code, errs)
	}
}

// TestDemoAsSite: "demo" is the built-in site as the SITE of every command
// that takes one; a real folder named demo is ./demo, and "demo" with such
// a folder present says on stderr which one was read.
func TestDemoAsSite(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{
		{"audit", "demo", "--fail-on", "never"},
		{"topology", "demo"},
		{"diagram", "demo", "--format", "mermaid"},
		{"whatif", "demo", "--down", "leaf2"},
		{"diff", "demo", "demo"},
	} {
		code, out, errs := runCLI(t, args...)
		if code == exitFailed || out == "" || errs != "" {
			t.Errorf("%v: exit %d, stderr %q, %d bytes out", args, code, errs, len(out))
		}
	}
	// a folder named demo, with one host only
	if code, _, errs := runCLI(t, "demo", "--export", "demo"); code != 0 {
		t.Fatal(errs)
	}
	hosts, _ := os.ReadDir(filepath.Join("demo", "hosts"))
	for _, h := range hosts[1:] {
		os.RemoveAll(filepath.Join("demo", "hosts", h.Name()))
	}
	_, folder, _ := auditJSON(t, "audit", "./demo", "--format", "json", "--fail-on", "never")
	code, built, errs := auditJSON(t, "audit", "demo", "--format", "json", "--fail-on", "never")
	if folder.Summary.Hosts != 1 || built.Summary.Hosts != 8 || code != 0 {
		t.Errorf("./demo read %d hosts (want the folder's 1), demo %d (want the built-in 8)", folder.Summary.Hosts, built.Summary.Hosts)
	}
	if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "the folder demo here is ./demo") {
		t.Errorf("demo with a folder demo present: stderr %q", errs)
	}
}

// noDuplicateLines fails when a line of stderr appears more than once.
func noDuplicateLines(t *testing.T, what, stderr string) {
	t.Helper()
	seen := map[string]bool{}
	for _, l := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
		if seen[l] && strings.TrimSpace(l) != "" {
			t.Errorf("%s: stderr line printed twice: %q\nstderr:\n%s", what, l, stderr)
		}
		seen[l] = true
	}
}

// TestStderrLinesOnce: a bad flag, a site that cannot be read, a site with
// a file NOT READ and a switch that does not answer each say so once on
// stderr (cobra and the app, the loader and the command, slog and the
// progress line each used to be candidates for saying it twice).
func TestStderrLinesOnce(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(filepath.Join(bad, "hosts", "h1"), 0o755)
	os.WriteFile(filepath.Join(bad, "hosts", "h1", "ip-link.json"), []byte("garbage\n"), 0o644)
	notRead := copyDemo(t)
	os.WriteFile(filepath.Join(notRead, "hosts", "app01", "ip-link.json"), []byte("{\n"), 0o644)
	targets := filepath.Join(dir, "targets.yaml")
	os.WriteFile(targets, []byte("defaults: {community: {env: TEST_STDERR_COMMUNITY}, timeout: 200ms, retries: 0, deadline: 1s}\ntargets:\n  - {name: gone1, address: \"127.0.0.1:"+
		strconv.Itoa(int(snmplab.FreeUDPPort(t)))+"\"}\n"), 0o600)
	t.Setenv("TEST_STDERR_COMMUNITY", "public")
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"audit", "--bogus", notRead}, exitFailed, []string{"unknown flag: --bogus"}},
		{[]string{"audit", "--fail-on", "bogus", notRead}, exitFailed, []string{"--fail-on"}},
		{[]string{"audit", filepath.Join(dir, "nope")}, exitFailed, []string{"no such file"}},
		{[]string{"audit", bad}, exitFailed, []string{"ip-link.json:1:1", "nothing readable"}},
		{[]string{"diff", bad, "demo"}, exitFailed, []string{"ip-link.json:1:1", "nothing readable"}},
		{[]string{"topology", bad}, exitFailed, []string{"ip-link.json:1:1", "nothing readable"}},
		{[]string{"audit", notRead, "--fail-on", "never", "--log-level", "warn"}, 0, nil},
		{[]string{"audit", notRead, "--fail-on", "never", "--format", "json", "-o", filepath.Join(dir, "r.json"), "--log-level", "info"}, 0, []string{"site read"}},
		{[]string{"collect", "switches", "-t", targets, "-o", filepath.Join(dir, "sw")}, exitFailed, []string{"gone1", "no switch could be collected"}},
	} {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d\n%s", c.args, code, c.code, errs)
		}
		for _, w := range c.want {
			if strings.Count(errs, w) != 1 {
				t.Errorf("%v: %q appears %d times on stderr, want once:\n%s", c.args, w, strings.Count(errs, w), errs)
			}
		}
		noDuplicateLines(t, strings.Join(c.args, " "), errs)
	}
}

// TestAuditFilters: --host, --switch and --rule select the findings
// reported (globs, repeatable, kinds ANDed) in every format, the exit
// status is computed over what is shown, and --save-baseline keeps all.
func TestAuditFilters(t *testing.T) {
	_, all, _ := auditJSON(t, "audit", "demo", "--format", "json", "--fail-on", "never")
	count := func(pred func(host, sw, rule string) bool) int {
		n := 0
		for _, f := range all.Findings {
			if pred(f.Host, f.Switch, f.Rule) {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"--host", "web*"}, count(func(h, _, _ string) bool { return strings.HasPrefix(h, "web") })},
		{[]string{"--host", "web*", "--host", "app0?"}, count(func(h, _, _ string) bool { return strings.HasPrefix(h, "web") || strings.HasPrefix(h, "app0") })},
		{[]string{"--switch", "leaf1?"}, count(func(_, s, _ string) bool { return s == "leaf1a" || s == "leaf1b" })},
		{[]string{"--rule", "lacp.*", "--switch", "leaf2"}, count(func(_, s, r string) bool { return s == "leaf2" && strings.HasPrefix(r, "lacp.") })},
		{[]string{"--rule", "redundancy.single-switch", "--host", "stor01"}, 1},
	} {
		if c.want == 0 || c.want == len(all.Findings) {
			t.Fatalf("%v: a filter that selects %d of %d tells nothing", c.args, c.want, len(all.Findings))
		}
		_, r, _ := auditJSON(t, append([]string{"audit", "demo", "--format", "json", "--fail-on", "never"}, c.args...)...)
		if len(r.Findings) != c.want {
			t.Errorf("%v: %d findings, want %d", c.args, len(r.Findings), c.want)
		}
	}
	// exit status over what is shown: the demo has errors, stor01's
	// redundancy.single-switch is a warning
	if code, _, _ := runCLI(t, "audit", "demo"); code != exitFindings {
		t.Errorf("audit demo: exit %d, want 1", code)
	}
	code, out, errs := runCLI(t, "audit", "demo", "--host", "stor01", "--rule", "redundancy.*")
	if code != 0 {
		t.Errorf("a filter showing only a warning: exit %d, want 0\n%s", code, errs)
	}
	if !strings.Contains(out, "FINDINGS (selected by --host stor01 --rule redundancy.*): 1 finding in 1 problem: 0 errors, 1 warning, 0 info") ||
		strings.Contains(out, "web02") || !strings.Contains(out, "stor01") {
		t.Errorf("text report does not say what it selected, or lists other bonds:\n%s", out)
	}
	if code, _, _ := runCLI(t, "audit", "demo", "--host", "stor01", "--rule", "redundancy.*", "--fail-on", "warning"); code != exitFindings {
		t.Errorf("--fail-on warning over the shown warning: exit %d, want 1", code)
	}
	for _, f := range []string{"markdown", "html", "junit"} { // sarif lists every rule's help
		_, out, _ := runCLI(t, "audit", "demo", "--host", "stor01", "--format", f, "--fail-on", "never")
		if strings.Contains(out, "lacp.no-partner") || !strings.Contains(out, "bond.alb-in-bridge") {
			t.Errorf("--format %s: the filter does not select the findings", f)
		}
	}
	if _, out, _ := runCLI(t, "audit", "demo", "--host", "stor01", "--format", "html", "--fail-on", "never"); strings.Count(out, `id="bond-`) != 1 || !strings.Contains(out, `id="bond-stor01__bond0"`) {
		t.Errorf("html with --host stor01: bond cards of other hosts shown")
	}
	if _, out, _ := runCLI(t, "audit", "demo", "--host", "web*", "--format", "markdown", "--fail-on", "never"); !strings.Contains(out, `Findings selected by --host web\*`) {
		t.Errorf("markdown with --host web*: does not say what it selected:\n%s", out)
	}
	base := filepath.Join(t.TempDir(), "base.json")
	runCLI(t, "audit", "demo", "--rule", "bond.*", "--save-baseline", base, "--fail-on", "never")
	b, _ := os.ReadFile(base)
	if !strings.Contains(string(b), "lacp.no-partner") {
		t.Errorf("--save-baseline with a filter did not keep every finding")
	}
	for _, bad := range [][]string{{"--rule", "lacp.nopartner"}, {"--host", ""}} {
		if code, _, errs := runCLI(t, append([]string{"audit", "demo"}, bad...)...); code != exitFailed || !strings.Contains(errs, bad[0]) {
			t.Errorf("%v: exit %d, %q", bad, code, errs)
		}
	}
}

// TestTopologyAndDiagramFilters: the same flags cut the topology view and
// the diagram to the hosts and switches selected.
func TestTopologyAndDiagramFilters(t *testing.T) {
	type view struct {
		Hosts    []struct{ Name string }
		Switches []struct{ Name string }
		Links    []struct{ Host, Switch string }
	}
	names := func(args ...string) (hosts, switches []string) {
		code, out, errs := runCLI(t, append([]string{"topology", "demo", "--format", "json"}, args...)...)
		var v view
		if err := json.Unmarshal([]byte(out), &v); err != nil || code != 0 {
			t.Fatalf("%v: exit %d, %v\n%s", args, code, err, errs)
		}
		for _, h := range v.Hosts {
			hosts = append(hosts, h.Name)
		}
		for _, s := range v.Switches {
			switches = append(switches, s.Name)
		}
		for _, l := range v.Links {
			if !slices.Contains(hosts, l.Host) {
				t.Errorf("%v: link of host %s, which is not shown", args, l.Host)
			}
		}
		return hosts, switches
	}
	for _, c := range []struct {
		args            []string
		hosts, switches string
	}{
		{nil, "app01 app02 backup01 db01 kvm01 stor01 web01 web02", "access2 leaf1a leaf1b leaf2"},
		{[]string{"--host", "web*"}, "web01 web02", "leaf1a leaf1b leaf2"},
		{[]string{"--switch", "access2"}, "app01 db01 stor01", "access2"},
		{[]string{"--host", "db01", "--switch", "leaf*"}, "db01", "leaf2"},
		{[]string{"--rule", "static.*"}, "app02", "leaf2"},
		{[]string{"--rule", "bond.alb-in-bridge", "--rule", "lacp.split-across-lags"}, "kvm01 stor01", "access2 leaf1a leaf2"},
	} {
		h, s := names(c.args...)
		if strings.Join(h, " ") != c.hosts || strings.Join(s, " ") != c.switches {
			t.Errorf("topology %v: hosts %v switches %v; want %s / %s", c.args, h, s, c.hosts, c.switches)
		}
	}
	code, out, errs := runCLI(t, "diagram", "demo", "--format", "mermaid", "--host", "web02")
	if code != 0 || !strings.Contains(out, "1 host, 1 switch") || strings.Contains(out, "web01") || !strings.Contains(out, "lacp.switch-not-aggregated +") {
		t.Errorf("diagram --host web02: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runCLI(t, "diagram", "demo", "--format", "mermaid", "--switch", "access2", "--rule", "redundancy.*")
	if code != 0 || !strings.Contains(out, "2 hosts, 1 switch") || strings.Contains(out, "independent.switch-aggregated") || !strings.Contains(out, "redundancy.single-switch") {
		t.Errorf("diagram --switch access2 --rule redundancy.*: exit %d\n%s", code, out)
	}
	if code, _, errs := runCLI(t, "diagram", "demo", "--rule", "nope.*"); code != exitFailed || !strings.Contains(errs, "matches no rule") {
		t.Errorf("diagram --rule nope.*: exit %d, %q", code, errs)
	}
}

// TestNaturalPortOrder: the topology view lists LAGs and members in
// natural order (Port-Channel2 before Port-Channel1000, Gi1/0/9 before
// Gi1/0/10), in text and JSON.
func TestNaturalPortOrder(t *testing.T) {
	_, out, _ := runCLI(t, "topology", "demo", "--format", "json")
	var v struct {
		Switches []struct {
			Name string
			LAGs []struct {
				Name    string
				Members []string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range v.Switches {
		var names []string
		for _, l := range s.LAGs {
			names = append(names, l.Name+"("+strings.Join(l.Members, " ")+")")
		}
		got[s.Name] = strings.Join(names, " ")
	}
	if got["leaf1a"] != "Port-Channel1(Ethernet1) Port-Channel2(Ethernet2) Port-Channel3(Ethernet3) Port-Channel1000(Ethernet49 Ethernet50)" ||
		got["access2"] != "Po9(Gi1/0/9 Gi1/0/10)" {
		t.Errorf("LAG order: %v", got)
	}
	_, text, _ := runCLI(t, "topology", "demo")
	if i, j := strings.Index(text, "Port-Channel3 "), strings.Index(text, "Port-Channel1000 "); i < 0 || j < i {
		t.Errorf("text: Port-Channel1000 listed before Port-Channel3:\n%s", text)
	}
}
