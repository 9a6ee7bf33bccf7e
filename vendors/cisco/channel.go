package cisco

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// CISCO-LAG-MIB and CISCO-PAGP-MIB columns, all indexed by the port's ifIndex.
const (
	oidClagAggProtocolType    = "1.3.6.1.4.1.9.9.225.1.2.1.1.1" // lacp(1), pagp(2)
	oidClagAggPortAdminStatus = "1.3.6.1.4.1.9.9.225.1.3.1.1.1" // off(1), on(2), active(3), passive(4)
	oidPagpEthcOperationMode  = "1.3.6.1.4.1.9.9.98.1.1.1.1.1"  // off(1), manual(2), pagpOn(3)
	oidPagpGroupIfIndex       = "1.3.6.1.4.1.9.9.98.1.1.1.1.8"  // ifIndex of the agport the port is attached to
	oidPagpOperationMode      = "1.3.6.1.4.1.9.9.98.1.2.1.1.1"  // desirable(1), desirableSilent(2), automatic(3), automaticSilent(4)
)

var (
	clagAdmin     = map[int]string{1: "off", 2: "on", 3: "active", 4: "passive"}
	clagProtocol  = map[int]string{1: "lacp", 2: "pagp"}
	pagpEthcMode  = map[int]string{1: "off", 2: "manual", 3: "pagpOn"}
	pagpOperation = map[int]string{1: "desirable", 2: "desirableSilent", 3: "automatic", 4: "automaticSilent"}
)

func enumText(m map[int]string, n int) string {
	if s, ok := m[n]; ok {
		return s
	}
	return fmt.Sprintf("unknown(%d)", n)
}

// channels decodes the configured channel mode of every port (the
// "channel-group N mode X" of the CLI) and, through it, the kind of LAGs the
// standard MIBs left unknown:
//
//   - clagAggPortAdminStatus active/passive: LACP, mode active/passive;
//     on: no protocol, mode on; off: no LACP on the port (PAgP or nothing);
//   - pagpEthcOperationMode manual: mode on; pagpOn: PAgP, with
//     pagpOperationMode desirable(Silent) → mode "desirable",
//     automatic(Silent) → mode "auto". A PAgP channel keeps kind unknown
//     (bondaudit's kinds are lacp and static; no Linux bond speaks PAgP).
//
// A configured mode replaces the mode the standard decoder derived from the
// LACP actor state (the rules read Mode as the configuration); a LAG kind
// the standard MIBs decided is kept, and a disagreeing configuration is
// recorded as evidence. pagpGroupIfIndex adds a port to the port-channel it
// is attached to when ifStackTable and IEEE8023-LAG-MIB did not.
func (v *view) channels() {
	admin := v.intColumn("CISCO-LAG-MIB", "clagAggPortAdminStatus", oidClagAggPortAdminStatus)
	proto := v.intColumn("CISCO-LAG-MIB", "clagAggProtocolType", oidClagAggProtocolType)
	ethc := v.intColumn("CISCO-PAGP-MIB", "pagpEthcOperationMode", oidPagpEthcOperationMode)
	group := v.intColumn("CISCO-PAGP-MIB", "pagpGroupIfIndex", oidPagpGroupIfIndex)
	pmode := v.intColumn("CISCO-PAGP-MIB", "pagpOperationMode", oidPagpOperationMode)
	if len(admin)+len(ethc)+len(group)+len(pmode) == 0 {
		return
	}
	idx := map[int]bool{}
	for _, m := range []map[int]cell{admin, ethc, group, pmode} {
		for i := range m {
			idx[i] = true
		}
	}
	configured := map[*topology.LAG][]string{} // LAG -> "mode" per configured member
	for _, i := range sortedKeys(idx) {
		p := v.port[i]
		if p == nil || p.Type == "lag" {
			continue // unknown interface, or the port-channel itself
		}
		v.attachByPAgP(p, group)
		mode, ev := v.configuredMode(i, admin, proto, ethc, pmode)
		if mode == "" {
			continue
		}
		if p.LACP == nil {
			p.LACP = &topology.PortLACP{}
		}
		pl := p.LACP
		if pl.Mode != "" && pl.Mode != mode {
			ev = append(ev, fmt.Sprintf("configured mode %s replaces mode %s derived from the IEEE8023-LAG-MIB state", mode, pl.Mode))
		}
		pl.Mode = mode
		pl.Evidence = append(pl.Evidence, ev...)
		if l := v.memberOf[p.Name]; l != nil {
			configured[l] = append(configured[l], mode)
			if pl.Status == "" && !p.Oper.Up() {
				pl.Status = "down"
			}
		}
	}
	for i := range v.s.LAGs {
		l := &v.s.LAGs[i]
		if modes := configured[l]; len(modes) > 0 {
			v.lagKindFromModes(l, modes)
		}
	}
}

// configuredMode is the port's channel mode from CISCO-LAG-MIB, else
// CISCO-PAGP-MIB, with the evidence.
func (v *view) configuredMode(i int, admin, proto, ethc, pmode map[int]cell) (string, []string) {
	var ev []string
	if c, ok := admin[i]; ok {
		n, _ := c.number()
		e := fmt.Sprintf("CISCO-LAG-MIB clagAggPortAdminStatus.%d = %s", i, enumText(clagAdmin, n))
		if pc, ok := proto[i]; ok {
			pn, _ := pc.number()
			e += fmt.Sprintf(", clagAggProtocolType.%d = %s", i, enumText(clagProtocol, pn))
		}
		switch n {
		case 2, 3, 4:
			return map[int]string{2: "on", 3: "active", 4: "passive"}[n], []string{e}
		case 1:
			ev = append(ev, e) // no LACP; PAgP may say more
		}
	}
	c, ok := ethc[i]
	if !ok {
		return "", nil
	}
	n, _ := c.number()
	e := fmt.Sprintf("CISCO-PAGP-MIB pagpEthcOperationMode.%d = %s", i, enumText(pagpEthcMode, n))
	switch n {
	case 2:
		return "on", append(ev, e+" (channel-group mode on, no protocol)")
	case 3:
		pc, ok := pmode[i]
		if !ok {
			return "", nil // PAgP runs, but in which mode is not said
		}
		pn, _ := pc.number()
		e += fmt.Sprintf(", pagpOperationMode.%d = %s", i, enumText(pagpOperation, pn))
		switch pn {
		case 1, 2:
			return "desirable", append(ev, e+" (PAgP)")
		case 3, 4:
			return "auto", append(ev, e+" (PAgP)")
		}
	}
	return "", nil
}

// attachByPAgP adds p to the port-channel pagpGroupIfIndex names when no
// standard MIB placed it in a LAG.
func (v *view) attachByPAgP(p *topology.Port, group map[int]cell) {
	c, ok := group[p.IfIndex]
	if !ok {
		return
	}
	g, _ := c.number()
	l := v.lag[g]
	if g == p.IfIndex || l == nil || v.memberOf[p.Name] != nil {
		return
	}
	l.Members = append(l.Members, p.Name)
	slices.SortFunc(l.Members, func(a, b string) int { return v.ifIndex[a] - v.ifIndex[b] })
	l.Evidence = append(l.Evidence, fmt.Sprintf("CISCO-PAGP-MIB pagpGroupIfIndex.%d = %d (%s attached to %s)", p.IfIndex, g, p.Name, l.Name))
	v.memberOf[p.Name] = l
}

// lagKindFromModes decides a LAG's kind from its members' configured modes
// when the standard MIBs could not.
func (v *view) lagKindFromModes(l *topology.LAG, modes []string) {
	kinds := map[topology.LAGKind]bool{}
	for _, m := range modes {
		switch m {
		case "active", "passive":
			kinds[topology.LAGLACP] = true
		case "on":
			kinds[topology.LAGStatic] = true
		case "desirable", "auto":
			kinds["pagp"] = true
		}
	}
	summary := strings.Join(modes, ", ")
	if len(kinds) != 1 {
		l.Evidence = append(l.Evidence, fmt.Sprintf("members of %s are configured with mixed channel modes (%s): kind left %s", l.Name, summary, l.Kind))
		return
	}
	var kind topology.LAGKind
	for k := range kinds {
		kind = k
	}
	if kind == "pagp" {
		l.Evidence = append(l.Evidence, fmt.Sprintf("members of %s run PAgP (mode %s): a Cisco-only protocol, neither LACP nor static", l.Name, summary))
		return
	}
	switch {
	case l.Kind == topology.LAGUnknown || l.Kind == "":
		l.Kind = kind
		l.Evidence = append(l.Evidence, fmt.Sprintf("members of %s configured with channel mode %s (CISCO-LAG-MIB/CISCO-PAGP-MIB): %s", l.Name, summary, kind))
		if kind == topology.LAGLACP && l.ActorSystem == "" {
			for _, m := range l.Members {
				if p := v.port[v.ifIndex[m]]; p != nil && p.LACP != nil && p.LACP.Actor != nil && p.LACP.Actor.System != "" {
					l.ActorSystem, l.ActorKey = p.LACP.Actor.System, p.LACP.Actor.Key
					break
				}
			}
		}
	case l.Kind != kind:
		l.Evidence = append(l.Evidence, fmt.Sprintf("members of %s are configured with channel mode %s (%s) but the standard MIBs show %s: kind kept", l.Name, summary, kind, l.Kind))
	}
}
