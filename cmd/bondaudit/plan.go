package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/bondaudit/bondaudit/topology"
)

var planKinds = []string{"move_cable", "bond_mode", "lag_add", "lag_remove", "vlans"}

var planKeys = map[string][]string{
	"move_cable": {"host", "nic", "to"}, "bond_mode": {"host", "bond", "mode"},
	"lag_add": {"switch", "lag", "kind", "ports"}, "lag_remove": {"switch", "lag", "ports"},
	"vlans": {"switch", "port", "pvid", "tagged"},
}

// loadPlan reads a plan file (YAML): `changes:`, a list of one-key
// mappings, each one of planKinds. Strict: unknown keys are errors naming
// the file, the line and the allowed keys.
func loadPlan(path string) ([]topology.Change, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var errs []error
	bad := func(n *yaml.Node, f string, a ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", path, n.Line, fmt.Sprintf(f, a...)))
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode || len(doc.Content[0].Content) != 2 || doc.Content[0].Content[0].Value != "changes" {
		return nil, fmt.Errorf("%s: a plan is `changes:` followed by a list of %s", path, strings.Join(planKinds, ", "))
	}
	items := doc.Content[0].Content[1]
	if items.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: changes: want a list", path, items.Line)
	}
	var out []topology.Change
	for _, item := range items.Content {
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
			bad(item, "a change is one of %s", strings.Join(planKinds, ", "))
			continue
		}
		kind, body := item.Content[0], item.Content[1]
		allowed, ok := planKeys[kind.Value]
		if !ok {
			bad(kind, "unknown change %q; allowed: %s", kind.Value, strings.Join(planKinds, ", "))
			continue
		}
		fields := map[string]*yaml.Node{}
		if body.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(body.Content); i += 2 {
				k := body.Content[i].Value
				if !slices.Contains(allowed, k) {
					bad(body.Content[i], "%s: unknown key %q; allowed: %s", kind.Value, k, strings.Join(allowed, ", "))
				}
				fields[k] = body.Content[i+1]
			}
		}
		str := func(k string) string {
			if n := fields[k]; n != nil {
				return n.Value
			}
			bad(kind, "%s: %s is required", kind.Value, k)
			return ""
		}
		list := func(k string) []string {
			var out []string
			if n := fields[k]; n != nil {
				for _, x := range n.Content {
					out = append(out, x.Value)
				}
			}
			return out
		}
		var c topology.Change
		switch kind.Value {
		case "move_cable":
			sw, port, ok := strings.Cut(str("to"), ":")
			if !ok {
				bad(kind, "move_cable: to: want SWITCH:PORT")
			}
			c.MoveCable = &topology.MoveCable{Host: str("host"), NIC: str("nic"), Switch: sw, Port: port}
		case "bond_mode":
			c.BondMode = &topology.BondModeChange{Host: str("host"), Bond: str("bond"), Mode: str("mode")}
		case "lag_add", "lag_remove":
			lc := &topology.LAGChange{Switch: str("switch"), LAG: str("lag"), Ports: list("ports")}
			if kind.Value == "lag_add" {
				if n := fields["kind"]; n != nil {
					lc.Kind = n.Value
				}
				c.LAGAdd = lc
			} else {
				c.LAGRemove = lc
			}
		case "vlans":
			vc := &topology.VLANChange{Switch: str("switch"), Port: str("port")}
			if n := fields["pvid"]; n != nil {
				vc.PVID, _ = strconv.Atoi(n.Value)
			}
			for _, t := range list("tagged") {
				v, err := strconv.Atoi(t)
				if err != nil {
					bad(kind, "vlans: tagged %q is not a VLAN number", t)
				}
				vc.Tagged = append(vc.Tagged, v)
			}
			c.VLANs = vc
		}
		out = append(out, c)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}
