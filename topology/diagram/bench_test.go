package diagram

import (
	"io"
	"testing"

	"github.com/bondaudit/bondaudit/internal/dottest"
)

// BenchmarkSVG200HostFocus renders the SVG of a focus on an MLAG pair with
// 200 hosts (400 bond edges). Target (issue part 3): under 2 s.
func BenchmarkSVG200HostFocus(b *testing.B) {
	dottest.Need(b)
	m := pairSite(b, 200)
	var marks []Mark
	for i := 0; i < 200; i += 7 {
		marks = append(marks, Mark{Rule: "lacp.not-synced", Severity: SevError, Host: m.Hosts[i].Name, Bond: "bond0", NIC: "eth1"})
	}
	b.ResetTimer()
	for b.Loop() {
		d, err := Build(m, Options{Focus: "pair", Marks: marks})
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Nodes) != 202 {
			b.Fatalf("%d nodes, want 200 hosts + 2 switches", len(d.Nodes))
		}
		if err := d.SVG(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
