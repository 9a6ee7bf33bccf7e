// Package report renders audit results. Every format is a Writer chosen from
// one validated list; an unknown format is an error, never a fallback.
//
// It reads only the topology Model and rule Findings.
package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// Report is one audit's result, as handed to a Writer.
type Report struct {
	Site      string
	Generated time.Time
	Model     *topology.Model
	Findings  []rules.Finding
	// Problems are inputs that could not be read (file and line), so the
	// reader knows what was not checked.
	Problems []string
	// Duration is how long the audit took (read, join, rules), for formats
	// that record it (prom).
	Duration time.Duration
	// Filter is the --host/--switch/--rule selection Findings were cut
	// to (zero: none); the text report lists only the selected bonds and
	// says what was selected.
	Filter rules.Filter
}

// Writer renders a Report.
type Writer interface {
	Write(w io.Writer, r *Report) error
}

// Formats lists the formats New accepts, in the order help shows them.
func Formats() []string { return Audit.Names() }

// New returns the Writer for format ("" is text), from the Audit registry.
func New(format string) (Writer, error) {
	if format == "" {
		format = "text"
	}
	w, err := Audit.Writer(format, Options{})
	if err != nil {
		return nil, err
	}
	return writerFunc(w), nil
}

// writerFunc is a Writer from a registry's writer.
type writerFunc func(io.Writer, *Report) error

func (f writerFunc) Write(w io.Writer, r *Report) error { return f(w, r) }

// Summary counts what the audit saw.
type Summary struct {
	Hosts    int `json:"hosts"`
	Bonds    int `json:"bonds"`
	Switches int `json:"switches"`
	Links    int `json:"links"`
	// Findings counts the findings by severity; every severity is present
	// (JSON: {"error": n, "info": n, "warning": n}).
	Findings map[rules.Severity]int `json:"findings"`
}

// Summarize counts hosts, bonds, switches, links and findings by severity
// (suppressed findings are not counted).
func Summarize(r *Report) Summary {
	s := Summary{Findings: map[rules.Severity]int{rules.Error: 0, rules.Warning: 0, rules.Info: 0}}
	if r.Model != nil {
		s.Hosts = len(r.Model.Hosts)
		s.Switches = len(r.Model.Switches)
		s.Links = len(r.Model.Links)
		for _, h := range r.Model.Hosts {
			s.Bonds += len(h.Bonds)
		}
	}
	for _, f := range r.Findings {
		if f.Status == rules.StatusSuppressed {
			continue
		}
		s.Findings[f.Severity]++
	}
	return s
}

// bondFindings groups findings by host and bond for the per-bond view.
func bondFindings(fs []rules.Finding) map[[2]string][]rules.Finding {
	out := map[[2]string][]rules.Finding{}
	for _, f := range fs {
		if f.Status == rules.StatusSuppressed {
			continue
		}
		k := [2]string{f.Host, f.Bond}
		out[k] = append(out[k], f)
	}
	return out
}

// grouped folds fs into problems (rules.Group) on a copy, so the
// report's findings are never changed: the copy, in fs's order, with each
// finding's Problem set, and the problems.
func grouped(fs []rules.Finding) ([]rules.Finding, []rules.Problem) {
	c := slices.Clone(fs)
	return c, rules.Group(c)
}

// activeProblems are the problems with an active finding, each cut to its
// active findings (the waived ones are listed apart).
func activeProblems(ps []rules.Problem) []rules.Problem {
	var out []rules.Problem
	for _, p := range ps {
		if !p.Active() {
			continue
		}
		q := p
		q.Findings = nil
		for _, f := range p.Findings {
			if f.Active() {
				q.Findings = append(q.Findings, f)
			}
		}
		out = append(out, q)
	}
	return out
}

// problemCounts counts the active problems by severity.
func problemCounts(ps []rules.Problem) map[rules.Severity]int {
	n := map[rules.Severity]int{rules.Error: 0, rules.Warning: 0, rules.Info: 0}
	for _, p := range ps {
		if p.Active() {
			n[p.Severity]++
		}
	}
	return n
}

// problemSubject is a problem's subject in words for a report: "host
// web02 bond0 (802.3ad)", "switch leaf2 LAG Po3", "MLAG pair
// leaf1a+leaf1b", "switch leaf2 port Ethernet7", "host h1 NIC eth0",
// "switch leaf2", "host h1", "site". Not escaped.
func problemSubject(m *topology.Model, s rules.Subject) string {
	switch s.Kind {
	case rules.SubjectBond:
		return subjectTitle(m, rules.Finding{Host: s.Host, Bond: s.Bond})
	case rules.SubjectLAG:
		return "switch " + s.Switch + " LAG " + s.LAG
	case rules.SubjectPair:
		return "MLAG pair " + s.Switch
	case rules.SubjectPort:
		if s.Switch != "" {
			return "switch " + s.Switch + " port " + s.Port
		}
		return "host " + s.Host + " NIC " + s.Port
	case rules.SubjectSwitch:
		return "switch " + s.Switch
	case rules.SubjectHost:
		return "host " + s.Host
	}
	return "site"
}

// shortSubject is a problem's subject without its kind's words where the
// names say enough: "web02 bond0", "leaf2 Po3", "leaf1a+leaf1b", "leaf2
// Ethernet7", "leaf2", "h1", "site". Not escaped.
func shortSubject(s rules.Subject) string {
	if s.Kind == rules.SubjectSite {
		return "site"
	}
	return strings.Join(nonEmpty(s.Host, s.Bond, s.Switch, s.LAG, s.Port), " ")
}

// more is "+N findings" for a problem of n findings (its first is the
// problem's own line); "" for one.
func more(n int) string {
	switch {
	case n <= 1:
		return ""
	case n == 2:
		return "+1 finding"
	}
	return fmt.Sprintf("+%d findings", n-1)
}

func sortedProblems(p []string) []string {
	s := slices.Clone(p)
	slices.Sort(s)
	return s
}
