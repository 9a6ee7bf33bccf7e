package main

import (
	"testing"
)

// TestScaleBenchmarkRuns runs the README's scale benchmark command's code
// (BenchmarkScale) on two small generated sites, so that the benchmark
// behind the README's "Scale" figures keeps working between the runs that
// take them: every command it measures exits as expected, the planted
// faults are reported at both sizes, the page-cache sample is read and the
// side-by-side table is printed. Timings at this size mean nothing and are
// not checked.
func TestScaleBenchmarkRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: generates two sites and runs every measured command on each")
	}
	sharedBinary(t)                 // built (once per process) outside this test's TMPDIR, which goes with it
	t.Setenv("TMPDIR", t.TempDir()) // the sites' cache (sitegen.Cached)
	saved := scaleSizes
	scaleSizes = []scaleSize{{"200", 200, 8}, {"2k", 2000, 80}}
	defer func() { scaleSizes = saved }()
	// A failed sub-benchmark does not zero testing.Benchmark's result; it
	// marks its parent failed.
	var failed bool
	testing.Benchmark(func(b *testing.B) {
		BenchmarkScale(b)
		failed = failed || b.Failed()
	})
	if failed {
		t.Fatal("BenchmarkScale failed on the small sites (its output above says where)")
	}
}
