package sitegen

import "strconv"

// AppendLLDPJSON0 appends what `lldpcli -f json0 show neighbors details`
// prints on h: every level a list, attributes as keys, one entry per NIC
// that hears a neighbour, with "rid" numbering remote chassis in order of
// appearance as lldpd does. Arista switches add their 802.1 link
// aggregation TLV, which lldpd lists under "unknown-tlvs" (as in the
// unifabric fixture). The site must be resolved.
func AppendLLDPJSON0(b []byte, h *Host) []byte {
	w := &jsonWriter{b: b, indent: true}
	w.open('{')
	w.key("lldp")
	w.open('[')
	w.open('{')
	rids := map[*Switch]int{}
	heard := false
	for _, n := range h.NICs {
		if nicUp(n) {
			heard = true
			break
		}
	}
	if heard {
		w.key("interface")
		w.open('[')
		for i, n := range h.NICs {
			if !nicUp(n) {
				continue
			}
			p := n.Port
			sw := p.Switch
			rid, ok := rids[sw]
			if !ok {
				rid = len(rids) + 1
				rids[sw] = rid
			}
			w.open('{')
			w.kstr("name", n.Name)
			w.kstr("via", "LLDP")
			w.kstr("rid", strconv.Itoa(rid))
			w.kstr("age", lldpAge(h, i))

			w.key("chassis")
			w.open('[')
			w.open('{')
			w.key("id")
			w.open('[')
			w.open('{')
			w.kstr("type", "mac")
			w.kmac("value", sw.ChassisMAC)
			w.close('}')
			w.close(']')
			valueList(w, "name", sw.Name)
			valueList(w, "descr", sw.SysDescr)
			valueList(w, "mgmt-ip", sw.MgmtIP)
			w.key("capability")
			w.open('[')
			w.open('{')
			w.kstr("type", "Bridge")
			w.kbool("enabled", true)
			w.close('}')
			w.open('{')
			w.kstr("type", "Router")
			w.kbool("enabled", sw.Vendor == Arista)
			w.close('}')
			w.close(']')
			w.close('}')
			w.close(']')

			w.key("port")
			w.open('[')
			w.open('{')
			w.key("id")
			w.open('[')
			w.open('{')
			w.kstr("type", "ifname")
			w.kstr("value", p.Name)
			w.close('}')
			w.close(']')
			valueList(w, "descr", lldpPortDescr(p))
			valueList(w, "ttl", "120")
			if sw.Vendor == Arista {
				valueList(w, "mfs", strconv.Itoa(p.MTU+22))
			}
			w.close('}')
			w.close(']')

			if sw.Vendor == Arista {
				w.key("vlan")
				w.open('[')
				w.open('{')
				w.kstr("vlan-id", strconv.Itoa(p.PVID))
				w.kbool("pvid", true)
				w.close('}')
				w.close(']')

				status, id := 1, 0 // aggregation capable
				if l := p.LAG; l != nil && (!l.LACP || p.LACP != nil && p.LACP.Attached != 0) {
					status, id = 3, l.IfIndex // capable and aggregated
				}
				w.key("unknown-tlvs")
				w.open('[')
				w.open('{')
				w.key("unknown-tlv")
				w.open('[')
				w.open('{')
				w.kstr("oui", "00,80,C2")
				w.kstr("subtype", "7")
				w.kstr("len", "5")
				w.kstr("value", tlvHex(byte(status), byte(id>>24), byte(id>>16), byte(id>>8), byte(id)))
				w.close('}')
				w.close(']')
				w.close('}')
				w.close(']')
			}
			w.close('}')
		}
		w.close(']')
	}
	w.close('}')
	w.close(']')
	w.close('}')
	w.b = append(w.b, '\n')
	return w.b
}

func valueList(w *jsonWriter, key, v string) {
	w.key(key)
	w.open('[')
	w.open('{')
	w.kstr("value", v)
	w.close('}')
	w.close(']')
}

// tlvHex formats bytes as lldpd prints unknown TLV values: "03,00,0F,42,41".
func tlvHex(bs ...byte) string {
	const hx = "0123456789ABCDEF"
	out := make([]byte, 0, len(bs)*3)
	for i, c := range bs {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, hx[c>>4], hx[c&15])
	}
	return string(out)
}

// lldpAge is a plausible, deterministic "age" for neighbour i of h.
func lldpAge(h *Host, i int) string {
	s := 0
	for j := 0; j < len(h.Name); j++ {
		s = s*31 + int(h.Name[j])
	}
	secs := (s&0xffff)*7 + 3600 + i*2
	days := secs / 86400
	secs %= 86400
	return strconv.Itoa(days) + " day, " + two(secs/3600) + ":" + two(secs/60%60) + ":" + two(secs%60)
}

func two(v int) string {
	if v < 10 {
		return "0" + strconv.Itoa(v)
	}
	return strconv.Itoa(v)
}
