package vendors

// OIDs of BRIDGE-MIB dot1dStp and RSTP-MIB (RFC 4318).
const (
	// dot1dStpForwardDelay: the forward delay in use (learned from the
	// root), centiseconds.
	oidDot1dStpForwardDelay = "1.3.6.1.2.1.17.2.11"
	// dot1dStpBridgeForwardDelay: the value this bridge uses when it is the
	// root, centiseconds. (dot1dStp 16 is dot1dStpVersion, not a delay.)
	oidDot1dStpBridgeForwardDelay = "1.3.6.1.2.1.17.2.14"
	// dot1dStpExtPortEntry, indexed by dot1dStpPort (= dot1dBasePort):
	// column 2 dot1dStpPortAdminEdgePort, 3 dot1dStpPortOperEdgePort.
	oidDot1dStpExtPortEntry = "1.3.6.1.2.1.17.2.19.1"
)

// minForwardDelay is the smallest plausible forward delay in centiseconds
// (1 s; 802.1D allows 4-30 s, default 15 s = 1500). Smaller values come
// from agents that report seconds.
const minForwardDelay = 100

// stp reads the spanning-tree forward delay and the ports' edge state.
func (d *decoder) stp() {
	d.forwardDelay()
	d.edgePorts()
}

// scalarRow returns the row of the scalar instance oid.0, with its line.
func (d *decoder) scalarRow(oid string) (Row, bool) {
	for _, r := range d.w.Rows(oid) {
		if r.Index == "0" && r.Value.Exists() {
			return r, true
		}
	}
	return Row{}, false
}

// forwardDelay sets Switch.STPForwardDelay (ms) from dot1dStpForwardDelay,
// or dot1dStpBridgeForwardDelay when the former is absent or 0.
func (d *decoder) forwardDelay() {
	for _, c := range []struct{ oid, name string }{
		{oidDot1dStpForwardDelay, "dot1dStpForwardDelay"},
		{oidDot1dStpBridgeForwardDelay, "dot1dStpBridgeForwardDelay"},
	} {
		r, ok := d.scalarRow(c.oid)
		if !ok {
			continue
		}
		cs, ok := num(r.Value)
		switch {
		case !ok:
			d.problemf(r.Line, "%s.0 = %s: not a number", c.name, r.Value)
			return
		case cs == 0:
			continue // no value in use: try the next object
		case cs < minForwardDelay:
			d.problemf(r.Line, "%s.0 = %d: implausible forward delay (the unit is centiseconds, default 1500 = 15 s); left unknown", c.name, cs)
			return
		}
		d.s.STPForwardDelay = cs * 10
		return
	}
}

// edgePorts sets Port.Edge from dot1dStpPortOperEdgePort, or from
// dot1dStpPortAdminEdgePort for ports with no operational value.
func (d *decoder) edgePorts() {
	operPrefix := oidDot1dStpExtPortEntry + ".3"
	adminPrefix := oidDot1dStpExtPortEntry + ".2"
	haveOper := map[int]bool{}
	for _, c := range []struct{ prefix, name string }{
		{operPrefix, "dot1dStpPortOperEdgePort"},
		{adminPrefix, "dot1dStpPortAdminEdgePort"},
	} {
		for _, r := range d.w.Rows(c.prefix) {
			bp, ok := d.intIndex(c.prefix, r)
			if !ok || !r.Value.Exists() {
				continue
			}
			if c.prefix == operPrefix {
				haveOper[bp] = true
			} else if haveOper[bp] {
				continue // the operational value wins
			}
			ifx, mapped := d.sc.basePort[bp]
			p := d.sc.ports[ifx]
			if !mapped || p == nil {
				continue // a base port with no interface
			}
			n, ok := num(r.Value)
			if !ok || n != 1 && n != 2 {
				d.problemf(r.Line, "%s.%d = %s: not a TruthValue (true(1), false(2))", c.name, bp, r.Value)
				continue
			}
			edge := n == 1
			p.Edge = &edge
		}
	}
}
