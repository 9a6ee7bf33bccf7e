// Package juniper is bondaudit's knowledge of Juniper Junos switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package juniper

import "github.com/bondaudit/bondaudit/vendors"

// Junos is Juniper Junos (EX, QFX, MX).
var Junos = vendors.Profile{Name: "junos"}
