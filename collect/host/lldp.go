package host

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/valyala/fastjson"

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
	root, parser, err := parseJSON(data, file)
	if err != nil {
		return nil, err
	}
	defer parsers.Put(parser)
	if root.Type() != fastjson.TypeObject {
		return nil, jsonValueError(file, data, nil, "not lldpcli JSON: top level is not an object")
	}
	lldp := root.Get("lldp")
	if lldp == nil {
		return nil, &ParseError{File: file, Msg: "not lldpcli JSON: no \"lldp\" key"}
	}
	p := &lldpJSON{data: data, file: file, root: root}
	if n := countInterfaces(lldp); n > 0 {
		p.out = make([]topology.Neighbour, 0, n)
		p.addrs = make([]string, 0, n)
		p.aggs = make([]topology.LinkAgg, 0, n)
	}
	for _, l := range p.objects(lldp) {
		for _, ifc := range p.objects(l.Get("interface")) {
			if name := scalar(ifc.Get("name")); name != "" {
				p.iface(name, ifc)
				continue
			}
			// -f json: {"eth0": {...}}, possibly several keys
			o, _ := ifc.Object()
			o.Visit(func(k []byte, body *fastjson.Value) {
				p.iface(string(k), p.object(body))
			})
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
func countInterfaces(lldp *fastjson.Value) int {
	n := 0
	count := func(ifc *fastjson.Value) {
		if o, err := ifc.Object(); err == nil && ifc.Get("name") == nil {
			n += o.Len()
		} else {
			n++
		}
	}
	each := func(v *fastjson.Value, f func(*fastjson.Value)) {
		if a, err := v.Array(); err == nil {
			for _, e := range a {
				f(e)
			}
		} else if v.Type() == fastjson.TypeObject {
			f(v)
		}
	}
	each(lldp, func(l *fastjson.Value) {
		if ifcs := l.Get("interface"); ifcs != nil {
			each(ifcs, count)
		}
	})
	return min(n, 1024)
}

// lldpJSON reads one lldpcli JSON document; err is its first wrongly
// typed value.
type lldpJSON struct {
	data []byte
	file string
	root *fastjson.Value
	out  []topology.Neighbour
	err  error
	// The neighbours' management addresses and link-aggregation TLVs, in
	// one list each for the document (each neighbour's a piece of it).
	addrs []string
	aggs  []topology.LinkAgg
}

// wrongType records that v is not of the type want names. Its path (and
// so its line and column) is looked up only then.
func (p *lldpJSON) wrongType(v *fastjson.Value, want string) {
	if p.err != nil {
		return
	}
	path, _ := pathTo(p.root, v, nil)
	p.err = jsonValueError(p.file, p.data, path, "not lldpcli JSON: %s is %s, want %s", pathString(path), typeName(v.Type()), want)
}

// object returns v when it is an object, nil when it is absent or null;
// any other type is recorded.
func (p *lldpJSON) object(v *fastjson.Value) *fastjson.Value {
	if v == nil || v.Type() == fastjson.TypeNull {
		return nil
	}
	if v.Type() != fastjson.TypeObject {
		p.wrongType(v, "an object")
		return nil
	}
	return v
}

// objects returns v as a list of objects: a list as is, an object as one
// element (lldpcli -f json prints one as an object, several as a list).
// Other types, in v or as list elements, are recorded and left out.
func (p *lldpJSON) objects(v *fastjson.Value) []*fastjson.Value {
	switch {
	case v == nil || v.Type() == fastjson.TypeNull:
		return nil
	case v.Type() == fastjson.TypeObject:
		return []*fastjson.Value{v}
	case v.Type() != fastjson.TypeArray:
		p.wrongType(v, "an object or a list of objects")
		return nil
	}
	a, _ := v.Array()
	for i, e := range a {
		if e.Type() != fastjson.TypeObject {
			// Leave out what is not an object (recorded), keep the rest.
			out := slices.Clone(a[:i])
			for _, e := range a[i:] {
				if o := p.object(e); o != nil {
					out = append(out, o)
				}
			}
			return out
		}
	}
	return a
}

// pathTo returns the path (object keys and list indexes) from v to target
// inside v's tree, as jsonpos.Find takes it.
func pathTo(v, target *fastjson.Value, path []any) ([]any, bool) {
	if v == target {
		return path, true
	}
	switch v.Type() {
	case fastjson.TypeArray:
		a, _ := v.Array()
		for i, e := range a {
			if p, ok := pathTo(e, target, append(path, i)); ok {
				return p, true
			}
		}
	case fastjson.TypeObject:
		o, _ := v.Object()
		var found []any
		o.Visit(func(k []byte, e *fastjson.Value) {
			if found == nil {
				if p, ok := pathTo(e, target, append(path, string(k))); ok {
					found = p
				}
			}
		})
		if found != nil {
			return found, true
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

func typeName(t fastjson.Type) string {
	switch t {
	case fastjson.TypeString:
		return "a string"
	case fastjson.TypeNumber:
		return "a number"
	case fastjson.TypeTrue, fastjson.TypeFalse:
		return "a boolean"
	case fastjson.TypeArray:
		return "a list"
	case fastjson.TypeObject:
		return "an object"
	}
	return "null"
}

// asList returns v as a list: a list as is, anything else as one element.
func asList(v *fastjson.Value) []*fastjson.Value {
	switch {
	case v == nil || v.Type() == fastjson.TypeNull:
		return nil
	case v.Type() == fastjson.TypeArray:
		a, _ := v.Array()
		return a
	}
	return []*fastjson.Value{v}
}

// scalar returns a value's text: a string, number or bool, or the "value"
// of {"value": x} / [{"value": x}].
func scalar(v *fastjson.Value) string { return scalarN(v, 24) }

// scalarN is scalar interning strings of at most n bytes: 0 for a text
// that names one host's port (a switch port's description, "srv0042
// ens1f0"), which no other host repeats.
func scalarN(v *fastjson.Value, n int) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case fastjson.TypeArray:
		a, _ := v.Array()
		if len(a) > 0 {
			return scalarN(a[0], n)
		}
		return ""
	case fastjson.TypeObject:
		return scalarN(v.Get("value"), n)
	}
	return internShort(jtext(v), n) // a scalar's text as jstr gives it; "" for null
}

func (p *lldpJSON) iface(name string, body *fastjson.Value) {
	if body == nil {
		return
	}
	b := nbBuilder{aggs: &p.aggs}
	b.n.LocalPort = name
	b.n.Protocol = viaProto(scalar(body.Get("via")))
	addrs := len(p.addrs) // this neighbour's management addresses start there
	// chassis: json0 [{"id":[…],"name":[…]}]; json {"sysname": {...}} or {"id": {...}}
	for _, ch := range p.objects(body.Get("chassis")) {
		o, _ := ch.Object()
		cm := ch
		if ch.Get("id") == nil && o.Len() == 1 {
			o.Visit(func(k []byte, inner *fastjson.Value) {
				if inner.Type() == fastjson.TypeObject {
					b.n.SystemName = string(k)
					cm = inner
				}
			})
		}
		p.chassisFields(&b, cm)
	}
	if n := len(p.addrs); n > addrs {
		b.n.MgmtAddrs = p.addrs[addrs:n:n] // (full: an append to it copies)
	}
	for _, pt := range p.objects(body.Get("port")) {
		for _, id := range p.objects(pt.Get("id")) {
			b.setPortID(scalar(id.Get("type")), scalar(id.Get("value")))
		}
		if d := scalarN(pt.Get("descr"), 0); d != "" {
			b.n.PortDescr = d
		}
		if m := scalar(pt.Get("mfs")); m != "" {
			b.n.MaxFrameSize, _ = strconv.Atoi(m)
		}
		if a := pt.Get("aggregation"); a != nil {
			b.setAggregation(scalar(a))
		}
	}
	for _, v := range p.objects(body.Get("vlan")) {
		pv := scalar(v.Get("pvid"))
		b.addVLAN(scalar(v.Get("vlan-id")), pv == "true" || pv == "yes", scalar(v.Get("value")) != "")
	}
	if pv := scalar(body.Get("ppvid")); pv != "" {
		b.addVLAN(pv, false, true)
	}
	for _, u := range p.objects(body.Get("unknown-tlvs")) {
		for _, t := range p.objects(u.Get("unknown-tlv")) {
			b.unknownTLV(scalar(t.Get("oui")), scalar(t.Get("subtype")), scalar(t.Get("value")))
		}
	}
	b.done(&p.out, p.file)
}

func (p *lldpJSON) chassisFields(b *nbBuilder, cm *fastjson.Value) {
	for _, id := range p.objects(cm.Get("id")) {
		b.setChassisID(scalar(id.Get("type")), scalar(id.Get("value")))
	}
	if n := scalar(cm.Get("name")); n != "" {
		b.n.SystemName = n
	}
	if d := scalarN(cm.Get("descr"), math.MaxInt); d != "" {
		// a switch's description is long and every host NIC that hears
		// the switch says it: held once (interned whatever its length)
		b.n.SystemDescr = d
	}
	for _, e := range asList(cm.Get("mgmt-ip")) {
		if s := scalar(e); s != "" {
			p.addrs = append(p.addrs, s) // iface makes them the neighbour's
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
