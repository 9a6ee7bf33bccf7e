package rules

import "github.com/bondaudit/bondaudit/topology"

// Class is what a bond mode needs from the switch side (RULES.md "Bond mode
// classes"); the mode → class table is topology's (BondMode.Class).
type Class = topology.Class

// Mode classes.
const (
	ClassLACP        = topology.ClassLACP
	ClassStatic      = topology.ClassStatic
	ClassIndependent = topology.ClassIndependent
	ClassUnknown     = topology.ClassUnknown
)

// ClassOf returns the class of a bond's mode, ClassUnknown when the mode is
// not in the matrix.
func ClassOf(b *topology.Bond) Class { return b.Class() }
