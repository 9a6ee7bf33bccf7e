package render

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// sq quotes s for a POSIX shell: inside single quotes nothing is special,
// and a single quote is closed, escaped and reopened.
func sq(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// yq quotes s as a YAML double-quoted scalar (s holds no control
// character: typeable refuses those).
func yq(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// typeable reports whether a host-side name may be typed: not empty, and
// nothing escape.Text would show escaped (control characters, bidi and
// other invisible characters, invalid UTF-8), which would act in the
// terminal before any quoting counts.
func typeable(s string) bool { return s != "" && escape.Text(s) == s }

// netplanFile is where the netplan fragment goes: netplan merges the files
// of /etc/netplan in name order, so this one amends the bond's definition.
const netplanFile = "/etc/netplan/90-bondaudit.yaml"

// Host renders the host side of c for a tool (iproute2, nmcli, netplan);
// nil when c changes nothing on a host.
func (r Renderer) Host(c topology.Change, tool string) ([]Snippet, error) {
	host := HostOf(c)
	if host == "" {
		return nil, nil
	}
	if !slices.Contains(Tools, tool) {
		return []Snippet{{Target: host, Tool: tool, Lines: []string{fmt.Sprintf("# no renderer for host tool %s: %s by hand",
			escape.Text(tool), Describe(c))}}}, nil
	}
	var names []string
	switch {
	case c.MoveCable != nil:
		names = []string{c.MoveCable.NIC}
	case c.BondMode != nil:
		names = []string{c.BondMode.Bond}
	case c.BondParams != nil:
		names = []string{c.BondParams.Bond}
	case c.MTU != nil:
		names = []string{c.MTU.NIC}
	}
	if err := validHost(c); err != nil {
		return nil, err
	}
	comment := "# "
	for _, n := range names {
		if !typeable(n) {
			return []Snippet{{Target: host, Tool: tool, Lines: []string{
				comment + fmt.Sprintf("the name %s holds characters that cannot be typed safely: %s by hand", escape.Text(n), Describe(c))}}}, nil
		}
	}
	var lines []string
	switch tool {
	case IPRoute2:
		lines = iproute2(c)
	case NMCLI:
		lines = nmcli(c)
	case Netplan:
		lines = r.netplan(c)
	}
	if lines == nil {
		return nil, nil
	}
	return []Snippet{{Target: host, Tool: tool, Lines: lines}}, nil
}

var hashPolicies = []string{"layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4", "vlan+srcmac"}

// validHost checks the values a host tool would be given: a mode, rate,
// policy or address the kernel does not know is an error (it would be
// typed as given otherwise).
func validHost(c topology.Change) error {
	switch {
	case c.BondMode != nil:
		m := c.BondMode.Mode.LinuxName()
		if m.Class(topology.BondKindLinux) == topology.ClassUnknown || !linuxMode(m) {
			return fmt.Errorf("bond_mode on %s: %s is not a Linux bonding mode", escape.Text(c.BondMode.Bond), escape.Text(string(c.BondMode.Mode)))
		}
	case c.BondParams != nil:
		p := c.BondParams
		what := "bond_params on " + escape.Text(p.Bond)
		if p.Miimon != nil && *p.Miimon < 0 || p.ARPInterval != nil && *p.ARPInterval < 0 {
			return fmt.Errorf("%s: a negative interval", what)
		}
		if p.LACPRate != "" && p.LACPRate != "slow" && p.LACPRate != "fast" {
			return fmt.Errorf("%s: lacp_rate %s is neither slow nor fast", what, escape.Text(p.LACPRate))
		}
		if p.XmitHashPolicy != "" && !slices.Contains(hashPolicies, p.XmitHashPolicy) {
			return fmt.Errorf("%s: xmit_hash_policy %s is not one of %s", what, escape.Text(p.XmitHashPolicy), strings.Join(hashPolicies, ", "))
		}
		if len(p.ARPIPTargets) > 16 {
			return fmt.Errorf("%s: %d ARP targets, the kernel takes 16", what, len(p.ARPIPTargets))
		}
		for _, t := range p.ARPIPTargets {
			a, err := netip.ParseAddr(t)
			if err != nil || !a.Is4() || a.Zone() != "" {
				return fmt.Errorf("%s: ARP target %s is not an IPv4 address", what, escape.Text(t))
			}
		}
		if len(kernelParams(p)) == 0 {
			return fmt.Errorf("%s: no parameter to set", what)
		}
	case c.MTU != nil && c.MTU.Host != "":
		if c.MTU.MTU < 68 || c.MTU.MTU > 65535 {
			return fmt.Errorf("mtu on %s: %d is out of range", escape.Text(c.MTU.NIC), c.MTU.MTU)
		}
	}
	return nil
}

func linuxMode(m topology.BondMode) bool {
	return slices.Contains([]topology.BondMode{topology.ModeBalanceRR, topology.ModeActiveBackup, topology.ModeBalanceXOR,
		topology.ModeBroadcast, topology.Mode8023AD, topology.ModeBalanceTLB, topology.ModeBalanceALB}, m)
}

const runtimeOnly = "# iproute2 changes the running kernel only: make the same change in the host's network configuration too"

func iproute2(c topology.Change) []string {
	switch {
	case c.MoveCable != nil:
		mc := c.MoveCable
		return []string{
			fmt.Sprintf("# by hand: cable %s to %s %s, then check the link and its LLDP neighbour:", escape.Text(mc.NIC), escape.Text(mc.Switch), escape.Text(mc.Port)),
			"ip link show dev " + sq(mc.NIC),
			"lldpcli show neighbors ports " + sq(mc.NIC),
		}
	case c.BondMode != nil:
		b := sq(c.BondMode.Bond)
		return []string{
			runtimeOnly,
			"# the kernel changes a bond's mode only while the bond is down and has no slaves:",
			"# the bond is down until the last line, and routes through it must be added again",
			"slaves=$(cat /sys/class/net/" + b + "/bonding/slaves)",
			"ip link set dev " + b + " down",
			`for s in $slaves; do ip link set dev "$s" nomaster; done`,
			"ip link set dev " + b + " type bond mode " + string(c.BondMode.Mode.LinuxName()),
			`for s in $slaves; do ip link set dev "$s" down; ip link set dev "$s" master ` + b + "; done",
			"ip link set dev " + b + " up",
		}
	case c.BondParams != nil:
		p := c.BondParams
		b := sq(p.Bond)
		// the kernel's parameters, as ip spells them (name value)
		args := []string{"ip link set dev " + b + " type bond"}
		for _, kv := range kernelParams(p) {
			k, v, _ := strings.Cut(kv, "=")
			if k == "arp_ip_target" && v == "" {
				v = "''" // replaces the list with none
			}
			args = append(args, k+" "+v)
		}
		set := strings.Join(args, " ")
		if p.LACPRate == "" {
			return []string{runtimeOnly, set}
		}
		return []string{runtimeOnly,
			"# the kernel changes lacp_rate only while the bond is down: routes through it must be added again",
			"ip link set dev " + b + " down", set, "ip link set dev " + b + " up"}
	case c.MTU != nil:
		return []string{runtimeOnly, "# a bond gives its MTU to its slaves",
			fmt.Sprintf("ip link set dev %s mtu %d", sq(c.MTU.NIC), c.MTU.MTU)}
	}
	return nil
}

func nmcli(c topology.Change) []string {
	var name, set string
	switch {
	case c.BondMode != nil:
		name, set = c.BondMode.Bond, "+bond.options "+sq("mode="+string(c.BondMode.Mode.LinuxName()))
	case c.BondParams != nil:
		name = c.BondParams.Bond
		opts := kernelParams(c.BondParams)
		for i, o := range opts {
			// nmcli splits bond.options at commas: a comma inside one option is written \,
			opts[i] = strings.ReplaceAll(o, ",", `\,`)
		}
		set = "+bond.options " + sq(strings.Join(opts, ","))
	case c.MTU != nil:
		name, set = c.MTU.NIC, fmt.Sprintf("ethernet.mtu %d", c.MTU.MTU)
	default:
		return nil
	}
	n := sq(name)
	return []string{
		fmt.Sprintf("# the connection profile is taken to be named %s: nmcli -g GENERAL.CONNECTION device show %s names it", escape.Text(name), n),
		"nmcli connection modify id " + n + " " + set,
		"nmcli connection up id " + n,
	}
}

// netplan renders a YAML fragment under network: bonds: (or ethernets:).
func (r Renderer) netplan(c topology.Change) []string {
	var section, name string
	var keys []string
	switch {
	case c.BondMode != nil:
		section, name = "bonds", c.BondMode.Bond
		keys = []string{"parameters:", "  mode: " + yq(string(c.BondMode.Mode.LinuxName()))}
	case c.BondParams != nil:
		p := c.BondParams
		section, name = "bonds", p.Bond
		keys = []string{"parameters:"}
		if p.Miimon != nil {
			keys = append(keys, fmt.Sprintf("  mii-monitor-interval: %d", *p.Miimon))
		}
		if p.LACPRate != "" {
			keys = append(keys, "  lacp-rate: "+yq(p.LACPRate))
		}
		if p.XmitHashPolicy != "" {
			keys = append(keys, "  transmit-hash-policy: "+yq(p.XmitHashPolicy))
		}
		if p.ARPInterval != nil {
			keys = append(keys, fmt.Sprintf("  arp-interval: %d", *p.ARPInterval))
		}
		if p.ARPIPTargets != nil {
			q := make([]string, len(p.ARPIPTargets))
			for i, t := range p.ARPIPTargets {
				q[i] = yq(t)
			}
			keys = append(keys, "  arp-ip-targets: ["+strings.Join(q, ", ")+"]")
		}
	case c.MTU != nil:
		name = c.MTU.NIC
		section = "ethernets"
		if r.isBond(c.MTU.Host, c.MTU.NIC) {
			section = "bonds"
		}
		keys = []string{fmt.Sprintf("mtu: %d", c.MTU.MTU)}
	default:
		return nil
	}
	out := []string{"# " + netplanFile + " (netplan merges it over the interface's definition), then: netplan try"}
	if c.MTU != nil && section == "ethernets" && r.m == nil {
		out = append(out, "# if "+escape.Text(name)+" is a bond, this goes under bonds: instead")
	}
	out = append(out, "network:", "  version: 2", "  "+section+":", "    "+yq(name)+":")
	for _, k := range keys {
		out = append(out, "      "+k)
	}
	return out
}

// isBond reports whether the Model knows iface as a bond of host.
func (r Renderer) isBond(host, iface string) bool {
	if r.m == nil {
		return false
	}
	h := r.m.Host(host)
	if h == nil {
		return false
	}
	return slices.ContainsFunc(h.Bonds, func(b topology.Bond) bool { return b.Name == iface })
}
