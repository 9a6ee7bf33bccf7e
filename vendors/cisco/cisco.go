// Package cisco is bondaudit's knowledge of Cisco (IOS, IOS-XE, NX-OS) switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package cisco

import "github.com/bondaudit/bondaudit/vendors"

// IOS is Cisco IOS and IOS-XE (Catalyst).
var IOS = vendors.Profile{Name: "cisco-ios"}

// NXOS is Cisco NX-OS (Nexus), with vPC.
var NXOS = vendors.Profile{Name: "cisco-nxos"}
