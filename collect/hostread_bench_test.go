package collect_test

import (
	"io/fs"
	"testing"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/host"
)

// BenchmarkReadHosts10k is the host share of BenchmarkLoadSite10k alone:
// every capture folder of the 10,000-host site read by host.ReadCaptureFS
// through SiteDir, one after the other (no switches, no scheduling).
func BenchmarkReadHosts10k(b *testing.B) {
	if testing.Short() {
		b.Skip("-short: the 10k-host site takes a while to generate")
	}
	dir := loadBenchSite(b, 10000, 400)
	sd, err := collect.OpenSiteDir(dir, collect.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer sd.Close()
	entries, err := fs.ReadDir(sd, "hosts")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			if _, _, err := host.ReadCaptureFS(sd, "hosts/"+e.Name()); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(entries)), "hosts")
}
