package host_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/host"
)

// BenchmarkSiteJSON parses the ip-link and lldpcli JSON of the first 2,000
// hosts of the 10k benchmark site (BONDAUDIT_BENCH_SITE, or the cached one
// under /dev/shm), read into memory first: the parsers alone, on the
// variety of a site (one op is every file once).
func BenchmarkSiteJSON(b *testing.B) {
	site := os.Getenv("BONDAUDIT_BENCH_SITE")
	if site == "" {
		site = "/dev/shm/bondaudit-bench-10000-400-v1"
	}
	dirs, _ := filepath.Glob(filepath.Join(site, "hosts", "*"))
	if len(dirs) == 0 {
		b.Skip("no benchmark site at", site)
	}
	dirs = dirs[:min(len(dirs), 2000)]
	var ipLinks, lldps [][]byte
	n := 0
	for _, d := range dirs {
		ip, err1 := os.ReadFile(filepath.Join(d, "ip-link.json"))
		ll, err2 := os.ReadFile(filepath.Join(d, "lldp.json"))
		if err1 == nil && err2 == nil {
			ipLinks, lldps = append(ipLinks, ip), append(lldps, ll)
			n += len(ip) + len(ll)
		}
	}
	for _, bc := range []struct {
		name  string
		files [][]byte
		parse func([]byte) error
	}{
		{"ip-link", ipLinks, func(d []byte) error { _, err := host.ParseIPLinkJSON(d, "ip-link.json"); return err }},
		{"lldp", lldps, func(d []byte) error { _, err := host.ParseLLDP(d, "lldp.json"); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			size := 0
			for _, f := range bc.files {
				size += len(f)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				for _, f := range bc.files {
					if err := bc.parse(f); err != nil {
						b.Fatal(err)
					}
				}
			}
			perFile := float64(b.N) * float64(len(bc.files))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/perFile, "ns/file")
			// The process's CPU time (GC included): on a shared machine
			// steadier than the wall time.
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/perFile, "cpu-ns/file")
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
