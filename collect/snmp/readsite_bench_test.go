package snmp_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/sitegen"
)

// BenchmarkReadSnmprecSite reads the 400 switch walks of the generated
// 10,000-host benchmark site (sitegen.Cached; TMPDIR=/dev/shm finds it on
// tmpfs) as collect.LoadSite does, each read whole into one reused
// WalkReader: one op reads all 400 (the files are read beforehand).
func BenchmarkReadSnmprecSite(b *testing.B) {
	if testing.Short() {
		b.Skip("-short: the 10k-host site takes a while to generate")
	}
	dir, _, err := sitegen.Cached(10000, 400)
	if err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "switches", "*.snmprec"))
	var data [][]byte
	size := 0
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
		size += len(d)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var wr snmp.WalkReader
	for b.Loop() {
		for i, d := range data {
			w, errs := wr.ReadSnmprec(d, nil, files[i])
			if w.Len() == 0 || len(errs) > 0 {
				b.Fatal(w.Len(), errs)
			}
			wr.Release()
		}
	}
}
