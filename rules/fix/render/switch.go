package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// block is one switch snippet being built: comments before the
// config-mode lines, the lines themselves, and lines to type after them.
type block struct {
	vendor string
	notes  []string // comment text, before configure
	cfg    []string
	after  []string
}

func (b *block) note(format string, a ...any) { b.notes = append(b.notes, fmt.Sprintf(format, a...)) }
func (b *block) line(s ...string)             { b.cfg = append(b.cfg, s...) }

// sub is a line under an interface, indented as the family's running
// config shows it.
func (b *block) sub(s string) {
	indent := map[string]string{Arista: "   ", CiscoIOS: " ", CiscoNXOS: "  "}[b.vendor]
	b.cfg = append(b.cfg, indent+s)
}

func (b *block) comment(s string) string {
	if b.vendor == Junos || !slices.Contains(Vendors, b.vendor) {
		return "# " + s
	}
	return "! " + s
}

// lines is the complete block: comments, then configure … end (Junos:
// configure, set/delete lines, commit check), then what to type after.
func (b *block) lines() []string {
	var out []string
	for _, n := range b.notes {
		out = append(out, b.comment(n))
	}
	if len(b.cfg) > 0 {
		switch b.vendor {
		case Arista:
			out = append(out, "configure")
			out = append(out, b.cfg...)
			out = append(out, "end")
		case CiscoIOS, CiscoNXOS:
			out = append(out, "configure terminal")
			out = append(out, b.cfg...)
			out = append(out, "end")
		case Junos:
			out = append(out, "configure")
			out = append(out, b.cfg...)
			out = append(out, "commit check", b.comment("when the check passes: commit confirmed 5, check, then commit"))
		}
	}
	return append(out, b.after...)
}

// ifName reports whether s may be typed as an interface name: letters,
// digits and / . _ : - only, starting with a letter, at most 64 bytes.
func ifName(s string) bool {
	if s == "" || len(s) > 64 || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("/._:-", c) >= 0) {
			return false
		}
	}
	return true
}

// ports returns the names that may be typed, and notes the others.
func (b *block) ports(names []string) []string {
	var ok []string
	for _, n := range names {
		if ifName(n) {
			ok = append(ok, n)
		} else {
			b.note("port %s is not an interface name that can be typed safely: left out, do it by hand", escape.Text(n))
		}
	}
	return ok
}

// lagNumber derives a LAG's number from its name: Port-Channel10, Po10,
// port-channel10, ae10, bond10, lag10, Trk10 → 10. The name must be
// letters (and hyphens) then digits.
func lagNumber(name string) (int, bool) {
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	if i == len(name) || len(name)-i > 5 {
		return 0, false
	}
	for _, c := range name[:i] {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == ' ') {
			return 0, false
		}
	}
	n, err := strconv.Atoi(name[i:])
	return n, err == nil
}

// lagIf is the family's name for LAG number n.
func lagIf(vendor string, n int) string {
	switch vendor {
	case Arista:
		return fmt.Sprintf("Port-Channel%d", n)
	case CiscoIOS:
		return fmt.Sprintf("Port-channel%d", n)
	case CiscoNXOS:
		return fmt.Sprintf("port-channel%d", n)
	}
	return fmt.Sprintf("ae%d", n)
}

// portIf is the family's name for a port: a LAG's name (Port-Channel10,
// Po10, port-channel10, ae10) becomes the family's own, others stay.
func (b *block) portIf(p string) string {
	l := strings.ToLower(p)
	for _, prefix := range []string{"port-channel", "po", "ae"} {
		if rest, ok := strings.CutPrefix(l, prefix); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			if n, ok := lagNumber(p); ok {
				return lagIf(b.vendor, n)
			}
		}
	}
	return p
}

// lag derives the LAG's number and the family's name for it, or notes why
// it cannot.
func (b *block) lag(name string) (int, string, bool) {
	n, ok := lagNumber(name)
	if !ok || (n == 0 && b.vendor != Junos) {
		b.note("no LAG number in the name %s: do it by hand", escape.Text(name))
		return 0, "", false
	}
	return n, lagIf(b.vendor, n), true
}

// ifRange opens config mode on the ports: one interface line (EOS and
// NX-OS take a comma list, IOS an interface range, of up to five).
func (b *block) ifRange(ports []string) {
	switch b.vendor {
	case Arista:
		b.line("interface " + strings.Join(ports, ","))
	case CiscoNXOS:
		b.line("interface " + strings.Join(ports, ", "))
	case CiscoIOS: // forRange gives at most five
		if len(ports) == 1 {
			b.line("interface " + ports[0])
		} else {
			b.line("interface range " + strings.Join(ports, " , "))
		}
	}
}

// forRange types subs under the ports (IOS: under each range of five).
func (b *block) forRange(ports []string, subs ...string) {
	if b.vendor == CiscoIOS && len(ports) > 5 {
		for chunk := range slices.Chunk(ports, 5) {
			b.ifRange(chunk)
			for _, s := range subs {
				b.sub(s)
			}
			b.line("exit")
		}
		return
	}
	b.ifRange(ports)
	for _, s := range subs {
		b.sub(s)
	}
}

// Switch renders the switch side of c for a vendor family; nil when c
// changes nothing on a switch. A family without a renderer gets a snippet
// of one comment line that says so.
func (r Renderer) Switch(c topology.Change, vendor string) ([]Snippet, error) {
	sw := SwitchOf(c)
	if sw == "" {
		return nil, nil
	}
	if !slices.Contains(Vendors, vendor) {
		name := vendor
		if name == "" {
			name = "unknown"
		}
		return []Snippet{{Target: sw, Tool: name, Lines: []string{fmt.Sprintf("# no renderer for vendor family %s: %s by hand",
			escape.Text(name), Describe(c))}}}, nil
	}
	b := &block{vendor: vendor}
	var err error
	switch {
	case c.MoveCable != nil:
		b.moveCable(c.MoveCable)
	case c.LAGAdd != nil:
		err = b.lagAdd(c.LAGAdd)
	case c.LAGRemove != nil:
		b.lagRemove(c.LAGRemove)
	case c.VLANs != nil:
		err = b.vlans(c.VLANs)
	case c.LAGKind != nil:
		err = b.lagKind(c.LAGKind, r.members(c.LAGKind.Switch, c.LAGKind.LAG))
	case c.MLAG != nil:
		err = b.mlag(c.MLAG)
	case c.MTU != nil:
		err = b.mtu(c.MTU)
	}
	if err != nil {
		return nil, err
	}
	return []Snippet{{Target: sw, Tool: vendor, Lines: b.lines()}}, nil
}

// members are the LAG's members as the Model knows them (nil without one).
func (r Renderer) members(sw, lag string) []string {
	if r.m == nil {
		return nil
	}
	s := r.m.Switch(sw)
	if s == nil {
		return nil
	}
	want := topology.NormalizePortName(lag)
	for _, l := range s.LAGs {
		if topology.NormalizePortName(l.Name) == want {
			return l.Members
		}
	}
	return nil
}

func (b *block) moveCable(mc *topology.MoveCable) {
	b.note("by hand: cable %s %s to port %s of this switch", escape.Text(mc.Host), escape.Text(mc.NIC), escape.Text(mc.Port))
	ports := b.ports([]string{mc.Port})
	if len(ports) == 0 {
		return
	}
	p := ports[0]
	switch b.vendor {
	case Junos:
		b.line("delete interfaces " + p + " disable")
		b.after = append(b.after, b.comment("after the commit: run show lldp neighbors interface "+p))
	default:
		b.line("interface " + p)
		b.sub("no shutdown")
		show := map[string]string{Arista: "show lldp neighbors " + p, CiscoIOS: "show lldp neighbors " + p + " detail",
			CiscoNXOS: "show lldp neighbors interface " + p + " detail"}[b.vendor]
		b.after = append(b.after, show)
	}
}

// channelMode is the channel-group mode for a LAG kind ("" = LACP,
// assumed, with a note).
func (b *block) channelMode(k topology.LAGKind, lag string) (string, error) {
	switch strings.ToLower(string(k)) {
	case string(topology.LAGLACP):
		return "active", nil
	case string(topology.LAGStatic):
		return "on", nil
	case "":
		b.note("the plan does not say whether %s runs LACP: LACP assumed (mode on if it is static)", escape.Text(lag))
		return "active", nil
	}
	return "", fmt.Errorf("LAG %s: kind %s is neither lacp nor static", escape.Text(lag), escape.Text(string(k)))
}

func (b *block) lagAdd(l *topology.LAGChange) error {
	mode, err := b.channelMode(l.Kind, l.LAG)
	if err != nil {
		return err
	}
	n, name, ok := b.lag(l.LAG)
	ports := b.ports(l.Ports)
	if !ok || len(ports) == 0 {
		return nil
	}
	switch b.vendor {
	case Junos:
		b.note("ae%d needs chassis aggregated-devices ethernet device-count above %d", n, n)
		b.note("a member carries no unit of its own: its unit 0 is deleted")
		for _, p := range ports {
			b.line("delete interfaces "+p+" unit 0", "set interfaces "+p+" ether-options 802.3ad "+name)
		}
		if mode == "active" {
			b.line("set interfaces " + name + " aggregated-ether-options lacp active")
		} else {
			b.line("delete interfaces " + name + " aggregated-ether-options lacp")
		}
		return nil
	case CiscoNXOS:
		if mode == "active" {
			b.line("feature lacp")
		}
		b.line("interface " + name)
		b.line("exit")
		b.forRange(ports, fmt.Sprintf("channel-group %d force mode %s", n, mode))
	default:
		b.line("interface " + name)
		b.line("exit")
		b.forRange(ports, fmt.Sprintf("channel-group %d mode %s", n, mode))
	}
	return nil
}

func (b *block) lagRemove(l *topology.LAGChange) {
	ports := b.ports(l.Ports)
	if len(ports) == 0 {
		return
	}
	b.note("the ports leave %s and keep (or get back) their own port settings: check their VLANs", escape.Text(l.LAG))
	if b.vendor == Junos {
		for _, p := range ports {
			b.line("delete interfaces " + p + " ether-options 802.3ad")
		}
		return
	}
	b.forRange(ports, "no channel-group")
}

// vlanList writes VLAN IDs sorted, with runs as ranges (10,20-22).
func vlanList(v []int, sep string) string {
	v = slices.Sorted(slices.Values(v))
	v = slices.Compact(v)
	var parts []string
	for i := 0; i < len(v); {
		j := i
		for j+1 < len(v) && v[j+1] == v[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", v[i], v[j]))
		} else {
			parts = append(parts, strconv.Itoa(v[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, sep)
}

func (b *block) vlans(v *topology.VLANChange) error {
	for _, id := range append([]int{v.PVID}, v.Tagged...) {
		if id < 0 || id > 4094 {
			return fmt.Errorf("vlans on %s: VLAN %d is not 1-4094", escape.Text(v.Port), id)
		}
	}
	ports := b.ports([]string{v.Port})
	if len(ports) == 0 {
		return nil
	}
	p := b.portIf(ports[0])
	allowed := slices.Clone(v.Tagged)
	if v.PVID > 0 && len(v.Tagged) > 0 && !slices.Contains(allowed, v.PVID) {
		allowed = append(allowed, v.PVID)
	}
	if b.vendor == Junos {
		es := "set interfaces " + p + " unit 0 family ethernet-switching "
		b.line("delete interfaces " + p + " unit 0 family ethernet-switching vlan members")
		switch {
		case len(v.Tagged) > 0:
			b.line(es+"interface-mode trunk", es+"vlan members [ "+vlanList(allowed, " ")+" ]")
			if v.PVID > 0 {
				b.line(fmt.Sprintf("set interfaces %s native-vlan-id %d", p, v.PVID))
			} else {
				b.line("delete interfaces " + p + " native-vlan-id")
			}
		case v.PVID > 0:
			b.line(es+"interface-mode access", fmt.Sprintf("%svlan members %d", es, v.PVID))
		default:
			b.note("no VLAN at all: the port is left a member of none")
		}
		return nil
	}
	b.line("interface " + p)
	switch {
	case len(v.Tagged) > 0:
		b.sub("switchport mode trunk")
		b.sub("switchport trunk allowed vlan " + vlanList(allowed, ","))
		switch {
		case v.PVID > 0:
			b.sub(fmt.Sprintf("switchport trunk native vlan %d", v.PVID))
		case b.vendor == Arista:
			b.sub("switchport trunk native vlan tag")
		default:
			b.note("no untagged VLAN: tag the native VLAN (vlan dot1q tag native) or make it one that is not allowed")
		}
	case v.PVID > 0:
		b.sub("switchport mode access")
		b.sub(fmt.Sprintf("switchport access vlan %d", v.PVID))
	default:
		b.sub("switchport mode trunk")
		b.sub("switchport trunk allowed vlan none")
	}
	return nil
}

func (b *block) lagKind(k *topology.LAGKindChange, members []string) error {
	mode, err := b.channelMode(k.Kind, k.LAG)
	if err != nil {
		return err
	}
	if k.Kind == "" {
		return fmt.Errorf("lag_kind on %s: no kind", escape.Text(k.LAG))
	}
	n, name, ok := b.lag(k.LAG)
	if !ok {
		return nil
	}
	if b.vendor == Junos {
		if mode == "active" {
			b.line("set interfaces " + name + " aggregated-ether-options lacp active")
		} else {
			b.line("delete interfaces " + name + " aggregated-ether-options lacp")
		}
		return nil
	}
	b.note("the mode is set on each member: %s is down while its members rejoin", name)
	ports := b.ports(members)
	if len(ports) == 0 {
		show := map[string]string{Arista: fmt.Sprintf("show port-channel %d", n), CiscoIOS: fmt.Sprintf("show etherchannel %d summary", n),
			CiscoNXOS: fmt.Sprintf("show port-channel summary interface port-channel %d", n)}[b.vendor]
		b.note("the members of %s are not known here: list them with the show command below, then on them:", name)
		b.note("  no channel-group")
		b.note("  channel-group %d mode %s", n, mode)
		b.after = append(b.after, show)
		return nil
	}
	force := ""
	if b.vendor == CiscoNXOS {
		if mode == "active" {
			b.line("feature lacp")
		}
		force = "force "
	}
	b.forRange(ports, "no channel-group", fmt.Sprintf("channel-group %d %smode %s", n, force, mode))
	return nil
}

// junosSystemID is the LACP system ID both MC-AE peers send for MC-AE id
// n: locally administered, the id in the last two bytes.
func junosSystemID(n int) string {
	return fmt.Sprintf("02:00:00:00:%02x:%02x", n>>8&0xff, n&0xff)
}

func (b *block) mlag(m *topology.MLAGChange) error {
	if m.MLAGID < 0 || m.MLAGID > 65535 {
		return fmt.Errorf("mlag on %s: id %d is out of range", escape.Text(m.LAG), m.MLAGID)
	}
	_, name, ok := b.lag(m.LAG)
	if !ok {
		return nil
	}
	id := m.MLAGID
	switch b.vendor {
	case CiscoIOS:
		b.note("Cisco IOS has no MLAG: a stack or a StackWise Virtual pair is one switch, nothing to type; a second switch needs a different design")
	case Arista:
		if id == 0 {
			b.note("the MLAG peer needs the same: no mlag on its port-channel for this host")
			b.line("interface "+name, "   no mlag")
		} else {
			b.note("the MLAG peer needs the same: mlag %d on its port-channel for this host", id)
			b.line("interface "+name, fmt.Sprintf("   mlag %d", id))
		}
	case CiscoNXOS:
		if id == 0 {
			b.note("the vPC peer needs the same: no vpc on its port-channel for this host")
			b.line("interface "+name, "  no vpc")
		} else {
			b.note("the vPC peer needs the same: vpc %d on its port-channel for this host", id)
			b.line("interface "+name, fmt.Sprintf("  vpc %d", id))
		}
	case Junos:
		mc := "set interfaces " + name + " aggregated-ether-options "
		if id == 0 {
			b.note("the MC-AE peer needs the same: delete mc-ae on its %s", name)
			b.line("delete interfaces " + name + " aggregated-ether-options mc-ae")
			return nil
		}
		b.note("MC-AE: ICCP and the ICL to the peer must be configured already")
		b.note("the peer types the same lines with chassis-id 1 and status-control standby (this side: 0, active)")
		b.note("mc-ae-id, redundancy-group, lacp system-id and admin-key must be the same on both")
		b.line(fmt.Sprintf("%smc-ae mc-ae-id %d", mc, id), mc+"mc-ae redundancy-group 1", mc+"mc-ae chassis-id 0",
			mc+"mc-ae mode active-active", mc+"mc-ae status-control active", mc+"lacp active",
			mc+"lacp system-id "+junosSystemID(id), fmt.Sprintf("%slacp admin-key %d", mc, id))
	}
	return nil
}

func (b *block) mtu(m *topology.MTUChange) error {
	if m.MTU < 68 || m.MTU > 65535 {
		return fmt.Errorf("mtu on %s: %d is out of range", escape.Text(m.Port), m.MTU)
	}
	ports := b.ports([]string{m.Port})
	if len(ports) == 0 {
		return nil
	}
	p := b.portIf(ports[0])
	switch b.vendor {
	case Junos:
		b.note("Junos counts the Ethernet header: %d here carries IP packets of %d (%d tagged)", m.MTU, m.MTU-14, m.MTU-18)
		b.line(fmt.Sprintf("set interfaces %s mtu %d", p, m.MTU))
		return nil
	case Arista:
		b.note("on a switchport EOS forwards frames up to its L2 MTU (9214 by default): mtu sets the IP MTU")
	case CiscoIOS:
		b.note("older Catalyst switches take only system mtu, for every port")
	case CiscoNXOS:
		b.note("an L2 port takes 1500 or the system jumbomtu (9216 by default)")
	}
	b.line("interface " + p)
	b.sub(fmt.Sprintf("mtu %d", m.MTU))
	return nil
}
