package host

import (
	"bufio"
	"bytes"
	"fmt"
	json "github.com/goccy/go-json"
	"slices"
	"strconv"
	"strings"

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

func (b *nbBuilder) addVLAN(id string, pvid bool) {
	n, err := strconv.Atoi(strings.TrimSpace(id))
	if err != nil || n <= 0 || n > 4094 {
		return
	}
	if !slices.Contains(b.n.VLANs, n) {
		b.n.VLANs = append(b.n.VLANs, n)
	}
	if pvid {
		b.n.PVID = n
	}
}

// setAggregation records lldpd's "Port is aggregated. PortAggregID: N".
func (b *nbBuilder) setAggregation(id string) {
	n, _ := strconv.Atoi(strings.TrimSpace(id))
	b.n.LinkAgg = &topology.LinkAgg{Capable: true, Enabled: true, PortID: n}
}

// unknownTLV decodes the IEEE 802.1 (00-80-C2 subtype 7) and old 802.3
// (00-12-0F subtype 3) link aggregation TLVs lldpd lists as unknown.
func (b *nbBuilder) unknownTLV(oui, subtype, value string) {
	oui = strings.ToUpper(strings.NewReplacer(",", "", ":", "", "-", "").Replace(oui))
	if !(oui == "0080C2" && subtype == "7") && !(oui == "00120F" && subtype == "3") {
		return
	}
	var bs []byte
	for _, h := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ':' || r == ' ' }) {
		x, err := strconv.ParseUint(h, 16, 8)
		if err != nil {
			return
		}
		bs = append(bs, byte(x))
	}
	if len(bs) < 5 {
		return
	}
	la := &topology.LinkAgg{Capable: bs[0]&1 != 0, Enabled: bs[0]&2 != 0}
	la.PortID = int(bs[1])<<24 | int(bs[2])<<16 | int(bs[3])<<8 | int(bs[4])
	b.n.LinkAgg = la
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

func viaProto(v string) string {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "CDPV1", "CDPV2", "CDP":
		return topology.ProtoCDP
	}
	return topology.ProtoLLDP
}

// ParseLLDPJSON parses `lldpcli -f json` or `-f json0` output of
// "show neighbors [details]". lldpd prints, in -f json, one neighbour as an
// object and several as a list, and keys chassis by system name; -f json0
// uses lists everywhere. Both are read.
func ParseLLDPJSON(data []byte, file string) ([]topology.Neighbour, error) {
	if isJSON0(data) {
		if nbs, err := parseJSON0(data, file); err == nil {
			return nbs, nil
		}
		// not the shape expected: the generic reader below says why
	}
	var root any
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, jsonError(file, data, err)
	}
	top, ok := root.(map[string]any)
	if !ok {
		return nil, &ParseError{File: file, Msg: "not lldpcli JSON: top level is not an object"}
	}
	lldp, ok := top["lldp"]
	if !ok {
		return nil, &ParseError{File: file, Msg: "not lldpcli JSON: no \"lldp\" key"}
	}
	var out []topology.Neighbour
	for _, l := range asList(lldp) {
		lm, _ := l.(map[string]any)
		if lm == nil {
			continue
		}
		for _, ifc := range asList(lm["interface"]) {
			im, _ := ifc.(map[string]any)
			if im == nil {
				continue
			}
			if name, ok := im["name"]; ok && scalar(name) != "" {
				parseIface(scalar(name), im, &out, file)
				continue
			}
			// -f json: {"eth0": {...}} possibly several keys
			keys := sortedKeys(im)
			for _, k := range keys {
				if body, ok := im[k].(map[string]any); ok {
					parseIface(k, body, &out, file)
				}
			}
		}
	}
	return out, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// asList returns v as a list: a list as is, anything else as one element.
func asList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

// scalar returns a value's text: a string, number or bool, or the "value"
// of {"value": x} / [{"value": x}].
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		if len(x) > 0 {
			return scalar(x[0])
		}
	case map[string]any:
		if val, ok := x["value"]; ok {
			return scalar(val)
		}
	}
	return ""
}

// scalars returns every text of a possibly-list value.
func scalars(v any) []string {
	var out []string
	for _, e := range asList(v) {
		if s := scalar(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func parseIface(name string, body map[string]any, out *[]topology.Neighbour, file string) {
	b := nbBuilder{}
	b.n.LocalPort = name
	b.n.Protocol = viaProto(scalar(body["via"]))
	// chassis: json0 [{"id":[…],"name":[…]}]; json {"sysname": {...}} or {"id": {...}}
	for _, ch := range asList(body["chassis"]) {
		cm, _ := ch.(map[string]any)
		if cm == nil {
			continue
		}
		if _, direct := cm["id"]; !direct && len(cm) == 1 {
			for k, v := range cm {
				if inner, ok := v.(map[string]any); ok {
					b.n.SystemName = k
					cm = inner
				}
			}
		}
		chassisFields(&b, cm)
	}
	for _, p := range asList(body["port"]) {
		pm, _ := p.(map[string]any)
		if pm == nil {
			continue
		}
		for _, id := range asList(pm["id"]) {
			if im, ok := id.(map[string]any); ok {
				b.setPortID(scalar(im["type"]), scalar(im["value"]))
			}
		}
		if d := scalar(pm["descr"]); d != "" {
			b.n.PortDescr = d
		}
		if m := scalar(pm["mfs"]); m != "" {
			b.n.MaxFrameSize, _ = strconv.Atoi(m)
		}
		if a, ok := pm["aggregation"]; ok {
			b.setAggregation(scalar(a))
		}
	}
	for _, v := range asList(body["vlan"]) {
		vm, _ := v.(map[string]any)
		if vm == nil {
			continue
		}
		pv := scalar(vm["pvid"])
		b.addVLAN(scalar(vm["vlan-id"]), pv == "true" || pv == "yes")
	}
	if pv := scalar(body["ppvid"]); pv != "" {
		b.addVLAN(pv, false)
	}
	for _, u := range asList(body["unknown-tlvs"]) {
		um, _ := u.(map[string]any)
		if um == nil {
			continue
		}
		for _, t := range asList(um["unknown-tlv"]) {
			if tm, ok := t.(map[string]any); ok {
				b.unknownTLV(scalar(tm["oui"]), scalar(tm["subtype"]), scalar(tm["value"]))
			}
		}
	}
	b.done(out, file)
}

func chassisFields(b *nbBuilder, cm map[string]any) {
	for _, id := range asList(cm["id"]) {
		if im, ok := id.(map[string]any); ok {
			b.setChassisID(scalar(im["type"]), scalar(im["value"]))
		}
	}
	if n := scalar(cm["name"]); n != "" {
		b.n.SystemName = n
	}
	if d := scalar(cm["descr"]); d != "" {
		b.n.SystemDescr = d
	}
	b.n.MgmtAddrs = append(b.n.MgmtAddrs, scalars(cm["mgmt-ip"])...)
}

// ParseLLDPKeyValue parses `lldpcli -f keyvalue show neighbors details`:
// lines "lldp.<iface>.<path>=<value>".
func ParseLLDPKeyValue(data []byte, file string) ([]topology.Neighbour, error) {
	var out []topology.Neighbour
	byIface := map[string]*nbBuilder{}
	var order []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	var vlanID string
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok || !strings.HasPrefix(k, "lldp.") {
			return nil, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("not an lldpcli keyvalue line: %q", clip(text))}
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
			vlanID = v
		case p == "vlan.pvid":
			b.addVLAN(vlanID, v == "yes" || v == "true")
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
	for _, iface := range order {
		byIface[iface].done(&out, file)
	}
	return out, nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// ParseLLDPText parses `lldpctl` / `lldpcli show neighbors [details]` text.
func ParseLLDPText(data []byte, file string) ([]topology.Neighbour, error) {
	var out []topology.Neighbour
	var b *nbBuilder
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
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
			// "VLAN: 9 bnd9.9" or "VLAN: 100, pvid: yes"
			id, rest, _ := strings.Cut(v, ",")
			b.addVLAN(firstField(id), strings.Contains(rest, "pvid: yes"))
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

// isJSON0 reports whether data looks like `lldpcli -f json0` output: the
// top-level "lldp" value is a list.
func isJSON0(data []byte) bool {
	i := bytes.Index(data, []byte(`"lldp"`))
	if i < 0 {
		return false
	}
	for _, c := range data[i+len(`"lldp"`):] {
		switch c {
		case ' ', '\t', '\r', '\n', ':':
			continue
		case '[':
			return true
		}
		return false
	}
	return false
}

// The -f json0 shape: every level a list, values under "value". Decoding
// into these types is several times faster than into interfaces, which
// matters on sites with thousands of hosts.
type j0Val struct {
	Value string `json:"value"`
}
type j0ID struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}
type j0Chassis struct {
	ID     []j0ID  `json:"id"`
	Name   []j0Val `json:"name"`
	Descr  []j0Val `json:"descr"`
	MgmtIP []j0Val `json:"mgmt-ip"`
}
type j0Port struct {
	ID          []j0ID  `json:"id"`
	Descr       []j0Val `json:"descr"`
	MFS         []j0Val `json:"mfs"`
	Aggregation []j0Val `json:"aggregation"`
}
type j0VLAN struct {
	VLANID string `json:"vlan-id"`
	PVID   any    `json:"pvid"`
}
type j0TLV struct {
	OUI     string `json:"oui"`
	Subtype string `json:"subtype"`
	Value   string `json:"value"`
}
type j0Iface struct {
	Name        string      `json:"name"`
	Via         string      `json:"via"`
	Chassis     []j0Chassis `json:"chassis"`
	Port        []j0Port    `json:"port"`
	VLAN        []j0VLAN    `json:"vlan"`
	PPVID       []j0Val     `json:"ppvid"`
	UnknownTLVs []struct {
		TLV []j0TLV `json:"unknown-tlv"`
	} `json:"unknown-tlvs"`
}
type j0Root struct {
	LLDP []struct {
		Interface []j0Iface `json:"interface"`
	} `json:"lldp"`
}

func first(v []j0Val) string {
	if len(v) > 0 {
		return v[0].Value
	}
	return ""
}

func parseJSON0(data []byte, file string) ([]topology.Neighbour, error) {
	var root j0Root
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	var out []topology.Neighbour
	for _, l := range root.LLDP {
		for _, ifc := range l.Interface {
			if ifc.Name == "" {
				continue
			}
			b := nbBuilder{}
			b.n.LocalPort = ifc.Name
			b.n.Protocol = viaProto(ifc.Via)
			for _, c := range ifc.Chassis {
				for _, id := range c.ID {
					b.setChassisID(id.Type, id.Value)
				}
				if n := first(c.Name); n != "" {
					b.n.SystemName = n
				}
				if d := first(c.Descr); d != "" {
					b.n.SystemDescr = d
				}
				for _, m := range c.MgmtIP {
					b.n.MgmtAddrs = append(b.n.MgmtAddrs, m.Value)
				}
			}
			for _, p := range ifc.Port {
				for _, id := range p.ID {
					b.setPortID(id.Type, id.Value)
				}
				if d := first(p.Descr); d != "" {
					b.n.PortDescr = d
				}
				if m := first(p.MFS); m != "" {
					b.n.MaxFrameSize, _ = strconv.Atoi(m)
				}
				if len(p.Aggregation) > 0 {
					b.setAggregation(p.Aggregation[0].Value)
				}
			}
			for _, v := range ifc.VLAN {
				pv := fmt.Sprint(v.PVID)
				b.addVLAN(v.VLANID, pv == "true" || pv == "yes")
			}
			if pv := first(ifc.PPVID); pv != "" {
				b.addVLAN(pv, false)
			}
			for _, u := range ifc.UnknownTLVs {
				for _, t := range u.TLV {
					b.unknownTLV(t.OUI, t.Subtype, t.Value)
				}
			}
			b.done(&out, file)
		}
	}
	return out, nil
}
