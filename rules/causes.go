package rules

// causes declares, for every rule of the registry (a test keeps the two
// lists equal), how its findings group into problems (group.go): the
// subject they roll up to and the rules whose finding on that subject is
// their cause. A cause is declared only where the cause rule's condition
// produces this rule's condition by itself, so that fixing the cause is
// expected to make the consequence go away; findings that merely happen
// together stay separate problems (each is a separate thing to fix).
// Per-slave findings of one rule on one bond are one problem, because
// their subject is the bond.
var causes = map[string]Grouping{
	// --- bond configuration: each is a separate change on the host, and
	// none is produced by another rule's condition.
	"bond.alb-in-bridge":          {Subjects: bondSubject},
	"bond.arp-monitor-in-bridge":  {Subjects: bondSubject},
	"bond.arp-monitor-wrong-mode": {Subjects: bondSubject},
	// An ARP-monitored bond without targets is what it is; the wrong-mode
	// rule is a different setting.
	"bond.arp-no-targets":     {Subjects: bondSubject},
	"bond.delay-not-multiple": {Subjects: bondSubject},
	"bond.half-duplex":        {Subjects: bondSubject},
	"bond.hash-layer2":        {Subjects: bondSubject},
	"bond.lacp-rate-slow":     {Subjects: bondSubject},
	"bond.mode-in-bridge":     {Subjects: bondSubject},
	"bond.nic-mismatch":       {Subjects: bondSubject},
	"bond.no-link-monitor":    {Subjects: bondSubject},
	"bond.single-slave":       {Subjects: bondSubject},
	"bond.slave-flapping":     {Subjects: bondSubject},
	// A slave that is down is the root of what its switch side then
	// shows (lag.member-missing, switch.mlag-inconsistent below).
	"bond.slave-down": {Subjects: bondSubject},
	// Slaves at different speeds: a NIC that negotiated below its switch
	// port (link.speed-mismatch on the same bond) is what makes them
	// differ; fixing the negotiation fixes both.
	"bond.speed-mismatch": {Subjects: bondSubject, CausedBy: []string{"link.speed-mismatch"},
		Why: "a NIC that negotiated below its switch port is what makes the slaves differ"},

	// --- placement: the bond's mode against the switch's LAGs. These are
	// the roots the LACP symptoms below point at.
	"independent.switch-aggregated": {Subjects: bondSubject},
	"static.switch-not-aggregated":  {Subjects: bondSubject},
	"static.switch-lacp-lag":        {Subjects: bondSubject},
	"static.multi-switch-no-mlag":   {Subjects: bondSubject},
	"lacp.switch-not-aggregated":    {Subjects: bondSubject},
	"lacp.switch-static-lag":        {Subjects: bondSubject},
	"lacp.multi-switch-no-mlag":     {Subjects: bondSubject},
	// Both ends passive: nobody sends LACPDUs, a root of its own.
	"lacp.both-passive": {Subjects: bondSubject},
	// Slaves in port-channels that are not one bundle: when the bond spans
	// two switches that are no MLAG pair, two LAGs is what that cabling
	// gives, so the multi-switch finding is the cause.
	"lacp.split-across-lags": {Subjects: bondSubject, CausedBy: []string{"lacp.multi-switch-no-mlag"},
		Why: "two switches that are no MLAG pair give two LAGs"},

	// --- LACP symptoms on the host side: consequences of the placement
	// above on the same bond.
	// No partner: a port in no LAG or in a static LAG sends no LACPDUs.
	"lacp.no-partner": {Subjects: bondSubject, CausedBy: []string{
		"lacp.switch-not-aggregated", "lacp.switch-static-lag", "lacp.both-passive"},
		Why: "a port in no LAG, in a static LAG, or passive like the host sends no LACPDUs"},
	// Different partner systems: two switches that are not one MLAG pair.
	"lacp.partner-mismatch": {Subjects: bondSubject, CausedBy: []string{"lacp.multi-switch-no-mlag"},
		Why: "two switches that are no MLAG pair are two partner systems"},
	// Different partner keys: two port-channels (or two switches).
	"lacp.partner-key-mismatch": {Subjects: bondSubject, CausedBy: []string{
		"lacp.multi-switch-no-mlag", "lacp.split-across-lags"},
		Why: "two port-channels, or two switches, have two keys"},
	// Slaves in different aggregators: Linux puts slaves with different
	// partners, keys or speeds, or with no partner, into aggregators of
	// their own.
	"lacp.aggregator-split": {Subjects: bondSubject, CausedBy: []string{
		"lacp.multi-switch-no-mlag", "lacp.split-across-lags", "lacp.switch-not-aggregated", "lacp.switch-static-lag",
		"lacp.partner-mismatch", "lacp.partner-key-mismatch", "lacp.no-partner", "bond.speed-mismatch"},
		Why: "Linux puts slaves with different partners, keys or speeds, or with no partner, in aggregators of their own"},
	// The switch holding a port out of the bundle: it sees another partner
	// or key on that port than on the bundle's others.
	"lacp.switch-port-not-bundled": {Subjects: bondSubject, CausedBy: []string{
		"lacp.multi-switch-no-mlag", "lacp.split-across-lags", "lacp.partner-mismatch", "lacp.partner-key-mismatch",
		"bond.speed-mismatch"},
		Why: "the switch holds out a port whose partner, key or speed differs from the bundle's"},
	// Not in sync/collecting/distributing: whatever keeps the slave out of
	// a negotiated bundle; the roots first so the chain ends at one.
	"lacp.not-synced": {Subjects: bondSubject, CausedBy: []string{
		"lacp.switch-not-aggregated", "lacp.switch-static-lag", "lacp.both-passive", "lacp.multi-switch-no-mlag",
		"lacp.split-across-lags", "lacp.switch-port-not-bundled", "lacp.partner-mismatch",
		"lacp.partner-key-mismatch", "lacp.aggregator-split", "lacp.no-partner"},
		Why: "each of these keeps the slave out of a negotiated bundle"},
	// Churn: the negotiation keeps failing, for the same reasons, or the
	// link itself flaps.
	"lacp.churn": {Subjects: bondSubject, CausedBy: []string{
		"lacp.switch-not-aggregated", "lacp.switch-static-lag", "lacp.both-passive", "lacp.multi-switch-no-mlag",
		"lacp.split-across-lags", "lacp.switch-port-not-bundled", "lacp.partner-mismatch",
		"lacp.partner-key-mismatch", "lacp.aggregator-split", "lacp.no-partner", "lacp.not-synced",
		"bond.slave-flapping"},
		Why: "the negotiation keeps failing for the same reasons, or the link itself flaps"},
	// Two hosts in one port-channel: seen from the host as a partner it
	// shares; the switch's LAG holding a foreign port is the cause.
	"lacp.shared-partner": {Subjects: bondSubject, CausedBy: []string{"lag.foreign-member"},
		Why: "the switch LAG holding another device's port is the cause; the shared partner is the host's view of it"},

	// --- the switch's LAG as it serves a bond.
	"lag.foreign-member": {Subjects: bondSubject},
	// A member missing from the bond's port-channel: the bond's own slave
	// being down is why (the finding says "the bond's own port is down").
	"lag.member-missing": {Subjects: bondSubject, CausedBy: []string{"bond.slave-down"},
		Why: "the missing member is the bond's own slave that is down"},
	// MLAG port-channels that disagree: about a bond when it names one
	// (one peer's port-channel down because the bond's slave there is, or
	// its member is missing); else about the LAG (MLAG ID on one peer).
	"switch.mlag-inconsistent": {Subjects: []string{SubjectBond, SubjectLAG}, CausedBy: []string{
		"bond.slave-down", "lag.member-missing"},
		Why: "one peer's port-channel is down because the bond's slave there is, or its member is missing"},
	// A LAG mixing speeds is the LAG's problem, whichever host it serves.
	"switch.lag-speed-mismatch": {Subjects: []string{SubjectLAG}},
	// The peer link is the pair's: both peers reporting it down are one
	// problem.
	"switch.mlag-peer-link-down": {Subjects: []string{SubjectPair, SubjectSwitch}},

	// --- the switch port a slave is cabled to.
	"link.speed-mismatch":    {Subjects: bondSubject},
	"link.mtu-too-small":     {Subjects: bondSubject},
	"link.state-mismatch":    {Subjects: bondSubject},
	"stp.host-port-not-edge": {Subjects: bondSubject},
	// The VLANs of one bond's ports: when the ports disagree (member
	// mismatch), the port not carrying the host's VLAN is that same fact
	// seen from the host.
	"vlan.member-mismatch": {Subjects: bondSubject},
	"vlan.host-vlan-not-carried": {Subjects: bondSubject, CausedBy: []string{"vlan.member-mismatch"},
		Why: "the port not carrying the VLAN is the mismatch between the bond's ports, seen from the host"},
	// MAC flapping between independent ports: what a static (balance-xor,
	// balance-rr) bond on unaggregated ports, or across switches that are
	// no pair, or on an LACP LAG that leaves its ports individual, causes.
	"fdb.mac-flap": {Subjects: bondSubject, CausedBy: []string{
		"static.switch-not-aggregated", "static.multi-switch-no-mlag", "static.switch-lacp-lag"},
		Why: "a static bond on independent ports makes its MAC flap between them"},

	// --- redundancy advice: separate decisions about cabling.
	"redundancy.single-switch": {Subjects: bondSubject},
	"redundancy.single-module": {Subjects: bondSubject},

	// --- what could not be read or mapped.
	"map.unmapped-slave": {Subjects: bondSubject},
	// A conflict about a bond slave's cabling is the bond's; about another
	// NIC, that NIC's.
	"map.lldp-conflict":      {Subjects: []string{SubjectBond, SubjectPort}},
	"map.host-unreachable":   {Subjects: []string{SubjectHost}},
	"map.host-missing":       {Subjects: []string{SubjectHost}},
	"map.switch-unreachable": {Subjects: []string{SubjectSwitch}},
	"map.switch-missing":     {Subjects: []string{SubjectSwitch}},
	// An old capture: of a host that could not be collected now, or a
	// switch that could not be read now, that is why the copy in hand is
	// old.
	"map.stale-capture": {Subjects: []string{SubjectHost, SubjectSwitch}, CausedBy: []string{
		"map.host-unreachable", "map.switch-unreachable"},
		Why: "the capture in hand is old because the host or switch could not be read now"},

	// --- the policy: every expired waiver is one site-wide problem (renew
	// or drop them), a finding per waiver.
	RuleWaiverExpired: {Subjects: []string{SubjectSite}},
}

// bondSubject: findings about a bond (or one of its slaves, or the switch
// port or LAG serving it) roll up to the bond.
var bondSubject = []string{SubjectBond}

// Grouping is the rule's declaration in causes: how its findings group
// into problems.
func (r Rule) Grouping() Grouping { return causes[r.ID] }
