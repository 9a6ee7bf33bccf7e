package collect_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"

	"github.com/bondaudit/bondaudit/collect"
	sg "github.com/bondaudit/bondaudit/internal/sitegen"
)

// loadBenchSite is cmd/bondaudit's generated benchmark site (same options,
// same cache folder in the temp dir).
func loadBenchSite(b *testing.B, hosts, switches int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("bondaudit-bench-%d-%d-v1", hosts, switches))
	marker := filepath.Join(dir, ".complete")
	if _, err := os.Stat(marker); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	if _, err := sg.Write(dir, sg.Options{Hosts: hosts, Switches: switches, Seed: 1, MinSlaves: 2, MaxSlaves: 4, FaultRate: 0.1}); err != nil {
		b.Fatalf("generating site: %v", err)
	}
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
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
