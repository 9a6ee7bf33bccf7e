// Package dell is bondaudit's knowledge of Dell (OS10, OS9/FTOS and DNOS) switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package dell

import "github.com/bondaudit/bondaudit/vendors"

// OS10 is Dell SmartFabric OS10, with VLT.
var OS10 = vendors.Profile{Name: "dell-os10"}

// OS9 is Dell Networking OS9 (FTOS), with VLT.
var OS9 = vendors.Profile{Name: "dell-os9"}
