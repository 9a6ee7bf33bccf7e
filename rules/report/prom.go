package report

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// Prom writes the Prometheus text exposition format for node_exporter's
// textfile collector: gauges for the findings per rule, severity and status
// (waived findings have status="suppressed" and are never counted as
// failing), what the audit saw, and when and how long it ran. Every series
// carries site="<site>"; output is sorted.
type Prom struct{}

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
func (Prom) Write(w io.Writer, r *Report) error {
	fams := promFamilies(r)
	slices.SortFunc(fams, func(a, b promFamily) int { return cmp.Compare(a.name, b.name) })
	ew := &errWriter{w: w}
	site := [2]string{"site", r.Site}
	for _, f := range fams {
		ew.printf("# HELP %s %s\n# TYPE %s gauge\n", f.name, promHelpEscaper.Replace(f.help), f.name)
		lines := make([]string, 0, len(f.samples))
		for _, s := range f.samples {
			lines = append(lines, f.name+promLabels(append([][2]string{site}, s.labels...))+" "+s.value)
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
	return []promFamily{
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
			samples: []promSample{{value: strconv.FormatFloat(r.Duration.Seconds(), 'f', -1, 64)}},
		},
		{
			name: "bondaudit_audit_timestamp_seconds", help: "When the audit ran, in seconds since the Unix epoch.",
			samples: []promSample{{value: strconv.FormatInt(r.Generated.Unix(), 10)}},
		},
		promFindings(r.Findings),
		promFindingsBySeverity(r.Findings),
	}
}

func promGauge(name, help string, v int) promFamily {
	return promFamily{name: name, help: help, samples: []promSample{{value: strconv.Itoa(v)}}}
}

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
