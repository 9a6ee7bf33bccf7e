package host

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

// lldpd's ID type names → topology ID subtypes.
var lldpIDTypes = map[string]string{
	"mac": topology.IDMAC, "ifname": topology.IDIfName, "ifalias": topology.IDIfAlias,
	"local": topology.IDLocal, "ip": topology.IDNetwork, "unhandled": topology.IDLocal,
}

// nbBuilder collects one neighbour's attributes from any lldpcli format.
type nbBuilder struct {
	n       topology.Neighbour
	pvidSet bool
	// aggs, when set, holds the link-aggregation TLVs of the document's
	// neighbours: an allocation for them all rather than one each.
	aggs *[]topology.LinkAgg
}

// linkAgg is la, placed in b.aggs when there is one.
func (b *nbBuilder) linkAgg(la topology.LinkAgg) *topology.LinkAgg {
	if b.aggs == nil {
		p := new(topology.LinkAgg) // (not &la: la would be moved to the heap on every call)
		*p = la
		return p
	}
	*b.aggs = append(*b.aggs, la)
	return &(*b.aggs)[len(*b.aggs)-1]
}

func (b *nbBuilder) setChassisID(typ, v string) {
	b.n.ChassisIDSubtype = idType(typ)
	b.n.ChassisID = idValue(b.n.ChassisIDSubtype, v)
}

func (b *nbBuilder) setPortID(typ, v string) {
	b.n.PortIDSubtype = idType(typ)
	b.n.PortID = idValue(b.n.PortIDSubtype, v)
}

func idType(t string) string {
	if s, ok := lldpIDTypes[strings.ToLower(t)]; ok {
		return s
	}
	return strings.ToLower(t)
}

func idValue(subtype, v string) string {
	v = strings.TrimSpace(v)
	if subtype == topology.IDMAC {
		if m := topology.NormalizeMAC(v); m != "" {
			return m
		}
	}
	return v
}

// addVLAN records one VLAN entry of lldpd's output. named says whether the
// entry carries a VLAN name. lldpd prints an entry per VLAN Name TLV (802.1
// subtype 3), marking the one equal to the PVID; when no VLAN Name TLV
// matches the PVID (802.1 subtype 1) it adds an entry of its own, "pvid"
// and without a name. That entry is the PVID alone: it joins VLANs (the
// VLANs the switch named) no more than the PVID TLV does on the wire,
// where the frame decoder reads it (collect/l2), so lldpd's neighbour and
// the heard one agree.
func (b *nbBuilder) addVLAN(id string, pvid, named bool) {
	n, err := strconv.Atoi(strings.TrimSpace(id))
	if err != nil || n <= 0 || n > 4094 {
		return
	}
	if pvid {
		b.n.PVID = n
		if !named {
			return
		}
	}
	if !slices.Contains(b.n.VLANs, n) {
		b.n.VLANs = append(b.n.VLANs, n)
	}
}

// setAggregation records lldpd's "Port is aggregated. PortAggregID: N".
func (b *nbBuilder) setAggregation(id string) {
	n, _ := strconv.Atoi(strings.TrimSpace(id))
	b.n.LinkAgg = b.linkAgg(topology.LinkAgg{Capable: true, Enabled: true, PortID: n})
}

var ouiSeparators = strings.NewReplacer(",", "", ":", "", "-", "")

// canonOUI is an OUI without separators in upper case ("00,80,c2" →
// "0080C2"), made without a copy when it is ASCII and short, as lldpd
// prints it; the returned text is only to be compared.
func canonOUI(oui string) string {
	var buf [16]byte
	out := buf[:0]
	for i := 0; i < len(oui); i++ {
		switch c := oui[i]; {
		case c == ',' || c == ':' || c == '-':
		case c >= utf8.RuneSelf || len(out) == len(buf):
			return strings.ToUpper(ouiSeparators.Replace(oui))
		case c >= 'a' && c <= 'z':
			out = append(out, c-('a'-'A'))
		default:
			out = append(out, c)
		}
	}
	switch string(out) { // the two it is compared with, as constants
	case "0080C2":
		return "0080C2"
	case "00120F":
		return "00120F"
	}
	return ""
}

func isTLVSeparator(r rune) bool { return r == ',' || r == ':' || r == ' ' }

// unknownTLV decodes the IEEE 802.1 (00-80-C2 subtype 7) and old 802.3
// (00-12-0F subtype 3) link aggregation TLVs lldpd lists as unknown.
func (b *nbBuilder) unknownTLV(oui, subtype, value string) {
	if o := canonOUI(oui); !(o == "0080C2" && subtype == "7") && !(o == "00120F" && subtype == "3") {
		return
	}
	// The first five of the value's hex bytes; every one must be a byte.
	var bs [5]byte
	n := 0
	for h := range strings.FieldsFuncSeq(value, isTLVSeparator) {
		x, err := strconv.ParseUint(h, 16, 8)
		if err != nil {
			return
		}
		if n < len(bs) {
			bs[n] = byte(x)
		}
		n++
	}
	if n < 5 {
		return
	}
	la := topology.LinkAgg{Capable: bs[0]&1 != 0, Enabled: bs[0]&2 != 0}
	la.PortID = int(bs[1])<<24 | int(bs[2])<<16 | int(bs[3])<<8 | int(bs[4])
	if !la.Enabled {
		b.n.LinkAgg = nil // canonLinkAgg's drop, with nothing placed
		return
	}
	b.n.LinkAgg = b.linkAgg(la)
}

// canonLinkAgg is the one form of an LLDP link-aggregation TLV in a
// snapshot: kept when it says the port is aggregated, dropped when it says
// only "capable, not aggregated". lldpd shows the TLV only when the port is
// aggregated ("Port is aggregated. PortAggregID: N") and lldpd itself sends
// "capable, not aggregated" from every port that is not a bond slave, so a
// listener that kept it would disagree with lldpcli about every such
// neighbour; and a not-aggregated port is what the absence of the TLV tells
// the rules anyway (they read only Enabled).
func canonLinkAgg(la *topology.LinkAgg) *topology.LinkAgg {
	if la == nil || !la.Enabled {
		return nil
	}
	return la
}

func (b *nbBuilder) done(out *[]topology.Neighbour, file string) {
	if b.n.LocalPort == "" {
		return
	}
	if b.n.Protocol == "" {
		b.n.Protocol = topology.ProtoLLDP
	}
	b.n.Source = file
	slices.Sort(b.n.VLANs)
	*out = append(*out, b.n)
}

func viaProto(v string) topology.Protocol {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "CDPV1", "CDPV2", "CDP":
		return topology.ProtoCDP
	}
	return topology.ProtoLLDP
}

// ParseLLDPJSON parses `lldpcli -f json` or `-f json0` output of
// "show neighbors [details]". lldpd prints, in -f json, one neighbour as an
// object and several as a list, and keys chassis by system name; -f json0
// uses lists everywhere. Both are read. A value of the wrong type where
// lldpcli always prints an object (a string for a chassis, say) is an
// error at its line and column: such a file is not what lldpcli wrote.
func ParseLLDPJSON(data []byte, file string) ([]topology.Neighbour, error) {
	d, root, err := scanJSON(data, file)
	if err != nil {
		return nil, err
	}
	defer releaseJSON(d)
	if d.typ(root) != jObject {
		return nil, d.valueError(file, root, "not lldpcli JSON: top level is not an object")
	}
	lldp := d.get(root, "lldp")
	if lldp < 0 {
		return nil, &ParseError{File: file, Msg: "not lldpcli JSON: no \"lldp\" key"}
	}
	p := lldpJSONs.Get().(*lldpJSON)
	*p = lldpJSON{d: d, file: file, root: root}
	defer func() {
		*p = lldpJSON{} // keeps nothing of this document
		lldpJSONs.Put(p)
	}()
	if n := p.countInterfaces(lldp); n > 0 {
		p.out = make([]topology.Neighbour, 0, n)
		p.addrs = make([]string, 0, n)
		p.aggs = make([]topology.LinkAgg, 0, n)
	}
	ls := p.objects(lldp)
	for l := ls.next(d); l >= 0; l = ls.next(d) {
		ifcs := p.objects(d.get(l, "interface"))
		for ifc := ifcs.next(d); ifc >= 0; ifc = ifcs.next(d) {
			if name := d.scalar(d.get(ifc, "name"), 24); name != "" {
				p.iface(name, ifc)
				continue
			}
			// -f json: {"eth0": {...}}, possibly several keys
			for k := d.first(ifc); k >= 0; {
				key, body := d.member(k)
				p.iface(internShort(d.keyText(key), 16), p.object(body))
				k = d.next(body)
			}
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	if len(p.out) == 0 {
		return nil, nil // none, as when nothing was appended
	}
	return p.out, nil
}

// countInterfaces is about how many neighbours an "lldp" value lists (a
// size hint: the interfaces of its lists and objects, each key of -f
// json's {"eth0": {...}} one).
func (p *lldpJSON) countInterfaces(lldp int) int {
	d := p.d
	n := 0
	count := func(ifc int) {
		if d.typ(ifc) == jObject && d.get(ifc, "name") < 0 {
			for k := d.first(ifc); k >= 0; {
				_, v := d.member(k)
				n++
				k = d.next(v)
			}
		} else {
			n++
		}
	}
	each := func(v int, f func(int)) {
		switch d.typ(v) {
		case jArray:
			for e := d.first(v); e >= 0; e = d.next(e) {
				f(e)
			}
		case jObject:
			f(v)
		}
	}
	each(lldp, func(l int) {
		if ifcs := d.get(l, "interface"); ifcs >= 0 {
			each(ifcs, count)
		}
	})
	return min(n, 1024)
}

// lldpJSONs are reused from document to document (a reader is its
// document, list heads and first error).
var lldpJSONs = sync.Pool{New: func() any { return new(lldpJSON) }}

// lldpJSON reads one lldpcli JSON document; err is its first wrongly
// typed value.
type lldpJSON struct {
	d    *jdoc
	file string
	root int
	out  []topology.Neighbour
	err  error
	// The neighbours' management addresses and link-aggregation TLVs, in
	// one list each for the document (each neighbour's a piece of it).
	addrs []string
	aggs  []topology.LinkAgg
}

// wrongType records that v is not of the type want names. Its path is
// looked up only then.
func (p *lldpJSON) wrongType(v int, want string) {
	if p.err != nil {
		return
	}
	path, _ := p.pathTo(p.root, v, nil)
	p.err = p.d.valueError(p.file, v, "not lldpcli JSON: %s is %s, want %s", pathString(path), typeName(p.d.typ(v)), want)
}

// object returns v when it is an object, jnone when it is absent or null;
// any other type is recorded.
func (p *lldpJSON) object(v int) int {
	switch p.d.typ(v) {
	case jObject:
		return v
	case jNull:
	default:
		p.wrongType(v, "an object")
	}
	return jnone
}

// objects returns v as a list of objects: a list as is, an object as one
// element (lldpcli -f json prints one as an object, several as a list).
// Other types, in v or as list elements, are recorded (all of them, before
// the caller walks the list) and left out.
func (p *lldpJSON) objects(v int) jobjects {
	d := p.d
	switch d.typ(v) {
	case jNull:
		return jobjects{cur: jnone}
	case jObject:
		return jobjects{cur: v, one: true}
	case jArray:
		for e := d.first(v); e >= 0; e = d.next(e) {
			p.object(e)
		}
		return jobjects{cur: d.first(v)}
	}
	p.wrongType(v, "an object or a list of objects")
	return jobjects{cur: jnone}
}

// jobjects walks the objects objects found.
type jobjects struct {
	cur int // the next value, jnone at the end
	one bool
}

// next is the next object, jnone at the end.
func (it *jobjects) next(d *jdoc) int {
	if it.one {
		o := it.cur
		it.cur, it.one = jnone, false
		return o
	}
	for it.cur >= 0 && d.typ(it.cur) != jObject {
		it.cur = d.next(it.cur)
	}
	o := it.cur
	if o >= 0 {
		it.cur = d.next(o)
	}
	return o
}

// pathTo returns the path (object keys and list indexes) from v to the
// value at target, as the messages name it.
func (p *lldpJSON) pathTo(v, target int, path []any) ([]any, bool) {
	d := p.d
	if v == target {
		return path, true
	}
	switch d.typ(v) {
	case jArray:
		i := 0
		for e := d.first(v); e >= 0; e = d.next(e) {
			if p, ok := p.pathTo(e, target, append(path, i)); ok {
				return p, true
			}
			i++
		}
	case jObject:
		for k := d.first(v); k >= 0; {
			key, e := d.member(k)
			if target >= e && target < d.end(e) {
				return p.pathTo(e, target, append(path, string(d.keyText(key))))
			}
			k = d.next(e)
		}
	}
	return nil, false
}

func pathString(path []any) string {
	var b strings.Builder
	for _, s := range path {
		switch s := s.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", s)
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(quote.Q(s)[1 : len(quote.Q(s))-1])
		}
	}
	return b.String()
}

func typeName(t jtype) string {
	switch t {
	case jString:
		return "a string"
	case jNumber:
		return "a number"
	case jTrue, jFalse:
		return "a boolean"
	case jArray:
		return "a list"
	case jObject:
		return "an object"
	}
	return "null"
}

// The members of lldpcli's objects the snapshot reads: an interface's, a
// chassis', a port's, a VLAN's, an unknown TLV's.
var (
	ifaceKeys   = newJKeys("via", "chassis", "port", "vlan", "ppvid", "unknown-tlvs")
	chassisKeys = newJKeys("id", "name", "descr", "mgmt-ip")
	portKeys    = newJKeys("id", "descr", "mfs", "aggregation")
	vlanKeys    = newJKeys("pvid", "vlan-id", "value")
	tlvKeys     = newJKeys("oui", "subtype", "value")
	idKeys      = newJKeys("type", "value")
)

func (p *lldpJSON) iface(name string, body int) {
	if body < 0 {
		return
	}
	d := p.d
	var f [6]int
	d.fields(body, ifaceKeys, f[:])
	via, chassis, port, vlan, ppvid, tlvs := f[0], f[1], f[2], f[3], f[4], f[5]
	b := nbBuilder{aggs: &p.aggs}
	b.n.LocalPort = name
	b.n.Protocol = viaProto(d.scalar(via, 24))
	addrs := len(p.addrs) // this neighbour's management addresses start there
	// chassis: json0 [{"id":[…],"name":[…]}]; json {"sysname": {...}} or {"id": {...}}
	chs := p.objects(chassis)
	for ch := chs.next(d); ch >= 0; ch = chs.next(d) {
		cm := ch
		if k := d.first(ch); k >= 0 {
			// one member, not "id": the system name, its attributes inside
			if key, inner := d.member(k); d.next(inner) < 0 && d.typ(inner) == jObject && d.get(ch, "id") < 0 {
				b.n.SystemName = internShort(d.keyText(key), 24)
				cm = inner
			}
		}
		p.chassisFields(&b, cm)
	}
	if n := len(p.addrs); n > addrs {
		b.n.MgmtAddrs = p.addrs[addrs:n:n] // (full: an append to it copies)
	}
	pts := p.objects(port)
	for pt := pts.next(d); pt >= 0; pt = pts.next(d) {
		var g [4]int
		d.fields(pt, portKeys, g[:])
		id, descr, mfs, agg := g[0], g[1], g[2], g[3]
		p.ids(id, b.setPortID)
		if s := d.scalar(descr, 0); s != "" {
			b.n.PortDescr = s
		}
		if m := d.scalar(mfs, 24); m != "" {
			b.n.MaxFrameSize, _ = strconv.Atoi(m)
		}
		if agg >= 0 {
			b.setAggregation(d.scalar(agg, 24))
		}
	}
	vs := p.objects(vlan)
	for v := vs.next(d); v >= 0; v = vs.next(d) {
		var g [3]int
		d.fields(v, vlanKeys, g[:])
		pvid, vid, value := g[0], g[1], g[2]
		pv := d.scalar(pvid, 24)
		b.addVLAN(d.scalar(vid, 24), pv == "true" || pv == "yes", d.scalar(value, 24) != "")
	}
	if pv := d.scalar(ppvid, 24); pv != "" {
		b.addVLAN(pv, false, true)
	}
	us := p.objects(tlvs)
	for u := us.next(d); u >= 0; u = us.next(d) {
		ts := p.objects(d.get(u, "unknown-tlv"))
		for t := ts.next(d); t >= 0; t = ts.next(d) {
			var g [3]int
			d.fields(t, tlvKeys, g[:])
			oui, subtype, value := g[0], g[1], g[2]
			b.unknownTLV(d.scalar(oui, 24), d.scalar(subtype, 24), d.scalar(value, 24))
		}
	}
	b.done(&p.out, p.file)
}

// ids calls set with the type and value of each ID object of v (a chassis'
// or a port's "id").
func (p *lldpJSON) ids(v int, set func(typ, v string)) {
	d := p.d
	ids := p.objects(v)
	for id := ids.next(d); id >= 0; id = ids.next(d) {
		var g [2]int
		d.fields(id, idKeys, g[:])
		typ, value := g[0], g[1]
		set(d.scalar(typ, 24), d.scalar(value, 24))
	}
}

func (p *lldpJSON) chassisFields(b *nbBuilder, cm int) {
	d := p.d
	var f [4]int
	d.fields(cm, chassisKeys, f[:])
	id, name, descr, mgmtIP := f[0], f[1], f[2], f[3]
	p.ids(id, b.setChassisID)
	if n := d.scalar(name, 24); n != "" {
		b.n.SystemName = n
	}
	if s := d.scalar(descr, math.MaxInt); s != "" {
		// a switch's description is long and every host NIC that hears
		// the switch says it: held once (interned whatever its length)
		b.n.SystemDescr = s
	}
	// mgmt-ip: a list, or one value
	switch d.typ(mgmtIP) {
	case jNull:
	case jArray:
		for e := d.first(mgmtIP); e >= 0; e = d.next(e) {
			if s := d.scalar(e, 24); s != "" {
				p.addrs = append(p.addrs, s) // iface makes them the neighbour's
			}
		}
	default:
		if s := d.scalar(mgmtIP, 24); s != "" {
			p.addrs = append(p.addrs, s)
		}
	}
}

// ParseLLDPKeyValue parses `lldpcli -f keyvalue show neighbors details`:
// lines "lldp.<iface>.<path>=<value>".
func ParseLLDPKeyValue(data []byte, file string) ([]topology.Neighbour, error) {
	var out []topology.Neighbour
	byIface := map[string]*nbBuilder{}
	var order []string
	sc := newLines(data)
	line := 0
	// lldpd writes a VLAN's id, its pvid flag, then its name (when it has
	// one) on separate lines: each VLAN is recorded when the next begins.
	var vlan kvVLAN
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok || !strings.HasPrefix(k, "lldp.") {
			return nil, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("not an lldpcli keyvalue line: %s", quote.Q(text))}
		}
		parts := strings.SplitN(k[len("lldp."):], ".", 2)
		iface := parts[0]
		b := byIface[iface]
		if b == nil {
			b = &nbBuilder{}
			b.n.LocalPort = iface
			byIface[iface] = b
			order = append(order, iface)
		}
		if len(parts) < 2 {
			continue
		}
		switch p := parts[1]; {
		case p == "via":
			b.n.Protocol = viaProto(v)
		case p == "chassis.name":
			b.n.SystemName = v
		case p == "chassis.descr":
			b.n.SystemDescr = v
		case p == "chassis.mgmt-ip":
			b.n.MgmtAddrs = append(b.n.MgmtAddrs, v)
		case p == "port.descr":
			b.n.PortDescr = v
		case p == "port.mfs":
			b.n.MaxFrameSize, _ = strconv.Atoi(v)
		case p == "port.aggregation":
			b.setAggregation(v)
		case p == "vlan.vlan-id":
			vlan.flush()
			vlan = kvVLAN{b: b, id: v}
		case p == "vlan.pvid":
			vlan.pvid = v == "yes" || v == "true"
		case p == "vlan":
			vlan.named = v != ""
		case strings.HasPrefix(p, "chassis.") && strings.Count(p, ".") == 1:
			t := p[len("chassis."):]
			if _, ok := lldpIDTypes[t]; ok {
				b.setChassisID(t, v)
			}
		case strings.HasPrefix(p, "port.") && strings.Count(p, ".") == 1:
			t := p[len("port."):]
			if _, ok := lldpIDTypes[t]; ok {
				b.setPortID(t, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: file, Line: line, Msg: err.Error()}
	}
	vlan.flush()
	for _, iface := range order {
		byIface[iface].done(&out, file)
	}
	return out, nil
}

// kvVLAN is one VLAN of lldpcli keyvalue output being read.
type kvVLAN struct {
	b           *nbBuilder
	id          string
	pvid, named bool
}

func (v *kvVLAN) flush() {
	if v.b != nil {
		v.b.addVLAN(v.id, v.pvid, v.named)
	}
	*v = kvVLAN{}
}

// ParseLLDPText parses `lldpctl` / `lldpcli show neighbors [details]` text.
func ParseLLDPText(data []byte, file string) ([]topology.Neighbour, error) {
	var out []topology.Neighbour
	var b *nbBuilder
	sc := newLines(data)
	line := 0
	seen := false
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "---") {
			continue
		}
		if rest, ok := strings.CutPrefix(text, "Interface:"); ok {
			if b != nil {
				b.done(&out, file)
			}
			seen = true
			b = &nbBuilder{}
			f := strings.Split(rest, ",")
			b.n.LocalPort = strings.TrimSpace(f[0])
			for _, x := range f[1:] {
				if v, ok := strings.CutPrefix(strings.TrimSpace(x), "via:"); ok {
					b.n.Protocol = viaProto(v)
				}
			}
			continue
		}
		if b == nil {
			continue
		}
		if rest, ok := strings.CutPrefix(text, "Port is aggregated. PortAggregID:"); ok {
			b.setAggregation(rest)
			continue
		}
		k, v, ok := strings.Cut(text, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "ChassisID":
			t, val, _ := strings.Cut(v, " ")
			b.setChassisID(t, val)
		case "PortID":
			t, val, _ := strings.Cut(v, " ")
			b.setPortID(t, val)
		case "SysName":
			b.n.SystemName = v
		case "SysDescr":
			b.n.SystemDescr = v
		case "MgmtIP":
			b.n.MgmtAddrs = append(b.n.MgmtAddrs, v)
		case "PortDescr":
			b.n.PortDescr = v
		case "MFS":
			b.n.MaxFrameSize, _ = strconv.Atoi(firstField(v))
		case "VLAN":
			// "VLAN: 9 bnd9.9", "VLAN: 100, pvid: yes vlan100" or, the
			// PVID alone, "VLAN: 100, pvid: yes"
			id, rest, hasAttr := strings.Cut(v, ",")
			named := len(strings.Fields(id)) > 1
			if hasAttr {
				_, name, _ := strings.Cut(rest, "pvid:")
				named = len(strings.Fields(name)) > 1
			}
			b.addVLAN(firstField(id), strings.Contains(rest, "pvid: yes"), named)
		}
	}
	if b != nil {
		b.done(&out, file)
	}
	if !seen && len(bytes.TrimSpace(data)) > 0 && !bytes.Contains(data, []byte("LLDP neighbors")) {
		return nil, &ParseError{File: file, Msg: "not lldpctl output: no \"Interface:\" line"}
	}
	return out, nil
}

// ParseLLDP sniffs the format (JSON, keyvalue or text) and parses it.
func ParseLLDP(data []byte, file string) ([]topology.Neighbour, error) {
	t := bytes.TrimSpace(data)
	switch {
	case len(t) == 0:
		return nil, nil
	case t[0] == '{' || t[0] == '[':
		return ParseLLDPJSON(data, file)
	case bytes.HasPrefix(t, []byte("lldp.")):
		return ParseLLDPKeyValue(data, file)
	}
	return ParseLLDPText(data, file)
}
