package report

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// Prom writes the Prometheus text exposition format for node_exporter's
// textfile collector: gauges for the findings per rule, severity and status
// (waived findings have status="suppressed" and are never counted as
// failing), per bond (mode, worst severity, findings by severity), per
// switch (reachable, capture age) and per host (capture age), what the
// audit saw, when and how long it ran and, for a scheduled run, whether it
// succeeded. Every series carries site="<site>"; output is sorted.
//
// Labels come only from bounded sets: the site's host, bond and switch
// names, rule IDs, severities, statuses and bond modes; never a message,
// a port list or evidence (README "Prometheus metrics" lists the series).
type Prom struct {
	// Run, when set, adds the run series (bondaudit_run_*,
	// bondaudit_last_success_timestamp_seconds).
	Run *RunStats
}

// RunStats is what a scheduled run (bondaudit run) knows about itself.
type RunStats struct {
	Started  time.Time
	Duration time.Duration
	Success  bool
	// LastSuccess is when the last successful run finished; zero when none
	// is known (this run's end stands in when it succeeded).
	LastSuccess time.Time
}

// lastSuccess is the last success's time, zero when there was none.
func (s *RunStats) lastSuccess() time.Time {
	if s.LastSuccess.IsZero() && s.Success {
		return s.Started.Add(s.Duration)
	}
	return s.LastSuccess
}

// promFamily is one metric with its help text and samples.
type promFamily struct {
	name, help string
	samples    []promSample
}

// promSample is one series: its labels other than site, and its value.
type promSample struct {
	labels [][2]string
	value  string
}

// Write implements Writer.
func (p Prom) Write(w io.Writer, r *Report) error {
	fams := promFamilies(r)
	if p.Run != nil {
		fams = append(fams, promRun(p.Run)...)
	}
	slices.SortFunc(fams, func(a, b promFamily) int { return cmp.Compare(a.name, b.name) })
	ew := &errWriter{w: w}
	site := [2]string{"site", r.Site}
	for _, f := range fams {
		if len(f.samples) == 0 {
			continue
		}
		ew.printf("# HELP %s %s\n# TYPE %s gauge\n", f.name, promHelpEscaper.Replace(f.help), f.name)
		lines := make([]string, 0, len(f.samples))
		seen := make(map[string]bool, len(f.samples))
		for _, s := range f.samples {
			series := f.name + promLabels(append([][2]string{site}, s.labels...))
			if seen[series] {
				// two subjects of one name (a snapshot naming a bond
				// twice): node_exporter rejects the whole file on a
				// duplicate series, so the first one stands
				continue
			}
			seen[series] = true
			lines = append(lines, series+" "+s.value)
		}
		slices.Sort(lines)
		for _, l := range lines {
			ew.printf("%s\n", l)
		}
	}
	return ew.err
}

func promFamilies(r *Report) []promFamily {
	s := Summarize(r)
	slaves, unmapped := slaveCounts(r)
	fams := []promFamily{
		promGauge("bondaudit_hosts", "Hosts in the audited site.", s.Hosts),
		promGauge("bondaudit_bonds", "Bonds on the audited hosts.", s.Bonds),
		promGauge("bondaudit_bonds_failing", "Bonds with at least one error finding that is not waived.", failingBonds(r.Findings)),
		promGauge("bondaudit_switches", "Switches in the audited site.", s.Switches),
		promGauge("bondaudit_links", "Host NIC to switch port links mapped.", s.Links),
		promGauge("bondaudit_slaves", "Bond slaves on the audited hosts.", slaves),
		promGauge("bondaudit_slaves_unmapped", "Bond slaves not mapped to a switch port.", unmapped),
		promGauge("bondaudit_inputs_unreadable", "Inputs that could not be read in full; what they would show was not checked.", len(r.Problems)),
		{
			name: "bondaudit_audit_duration_seconds", help: "How long the audit took (read, join, rules), in seconds.",
			samples: []promSample{{value: promFloat(r.Duration.Seconds())}},
		},
		{
			name: "bondaudit_audit_timestamp_seconds", help: "When the audit ran, in seconds since the Unix epoch.",
			samples: []promSample{{value: strconv.FormatInt(r.Generated.Unix(), 10)}},
		},
		promFindings(r.Findings),
		promFindingsBySeverity(r.Findings),
	}
	fams = append(fams, promProblems(r.Findings)...)
	fams = append(fams, promBonds(r)...)
	return append(fams, promDevices(r)...)
}

func promGauge(name, help string, v int) promFamily {
	return promFamily{name: name, help: help, samples: []promSample{{value: strconv.Itoa(v)}}}
}

func promFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// promStatus is a finding's status label: "fail" or "suppressed".
func promStatus(f rules.Finding) string {
	if f.Status == "" {
		return string(rules.StatusFail)
	}
	return string(f.Status)
}

// promFindings has one series per rule, severity and status that has findings.
func promFindings(fs []rules.Finding) promFamily {
	type key struct{ rule, severity, status string }
	n := map[key]int{}
	for _, f := range fs {
		n[key{f.Rule, f.Severity.String(), promStatus(f)}]++
	}
	fam := promFamily{name: "bondaudit_findings", help: "Findings per rule, severity and status (suppressed: waived by policy, not a failure)."}
	for k, v := range n {
		fam.samples = append(fam.samples, promSample{
			labels: [][2]string{{"rule", k.rule}, {"severity", k.severity}, {"status", k.status}},
			value:  strconv.Itoa(v),
		})
	}
	return fam
}

// promFindingsBySeverity has a series for every severity and status, zero
// when there is no such finding, so alerts need no absent().
func promFindingsBySeverity(fs []rules.Finding) promFamily {
	type key struct{ severity, status string }
	n := map[key]int{}
	for _, f := range fs {
		n[key{f.Severity.String(), promStatus(f)}]++
	}
	fam := promFamily{name: "bondaudit_findings_by_severity", help: "Findings per severity and status (suppressed: waived by policy, not a failure)."}
	for _, sev := range severities {
		for _, st := range []rules.Status{rules.StatusFail, rules.StatusSuppressed} {
			fam.samples = append(fam.samples, promSample{
				labels: [][2]string{{"severity", sev.String()}, {"status", string(st)}},
				value:  strconv.Itoa(n[key{sev.String(), string(st)}]),
			})
		}
	}
	return fam
}

// promProblems: the findings folded into problems (rules.Group, one per
// root cause), those not waived: bondaudit_problems per severity (every
// severity, zeros too) and bondaudit_problems_by_rule per primary rule and
// severity.
func promProblems(fs []rules.Finding) []promFamily {
	_, all := grouped(fs)
	bySev := map[rules.Severity]int{}
	type key struct{ rule, severity string }
	byRule := map[key]int{}
	for _, p := range all {
		if !p.Active() {
			continue
		}
		bySev[p.Severity]++
		byRule[key{p.Rule, p.Severity.String()}]++
	}
	sev := promFamily{name: "bondaudit_problems", help: "Problems (findings grouped by root cause) per severity, not waived; a problem is as severe as its worst finding."}
	for _, s := range severities {
		sev.samples = append(sev.samples, promSample{labels: [][2]string{{"severity", s.String()}}, value: strconv.Itoa(bySev[s])})
	}
	rule := promFamily{name: "bondaudit_problems_by_rule", help: "Problems (findings grouped by root cause) per primary rule and severity, not waived."}
	for k, v := range byRule {
		rule.samples = append(rule.samples, promSample{labels: [][2]string{{"rule", k.rule}, {"severity", k.severity}}, value: strconv.Itoa(v)})
	}
	return []promFamily{sev, rule}
}

// promSeverity is the number bondaudit_bond_severity gives a severity:
// 1 info, 2 warning, 3 error (0 is a bond with no finding).
func promSeverity(s rules.Severity) int { return int(s-rules.Info) + 1 }

// promBonds has the per-bond series: one bondaudit_bond_info (host, bond,
// mode) per bond of the Model, its worst severity as a number and its
// findings per severity, zero included, so an alert on one bond needs no
// absent(). Waived findings are not counted. A bond only findings name
// (none in the Model) gets the counts without an info series.
func promBonds(r *Report) []promFamily {
	info := promFamily{name: "bondaudit_bond_info",
		help: "One series per bond with its mode (the kernel's, or OVS/teamd's name); always 1."}
	worst := promFamily{name: "bondaudit_bond_severity",
		help: "Worst severity of the bond's findings that are not waived: 0 none, 1 info, 2 warning, 3 error."}
	count := promFamily{name: "bondaudit_bond_findings",
		help: "The bond's findings per severity, waived ones not counted."}
	var keys []bondKey
	seen := map[bondKey]bool{}
	add := func(k bondKey) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if r.Model != nil {
		for _, h := range r.Model.Hosts {
			for _, b := range h.Bonds {
				k := bondKey{h.Name, b.Name}
				if !seen[k] {
					info.samples = append(info.samples, promSample{
						labels: [][2]string{{"host", h.Name}, {"bond", b.Name}, {"mode", string(b.Mode)}}, value: "1"})
				}
				add(k)
			}
		}
	}
	bySev := map[bondKey]map[rules.Severity]int{}
	for _, f := range r.Findings {
		if f.Bond == "" || waived(f) {
			continue
		}
		k := bondKey{f.Host, f.Bond}
		add(k)
		if bySev[k] == nil {
			bySev[k] = map[rules.Severity]int{}
		}
		bySev[k][f.Severity]++
	}
	for _, k := range keys {
		hb := [][2]string{{"host", k.host}, {"bond", k.bond}}
		w := 0
		for _, sev := range severities {
			n := bySev[k][sev]
			if n > 0 {
				w = max(w, promSeverity(sev))
			}
			count.samples = append(count.samples, promSample{
				labels: append(slices.Clone(hb), [2]string{"severity", sev.String()}), value: strconv.Itoa(n)})
		}
		worst.samples = append(worst.samples, promSample{labels: hb, value: strconv.Itoa(w)})
	}
	return []promFamily{info, worst, count}
}

// promDevices has the per-switch and per-host series: whether each switch
// could be read, and how old each capture was when the audit ran (only
// where the capture time is known; none for a switch that could not be
// read, whose capture holds no data).
func promDevices(r *Report) []promFamily {
	reach := promFamily{name: "bondaudit_switch_reachable",
		help: "1 when the switch's data could be read (polled or from its file), 0 when not."}
	swAge := promFamily{name: "bondaudit_switch_capture_age_seconds",
		help: "Age of the switch's capture when the audit ran, in seconds (only when the capture time is known)."}
	hostAge := promFamily{name: "bondaudit_host_capture_age_seconds",
		help: "Age of the host's capture when the audit ran, in seconds (only when the capture time is known)."}
	if r.Model == nil {
		return nil
	}
	age := func(t time.Time, ok bool) (string, bool) {
		if r.Generated.IsZero() || !ok {
			return "", false
		}
		return promFloat(r.Generated.Sub(t).Round(time.Millisecond).Seconds()), true
	}
	for _, s := range r.Model.Switches {
		l := [][2]string{{"switch", s.Name}}
		up := "1"
		if s.Unreachable {
			up = "0"
		}
		reach.samples = append(reach.samples, promSample{labels: l, value: up})
		if v, ok := age(s.CollectedAt()); ok && !s.Unreachable {
			swAge.samples = append(swAge.samples, promSample{labels: l, value: v})
		}
	}
	for _, h := range r.Model.Hosts {
		if v, ok := age(h.CollectedAt()); ok && !h.Unreachable {
			hostAge.samples = append(hostAge.samples, promSample{labels: [][2]string{{"host", h.Name}}, value: v})
		}
	}
	return []promFamily{reach, swAge, hostAge}
}

// promRun has the series of a scheduled run.
func promRun(s *RunStats) []promFamily {
	ok, last := "0", int64(0)
	if s.Success {
		ok = "1"
	}
	if t := s.lastSuccess(); !t.IsZero() {
		last = t.Unix()
	}
	return []promFamily{
		{name: "bondaudit_run_duration_seconds", help: "How long the scheduled run took (collect, audit, diff, outputs), in seconds.",
			samples: []promSample{{value: promFloat(s.Duration.Seconds())}}},
		{name: "bondaudit_run_success", help: "1 when the scheduled run succeeded, 0 when it failed.",
			samples: []promSample{{value: ok}}},
		{name: "bondaudit_last_success_timestamp_seconds", help: "When the last successful scheduled run finished, in seconds since the Unix epoch (0: none yet).",
			samples: []promSample{{value: strconv.FormatInt(last, 10)}}},
	}
}

// failingBonds counts the bonds with an error finding that is not waived.
func failingBonds(fs []rules.Finding) int {
	failing := map[bondKey]bool{}
	for _, f := range fs {
		if f.Bond != "" && f.Severity == rules.Error && !waived(f) {
			failing[bondKey{f.Host, f.Bond}] = true
		}
	}
	return len(failing)
}

// slaveCounts counts the bond slaves in the Model and those with no link.
func slaveCounts(r *Report) (slaves, unmapped int) {
	if r.Model == nil {
		return 0, 0
	}
	for _, h := range r.Model.Hosts {
		for _, bf := range h.BondFacts() {
			for _, sf := range bf.Slaves {
				slaves++
				if !sf.Mapped() {
					unmapped++
				}
			}
		}
	}
	return slaves, unmapped
}

var (
	promLabelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	promHelpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

// promLabels renders {name="value",...}: each value shown as escape.Text
// (valid UTF-8, no control character), then escaped per the exposition format.
func promLabels(labels [][2]string) string {
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = l[0] + `="` + promLabelEscaper.Replace(escape.Text(l[1])) + `"`
	}
	return "{" + strings.Join(parts, ",") + "}"
}
