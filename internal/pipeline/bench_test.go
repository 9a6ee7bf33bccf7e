package pipeline

import (
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
)

// benchModelSite is the site BenchmarkModel measures: $BONDAUDIT_BENCH_SITE,
// else the 10k-host site cmd/bondaudit's BenchmarkAudit10k caches.
func benchModelSite(b *testing.B) *collect.Site {
	b.Helper()
	dir := os.Getenv("BONDAUDIT_BENCH_SITE")
	if dir == "" {
		dir = sitegen.CachedDir(10000, 400)
	}
	if _, err := os.Stat(dir + "/.complete"); err != nil {
		b.Skipf("no generated site at %s (run cmd/bondaudit's BenchmarkAudit10k once, or set BONDAUDIT_BENCH_SITE)", dir)
	}
	sd, err := collect.OpenSiteDir(dir, collect.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer sd.Close()
	site, err := collect.LoadSite(sd, "bench", collect.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return site
}

// BenchmarkModel measures the model side of an audit on a site read once
// outside the timer: topology.Build, rules.Run (with the policy applied)
// and the JSON and HTML reports, each alone, so their times and allocations can be
// compared between site sizes (linear?) and between versions. Build also
// reports the heap the Model holds (MiB in use after Build, the snapshots
// excluded).
func BenchmarkModel(b *testing.B) {
	site := benchModelSite(b)
	build := func() *topology.Model {
		m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
		if err != nil {
			b.Fatal(err)
		}
		return m
	}
	b.Run("Build", func(b *testing.B) {
		var m *topology.Model
		cpu := cpuTime()
		for b.Loop() {
			m = build()
		}
		b.StopTimer()
		reportCPU(b, cpu)
		var before, after runtime.MemStats
		m = nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		m = build()
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(m)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "model-MiB")
	})
	m := build()
	b.Run("Rules", func(b *testing.B) {
		var n int
		cpu := cpuTime()
		for b.Loop() {
			n = len((&Result{Model: m, Site: site}).judged())
		}
		reportCPU(b, cpu)
		b.ReportMetric(float64(n), "findings")
	})
	r := &Result{Name: "bench", Site: site, Model: m}
	r.Judge(nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	b.Run("JSON", func(b *testing.B) {
		a := Audit(r, AuditOptions{Site: "bench"})
		cpu := cpuTime()
		for b.Loop() {
			if err := (report.JSON{}).Write(io.Discard, a.Report); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
	b.Run("HTML", func(b *testing.B) {
		a := Audit(r, AuditOptions{Site: "bench"})
		cpu := cpuTime()
		for b.Loop() {
			if err := (report.HTML{}).Write(io.Discard, a.Report); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
}

// reportCPU reports the CPU time per iteration since cpu (cpuTime), GC
// included: wall time on a loaded machine says little.
func reportCPU(b *testing.B, cpu time.Duration) {
	if now := cpuTime(); now > 0 {
		b.ReportMetric(float64(now-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

func (r *Result) judged() []rules.Finding {
	r.Judge(nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	return r.Findings
}
