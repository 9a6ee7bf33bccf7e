package host

// ParseLLDPJSON and its helpers as they were on fastjson's parse tree,
// before the scanner (jscan.go): the reference TestLLDPJSONAgreesWith-
// Reference and FuzzLLDPJSON compare ParseLLDPJSON with.

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

// refParsers are the reference parsers' fastjson parsers.
var parsers fastjson.ParserPool

// refParseJSON is parseJSON as it was: data parsed by fastjson, the error
// placed by jsonError.
func refParseJSON(data []byte, file string) (*fastjson.Value, *fastjson.Parser, error) {
	p := parsers.Get()
	v, err := p.ParseBytes(data)
	if err != nil {
		parsers.Put(p)
		return nil, nil, jsonError(file, data, err)
	}
	return v, p, nil
}

// refJtext is jtext as it was.
func refJtext(x *fastjson.Value) []byte {
	if x == nil {
		return nil
	}
	switch x.Type() {
	case fastjson.TypeString:
		b, _ := x.StringBytes()
		return b
	case fastjson.TypeTrue:
		return jsonTrue
	case fastjson.TypeFalse:
		return jsonFalse
	case fastjson.TypeNumber:
		return x.MarshalTo(nil)
	}
	return nil
}

// refParseLLDPJSON parses `lldpcli -f json` or `-f json0` output of
// "show neighbors [details]". lldpd prints, in -f json, one neighbour as an
// object and several as a list, and keys chassis by system name; -f json0
// uses lists everywhere. Both are read. A value of the wrong type where
// lldpcli always prints an object (a string for a chassis, say) is an
// error at its line and column: such a file is not what lldpcli wrote.
func refParseLLDPJSON(data []byte, file string) ([]topology.Neighbour, error) {
	root, parser, err := refParseJSON(data, file)
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
	p := &refLLDPJSON{data: data, file: file, root: root}
	if n := refCountInterfaces(lldp); n > 0 {
		p.out = make([]topology.Neighbour, 0, n)
		p.addrs = make([]string, 0, n)
		p.aggs = make([]topology.LinkAgg, 0, n)
	}
	for _, l := range p.objects(lldp) {
		for _, ifc := range p.objects(l.Get("interface")) {
			if name := refScalar2(ifc.Get("name")); name != "" {
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

// refCountInterfaces is about how many neighbours an "lldp" value lists (a
// size hint: the interfaces of its lists and objects, each key of -f
// json's {"eth0": {...}} one).
func refCountInterfaces(lldp *fastjson.Value) int {
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

// refLLDPJSON reads one lldpcli JSON document; err is its first wrongly
// typed value.
type refLLDPJSON struct {
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
func (p *refLLDPJSON) wrongType(v *fastjson.Value, want string) {
	if p.err != nil {
		return
	}
	path, _ := refPathTo(p.root, v, nil)
	p.err = jsonValueError(p.file, p.data, path, "not lldpcli JSON: %s is %s, want %s", refPathString(path), refTypeName(v.Type()), want)
}

// object returns v when it is an object, nil when it is absent or null;
// any other type is recorded.
func (p *refLLDPJSON) object(v *fastjson.Value) *fastjson.Value {
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
func (p *refLLDPJSON) objects(v *fastjson.Value) []*fastjson.Value {
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
func refPathTo(v, target *fastjson.Value, path []any) ([]any, bool) {
	if v == target {
		return path, true
	}
	switch v.Type() {
	case fastjson.TypeArray:
		a, _ := v.Array()
		for i, e := range a {
			if p, ok := refPathTo(e, target, append(path, i)); ok {
				return p, true
			}
		}
	case fastjson.TypeObject:
		o, _ := v.Object()
		var found []any
		o.Visit(func(k []byte, e *fastjson.Value) {
			if found == nil {
				if p, ok := refPathTo(e, target, append(path, string(k))); ok {
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

func refPathString(path []any) string {
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

func refTypeName(t fastjson.Type) string {
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
func refAsList(v *fastjson.Value) []*fastjson.Value {
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
func refScalar2(v *fastjson.Value) string { return refScalarN2(v, 24) }

// scalarN is scalar interning strings of at most n bytes: 0 for a text
// that names one host's port (a switch port's description, "srv0042
// ens1f0"), which no other host repeats.
func refScalarN2(v *fastjson.Value, n int) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case fastjson.TypeArray:
		a, _ := v.Array()
		if len(a) > 0 {
			return refScalarN2(a[0], n)
		}
		return ""
	case fastjson.TypeObject:
		return refScalarN2(v.Get("value"), n)
	}
	return internShort(refJtext(v), n) // a scalar's text as jstr gives it; "" for null
}

func (p *refLLDPJSON) iface(name string, body *fastjson.Value) {
	if body == nil {
		return
	}
	b := nbBuilder{aggs: &p.aggs}
	b.n.LocalPort = name
	b.n.Protocol = viaProto(refScalar2(body.Get("via")))
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
			b.setPortID(refScalar2(id.Get("type")), refScalar2(id.Get("value")))
		}
		if d := refScalarN2(pt.Get("descr"), 0); d != "" {
			b.n.PortDescr = d
		}
		if m := refScalar2(pt.Get("mfs")); m != "" {
			b.n.MaxFrameSize, _ = strconv.Atoi(m)
		}
		if a := pt.Get("aggregation"); a != nil {
			b.setAggregation(refScalar2(a))
		}
	}
	for _, v := range p.objects(body.Get("vlan")) {
		pv := refScalar2(v.Get("pvid"))
		b.addVLAN(refScalar2(v.Get("vlan-id")), pv == "true" || pv == "yes", refScalar2(v.Get("value")) != "")
	}
	if pv := refScalar2(body.Get("ppvid")); pv != "" {
		b.addVLAN(pv, false, true)
	}
	for _, u := range p.objects(body.Get("unknown-tlvs")) {
		for _, t := range p.objects(u.Get("unknown-tlv")) {
			b.unknownTLV(refScalar2(t.Get("oui")), refScalar2(t.Get("subtype")), refScalar2(t.Get("value")))
		}
	}
	b.done(&p.out, p.file)
}

func (p *refLLDPJSON) chassisFields(b *nbBuilder, cm *fastjson.Value) {
	for _, id := range p.objects(cm.Get("id")) {
		b.setChassisID(refScalar2(id.Get("type")), refScalar2(id.Get("value")))
	}
	if n := refScalar2(cm.Get("name")); n != "" {
		b.n.SystemName = n
	}
	if d := refScalarN2(cm.Get("descr"), math.MaxInt); d != "" {
		// a switch's description is long and every host NIC that hears
		// the switch says it: held once (interned whatever its length)
		b.n.SystemDescr = d
	}
	for _, e := range refAsList(cm.Get("mgmt-ip")) {
		if s := refScalar2(e); s != "" {
			p.addrs = append(p.addrs, s) // iface makes them the neighbour's
		}
	}
}
