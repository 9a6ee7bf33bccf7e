// Package arista is bondaudit's knowledge of Arista EOS switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package arista

import "github.com/bondaudit/bondaudit/vendors"

// EOS is Arista EOS, with MLAG.
var EOS = vendors.Profile{Name: "arista"}
