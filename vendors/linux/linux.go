// Package linux is bondaudit's knowledge of Linux-based (Cumulus Linux, SONiC) switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package linux

import "github.com/bondaudit/bondaudit/vendors"

// Cumulus is NVIDIA Cumulus Linux, with CLAG/MLAG.
var Cumulus = vendors.Profile{Name: "cumulus"}

// SONiC is SONiC (community and Dell Enterprise SONiC), with MC-LAG.
var SONiC = vendors.Profile{Name: "sonic"}
