package report

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/golden"
	"github.com/bondaudit/bondaudit/topology"
)

// unknownImpact: web01's bond0 has eth1 unmapped (nothing of it on leaf2:
// unknown), db01 loses its mapped leg and keeps only an unmapped one, and
// a host name that needs escaping in every format.
func unknownImpact(t *testing.T) *topology.Impact {
	t.Helper()
	ab := func(ss ...string) []topology.Bond {
		return []topology.Bond{{Name: "bond0", Mode: "active-backup", ActiveSlave: ss[0], Slaves: slaves(ss...)}}
	}
	hosts := []*topology.Host{
		fixtureHost("web01", ab("eth0", "eth1"), map[string][2]string{"eth0": {leaf1Chassis, "Ethernet1"}}),
		fixtureHost("db01", ab("eth0", "eth1"), map[string][2]string{"eth0": {leaf2Chassis, "Ethernet1"}}),
		fixtureHost("<b>|*x*\x1b", ab("eth0", "eth1"), map[string][2]string{"eth0": {leaf1Chassis, "Ethernet2"}, "eth1": {leaf2Chassis, "Ethernet2"}}),
	}
	m, err := topology.Build(hosts, []*topology.Switch{fixtureSwitch("leaf1", leaf1Chassis, 4), fixtureSwitch("leaf2", leaf2Chassis, 4)}, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	im, err := m.WhatIf([]topology.Down{{Switch: "leaf2"}})
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// TestWhatIfUnknownFormats: every whatif format lists the bond with an
// unmapped slave as unknown, says where it may be, and counts it (golden
// files; -update rewrites them).
func TestWhatIfUnknownFormats(t *testing.T) {
	w := &WhatIf{Impact: unknownImpact(t)}
	if w.Impact.Uncertain() != 2 {
		t.Fatalf("Uncertain() = %d, want 2 (web01 unknown, db01 best case)", w.Impact.Uncertain())
	}
	for _, name := range WhatIfs.Names() {
		write, err := WhatIfs.Writer(name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := write(&buf, w); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{"unknown", "web01", "eth1's switch port is unknown: it may be on leaf2"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, out)
			}
		}
		if strings.Contains(out, "\x1b") {
			t.Errorf("%s: host name not escaped:\n%s", name, out)
		}
		ext, ok := goldenExt[name]
		if !ok {
			t.Fatalf("format %s has no golden extension", name)
		}
		golden.Check(t, filepath.Join("testdata", "golden", "whatif-unknown."+ext), buf.Bytes())
	}
}
