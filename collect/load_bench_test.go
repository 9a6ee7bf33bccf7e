package collect_test

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"

	"github.com/bondaudit/bondaudit/collect"
	sg "github.com/bondaudit/bondaudit/internal/sitegen"
)

// loadBenchSite is cmd/bondaudit's generated benchmark site (sitegen.Cached).
func loadBenchSite(b *testing.B, hosts, switches int) string {
	b.Helper()
	dir, _, err := sg.Cached(hosts, switches)
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoadSite10k is the read+parse share of BenchmarkAudit10k alone:
// LoadSite of the 10,000-host / 400-switch site through SiteDir, as the
// CLI reads it. live-MiB is the heap the loaded site keeps (after a GC):
// the snapshots, without what reading them cost.
func BenchmarkLoadSite10k(b *testing.B) {
	if testing.Short() {
		b.Skip("-short: the 10k-host site takes a while to generate")
	}
	dir := loadBenchSite(b, 10000, 400)
	b.ResetTimer()
	var site *collect.Site
	for b.Loop() {
		site = nil
		sd, err := collect.OpenSiteDir(dir, collect.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		site, err = collect.LoadSite(sd, "bench", collect.LoadOptions{})
		sd.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "live-MiB")
	if p := os.Getenv("BONDAUDIT_LIVE_HEAP_PROFILE"); p != "" {
		// What the loaded site keeps: go tool pprof -sample_index=inuse_space
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		pprof.WriteHeapProfile(f)
		f.Close()
	}
	b.ReportMetric(float64(len(site.Hosts)), "hosts")
	runtime.KeepAlive(site)
}
