package rules

import (
	"os"
	"testing"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
)

// BenchmarkBuildIndex measures buildIndex on the 10k-host site
// cmd/bondaudit's BenchmarkAudit10k caches ($BONDAUDIT_BENCH_SITE for
// another), with the bonds indexed on one goroutine and on GOMAXPROCS.
func BenchmarkBuildIndex(b *testing.B) {
	dir := os.Getenv("BONDAUDIT_BENCH_SITE")
	if dir == "" {
		dir = sitegen.CachedDir(10000, 400)
	}
	if _, err := os.Stat(dir + "/.complete"); err != nil {
		b.Skipf("no generated site at %s", dir)
	}
	site, err := collect.LoadSite(os.DirFS(dir), "bench", collect.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer func(n int) { minParallelSlaves = n }(minParallelSlaves)
	for _, bc := range []struct {
		name string
		min  int
	}{{"serial", 1 << 30}, {"parallel", 4096}} {
		b.Run(bc.name, func(b *testing.B) {
			minParallelSlaves = bc.min
			for b.Loop() {
				buildIndex(m)
			}
		})
	}
}
