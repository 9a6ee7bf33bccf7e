// Package all assembles the vendor profiles: recognition from vendors (in
// its order, so that families sharing an enterprise number are told apart)
// with the decoders, OIDs and tested-on lists of the family packages. It is
// the one place that knows every family; collectors decode through it.
package all

import (
	"slices"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/arista"
	"github.com/bondaudit/bondaudit/vendors/aruba"
	"github.com/bondaudit/bondaudit/vendors/cisco"
	"github.com/bondaudit/bondaudit/vendors/dell"
	"github.com/bondaudit/bondaudit/vendors/huawei"
	"github.com/bondaudit/bondaudit/vendors/juniper"
	"github.com/bondaudit/bondaudit/vendors/linux"
)

// families are the profiles with vendor decoders, by vendors profile name.
var families = []vendors.Profile{
	arista.EOS,
	aruba.CX, aruba.ProCurve,
	cisco.IOS, cisco.NXOS,
	dell.OS10, dell.OS9,
	huawei.VRP,
	juniper.Junos,
	linux.Cumulus, linux.SONiC,
}

// Profiles returns every profile in recognition order (the standard
// fallback last): vendors' matching rules, with each family's OIDs (added
// to those vendors lists), decoder and tested-on list.
func Profiles() []vendors.Profile {
	out := vendors.Profiles()
	for i := range out {
		for _, f := range families {
			if f.Name != out[i].Name {
				continue
			}
			p := &out[i]
			for _, o := range f.OIDs {
				if !slices.Contains(p.OIDs, o) {
					p.OIDs = append(p.OIDs, o)
				}
			}
			if f.Decode != nil {
				p.Decode = f.Decode
			}
			p.Tested = append(slices.Clone(p.Tested), f.Tested...)
		}
	}
	return out
}

// Identify returns the profile of a device.
func Identify(sysObjectID, sysDescr string) vendors.Profile {
	for _, p := range Profiles() {
		if p.Name != "standard" && p.Match(sysObjectID, sysDescr) {
			return p
		}
	}
	return Profiles()[len(Profiles())-1]
}

// Decode decodes a walk with the standard MIBs and the device's family decoder.
func Decode(w *vendors.Walk, name string) (*topology.Switch, []topology.Problem) {
	return vendors.DecodeWith(w, name, Profiles())
}
