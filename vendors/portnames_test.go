package vendors_test

import (
	"bytes"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/vendors"
)

// TestPortNamesSameAsWholeIndex: the name index LLDP's local ports are
// joined with, built a kind of name at a time, answers every port name of
// every recording and of a generated site's switches (and names of no
// port, and a name several ports share as ifName, ifDescr or ifAlias)
// as the whole index does (vendors.CheckPortNames).
func TestPortNamesSameAsWholeIndex(t *testing.T) {
	extra := []string{"Ethernet99", "nosuchport", "Gi1/0/1", "1/1/1", "mgmt0", "Po1", ""}
	looked := 0
	check := func(name string, w *vendors.Walk) {
		n, err := vendors.CheckPortNames(w, extra)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		looked += n
	}
	for _, p := range recordings(t) {
		w, _, err := snmp.ReadWalkFile(p)
		if err != nil {
			t.Fatal(err)
		}
		check(p, w)
	}
	site, _, err := sitegen.Generate(sitegen.Options{Hosts: 60, Switches: 5, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for _, sw := range site.Switches {
		vbs, _ := snmp.ReadSnmprec(bytes.NewReader(sitegen.AppendSnmprec(nil, sw)), sw.Name)
		check(sw.Name, vendors.NewWalk(vbs))
	}
	// ifName of one port is ifDescr of a lower one and ifAlias of a higher
	// one; ifDescr and ifAlias alone name others; an ifAlias is another
	// port's ifDescr.
	w := vendors.NewWalk([]vendors.VarBind{
		str("1.3.6.1.2.1.2.2.1.2.1", "Ethernet2"), str("1.3.6.1.2.1.2.2.1.2.2", "Eth2"),
		str("1.3.6.1.2.1.2.2.1.2.3", "Descr3"), str("1.3.6.1.2.1.31.1.1.1.1.1", "Ethernet1"),
		str("1.3.6.1.2.1.31.1.1.1.1.2", "Ethernet2"), str("1.3.6.1.2.1.31.1.1.1.18.3", "Ethernet2"),
		str("1.3.6.1.2.1.31.1.1.1.18.4", "uplink"), str("1.3.6.1.2.1.2.2.1.2.4", "Descr3"),
		// port 5's ifAlias is port 6's ifDescr: the ifDescr wins
		str("1.3.6.1.2.1.2.2.1.2.5", "Descr5"), str("1.3.6.1.2.1.2.2.1.2.6", "X9"),
		str("1.3.6.1.2.1.31.1.1.1.1.5", "Name5"), str("1.3.6.1.2.1.31.1.1.1.1.6", "Name6"),
		str("1.3.6.1.2.1.31.1.1.1.18.5", "X9"),
	})
	check("shared names", w)
	if looked < 1000 {
		t.Fatalf("only %d names looked up", looked)
	}
}

func str(oid, s string) vendors.VarBind {
	return vendors.VarBind{OID: oid, Value: vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte(s)}}
}
