// Package report renders audit results. Every format is a Writer chosen from
// one validated list; an unknown format is an error, never a fallback.
//
// It reads only the topology Model and rule Findings.
package report

import (
	"io"
	"slices"
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

func sortedProblems(p []string) []string {
	s := slices.Clone(p)
	slices.Sort(s)
	return s
}
