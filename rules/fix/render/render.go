// Package render turns a planned change (topology.Change, the whatif --plan
// vocabulary) into what an engineer types: a config-mode block for the
// switch (Arista EOS, Cisco IOS/IOS-XE, Cisco NX-OS, Junos) and commands or
// a file for the host (iproute2, NetworkManager's nmcli, netplan).
//
// Names in a change come from the site (hosts and switches write them), so
// they are hostile until shown otherwise:
//   - a switch port or LAG name reaches a switch line only when it is made
//     of the characters interface names use (letters, digits, / . _ : -);
//     any other name is named in a comment (escaped by escape.Text) and its
//     line left out, so a newline or a ";" in a port name never becomes a
//     second command;
//   - a host name, bond or NIC name reaches a shell line only inside single
//     quotes (so spaces, quotes, $(…) and backquotes are inert), and a name
//     with a character that escape.Text would show escaped (a control
//     character, a bidi control, invalid UTF-8) is refused the same way:
//     pasted into a terminal it would act before the shell sees it;
//   - netplan gets names as YAML double-quoted scalars.
//
// A vendor family or a host tool without a renderer, or a change a family
// cannot express, gives a Snippet of comment lines that say so, never an
// error: an error is only for a change that is not valid (a mode, rate or
// address the kernel does not know).
package render

import (
	"fmt"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// Snippet is one block to type on one device.
type Snippet struct {
	// Target is the switch or host the lines are typed on (as the site
	// names it: escape it for output).
	Target string `json:"target"`
	// Tool is the vendor family (arista, cisco-ios, cisco-nxos, junos, or
	// the family that has no renderer) or the host tool (iproute2, nmcli,
	// netplan).
	Tool string `json:"tool"`
	// Lines are the lines to type (or, for netplan, the file), comments
	// included.
	Lines []string `json:"lines"`
}

// Vendor families (as vendors/ records them in topology.Switch.Vendor) that
// have a renderer.
const (
	Arista    = "arista"
	CiscoIOS  = "cisco-ios"
	CiscoNXOS = "cisco-nxos"
	Junos     = "junos"
)

// Host tools.
const (
	IPRoute2 = "iproute2"
	NMCLI    = "nmcli"
	Netplan  = "netplan"
)

// Vendors are the families Switch renders, and Tools the host tools Host
// renders, in the order Markdown shows them.
var (
	Vendors = []string{Arista, CiscoIOS, CiscoNXOS, Junos}
	Tools   = []string{IPRoute2, NMCLI, Netplan}
)

// Renderer renders changes with what a Model knows of the site: a
// switch's vendor family, a LAG's members (to re-type channel-group on
// them when a LAG changes kind), whether a host interface is a bond. The
// zero Renderer (and the package functions) renders without a Model.
type Renderer struct {
	m *topology.Model
}

// With returns a Renderer that looks things up in m (nil: none).
func With(m *topology.Model) Renderer { return Renderer{m: m} }

// Switch renders the switch side of c for a vendor family; nil when c
// changes nothing on a switch.
func Switch(c topology.Change, vendor string) ([]Snippet, error) { return Renderer{}.Switch(c, vendor) }

// Host renders the host side of c for a tool (iproute2, nmcli, netplan);
// nil when c changes nothing on a host.
func Host(c topology.Change, tool string) ([]Snippet, error) { return Renderer{}.Host(c, tool) }

// All renders both sides of c: the switch side for the switch's vendor
// family when the Model knows it (every family with a renderer otherwise),
// the host side for every tool.
func (r Renderer) All(c topology.Change) ([]Snippet, error) {
	var out []Snippet
	if sw := SwitchOf(c); sw != "" {
		for _, v := range r.vendorsOf(sw) {
			s, err := r.Switch(c, v)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
		}
	}
	for _, t := range Tools {
		s, err := r.Host(c, t)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// vendorsOf is the switch's family when known, else every family.
func (r Renderer) vendorsOf(sw string) []string {
	if r.m != nil {
		if s := r.m.Switch(sw); s != nil && s.Vendor != "" && s.Vendor != "standard" {
			return []string{s.Vendor}
		}
	}
	return Vendors
}

// SwitchOf is the switch c changes, or "".
func SwitchOf(c topology.Change) string {
	switch {
	case c.MoveCable != nil:
		return c.MoveCable.Switch
	case c.LAGAdd != nil:
		return c.LAGAdd.Switch
	case c.LAGRemove != nil:
		return c.LAGRemove.Switch
	case c.VLANs != nil:
		return c.VLANs.Switch
	case c.LAGKind != nil:
		return c.LAGKind.Switch
	case c.MLAG != nil:
		return c.MLAG.Switch
	case c.MTU != nil:
		return c.MTU.Switch
	}
	return ""
}

// HostOf is the host c changes, or "".
func HostOf(c topology.Change) string {
	switch {
	case c.MoveCable != nil:
		return c.MoveCable.Host
	case c.BondMode != nil:
		return c.BondMode.Host
	case c.BondParams != nil:
		return c.BondParams.Host
	case c.MTU != nil:
		return c.MTU.Host
	}
	return ""
}

// Describe says in words what c changes, names escaped by escape.Text.
func Describe(c topology.Change) string {
	t := escape.Text
	switch {
	case c.MoveCable != nil:
		mc := c.MoveCable
		return fmt.Sprintf("move the cable of %s %s to %s %s", t(mc.Host), t(mc.NIC), t(mc.Switch), t(mc.Port))
	case c.BondMode != nil:
		return fmt.Sprintf("set bond %s on %s to mode %s", t(c.BondMode.Bond), t(c.BondMode.Host), t(string(c.BondMode.Mode)))
	case c.LAGAdd != nil:
		l := c.LAGAdd
		kind := ""
		if l.Kind != "" {
			kind = " (" + t(string(l.Kind)) + ")"
		}
		return fmt.Sprintf("add %s to LAG %s%s on %s", t(strings.Join(l.Ports, ", ")), t(l.LAG), kind, t(l.Switch))
	case c.LAGRemove != nil:
		l := c.LAGRemove
		return fmt.Sprintf("remove %s from LAG %s on %s", t(strings.Join(l.Ports, ", ")), t(l.LAG), t(l.Switch))
	case c.VLANs != nil:
		v := c.VLANs
		return fmt.Sprintf("set the VLANs of %s on %s: untagged %s, tagged %s", t(v.Port), t(v.Switch), pvidWords(v.PVID), tagWords(v.Tagged))
	case c.BondParams != nil:
		return fmt.Sprintf("set the parameters of bond %s on %s: %s", t(c.BondParams.Bond), t(c.BondParams.Host), t(strings.Join(kernelParams(c.BondParams), ", ")))
	case c.LAGKind != nil:
		return fmt.Sprintf("make LAG %s on %s %s", t(c.LAGKind.LAG), t(c.LAGKind.Switch), t(string(c.LAGKind.Kind)))
	case c.MLAG != nil:
		if c.MLAG.MLAGID == 0 {
			return fmt.Sprintf("take LAG %s on %s out of its MLAG", t(c.MLAG.LAG), t(c.MLAG.Switch))
		}
		return fmt.Sprintf("make LAG %s on %s MLAG %d", t(c.MLAG.LAG), t(c.MLAG.Switch), c.MLAG.MLAGID)
	case c.MTU != nil:
		var on []string
		if c.MTU.Host != "" {
			on = append(on, t(c.MTU.Host)+" "+t(c.MTU.NIC))
		}
		if c.MTU.Switch != "" {
			on = append(on, t(c.MTU.Switch)+" "+t(c.MTU.Port))
		}
		return fmt.Sprintf("set the MTU of %s to %d", strings.Join(on, " and "), c.MTU.MTU)
	}
	return "empty change"
}

func pvidWords(p int) string {
	if p <= 0 {
		return "none"
	}
	return fmt.Sprint(p)
}

func tagWords(v []int) string {
	if len(v) == 0 {
		return "none"
	}
	return vlanList(v, ",")
}

// kernelParams are a BondParamsChange's parameters as the kernel names
// them (name=value), in a fixed order.
func kernelParams(p *topology.BondParamsChange) []string {
	var out []string
	if p.Miimon != nil {
		out = append(out, fmt.Sprintf("miimon=%d", *p.Miimon))
	}
	if p.LACPRate != "" {
		out = append(out, "lacp_rate="+p.LACPRate)
	}
	if p.XmitHashPolicy != "" {
		out = append(out, "xmit_hash_policy="+p.XmitHashPolicy)
	}
	if p.ARPInterval != nil {
		out = append(out, fmt.Sprintf("arp_interval=%d", *p.ARPInterval))
	}
	if p.ARPIPTargets != nil {
		out = append(out, "arp_ip_target="+strings.Join(p.ARPIPTargets, ","))
	}
	return out
}
