// Package all lists the vendor families, in recognition order: the first
// family whose profile matches a device is its family. Each family's
// recognition data, OIDs, decoder and capabilities are in its own package;
// this is the one place that knows every family, and collectors decode
// through it.
package all

import (
	"slices"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/alcatel"
	"github.com/bondaudit/bondaudit/vendors/arista"
	"github.com/bondaudit/bondaudit/vendors/aruba"
	"github.com/bondaudit/bondaudit/vendors/cisco"
	"github.com/bondaudit/bondaudit/vendors/dell"
	"github.com/bondaudit/bondaudit/vendors/fortinet"
	"github.com/bondaudit/bondaudit/vendors/huawei"
	"github.com/bondaudit/bondaudit/vendors/juniper"
	"github.com/bondaudit/bondaudit/vendors/linux"
	"github.com/bondaudit/bondaudit/vendors/mikrotik"
	"github.com/bondaudit/bondaudit/vendors/nokia"
	"github.com/bondaudit/bondaudit/vendors/other"
)

// families in recognition order. Families sharing an enterprise number
// are told apart by sysDescr, the more specific first: SONiC (on Dell,
// Broadcom, Arista or Mellanox hardware, keeping their sysObjectID) before
// them all; Cisco NX-OS, IOS XR and the small-business line before IOS.
var families = []vendors.Profile{
	linux.SONiC,
	arista.EOS,
	cisco.NXOS, cisco.IOSXR, cisco.SB, cisco.IOS,
	juniper.Junos,
	aruba.CX, aruba.ProCurve,
	dell.OS10, dell.OS9,
	linux.Cumulus,
	other.ExtremeVOSS, other.Extreme, other.SIAE,
	huawei.VRP,
	alcatel.OmniSwitch, nokia.SROS, other.H3C, mikrotik.RouterOS, other.Ubiquiti, other.Mellanox, other.Eltex, other.Netgear,
	fortinet.FortiSwitch,
}

// Profiles returns every profile in recognition order, the standard
// fallback last.
func Profiles() []vendors.Profile { return append(slices.Clone(families), vendors.Standard) }

// Identify returns the profile of a device (vendors.Standard when no
// family matches).
func Identify(sysObjectID, sysDescr string) vendors.Profile {
	return vendors.Identify(families, sysObjectID, sysDescr)
}

// Decode decodes a walk with the standard MIBs and the device's family decoder.
func Decode(w *vendors.Walk, name string) (*topology.Switch, []topology.Problem) {
	return vendors.DecodeWith(w, name, families)
}
