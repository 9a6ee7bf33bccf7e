package collect

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bondaudit/bondaudit/topology"
)

// PlanStep is one change of a plan file as FormatPlan writes it, with a
// comment above it (what it fixes; "" none).
type PlanStep struct {
	Change  topology.Change
	Comment string
}

// FormatPlan writes a plan file that ParsePlan reads back to the same
// changes: `changes:` and one flow mapping per change, its comment above
// it. header are comment lines at the top, each on one line. Names are written as
// plain scalars only when they are made of letters, digits and . _ / + -
// (and are no YAML keyword); any other is double-quoted with every
// character that is not printable, a line break or a bidirectional
// control written as an escape, and comments are escaped the same way, so
// no name can add a key, a change or a line, or reorder what a terminal
// shows.
func FormatPlan(header []string, steps []PlanStep) ([]byte, error) {
	var b strings.Builder
	for _, l := range header {
		b.WriteString("# " + commentEscape(l) + "\n")
	}
	if len(header) > 0 {
		b.WriteString("\n")
	}
	if len(steps) == 0 {
		b.WriteString("changes: []\n")
		return []byte(b.String()), nil
	}
	b.WriteString("changes:\n")
	for i, st := range steps {
		line, err := ChangeText(st.Change)
		if err != nil {
			return nil, fmt.Errorf("change %d: %w", i+1, err)
		}
		if st.Comment != "" {
			b.WriteString("  # " + commentEscape(st.Comment) + "\n")
		}
		b.WriteString("  - " + line + "\n")
	}
	return []byte(b.String()), nil
}

// ChangeText is one change as a plan file writes it, on one line
// ("lag_add: {switch: leaf2, …}"), for reports and tickets.
func ChangeText(c topology.Change) (string, error) {
	kind, body, err := planNode(c)
	if err != nil {
		return "", err
	}
	return kind + ": " + body, nil
}

// unsafeRune reports whether a character must not reach a plan file raw:
// controls (C0, DEL, C1), line and paragraph separators, bidirectional
// controls, and anything else not printable.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r < 0xa0, r == 0x2028, r == 0x2029,
		r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return !unicode.IsPrint(r)
}

// commentEscape is a comment's text on one line: unsafe characters and
// bytes that are not UTF-8 as \xNN / \uNNNN.
func commentEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case unsafeRune(r):
			writeEscape(&b, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func writeEscape(b *strings.Builder, r rune) {
	if r < 0x100 {
		fmt.Fprintf(b, "\\x%02x", r)
	} else {
		fmt.Fprintf(b, "\\u%04x", r)
	}
}

var (
	plainScalar  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/+-]*$`)
	yamlKeywords = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "true": true, "false": true,
		"on": true, "off": true, "null": true, "nan": true, "inf": true}
)

// scalar writes a string as a YAML scalar ParsePlan reads back to it.
func scalar(s string) string {
	if plainScalar.MatchString(s) && !yamlKeywords[strings.ToLower(s)] && !strings.ContainsAny(s[:1], "+-.") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, "\\x%02x", s[i]) // not UTF-8: no YAML string holds it
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case unsafeRune(r):
			writeEscape(&b, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func strs(ss []string) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, scalar(s))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// flow is a flow mapping of key/value pairs written as given, skipping
// the empty values ("").
func flow(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			parts = append(parts, kv[i]+": "+kv[i+1])
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// planNode is one change as its kind and its body (a flow mapping).
func planNode(c topology.Change) (string, string, error) {
	str, num := scalar, strconv.Itoa
	opt := func(s string) string {
		if s == "" {
			return ""
		}
		return scalar(s)
	}
	switch {
	case c.MoveCable != nil:
		m := c.MoveCable
		return "move_cable", flow("host", str(m.Host), "nic", str(m.NIC), "to", str(m.Switch+":"+m.Port)), nil
	case c.BondMode != nil:
		m := c.BondMode
		return "bond_mode", flow("host", str(m.Host), "bond", str(m.Bond), "mode", str(string(m.Mode))), nil
	case c.LAGAdd != nil:
		l := c.LAGAdd
		return "lag_add", flow("switch", str(l.Switch), "lag", str(l.LAG), "kind", opt(string(l.Kind)), "ports", strs(l.Ports)), nil
	case c.LAGRemove != nil:
		l := c.LAGRemove
		return "lag_remove", flow("switch", str(l.Switch), "lag", str(l.LAG), "ports", strs(l.Ports)), nil
	case c.VLANs != nil:
		v := c.VLANs
		var tagged []string
		for _, t := range v.Tagged {
			tagged = append(tagged, num(t))
		}
		pvid := ""
		if v.PVID > 0 {
			pvid = num(v.PVID)
		}
		return "vlans", flow("switch", str(v.Switch), "port", str(v.Port), "pvid", pvid, "tagged", "["+strings.Join(tagged, ", ")+"]"), nil
	case c.BondParams != nil:
		p := c.BondParams
		mii, arp, targets := "", "", ""
		if p.Miimon != nil {
			mii = num(*p.Miimon)
		}
		if p.ARPInterval != nil {
			arp = num(*p.ARPInterval)
		}
		if p.ARPIPTargets != nil {
			targets = strs(p.ARPIPTargets)
		}
		return "bond_params", flow("host", str(p.Host), "bond", str(p.Bond), "miimon", mii, "lacp_rate", opt(p.LACPRate),
			"xmit_hash_policy", opt(p.XmitHashPolicy), "arp_interval", arp, "arp_ip_targets", targets), nil
	case c.LAGKind != nil:
		l := c.LAGKind
		return "lag_kind", flow("switch", str(l.Switch), "lag", str(l.LAG), "kind", str(string(l.Kind))), nil
	case c.MLAG != nil:
		m := c.MLAG
		return "mlag", flow("switch", str(m.Switch), "lag", str(m.LAG), "mlag_id", num(m.MLAGID)), nil
	case c.MTU != nil:
		m := c.MTU
		if m.Host != "" || m.NIC != "" {
			return "mtu", flow("host", str(m.Host), "nic", str(m.NIC), "mtu", num(m.MTU)), nil
		}
		return "mtu", flow("switch", str(m.Switch), "port", str(m.Port), "mtu", num(m.MTU)), nil
	}
	return "", "", fmt.Errorf("empty change")
}
