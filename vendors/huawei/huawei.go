// Package huawei is bondaudit's knowledge of Huawei VRP switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package huawei

import "github.com/bondaudit/bondaudit/vendors"

// VRP is Huawei VRP (CloudEngine, S series), with M-LAG.
var VRP = vendors.Profile{Name: "huawei"}
