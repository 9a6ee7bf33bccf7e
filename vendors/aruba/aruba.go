// Package aruba is bondaudit's knowledge of HPE Aruba (AOS-CX, ProCurve/AOS-S) switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package aruba

import "github.com/bondaudit/bondaudit/vendors"

// CX is HPE Aruba AOS-CX, with VSX.
var CX = vendors.Profile{Name: "arubaos-cx"}

// ProCurve is HPE ProCurve / Aruba AOS-S.
var ProCurve = vendors.Profile{Name: "hpe-procurve"}
