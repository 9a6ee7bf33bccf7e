package vendors_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/vendors"
)

// Issue 17 item 4: LAGs of other ifTypes, and the selected aggregator
// when the attached one is missing.

// trk is a ProCurve/Aruba-OS (AOS-S) switch whose trunk Trk1 (ifIndex 289)
// is ifType propMultiplexor (54) over ports 1 and 2 (ifStackTable), as the
// issue reports for those switches; ifIndex 290 is another type-54
// interface with stacked ports that is no trunk. Layout as in librenms
// procurve (ifName A1.., Trk1 in ifName and ifDescr, ifStackStatus.<trk>.<port>),
// where Trk1 happens to be ifType 161.
const trk = `1.3.6.1.2.1.1.1.0|4|HP J9146A 2910al-24G Switch, revision W.15.14.0007
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.11.2.3.7.11.86
1.3.6.1.2.1.2.2.1.2.1|4|1
1.3.6.1.2.1.2.2.1.2.2|4|2
1.3.6.1.2.1.2.2.1.2.3|4|3
1.3.6.1.2.1.2.2.1.2.4|4|4
1.3.6.1.2.1.2.2.1.2.289|4|Trk1
1.3.6.1.2.1.2.2.1.2.290|4|mux0
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.2.2.1.3.2|2|6
1.3.6.1.2.1.2.2.1.3.3|2|6
1.3.6.1.2.1.2.2.1.3.4|2|6
1.3.6.1.2.1.2.2.1.3.289|2|54
1.3.6.1.2.1.2.2.1.3.290|2|54
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.2.2.1.8.2|2|1
1.3.6.1.2.1.2.2.1.8.3|2|1
1.3.6.1.2.1.2.2.1.8.4|2|1
1.3.6.1.2.1.2.2.1.8.289|2|1
1.3.6.1.2.1.2.2.1.8.290|2|1
1.3.6.1.2.1.31.1.1.1.1.1|4|1
1.3.6.1.2.1.31.1.1.1.1.2|4|2
1.3.6.1.2.1.31.1.1.1.1.3|4|3
1.3.6.1.2.1.31.1.1.1.1.4|4|4
1.3.6.1.2.1.31.1.1.1.1.289|4|Trk1
1.3.6.1.2.1.31.1.1.1.1.290|4|mux0
1.3.6.1.2.1.31.1.2.1.3.289.1|2|1
1.3.6.1.2.1.31.1.2.1.3.289.2|2|1
1.3.6.1.2.1.31.1.2.1.3.290.3|2|1
1.3.6.1.2.1.31.1.2.1.3.290.4|2|1
`

func TestProCurveTrunkPropMultiplexor(t *testing.T) {
	s, probs := texts(vendors.Decode(walk(t, trk), "x"))
	l := lagOf(s, "Trk1")
	if l == nil || !slices.Equal(l.Members, []string{"1", "2"}) {
		t.Fatalf("Trk1 = %+v, want a LAG over 1 and 2 (LAGs %+v, problems %q)", l, s.LAGs, probs)
	}
	if l := lagOf(s, "mux0"); l != nil {
		t.Errorf("mux0 (ifType 54, not a trunk name) taken as a LAG: %+v", l)
	}
	if len(s.LAGs) != 1 {
		t.Errorf("LAGs %+v", s.LAGs)
	}
	// The same name on another ifType that is no aggregate stays a port.
	s, _ = texts(vendors.Decode(walk(t, strings.Replace(trk, "3.289|2|54", "3.289|2|23", 1)), "x"))
	if l := lagOf(s, "Trk1"); l != nil {
		t.Errorf("Trk1 of ifType ppp (23) taken as a LAG: %+v", l)
	}
}

// TestSelectedAggFallback: IEEE8023-LAG-MIB rows whose
// dot3adAggPortAttachedAggID is missing (the column is absent, as on
// agents that implement only part of the table) or 0 fall back to
// dot3adAggPortSelectedAggID (column 12); a port attached to itself
// (individual) with a selected aggregator does too. Layout as base's
// Arista (Port-Channel10 = 1000010), no ifStackTable rows.
func TestSelectedAggFallback(t *testing.T) {
	p := "1.2.840.10006.300.43.1.2.1.1."
	noStack := strings.ReplaceAll(strings.ReplaceAll(base, "1.3.6.1.2.1.31.1.2.1.3.1000010.1|2|1\n", ""), "1.3.6.1.2.1.31.1.2.1.3.1000010.2|2|1\n", "")
	for _, c := range []struct {
		name, rows string
		members    []string
		status     string // Ethernet1's
	}{
		{"attached column missing", p + "12.1|2|1000010\n" + p + "12.2|2|1000010\n" + p + "21.1|4x|bc\n" + p + "21.2|4x|bc\n",
			[]string{"Ethernet1", "Ethernet2"}, "bundled"},
		{"attached 0", p + "12.1|2|1000010\n" + p + "12.2|2|1000010\n" + p + "13.1|2|0\n" + p + "13.2|2|0\n" + p + "21.1|4x|bc\n" + p + "21.2|4x|bc\n",
			[]string{"Ethernet1", "Ethernet2"}, "standby"},
		{"attached to itself", p + "12.1|2|1000010\n" + p + "13.1|2|1\n" + p + "21.1|4x|bc\n",
			[]string{"Ethernet1"}, ""},
		{"no fallback: attached wins", p + "12.1|2|1000010\n" + p + "13.1|2|1000010\n" + p + "21.1|4x|bc\n",
			[]string{"Ethernet1"}, "bundled"},
		{"no selected aggregator either", p + "12.1|2|0\n" + p + "13.1|2|0\n" + p + "21.1|4x|bc\n",
			nil, ""},
	} {
		s, _ := vendors.Decode(walk(t, noStack+c.rows), "x")
		l := lagOf(s, "Port-Channel10")
		if l == nil || !slices.Equal(l.Members, c.members) {
			t.Errorf("%s: Port-Channel10 %+v, want members %v", c.name, l, c.members)
			continue
		}
		if c.status == "" {
			continue
		}
		for _, pt := range s.Ports {
			if pt.Name == "Ethernet1" && (pt.LACP == nil || pt.LACP.Status != c.status) {
				t.Errorf("%s: Ethernet1 LACP %+v, want status %s", c.name, pt.LACP, c.status)
			}
		}
	}
}
