package pipeline

import (
	"io"
	"slices"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
)

// BenchmarkTopologyView measures bondaudit topology's output side on a site
// read and built once outside the timer: the View made from the Model and
// written as text (the default) and as JSON.
func BenchmarkTopologyView(b *testing.B) {
	site := benchModelSite(b)
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []struct {
		name  string
		write func(*topology.View, io.Writer) error
	}{
		{"Text", (*topology.View).WriteText},
		{"JSON", (*topology.View).WriteJSON},
	} {
		b.Run(f.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				if err := f.write(topology.NewView(m), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkDiff measures bondaudit diff's own share on two sides built
// outside the timer (the site read twice, each side joined and judged, NEW
// with OLD's inventory as its previous run): the drift and the findings'
// delta (report.NewDiff), and the JSON written.
func BenchmarkDiff(b *testing.B) {
	side := func(name string, prev *topology.Inventory) *report.DiffSide {
		site := benchModelSite(b)
		m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{Previous: prev})
		if err != nil {
			b.Fatal(err)
		}
		r := &Result{Name: name, Site: site, Model: m}
		r.Judge(nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		return &report.DiffSide{Name: name, Model: m, Findings: r.Findings, Problems: r.Problems()}
	}
	old := side("old", nil)
	inv := old.Model.Inventory()
	inv.Source = "old"
	new := side("new", inv)
	now := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	b.Run("NewDiff", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			report.NewDiff(old, new, now)
		}
		reportCPU(b, cpu)
	})
	b.Run("JSON", func(b *testing.B) {
		write, err := report.Diffs.Writer("json", report.Options{})
		if err != nil {
			b.Fatal(err)
		}
		d := report.NewDiff(old, new, now)
		cpu := cpuTime()
		for b.Loop() {
			if err := write(io.Discard, d); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
}

// BenchmarkGroup measures rules.Group on the site's judged findings (what
// every report does to a copy of them before writing).
func BenchmarkGroup(b *testing.B) {
	site := benchModelSite(b)
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	r := &Result{Name: "bench", Site: site, Model: m}
	r.Judge(nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	cpu := cpuTime()
	var n int
	for b.Loop() {
		n = len(rules.Group(slices.Clone(r.Findings)))
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(n), "problems")
}
