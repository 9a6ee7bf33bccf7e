package report

import (
	"bytes"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

var (
	promNameRE   = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	promSampleRE = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
	promLabelRE  = regexp.MustCompile(`^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)`)
	promHelpRE   = regexp.MustCompile(`^(?:[^\\]|\\[\\n])*$`)
	promTypes    = map[string]bool{"gauge": true, "counter": true, "untyped": true, "summary": true, "histogram": true}
)

// promState tracks what checkPromText has seen.
type promState struct {
	help, typ map[string]bool
	done      map[string]bool // families that ended (another began after them)
	current   string
	series    map[string]float64
}

// checkPromText checks the text exposition format as node_exporter's
// textfile collector reads it: metric and label names, label escaping,
// HELP and TYPE before a family's samples, families contiguous, no duplicate
// series, values that parse, and the site label on every series. It
// returns the series ("name{labels}") and their values.
func checkPromText(t *testing.T, out []byte) map[string]float64 {
	t.Helper()
	text := string(out)
	if !strings.HasSuffix(text, "\n") {
		t.Error("output does not end in a newline")
	}
	st := &promState{help: map[string]bool{}, typ: map[string]bool{}, done: map[string]bool{}, series: map[string]float64{}}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if err := st.line(line); err != "" {
			t.Errorf("line %d %q: %s", i+1, line, err)
		}
	}
	return st.series
}

func (st *promState) enter(name string) string {
	if !promNameRE.MatchString(name) {
		return "bad metric name"
	}
	if name != st.current {
		if st.done[name] {
			return "family " + name + " is not contiguous"
		}
		if st.current != "" {
			st.done[st.current] = true
		}
		st.current = name
	}
	return ""
}

func (st *promState) line(line string) string {
	if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
		name, help, _ := strings.Cut(rest, " ")
		if st.help[name] {
			return "second HELP"
		}
		st.help[name] = true
		if !promHelpRE.MatchString(help) {
			return "bad escape in HELP"
		}
		return st.enter(name)
	}
	if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
		name, typ, _ := strings.Cut(rest, " ")
		if st.typ[name] || !promTypes[typ] {
			return "second TYPE or unknown type"
		}
		st.typ[name] = true
		return st.enter(name)
	}
	if strings.HasPrefix(line, "#") || line == "" {
		return "unexpected comment or empty line"
	}
	return st.sample(line)
}

func (st *promState) sample(line string) string {
	m := promSampleRE.FindStringSubmatch(line)
	if m == nil {
		return "not a sample line"
	}
	name, labels, value := m[1], m[2], m[3]
	if err := st.enter(name); err != "" {
		return err
	}
	if !st.help[name] || !st.typ[name] {
		return "sample before its HELP and TYPE"
	}
	names := map[string]bool{}
	for rest := labels; rest != ""; {
		lm := promLabelRE.FindStringSubmatch(rest)
		if lm == nil {
			return "bad label syntax at " + rest
		}
		if names[lm[1]] {
			return "label " + lm[1] + " twice"
		}
		names[lm[1]] = true
		rest = rest[len(lm[0]):]
	}
	if !names["site"] {
		return "no site label"
	}
	v, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return "bad value: " + err.Error()
	}
	key := name + "{" + labels + "}"
	if _, dup := st.series[key]; dup {
		return "duplicate series"
	}
	st.series[key] = v
	return ""
}

func TestPromSeries(t *testing.T) {
	got := checkPromText(t, render(t, Prom{}, fixtureReport(t)))
	want := map[string]float64{
		`bondaudit_hosts{site="dc1"}`:                                                                           2,
		`bondaudit_bonds{site="dc1"}`:                                                                           3,
		`bondaudit_bonds_failing{site="dc1"}`:                                                                   1,
		`bondaudit_switches{site="dc1"}`:                                                                        2,
		`bondaudit_links{site="dc1"}`:                                                                           5,
		`bondaudit_slaves{site="dc1"}`:                                                                          6,
		`bondaudit_slaves_unmapped{site="dc1"}`:                                                                 1,
		`bondaudit_inputs_unreadable{site="dc1"}`:                                                               2,
		`bondaudit_audit_duration_seconds{site="dc1"}`:                                                          1.234567,
		`bondaudit_audit_timestamp_seconds{site="dc1"}`:                                                         float64(fixtureGenerated.Unix()),
		`bondaudit_findings_by_severity{site="dc1",severity="error",status="fail"}`:                             3,
		`bondaudit_findings_by_severity{site="dc1",severity="error",status="suppressed"}`:                       0,
		`bondaudit_findings_by_severity{site="dc1",severity="warning",status="fail"}`:                           2,
		`bondaudit_findings_by_severity{site="dc1",severity="warning",status="suppressed"}`:                     1,
		`bondaudit_findings_by_severity{site="dc1",severity="info",status="fail"}`:                              2,
		`bondaudit_findings_by_severity{site="dc1",severity="info",status="suppressed"}`:                        0,
		`bondaudit_findings{site="dc1",rule="lacp.no-partner",severity="error",status="fail"}`:                  1,
		`bondaudit_findings{site="dc1",rule="redundancy.single-switch",severity="warning",status="suppressed"}`: 1,
		// per bond: every bond of the Model, waived findings not counted
		// (db01 bond1's only finding is waived: severity 0)
		`bondaudit_bond_info{site="dc1",host="web01",bond="bond0",mode="802.3ad"}`:         1,
		`bondaudit_bond_info{site="dc1",host="db01",bond="bond0",mode="active-backup"}`:    1,
		`bondaudit_bond_info{site="dc1",host="db01",bond="bond1",mode="802.3ad"}`:          1,
		`bondaudit_bond_severity{site="dc1",host="web01",bond="bond0"}`:                    3,
		`bondaudit_bond_severity{site="dc1",host="db01",bond="bond0"}`:                     2,
		`bondaudit_bond_severity{site="dc1",host="db01",bond="bond1"}`:                     0,
		`bondaudit_bond_findings{site="dc1",host="web01",bond="bond0",severity="error"}`:   2,
		`bondaudit_bond_findings{site="dc1",host="web01",bond="bond0",severity="info"}`:    1,
		`bondaudit_bond_findings{site="dc1",host="web01",bond="bond0",severity="warning"}`: 0,
		`bondaudit_bond_findings{site="dc1",host="db01",bond="bond1",severity="warning"}`:  0,
		// per switch and host: capture ages only where the time is known
		`bondaudit_switch_reachable{site="dc1",switch="leaf1"}`:           1,
		`bondaudit_switch_reachable{site="dc1",switch="leaf2"}`:           1,
		`bondaudit_switch_capture_age_seconds{site="dc1",switch="leaf1"}`: 60,
		`bondaudit_host_capture_age_seconds{site="dc1",host="web01"}`:     6*3600 + 26*60 + 53,
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
		}
	}
	for _, absent := range []string{
		`bondaudit_switch_capture_age_seconds{site="dc1",switch="leaf2"}`,
		`bondaudit_host_capture_age_seconds{site="dc1",host="db01"}`,
		`bondaudit_run_success{site="dc1"}`, // a plain audit has no run series
	} {
		if _, ok := got[absent]; ok {
			t.Errorf("%s present", absent)
		}
	}
	if n := countPrefix(got, "bondaudit_bond_findings{"); n != 9 {
		t.Errorf("%d bondaudit_bond_findings series, want 3 bonds × 3 severities", n)
	}
}

func countPrefix(series map[string]float64, prefix string) int {
	n := 0
	for k := range series {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

// TestPromRunSeries: a scheduled run's series come from Options.Run, and
// only then.
func TestPromRunSeries(t *testing.T) {
	started := fixtureGenerated.Add(-time.Minute)
	lastOK := fixtureGenerated.Add(-6 * time.Hour)
	for _, c := range []struct {
		name string
		run  RunStats
		ok   float64
		last float64
	}{
		{"succeeded", RunStats{Started: started, Duration: 90 * time.Second, Success: true, LastSuccess: started.Add(90 * time.Second)}, 1, float64(started.Unix() + 90)},
		{"succeeded, last success not given", RunStats{Started: started, Duration: 90 * time.Second, Success: true}, 1, float64(started.Unix() + 90)},
		{"failed", RunStats{Started: started, Duration: 90 * time.Second, LastSuccess: lastOK}, 0, float64(lastOK.Unix())},
		{"never succeeded", RunStats{Started: started, Duration: 90 * time.Second}, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, err := Audit.Writer("prom", Options{Run: &c.run})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := w(&b, fixtureReport(t)); err != nil {
				t.Fatal(err)
			}
			got := checkPromText(t, b.Bytes())
			promtoolCheckMetrics(t, b.Bytes())
			for k, v := range map[string]float64{
				`bondaudit_run_duration_seconds{site="dc1"}`:           90,
				`bondaudit_run_success{site="dc1"}`:                    c.ok,
				`bondaudit_last_success_timestamp_seconds{site="dc1"}`: c.last,
				`bondaudit_hosts{site="dc1"}`:                          2,
			} {
				if g, ok := got[k]; !ok || g != v {
					t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
				}
			}
		})
	}
}

// TestSiteOption: Options.Site names the site in every audit format (a
// dated snapshot folder is not a name alerts can follow), without
// changing the Report handed in.
func TestSiteOption(t *testing.T) {
	for _, name := range Formats() {
		t.Run(name, func(t *testing.T) {
			r := fixtureReport(t)
			r.Site = "2026-03-14T0926Z"
			w, err := Audit.Writer(name, Options{Site: "dc-east"})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := w(&b, r); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if !strings.Contains(out, "dc-east") || strings.Contains(out, r.Site) {
				t.Errorf("output names the site %q or lacks %q:\n%.400s", r.Site, "dc-east", out)
			}
			if r.Site != "2026-03-14T0926Z" {
				t.Errorf("the Report was changed: site %q", r.Site)
			}
			if name == "prom" {
				for k := range checkPromText(t, b.Bytes()) {
					if !strings.Contains(k, `{site="dc-east"`) {
						t.Errorf("series %s is not labelled site=\"dc-east\"", k)
					}
				}
			}
		})
	}
}

// TestPromSwitchUnreachable: a switch that could not be read is 0, and has
// no capture age even when the poll that failed is dated.
func TestPromSwitchUnreachable(t *testing.T) {
	down := &topology.Switch{Name: "leaf3", Unreachable: true, Error: "timeout", Collected: "2026-03-14T09:26:00Z"}
	up := fixtureSwitch("leaf1", leaf1Chassis, 2)
	up.Collected = "2026-03-14T09:26:50.5Z"
	m, err := topology.Build(nil, []*topology.Switch{up, down}, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := checkPromText(t, render(t, Prom{}, &Report{Site: "dc1", Generated: fixtureGenerated, Model: m}))
	for k, v := range map[string]float64{
		`bondaudit_switch_reachable{site="dc1",switch="leaf3"}`:           0,
		`bondaudit_switch_reachable{site="dc1",switch="leaf1"}`:           1,
		`bondaudit_switch_capture_age_seconds{site="dc1",switch="leaf1"}`: 2.5,
	} {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
		}
	}
	if _, ok := got[`bondaudit_switch_capture_age_seconds{site="dc1",switch="leaf3"}`]; ok {
		t.Error("an unreachable switch has a capture age")
	}
}

// TestPromDuplicateBondName: a snapshot that names a bond twice gives one
// series per bond (node_exporter rejects a file with a duplicate series).
func TestPromDuplicateBondName(t *testing.T) {
	h := fixtureHost("web01", []topology.Bond{
		{Name: "bond0", Mode: topology.Mode8023AD, Slaves: slaves("eth0")},
		{Name: "bond0", Mode: topology.ModeActiveBackup, Slaves: slaves("eth1")},
	}, nil)
	m, err := topology.Build([]*topology.Host{h}, nil, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fs := []rules.Finding{{Rule: "bond.lacp-rate-slow", Severity: rules.Info, Host: "web01", Bond: "bond0", Status: rules.StatusFail}}
	got := checkPromText(t, render(t, Prom{}, &Report{Site: "dc1", Generated: fixtureGenerated, Model: m, Findings: fs}))
	if n := countPrefix(got, "bondaudit_bond_info{"); n != 1 {
		t.Errorf("%d bond_info series, want 1", n)
	}
	if v := got[`bondaudit_bond_severity{site="dc1",host="web01",bond="bond0"}`]; v != 1 {
		t.Errorf("bond severity %v, want 1 (info)", v)
	}
}

// TestPromLabelsBounded: the series of the real rules' findings carry only
// labels from bounded sets: the site's own names, rule IDs, severities,
// statuses and bond modes; no message, port or evidence text.
func TestPromLabelsBounded(t *testing.T) {
	r := rulesReport(t)
	names := map[string]map[string]bool{"site": {r.Site: true}, "host": {}, "bond": {}, "switch": {}, "mode": {},
		"rule": {}, "severity": {"error": true, "warning": true, "info": true}, "status": {"fail": true, "suppressed": true}}
	for _, h := range r.Model.Hosts {
		names["host"][h.Name] = true
		for _, b := range h.Bonds {
			names["bond"][b.Name] = true
			names["mode"][string(b.Mode)] = true
		}
	}
	for _, s := range r.Model.Switches {
		names["switch"][s.Name] = true
	}
	for _, rule := range rules.Registry() {
		names["rule"][rule.ID] = true
	}
	var b bytes.Buffer
	w, _ := Audit.Writer("prom", Options{Run: &RunStats{Success: true}})
	if err := w(&b, r); err != nil {
		t.Fatal(err)
	}
	for series := range checkPromText(t, b.Bytes()) {
		_, labels, _ := strings.Cut(strings.TrimSuffix(series, "}"), "{")
		for rest := labels; rest != ""; {
			lm := promLabelRE.FindStringSubmatch(rest)
			rest = rest[len(lm[0]):]
			allowed, known := names[lm[1]]
			if !known {
				t.Errorf("%s: label %s is not one of the bounded ones", series, lm[1])
				continue
			}
			if v := promUnescape(lm[2]); !allowed[v] {
				t.Errorf("%s: %s=%q is not a name from the site, a rule ID or a fixed value", series, lm[1], v)
			}
		}
	}
}

// promUnescape undoes the exposition format's escaping and escape.Text's
// (enough for the names of the test sites).
func promUnescape(s string) string {
	s = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\n`, "\n").Replace(s)
	return strings.ReplaceAll(s, `\\`, `\`)
}

// promtoolCheckMetrics runs Prometheus' own linter on the output: syntax,
// and the naming and HELP conventions.
func promtoolCheckMetrics(t *testing.T, out []byte) {
	t.Helper()
	cmd := exec.Command(needtool.Need(t, "prometheus", "promtool"), "check", "metrics")
	cmd.Stdin = bytes.NewReader(out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, b)
	}
}

func TestPromLabelEscaping(t *testing.T) {
	// the value as escape.Text shows it (a\\b\"c\nd, \xff, \x1b), then
	// escaped for the exposition format
	got := promLabels([][2]string{{"site", "a\\b\"c\nd"}, {"x", "\xff\x1b"}})
	if want := `{site="a\\\\b\"c\\nd",x="\\xff\\x1b"}`; got != want {
		t.Errorf("promLabels = %s, want %s", got, want)
	}
}
