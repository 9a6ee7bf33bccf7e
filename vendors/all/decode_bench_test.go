package all_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	sg "github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// BenchmarkDecode is the decode alone (all.Decode, the walks read
// beforehand) of every shared recording and of the 400 switches of the
// generated 10,000-host benchmark site (sitegen.Cached): one op decodes
// them all. collect's BenchmarkLoadSite10k is the read and decode together.
func BenchmarkDecode(b *testing.B) {
	b.Run("fixtures", func(b *testing.B) {
		files := fixtures.Glob(b, "snmp", "*.snmprec")
		more, _ := filepath.Glob("../testdata/cdp/*.snmprec")
		benchDecode(b, append(files, more...))
	})
	b.Run("generated400", func(b *testing.B) {
		if testing.Short() {
			b.Skip("-short: the 10k-host site takes a while to generate")
		}
		dir, _, err := sg.Cached(10000, 400)
		if err != nil {
			b.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "switches", "*.snmprec"))
		benchDecode(b, files)
	})
}

func benchDecode(b *testing.B, files []string) {
	type walk struct {
		w    *vendors.Walk
		name string
	}
	walks := make([]walk, 0, len(files))
	for _, f := range files {
		w, _, err := snmp.ReadWalkFile(f)
		if err != nil {
			b.Fatal(err)
		}
		walks = append(walks, walk{w, strings.TrimSuffix(filepath.Base(f), ".snmprec")})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, w := range walks {
			all.Decode(w.w, w.name)
		}
	}
}
