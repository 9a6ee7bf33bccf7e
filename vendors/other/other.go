// Package other holds the vendor families bondaudit recognises and walks
// but has no decoder for (yet): the standard MIBs are all it reads from
// them. A family that gets a decoder moves to a package of its own
// (vendors/<family>), recognition data and OIDs with it.
package other

import "github.com/bondaudit/bondaudit/vendors"

// ExtremeVOSS is Extreme VOSS (VSP, formerly Avaya).
var ExtremeVOSS = vendors.Profile{Name: "extreme-voss", Enterprises: []int{2272}}

// Extreme is Extreme Networks EXOS and SLX-OS (and Brocade/Foundry).
var Extreme = vendors.Profile{Name: "extreme", Enterprises: []int{1916, 1588, 1991}}

// SIAE is SIAE Microelettronica.
var SIAE = vendors.Profile{Name: "siae", Enterprises: []int{3373}}

// H3C is H3C Comware.
var H3C = vendors.Profile{Name: "h3c", Enterprises: []int{25506}, OIDs: []string{"1.3.6.1.4.1.25506.8.25"}}

// Ubiquiti is Ubiquiti (UniFi, EdgeSwitch: Broadcom FASTPATH, 4413).
var Ubiquiti = vendors.Profile{Name: "ubiquiti", Enterprises: []int{41112, 4413}}

// Mellanox is NVIDIA/Mellanox Onyx.
var Mellanox = vendors.Profile{Name: "mellanox", Enterprises: []int{33049}}

// Eltex is Eltex MES.
var Eltex = vendors.Profile{Name: "eltex", Enterprises: []int{35265}}

// Netgear is Netgear (FASTPATH based).
var Netgear = vendors.Profile{Name: "netgear", Enterprises: []int{4526}, OIDs: []string{"1.3.6.1.4.1.4413.1.1.200"}}
