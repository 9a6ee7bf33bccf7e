//go:build linux

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/rules/report"
)

// Prometheus output that alerts can use (issue 14, item 3): a site label
// that stays the same from run to run, per-bond and per-switch series that
// a real node_exporter serves, and example alerting rules that promtool
// checks and unit-tests.

// snapshotName is a dated snapshot folder, as a scheduled run makes one:
// a name that changes every run, so no good as a label.
const snapshotName = "2026-11-25T0800Z"

// promSite is the demo site in a dated snapshot folder, plus a host and a
// switch snapshot whose capture times are known (3 days and 1 hour before
// runCLI's clock) and a switch whose file holds nothing (unreachable).
func promSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), snapshotName)
	if err := os.Rename(copyDemo(t), dir); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"hosts/extra01.json": `{"schema":"bondaudit.host/v1","name":"extra01","collected":"2026-11-22T08:00:00Z",
 "nics":[{"name":"eth0","master":"bond0","state":"up"},{"name":"eth1","master":"bond0","state":"up"}],
 "bonds":[{"name":"bond0","mode":"active-backup","miimon":100,"slaves":[{"name":"eth0","mii_status":"up"},{"name":"eth1","mii_status":"up"}]}]}`,
		"switches/spare1.json": `{"schema":"bondaudit.switch/v1","name":"spare1","collected":"2026-11-25T07:00:00Z",
 "ports":[{"name":"Ethernet1","ifindex":1,"type":"ethernet","oper":"up"}]}`,
		"switches/dead.walk": "",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// promSeries parses exposition text into series: metric name and labels
// (unescaped) with the value. Comments are skipped.
type promPoint struct {
	name   string
	labels map[string]string
	value  float64
}

var (
	promLineRE  = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
	promPairRE  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?`)
	promUnquote = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\n`, "\n")
)

func promSeries(t *testing.T, text string) []promPoint {
	t.Helper()
	var out []promPoint
	for _, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := promLineRE.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("not a sample line: %q", line)
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		p := promPoint{name: m[1], labels: map[string]string{}, value: v}
		for _, pm := range promPairRE.FindAllStringSubmatch(m[2], -1) {
			p.labels[pm[1]] = promUnquote.Replace(pm[2])
		}
		out = append(out, p)
	}
	return out
}

// find returns the value of the one series of name whose labels include
// want, and whether there is exactly one.
func find(ps []promPoint, name string, want map[string]string) (float64, bool) {
	var got []float64
	for _, p := range ps {
		if p.name != name {
			continue
		}
		ok := true
		for k, v := range want {
			ok = ok && p.labels[k] == v
		}
		if ok {
			got = append(got, p.value)
		}
	}
	if len(got) != 1 {
		return 0, false
	}
	return got[0], true
}

// TestSiteLabel: the site label is --site-label, else the policy's site:,
// else the folder's name, in the prom series and the JSON report alike.
func TestSiteLabel(t *testing.T) {
	site := promSite(t)
	check := func(t *testing.T, want string, args ...string) {
		t.Helper()
		code, out, errs := runCLI(t, append(args, "--format", "prom", "--fail-on", "never")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		ps := promSeries(t, out)
		if len(ps) < 20 {
			t.Fatalf("only %d series", len(ps))
		}
		for _, p := range ps {
			if p.labels["site"] != want {
				t.Fatalf("%s has site=%q, want %q", p.name, p.labels["site"], want)
			}
		}
		if _, r, _ := auditJSON(t, append(args, "--format", "json", "--fail-on", "never")...); r.Site != want {
			t.Errorf("JSON site %q, want %q", r.Site, want)
		}
	}
	t.Run("folder", func(t *testing.T) { check(t, snapshotName, "audit", site) })
	if err := os.WriteFile(filepath.Join(site, "policy.yaml"), []byte("site: dc-east\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("policy", func(t *testing.T) { check(t, "dc-east", "audit", site) })
	t.Run("flag over policy", func(t *testing.T) { check(t, "lab-1", "audit", site, "--site-label", "lab-1") })
	t.Run("demo", func(t *testing.T) { check(t, "lab-1", "demo", "--site-label", "lab-1") })
}

// TestPromSeriesScrapedByNodeExporter: the per-bond, per-switch and
// per-host series of an audit, labelled with the site's stable name, pass
// promtool check metrics and are served by a real node_exporter (textfile
// collector, running as nobody) without a scrape error. Each bond's worst
// severity is the one the JSON report's findings give.
func TestPromSeriesScrapedByNodeExporter(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run node_exporter as another user")
	}
	needtool.Need(t, "prometheus-node-exporter", "prometheus-node-exporter")
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	site, dir := promSite(t), promDir(t)
	file := filepath.Join(dir, "bondaudit.prom")
	if code, _, errs := runCLI(t, "audit", site, "--site-label", "dc-east", "-o", file, "--fail-on", "never"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	promtool(t, file)
	body, logs := scrapeTextfiles(t, dir)
	if !strings.Contains(body, "\nnode_textfile_scrape_error 0\n") {
		t.Fatalf("textfile scrape error:\n%s\nlogs:\n%s", grepLines(body, "textfile"), logs)
	}
	ps := promSeries(t, body)
	dc := func(kv ...string) map[string]string {
		m := map[string]string{"site": "dc-east"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"bondaudit_bond_info", dc("host", "extra01", "bond", "bond0", "mode", "active-backup"), 1},
		{"bondaudit_switch_reachable", dc("switch", "spare1"), 1},
		{"bondaudit_switch_reachable", dc("switch", "leaf1a"), 1},
		{"bondaudit_switch_reachable", dc("switch", "dead"), 0},
		{"bondaudit_switch_capture_age_seconds", dc("switch", "spare1"), 3600},
		{"bondaudit_host_capture_age_seconds", dc("host", "extra01"), 3 * 86400},
	} {
		if got, ok := find(ps, c.name, c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (found once: %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if _, ok := find(ps, "bondaudit_switch_capture_age_seconds", dc("switch", "dead")); ok {
		t.Error("the unreachable switch has a capture age")
	}

	// every bond: one info series, its worst severity as the JSON
	// findings give it, its findings per severity
	_, r, _ := auditJSON(t, "audit", site, "--format", "json", "--fail-on", "never")
	worst := map[[2]string]float64{}
	count := map[[3]string]float64{}
	sevNum := map[string]float64{"info": 1, "warning": 2, "error": 3}
	for _, f := range r.Findings {
		if f.Bond == "" || f.Status == "suppressed" {
			continue
		}
		k := [2]string{f.Host, f.Bond}
		worst[k] = max(worst[k], sevNum[f.Severity])
		count[[3]string{f.Host, f.Bond, f.Severity}]++
	}
	var infos int
	for _, p := range ps {
		switch p.name {
		case "bondaudit_bond_info":
			infos++
		case "bondaudit_bond_severity":
			if w := worst[[2]string{p.labels["host"], p.labels["bond"]}]; p.value != w {
				t.Errorf("%s %s: severity %v, the JSON findings say %v", p.labels["host"], p.labels["bond"], p.value, w)
			}
		case "bondaudit_bond_findings":
			if n := count[[3]string{p.labels["host"], p.labels["bond"], p.labels["severity"]}]; p.value != n {
				t.Errorf("%s %s %s: %v findings, the JSON has %v", p.labels["host"], p.labels["bond"], p.labels["severity"], p.value, n)
			}
		}
	}
	if infos != r.Summary.Bonds || infos < 9 {
		t.Errorf("%d bondaudit_bond_info series, the report has %d bonds", infos, r.Summary.Bonds)
	}
	if len(worst) < 5 {
		t.Errorf("only %d bonds with findings: the test site lost its faults", len(worst))
	}
}

const rulesFile, rulesTestFile = "../../docs/prometheus/bondaudit.rules.yml", "../../docs/prometheus/bondaudit.rules.test.yml"

// TestAlertRules: the shipped alerting rules pass promtool check rules,
// and their unit tests (series fed in, alerts that must fire and must
// not) pass promtool test rules.
func TestAlertRules(t *testing.T) {
	bin := needtool.Need(t, "prometheus", "promtool")
	for _, args := range [][]string{{"check", "rules", rulesFile}, {"test", "rules", rulesTestFile}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("SUCCESS")) {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestAlertRulesUseRealSeries: every bondaudit metric the rules and their
// unit tests name is one the prom format writes, and each series the unit
// tests feed has the labels bondaudit gives that metric (plus the
// instance and job a scrape adds), so the tests exercise what Prometheus
// will really hold.
func TestAlertRulesUseRealSeries(t *testing.T) {
	code, out, errs := runCLI(t, "audit", promSite(t), "--format", "prom", "--fail-on", "never")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var run bytes.Buffer // the run series: only bondaudit run writes them
	w, err := report.Audit.Writer("prom", report.Options{Run: &report.RunStats{Success: true}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w(&run, &report.Report{Site: "dc-east"}); err != nil {
		t.Fatal(err)
	}
	labels := map[string][]string{} // metric → its label names, sorted
	for _, p := range promSeries(t, out+run.String()) {
		var names []string
		for k := range p.labels {
			names = append(names, k)
		}
		slices.Sort(names)
		labels[p.name] = names
	}
	nameRE := regexp.MustCompile(`\bbondaudit_[a-z_]+\b`)
	for _, f := range []string{rulesFile, rulesTestFile} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range nameRE.FindAllString(string(b), -1) {
			if _, ok := labels[name]; !ok {
				t.Errorf("%s names %s, which bondaudit does not write", filepath.Base(f), name)
			}
		}
	}
	b, err := os.ReadFile(rulesTestFile)
	if err != nil {
		t.Fatal(err)
	}
	fed := regexp.MustCompile(`series: '(.*)'`).FindAllStringSubmatch(string(b), -1)
	if len(fed) < 10 {
		t.Fatalf("only %d input series in %s", len(fed), rulesTestFile)
	}
	for _, m := range fed {
		ps := promSeries(t, m[1]+" 0")
		var names []string
		for k := range ps[0].labels {
			if k != "instance" && k != "job" {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		if want, ok := labels[ps[0].name]; ok && !slices.Equal(names, want) {
			t.Errorf("the unit tests feed %s with labels %v; bondaudit writes %v", m[1], names, want)
		}
	}
}
