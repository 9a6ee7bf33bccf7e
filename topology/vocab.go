package topology

import (
	"fmt"
	"strings"
)

// The typed vocabulary: what the snapshot strings mean, decided here once
// and read by rules, whatif, diagram, the topology view and every report.
// Each type is a string (or a byte) underneath, so JSON stays as it was.

// Class is what a bond mode needs from the switch side (RULES.md "Bond mode
// classes").
type Class string

// Mode classes.
const (
	ClassLACP        Class = "lacp"        // an LACP LAG on one switch, stack or MLAG domain
	ClassStatic      Class = "static"      // a static LAG ("mode on"), same placement limits
	ClassIndependent Class = "independent" // plain ports, not aggregated; ideally two switches
	ClassUnknown     Class = ""            // mode not recognised: class rules stay silent
)

// BondMode is a bond's mode as its driver names it: the kernel's (802.3ad,
// active-backup, or the numbers 0–6), OVS's (balance-tcp, balance-slb,
// lacp) or teamd's runner (lacp, activebackup, …).
type BondMode string

// modeClass is the mode-to-switch requirement matrix as data: bond kind
// (bonding, ovs, team) and mode or runner → class. The numeric Linux mode
// values are accepted too, as some tools print them.
var modeClass = map[string]map[BondMode]Class{
	BondKindLinux: {
		ModeBalanceRR:    ClassStatic,
		"0":              ClassStatic,
		ModeActiveBackup: ClassIndependent,
		"1":              ClassIndependent,
		ModeBalanceXOR:   ClassStatic,
		"2":              ClassStatic,
		ModeBroadcast:    ClassStatic,
		"3":              ClassStatic,
		Mode8023AD:       ClassLACP,
		"4":              ClassLACP,
		ModeBalanceTLB:   ClassIndependent,
		"5":              ClassIndependent,
		ModeBalanceALB:   ClassIndependent,
		"6":              ClassIndependent,
	},
	BondKindOVS: {
		"balance-tcp":   ClassLACP,
		"lacp":          ClassLACP, // any bond_mode with lacp=active/passive (recorded as mode "lacp")
		"active-backup": ClassIndependent,
		"balance-slb":   ClassIndependent,
	},
	BondKindTeam: {
		"lacp":         ClassLACP,
		"roundrobin":   ClassStatic,
		"loadbalance":  ClassStatic,
		"broadcast":    ClassStatic,
		"random":       ClassStatic,
		"activebackup": ClassIndependent,
	},
}

// Class returns the class of the mode for a bond of the given kind
// (BondKindLinux when empty); ClassUnknown when the mode is not in the
// matrix. Case and surrounding space do not matter.
func (m BondMode) Class(kind string) Class {
	if kind == "" {
		kind = BondKindLinux
	}
	return modeClass[kind][BondMode(strings.ToLower(strings.TrimSpace(string(m))))]
}

// linuxModeNames are the Linux bonding modes by number.
var linuxModeNames = [...]BondMode{ModeBalanceRR, ModeActiveBackup, ModeBalanceXOR,
	ModeBroadcast, Mode8023AD, ModeBalanceTLB, ModeBalanceALB}

// LinuxName returns a Linux bonding mode as the kernel names it: numeric
// modes translated, case and surrounding space ignored, and a number after
// the name dropped ("802.3ad 4"). Other text comes back lower-cased.
func (m BondMode) LinuxName() BondMode {
	s := strings.ToLower(strings.TrimSpace(string(m)))
	if len(s) == 1 && s[0] >= '0' && s[0] <= '6' {
		return linuxModeNames[s[0]-'0']
	}
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	return BondMode(s)
}

// Canon returns the mode as the collectors write it for a bond of the
// given kind (BondKindLinux when empty): a mode the class matrix knows, in
// lower case and without surrounding space, a Linux mode by its kernel
// name (numbers and "802.3ad 4" included). A mode the matrix does not know
// comes back as read, for evidence to show.
func (m BondMode) Canon(kind string) BondMode {
	if kind == "" {
		kind = BondKindLinux
	}
	c := BondMode(strings.ToLower(strings.TrimSpace(string(m))))
	if kind == BondKindLinux {
		c = m.LinuxName()
	}
	if _, ok := modeClass[kind][c]; ok {
		return c
	}
	return m
}

// Class returns the class of the bond's mode.
func (b *Bond) Class() Class { return b.Mode.Class(b.Kind) }

// LinkState is a link's state as a bond driver (MII status) or an
// interface (operstate, ifOperStatus) reports it.
type LinkState string

// Link states as the sources spell them; compare through Up and Down.
const (
	LinkUp             LinkState = "up"
	LinkDown           LinkState = "down"
	LinkLowerLayerDown LinkState = "lowerLayerDown" // IF-MIB
	LinkNotPresent     LinkState = "notPresent"     // IF-MIB
	LinkGoingDown      LinkState = "going down"     // bond MII status, within downdelay
	LinkGoingBack      LinkState = "going back"     // bond MII status, within updelay
)

// ParseLinkState reads a link state as a host source prints it (MII
// status "Up", operstate "UP", "going back"): in lower case, and one
// spelling for each RFC 2863 operstate however the source hyphenates it:
// netlink's "lower-layer-down" and "not-present" are ip-link's
// "LOWERLAYERDOWN" and "NOTPRESENT", so a live snapshot and a capture of
// the same host agree. IF-MIB's camelCase names come from the SNMP
// decoder as the constants above.
func ParseLinkState(s string) LinkState {
	return LinkState(strings.TrimSpace(s)).Folded()
}

// ifMIBStates are IF-MIB's ifOperStatus/ifAdminStatus names by their
// lower-case form.
var ifMIBStates = map[LinkState]LinkState{}

func init() {
	for _, s := range []LinkState{LinkUp, LinkDown, "testing", "unknown", "dormant", LinkNotPresent, LinkLowerLayerDown} {
		ifMIBStates[s.Folded()] = s
	}
}

// IFMIB returns the state spelt as IF-MIB spells it ("LowerLayerDown" →
// lowerLayerDown); a state IF-MIB does not name comes back as read.
func (s LinkState) IFMIB() LinkState {
	if c, ok := ifMIBStates[s.Folded()]; ok {
		return c
	}
	return s
}

// Folded returns the state in lower case without hyphens ("lowerLayerDown"
// and "lower-layer-down" → "lowerlayerdown"), as messages that compare
// states across sources show it.
func (s LinkState) Folded() LinkState {
	return LinkState(strings.ToLower(strings.ReplaceAll(string(s), "-", "")))
}

// Down reports whether the state says the link is down: "down" in any case,
// and IF-MIB's lowerLayerDown and notPresent however spelt (netlink's
// lower-layer-down in a snapshot written before ParseLinkState folded it).
func (s LinkState) Down() bool {
	if s == LinkUp || s == "" {
		return false // the usual states, without folding
	}
	f := s.Folded()
	return f == LinkDown || f == foldedLowerLayerDown || f == foldedNotPresent
}

// the IF-MIB down states folded (once, not on every Down)
var foldedLowerLayerDown, foldedNotPresent = LinkLowerLayerDown.Folded(), LinkNotPresent.Folded()

// Up reports whether the state says up or says nothing ("" = not reported).
func (s LinkState) Up() bool { return s == "" || strings.EqualFold(string(s), string(LinkUp)) }

// UpDown reduces the state to LinkUp or LinkDown when it says one of them
// (in any case; the IF-MIB down states count as down), else "": not
// reported, or a state that is neither ("going back", "testing", …).
func (s LinkState) UpDown() LinkState {
	switch {
	case s == "":
		return ""
	case s.Up():
		return LinkUp
	case s.Down():
		return LinkDown
	}
	return ""
}

// Duplex is a NIC's duplex: full, half, or "" unknown.
type Duplex string

// Duplex values.
const (
	DuplexFull Duplex = "full"
	DuplexHalf Duplex = "half"
)

// ParseDuplex reads a duplex as ethtool or teamd prints it, in any case:
// DuplexFull, DuplexHalf, or "" for anything else (unknown).
func ParseDuplex(s string) Duplex {
	switch d := Duplex(strings.ToLower(s)); d {
	case DuplexFull, DuplexHalf:
		return d
	}
	return ""
}

func (d Duplex) folded() Duplex { return Duplex(strings.ToLower(string(d))) }

// Half reports whether the duplex is half, in any case.
func (d Duplex) Half() bool { return strings.EqualFold(string(d), string(DuplexHalf)) }

// LAGKind is the kind of a switch LAG: LAGLACP, LAGStatic or LAGUnknown.
type LAGKind string

// canon returns one of the three kinds in lower case when the kind is one
// of them in any case, else the kind as read.
func (k LAGKind) canon() LAGKind {
	switch c := LAGKind(strings.ToLower(string(k))); c {
	case LAGLACP, LAGStatic, LAGUnknown:
		return c
	}
	return k
}

// RunsLACP reports whether a LAG of this kind negotiates with LACP.
func (k LAGKind) RunsLACP() bool { return k == LAGLACP }

// Protocol is the protocol a neighbour was heard by: ProtoLLDP, ProtoCDP
// or ProtoLACP.
type Protocol string

// canon returns one of the three protocols in lower case when the
// protocol is one of them in any case, else the protocol as read.
func (p Protocol) canon() Protocol {
	switch c := Protocol(strings.ToLower(string(p))); c {
	case ProtoLLDP, ProtoCDP, ProtoLACP:
		return c
	}
	return p
}

// EvidenceKind is one kind of evidence for a host ↔ switch link
// (EvLLDPHost … EvFDB), strongest first in Link.Evidence.
type EvidenceKind string

// EvidenceStrings returns the kinds as text, in order.
func EvidenceStrings(ks []EvidenceKind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// Strength orders evidence kinds: lower is stronger; unknown kinds last.
func (k EvidenceKind) Strength() int {
	if s, ok := evRank(k); ok {
		return s
	}
	return evKinds
}

// LACPState is the LACP state byte in LACPDU order (bit 0 = activity …
// bit 7 = expired).
type LACPState uint8

var lacpBitNames = [8]string{"activity", "short-timeout", "aggregation", "sync", "collecting", "distributing", "defaulted", "expired"}

// String renders the state as evidence shows it: the number and the names
// of the bits set, "61 (activity,aggregation,sync,collecting,distributing)";
// "0 ()" when none is.
func (s LACPState) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d (", uint8(s))
	first := true
	for i, n := range lacpBitNames {
		if s&(1<<i) != 0 {
			if !first {
				b.WriteByte(',')
			}
			b.WriteString(n)
			first = false
		}
	}
	b.WriteByte(')')
	return b.String()
}

// Has reports whether every bit of bits is set.
func (s LACPState) Has(bits LACPState) bool { return s&bits == bits }

// Bundled reports whether sync, collecting and distributing are all set.
func (s LACPState) Bundled() bool {
	return s.Has(LACPSync | LACPCollecting | LACPDistributing)
}

// MAC is a MAC address in canonical form: lower-case colon form
// (00:1c:73:b3:af:bb), or "" for none. Build and the loaders produce it
// once; consumers compare MACs with ==.
type MAC string

// ParseMAC returns s in canonical form; ok is false (and the MAC "") when s
// is not a 6-octet MAC in any common form (see NormalizeMAC).
func ParseMAC(s string) (m MAC, ok bool) {
	n := NormalizeMAC(s)
	return MAC(n), n != ""
}

// CanonMAC returns s in canonical form, "" when it is not a MAC.
func CanonMAC(s string) MAC { return MAC(NormalizeMAC(s)) }

// IsZero reports whether the MAC is 00:00:00:00:00:00 (LACP's "no partner").
func (m MAC) IsZero() bool { return m == ZeroMAC }

// Usable reports whether the MAC names something: set and not all zero.
func (m MAC) Usable() bool { return m != "" && m != ZeroMAC }

func (m MAC) String() string { return string(m) }

// MarshalText writes the canonical form.
func (m MAC) MarshalText() ([]byte, error) { return []byte(m), nil }

// UnmarshalText reads any common form and keeps the canonical one; text
// that is not a MAC is an error, "" is no MAC.
func (m *MAC) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*m = ""
		return nil
	}
	c, ok := ParseMAC(string(b))
	if !ok {
		return fmt.Errorf("not a MAC address: %q", clip(string(b)))
	}
	*m = c
	return nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// canonMACField rewrites a MAC-valued snapshot field in canonical form
// when it is a MAC in any common form; anything else is left as read, for
// evidence to show.
func canonMACField(p *string) {
	if *p == "" || canonicalMAC(*p) {
		return
	}
	if c := NormalizeMAC(*p); c != "" {
		*p = c
	}
}

// Outcome is what a what-if does to a bond, worst first: OutcomeIsolated,
// OutcomeRedundancy, OutcomeFailover, OutcomeDegraded, then OutcomeUnknown
// (a slave's switch port is unknown: it may be on what goes down).
type Outcome string

// Rank orders outcomes, worst (0) first; names outside the vocabulary last.
func (o Outcome) Rank() int {
	if r, ok := outcomeRank[o]; ok {
		return r
	}
	return len(outcomeRank)
}

// MarshalText writes the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o), nil }

// UnmarshalText accepts the outcome names.
func (o *Outcome) UnmarshalText(b []byte) error {
	if _, ok := outcomeRank[Outcome(b)]; !ok {
		return fmt.Errorf("unknown what-if outcome %q", clip(string(b)))
	}
	*o = Outcome(b)
	return nil
}

// canonicalise rewrites every MAC-valued field of a loaded host snapshot in
// canonical form, and the vocabulary fields as the host parsers write them
// (link states and duplex in lower case, a known bond mode by its name),
// LoadHost calls it: the load seam. Consumers then compare values as read.
func (h *Host) canonicalise() {
	for i := range h.NICs {
		n := &h.NICs[i]
		canonMACField(&n.MAC)
		canonMACField(&n.PermMAC)
		n.State = n.State.Folded()
		n.Duplex = n.Duplex.folded()
	}
	for i := range h.Bonds {
		b := &h.Bonds[i]
		b.Mode = b.Mode.Canon(b.Kind)
		b.State = b.State.Folded()
		canonMACField(&b.MAC)
		canonMACField(&b.AdActorSystem)
		if b.ActiveAggregator != nil {
			canonMACField(&b.ActiveAggregator.PartnerMAC)
		}
		for j := range b.Slaves {
			s := &b.Slaves[j]
			s.MIIStatus = s.MIIStatus.Folded()
			s.Duplex = s.Duplex.folded()
			canonMACField(&s.PermMAC)
			s.Actor.canonicalise()
			s.Partner.canonicalise()
		}
	}
	for i := range h.Neighbours {
		h.Neighbours[i].canonicalise()
	}
}

// canonicalise: see Host.canonicalise.
func (s *Switch) canonicalise() {
	canonMACField(&s.BaseMAC)
	if s.ChassisIDSubtype == IDMAC {
		canonMACField(&s.ChassisID)
	}
	for i := range s.Ports {
		p := &s.Ports[i]
		p.Admin, p.Oper = p.Admin.IFMIB(), p.Oper.IFMIB()
		canonMACField(&p.MAC)
		if p.LACP != nil {
			p.LACP.Actor.canonicalise()
			p.LACP.Partner.canonicalise()
		}
	}
	for i := range s.LAGs {
		l := &s.LAGs[i]
		l.Kind = l.Kind.canon()
		l.Oper = l.Oper.IFMIB()
		canonMACField(&l.ActorSystem)
	}
	for i := range s.FDB {
		canonMACField(&s.FDB[i].MAC)
	}
	for i := range s.Neighbours {
		s.Neighbours[i].canonicalise()
	}
	if s.MLAG != nil {
		canonMACField(&s.MLAG.SystemID)
	}
}

func (p *LACPPort) canonicalise() {
	if p != nil {
		canonMACField(&p.System)
	}
}

func (n *Neighbour) canonicalise() {
	n.Protocol = n.Protocol.canon()
	if n.ChassisIDSubtype == IDMAC {
		canonMACField(&n.ChassisID)
	}
	n.LACP.canonicalise()
}
