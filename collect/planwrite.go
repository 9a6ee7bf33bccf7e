package collect

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

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
// it. header, when not "", is a comment at the top. Every name is a YAML
// scalar the encoder quotes as needed, and comments are one line each with
// control characters replaced, so no input can add a key or a change.
func FormatPlan(header string, steps []PlanStep) ([]byte, error) {
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for i, st := range steps {
		kind, body, err := planNode(st.Change)
		if err != nil {
			return nil, fmt.Errorf("change %d: %w", i+1, err)
		}
		item := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str(kind), body}}
		item.HeadComment = commentText(st.Comment)
		list.Content = append(list.Content, item)
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("changes"), list}}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}, HeadComment: commentText(header)}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// commentText makes s comment lines: one "# " line per line of s, with
// characters that are not printable replaced by "?".
func commentText(s string) string {
	if s == "" {
		return ""
	}
	var lines []string
	for l := range strings.SplitSeq(s, "\n") {
		l = strings.Map(func(r rune) rune {
			if !unicode.IsPrint(r) {
				return '?'
			}
			return r
		}, l)
		lines = append(lines, "# "+l)
	}
	return strings.Join(lines, "\n")
}

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	return n
}

func num(v int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
}

func strs(ss []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range ss {
		n.Content = append(n.Content, str(s))
	}
	return n
}

// flow is a flow mapping of key/value pairs, skipping nil values.
func flow(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for i := 0; i+1 < len(kv); i += 2 {
		if v, ok := kv[i+1].(*yaml.Node); ok && v != nil {
			n.Content = append(n.Content, str(kv[i].(string)), v)
		}
	}
	return n
}

// planNode is one change as its kind and body.
func planNode(c topology.Change) (string, *yaml.Node, error) {
	opt := func(s string) *yaml.Node {
		if s == "" {
			return nil
		}
		return str(s)
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
		tagged := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, t := range v.Tagged {
			tagged.Content = append(tagged.Content, num(t))
		}
		var pvid *yaml.Node
		if v.PVID > 0 {
			pvid = num(v.PVID)
		}
		return "vlans", flow("switch", str(v.Switch), "port", str(v.Port), "pvid", pvid, "tagged", tagged), nil
	case c.BondParams != nil:
		p := c.BondParams
		var mii, arp, targets *yaml.Node
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
	return "", nil, fmt.Errorf("empty change")
}

// ChangeText is one change as a plan file writes it, on one line
// ("lag_add: {switch: leaf2, …}"), for reports and tickets.
func ChangeText(c topology.Change) (string, error) {
	kind, body, err := planNode(c)
	if err != nil {
		return "", err
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str(kind), body}}
	b, err := yaml.Marshal(n)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(b), "\n"), nil
}
