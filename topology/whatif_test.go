package topology

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// unknownSite: h1's eth1 has no evidence (unmapped), h2 is mapped on both
// legs, h3's unmapped eth0 is already down.
func unknownSite(t *testing.T, mapH1eth1 bool) *Model {
	t.Helper()
	const chA, chB = "00:1c:73:00:00:0a", "00:1c:73:00:00:0b"
	bonded := func(name string, mode BondMode, slaves map[string]LinkState, lldps ...Neighbour) *Host {
		h := &Host{Name: name, Neighbours: lldps}
		b := Bond{Name: "bond0", Mode: mode}
		for _, n := range []string{"eth0", "eth1"} {
			h.NICs = append(h.NICs, NIC{Name: n, Master: "bond0", State: "up"})
			b.Slaves = append(b.Slaves, Slave{Name: n, MIIStatus: slaves[n]})
		}
		h.Bonds = []Bond{b}
		return h
	}
	up := map[string]LinkState{"eth0": "up", "eth1": "up"}
	h1 := []Neighbour{lldp("eth0", chA, "Ethernet1", IDIfName)}
	if mapH1eth1 {
		h1 = append(h1, lldp("eth1", chB, "Ethernet3", IDIfName))
	}
	hosts := []*Host{
		bonded("h1", "active-backup", up, h1...),
		bonded("h2", "802.3ad", up, lldp("eth0", chA, "Ethernet2", IDIfName), lldp("eth1", chB, "Ethernet1", IDIfName)),
		bonded("h3", "active-backup", map[string]LinkState{"eth0": "down", "eth1": "up"}, lldp("eth1", chB, "Ethernet2", IDIfName)),
	}
	m, err := Build(hosts, []*Switch{leaf("leaf1", chA, "Ethernet", 1, 2, 3), leaf("leaf2", chB, "Ethernet", 1, 2, 3)}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

type impactRow struct {
	Host    string
	Outcome Outcome
	Unknown []string
	Notes   []string
}

func impactRows(t *testing.T, m *Model, downs ...Down) ([]impactRow, *Impact) {
	t.Helper()
	im, err := m.WhatIf(downs)
	if err != nil {
		t.Fatal(err)
	}
	var out []impactRow
	for _, b := range im.Bonds {
		out = append(out, impactRow{b.Host, b.Outcome, b.Unknown, b.Notes})
	}
	return out, im
}

// TestWhatIfUnknown: a bond with a slave no evidence maps is listed as
// unknown when nothing else of it goes down, and its outcome says the
// unmapped slave was counted as remaining when something does; a slave
// already down is not unknown; with no downs nothing is listed; once the
// slave is mapped the bond is left out again.
func TestWhatIfUnknown(t *testing.T) {
	m := unknownSite(t, false)
	rows, im := impactRows(t, m, Down{Switch: "leaf2"})
	want := []impactRow{
		{"h3", OutcomeIsolated, nil, []string{"eth0 is already down"}},
		{"h2", OutcomeRedundancy, nil, nil},
		{"h1", OutcomeUnknown, []string{"eth1"}, []string{"eth1's switch port is unknown: it may be on leaf2"}},
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("--down leaf2 (-want +got):\n%s", d)
	}
	if im.Uncertain() != 1 || !im.Isolated() {
		t.Errorf("Uncertain %d, Isolated %v: want 1, true", im.Uncertain(), im.Isolated())
	}

	rows, im = impactRows(t, m, Down{Switch: "leaf1", Ports: []string{"Ethernet1"}}, Down{Switch: "leaf2", Ports: []string{"Ethernet3"}})
	want = []impactRow{{"h1", OutcomeRedundancy, []string{"eth1"},
		[]string{"eth1's switch port is unknown: it may be on leaf1:Ethernet1 or leaf2:Ethernet3 too (counted as remaining)"}}}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("--down leaf1:Ethernet1 --down leaf2:Ethernet3 (-want +got):\n%s", d)
	}
	if im.Uncertain() != 1 || im.Isolated() {
		t.Errorf("Uncertain %d, Isolated %v: want 1, false", im.Uncertain(), im.Isolated())
	}

	// only unknown: listed, counted, not isolated
	rows, im = impactRows(t, m, Down{Switch: "leaf2", Ports: []string{"Ethernet3"}})
	if len(rows) != 1 || rows[0].Outcome != OutcomeUnknown || im.Isolated() || im.Uncertain() != 1 {
		t.Errorf("--down leaf2:Ethernet3: %+v", rows)
	}

	if rows, _ := impactRows(t, m); len(rows) != 0 {
		t.Errorf("nothing down: %+v", rows)
	}

	rows, im = impactRows(t, unknownSite(t, true), Down{Switch: "leaf2", Ports: []string{"Ethernet1", "Ethernet2"}})
	want = []impactRow{{"h3", OutcomeIsolated, nil, []string{"eth0 is already down"}}, {"h2", OutcomeRedundancy, nil, nil}}
	if d := cmp.Diff(want, rows); d != "" || im.Uncertain() != 0 {
		t.Errorf("mapped: uncertain %d (-want +got):\n%s", im.Uncertain(), d)
	}
}

// TestOutcomeUnknownRoundTrips: the new outcome name reads back and ranks
// after every known outcome.
func TestOutcomeUnknownRoundTrips(t *testing.T) {
	var o Outcome
	if err := o.UnmarshalText([]byte("unknown")); err != nil || o != OutcomeUnknown {
		t.Fatalf("UnmarshalText(unknown) = %q, %v", o, err)
	}
	if OutcomeUnknown.Rank() <= OutcomeDegraded.Rank() {
		t.Errorf("unknown ranks %d, degraded %d", OutcomeUnknown.Rank(), OutcomeDegraded.Rank())
	}
}
