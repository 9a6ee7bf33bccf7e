package vendors_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// cdpWant is one CDP neighbour a hand-written walk must give.
type cdpWant struct {
	local, sys, chassis, port, platform, addr string
	pvid                                      int
}

// cdpNeighbours is the CDP neighbours of s, as cdpWant.
func cdpNeighbours(s *topology.Switch) []cdpWant {
	var out []cdpWant
	for _, n := range s.Neighbours {
		if n.Protocol != topology.ProtoCDP {
			continue
		}
		out = append(out, cdpWant{n.LocalPort, n.SystemName, n.ChassisID, n.PortID, n.SystemDescr, strings.Join(n.MgmtAddrs, ","), n.PVID})
	}
	return out
}

func readWalk(t *testing.T, path string) *vendors.Walk {
	t.Helper()
	w, errs, err := snmp.ReadWalkFile(path)
	if err != nil || len(errs) > 0 {
		t.Fatalf("%s: %v %v", path, err, errs)
	}
	return w
}

// withoutCDP is w without any CISCO-CDP-MIB row.
func withoutCDP(w *vendors.Walk) *vendors.Walk {
	var vbs []vendors.VarBind
	for _, vb := range w.All() {
		if !strings.HasPrefix(vb.OID, "1.3.6.1.4.1.9.9.23.") {
			vbs = append(vbs, vb)
		}
	}
	return vendors.NewWalk(vbs)
}

// TestCDPOnEveryDevice: the CDP cache table is decoded whatever the
// device's profile (IOS-XR, Cisco SB/CBS, a vendor no profile knows), the
// same by the standard decoder alone and with every family's; without the
// table (the same walks with the CDP rows removed) no CDP neighbour is
// invented.
func TestCDPOnEveryDevice(t *testing.T) {
	for _, c := range []struct {
		file, vendor string
		want         []cdpWant
		lag          string
		members      []string
	}{
		{"iosxr-asr9k", "cisco-iosxr", []cdpWant{
			// the management port, and each Bundle-Ether6 member: the
			// neighbour is on the member port, not on the bundle
			{"MgmtEth0/RSP0/CPU0/0", "oob-sw1", "oob-sw1", "GigabitEthernet1/0/24", "cisco WS-C2960X-48TS-L", "192.168.0.1", 0},
			{"TenGigE0/0/0/2", "p1-core.lab", "p1-core.lab", "TenGigE0/0/0/7", "cisco ASR9K Series", "10.0.1.5", 0},
			{"TenGigE0/0/0/3", "p1-core.lab", "p1-core.lab", "TenGigE0/0/0/8", "cisco ASR9K Series", "10.0.1.5", 0},
		}, "Bundle-Ether6", []string{"TenGigE0/0/0/2", "TenGigE0/0/0/3"}},
		{"cbs350", "cisco-sb", []cdpWant{
			{"gi1/0/3", "SEP001122334455", "SEP001122334455", "Port 1", "Cisco IP Phone 7841", "10.20.0.3", 1},
			{"te1/0/1", "core-sw1.lab", "core-sw1.lab", "TenGigabitEthernet1/1/1", "cisco C9300-48P", "10.0.0.1", 1},
			{"te1/0/2", "core-sw1.lab", "core-sw1.lab", "TenGigabitEthernet2/1/1", "cisco C9300-48P", "10.0.0.1", 1},
		}, "Po1", []string{"te1/0/1", "te1/0/2"}},
		{"other-vendor", "standard", []cdpWant{
			// the serial number NX-OS appends is not part of the name; the
			// row with an address only is no neighbour
			{"port2", "dist-sw2", "dist-sw2(FOC1234X5YZ)", "Ethernet1/12", "N9K-C93180YC-EX", "10.0.0.254", 0},
		}, "", nil},
	} {
		t.Run(c.file, func(t *testing.T) {
			w := readWalk(t, filepath.Join("testdata", "cdp", c.file+".snmprec"))
			s, probs := vendortest.Decode(w, c.file)
			if s.Vendor != c.vendor {
				t.Errorf("vendor %q, want %q", s.Vendor, c.vendor)
			}
			if got := cdpNeighbours(s); !slices.Equal(got, c.want) {
				t.Errorf("CDP neighbours\n got %+v\nwant %+v", got, c.want)
			}
			if len(probs) > 0 {
				t.Errorf("problems %q", probs)
			}
			std, _ := vendors.Decode(w, c.file)
			if got := cdpNeighbours(std); !slices.Equal(got, c.want) {
				t.Errorf("standard decoder alone: CDP neighbours\n got %+v\nwant %+v", got, c.want)
			}
			if c.lag != "" {
				l := vendortest.LAG(s, c.lag)
				if l == nil || !slices.Equal(l.Members, c.members) {
					t.Errorf("LAG %s: %+v, want members %q", c.lag, l, c.members)
				}
			}
			for _, n := range s.Neighbours {
				if vendortest.Port(s, n.LocalPort) == nil {
					t.Errorf("neighbour %+v on a port the walk does not name", n)
				}
			}
			// no fire: the same device without the table
			bare, probs := vendortest.Decode(withoutCDP(w), c.file)
			if got := cdpNeighbours(bare); len(got) != 0 || len(probs) > 0 {
				t.Errorf("without cdpCacheTable: CDP neighbours %+v, problems %q", got, probs)
			}
		})
	}
}

// TestCDPRealRecordingWithoutTable: the real CBS350 recording has no
// cdpCacheTable rows: no CDP neighbour.
func TestCDPRealRecordingWithoutTable(t *testing.T) {
	s, _ := vendortest.Decode(vendortest.Recording(t, "librenms__ciscosb_cbs350-4x"), "cbs")
	if s.Vendor != "cisco-sb" {
		t.Errorf("vendor %q", s.Vendor)
	}
	if got := cdpNeighbours(s); len(got) != 0 {
		t.Errorf("CDP neighbours %+v", got)
	}
}

// TestCDPUnknownIfIndex: a non-Cisco device's CDP row on an ifIndex the walk
// does not have stays on "ifIndex<n>" with a problem naming the line, the
// same as on Cisco profiles; a row whose index is not two integers is a
// problem and no neighbour.
func TestCDPUnknownIfIndex(t *testing.T) {
	cdp := "1.3.6.1.4.1.9.9.23.1.2.1.1."
	s, probs := texts(vendors.Decode(walk(t, base+
		cdp+"6.77.1|4|ghost\n"+cdp+"7.77.1|4|Gi0/1\n"+
		cdp+"6.5|4|bad-index\n"), "x"))
	got := cdpNeighbours(s)
	if len(got) != 1 || got[0].local != "ifIndex77" || got[0].sys != "ghost" || got[0].port != "Gi0/1" {
		t.Errorf("CDP neighbours %+v", got)
	}
	if !slices.ContainsFunc(probs, func(p string) bool {
		return strings.HasPrefix(p, "line ") && strings.Contains(p, "cdpCacheIfIndex 77 is no interface of the walk")
	}) || !slices.ContainsFunc(probs, func(p string) bool { return strings.Contains(p, "cdpCacheDeviceId.5: index is not two integers") }) {
		t.Errorf("problems %q", probs)
	}
}

// TestCDPWalkedForEveryProfile: the poller walks cdpCacheTable for every
// device, whatever its profile.
func TestCDPWalkedForEveryProfile(t *testing.T) {
	if !slices.ContainsFunc(vendors.StandardOIDs, func(o string) bool {
		return strings.HasPrefix("1.3.6.1.4.1.9.9.23.1.2.1.1.6", o+".")
	}) {
		t.Errorf("StandardOIDs %q do not cover cdpCacheTable", vendors.StandardOIDs)
	}
	if _, err := os.Stat(filepath.Join("testdata", "cdp", "other-vendor.snmprec")); err != nil {
		t.Fatal(err) // collect/snmp's live-poll test serves this file
	}
}
