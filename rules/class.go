package rules

import (
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

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

// modeClass is the mode-to-switch requirement matrix as data: bond kind
// (bonding, ovs, team) and mode or runner → class. The numeric Linux mode
// values are accepted too, as some tools print them.
var modeClass = map[string]map[string]Class{
	topology.BondKindLinux: {
		topology.ModeBalanceRR:    ClassStatic,
		"0":                       ClassStatic,
		topology.ModeActiveBackup: ClassIndependent,
		"1":                       ClassIndependent,
		topology.ModeBalanceXOR:   ClassStatic,
		"2":                       ClassStatic,
		topology.ModeBroadcast:    ClassStatic,
		"3":                       ClassStatic,
		topology.Mode8023AD:       ClassLACP,
		"4":                       ClassLACP,
		topology.ModeBalanceTLB:   ClassIndependent,
		"5":                       ClassIndependent,
		topology.ModeBalanceALB:   ClassIndependent,
		"6":                       ClassIndependent,
	},
	topology.BondKindOVS: {
		"balance-tcp":   ClassLACP,
		"lacp":          ClassLACP, // any bond_mode with lacp=active/passive (recorded as mode "lacp")
		"active-backup": ClassIndependent,
		"balance-slb":   ClassIndependent,
	},
	topology.BondKindTeam: {
		"lacp":         ClassLACP,
		"roundrobin":   ClassStatic,
		"loadbalance":  ClassStatic,
		"broadcast":    ClassStatic,
		"random":       ClassStatic,
		"activebackup": ClassIndependent,
	},
}

// ClassOf returns the class of a bond's mode, ClassUnknown when the mode is
// not in the matrix.
func ClassOf(b *topology.Bond) Class {
	kind := b.Kind
	if kind == "" {
		kind = topology.BondKindLinux
	}
	return modeClass[kind][strings.ToLower(strings.TrimSpace(b.Mode))]
}
