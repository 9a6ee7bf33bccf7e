package vendors_test

import (
	"testing"

	"github.com/bondaudit/bondaudit/vendors"
)

// TestLLDPLocalRowsOnOnePort: two lldpLocPortTable rows (local port
// numbers 5 and 7) resolve to one interface, Ethernet1: row 5 by its port
// ID, row 7 by its description. The port's LLDP port number and port ID
// come from the lowest local port number's row, 5, on every decode (they
// once came from whichever row map order gave last); both rows' neighbours
// are on Ethernet1. LLDP-V2-MIB's lldpV2LocPortTable likewise gives the
// port ID of its lowest row (ifIndex 8 before 9).
func TestLLDPLocalRowsOnOnePort(t *testing.T) {
	const loc = "1.0.8802.1.1.2.1.3.7.1."
	w := walk(t, base+
		loc+"2.5|2|5\n"+loc+"3.5|4|Ethernet1\n"+
		loc+"2.7|2|7\n"+loc+"3.7|4|local-seven\n"+loc+"4.7|4|Ethernet1\n"+
		rem+"4.0.5.1|2|4\n"+rem+"5.0.5.1|4x|001c73000005\n"+
		rem+"4.0.7.1|2|4\n"+rem+"5.0.7.1|4x|001c73000007\n")
	const v2loc = "1.3.111.2.802.1.1.13.1.3.7.1."
	w2 := walk(t, base+
		v2loc+"2.8|2|5\n"+v2loc+"3.8|4|Ethernet2\n"+
		v2loc+"2.9|2|7\n"+v2loc+"3.9|4|two\n"+v2loc+"4.9|4|Ethernet2\n")
	for i := range 64 {
		s, probs := texts(vendors.Decode(w, "x"))
		p := s.Ports[0]
		if p.Name != "Ethernet1" || p.LLDPPortNum != 5 || p.LLDPPortID != "Ethernet1" {
			t.Fatalf("decode %d: port %s LLDP port number %d, port ID %q; want Ethernet1 5 \"Ethernet1\" (problems %q)",
				i, p.Name, p.LLDPPortNum, p.LLDPPortID, probs)
		}
		if ns := neighbourOn(s, "Ethernet1"); len(ns) != 2 {
			t.Fatalf("decode %d: neighbours on Ethernet1 %+v, want 2", i, ns)
		}
		s, probs = texts(vendors.Decode(w2, "x"))
		p = s.Ports[1]
		if p.Name != "Ethernet2" || p.LLDPPortID != "Ethernet2" {
			t.Fatalf("decode %d (LLDP-V2-MIB): port %s port ID %q, want Ethernet2 \"Ethernet2\" (problems %q)",
				i, p.Name, p.LLDPPortID, probs)
		}
	}
}
