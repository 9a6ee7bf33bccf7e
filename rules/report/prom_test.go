package report

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
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
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
		}
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
