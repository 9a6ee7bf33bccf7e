package snmp

import "github.com/bondaudit/bondaudit/vendors"

// Poison overwrites every buffer r holds (all of their capacity): the
// varbinds, the OIDs' text, the values' bytes and the scratch. Anything
// kept from a walk r read that still refers to them reads garbage after.
func (r *WalkReader) Poison() {
	fill := func(b []byte) {
		b = b[:cap(b)]
		for i := range b {
			b[i] = 0xff
		}
	}
	fill(r.text)
	fill(r.arena)
	fill(r.scratch)
	vbs := r.vbs[:cap(r.vbs)]
	for i := range vbs {
		vbs[i] = vendors.VarBind{OID: "0.0.0", Value: vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte("poison"), OID: "0.0.0"}, Line: -1}
	}
}

// ToSnmpwalk is a walk printed as `snmpwalk -On` prints it.
var ToSnmpwalk = toSnmpwalk
