package inventory

import (
	"strings"

	"github.com/bondaudit/bondaudit/internal/quote"
	"go.yaml.in/yaml/v3"
)

// maxYAMLNodes bounds the nodes visited, aliases followed included (an
// alias of an alias of … must not expand without end).
const maxYAMLNodes = 4 * MaxHosts

type yamlReader struct {
	b     *builder
	nodes int
}

// readYAML reads Ansible's YAML inventory format:
//
//	all:
//	  hosts: {name: {var: value}, …}
//	  vars: {var: value}
//	  children: {group: {hosts: …, vars: …, children: …}}
//
// Top-level keys are groups (all, or others that become children of all).
func readYAML(b *builder, data []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return &Error{File: b.file, Msg: "YAML: " + quote.Message(err.Error())}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil // empty: no hosts
	}
	r := &yamlReader{b: b}
	root := r.deref(doc.Content[0])
	if root == nil {
		return b.errf(doc.Content[0].Line, "too many YAML nodes")
	}
	if isNull(root) {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return b.errf(root.Line, "a YAML inventory is a mapping of groups (all: {hosts: …, children: …, vars: …})")
	}
	return r.pairs(root, "top level", func(k, v *yaml.Node) error {
		name := k.Value
		if !validGroupName(name) {
			return b.errf(k.Line, "bad group name %s", quote.Q(name))
		}
		g := b.group(name, k.Line)
		g.defined = true
		return r.groupBody(g, v)
	})
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// deref follows aliases; nil when the node budget is spent.
func (r *yamlReader) deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		r.nodes++
		n = n.Alias
	}
	r.nodes++
	if r.nodes > maxYAMLNodes {
		return nil
	}
	return n
}

// pairs calls f for each key/value of mapping m, rejecting duplicate keys,
// non-scalar keys and merge keys.
func (r *yamlReader) pairs(m *yaml.Node, where string, f func(k, v *yaml.Node) error) error {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := r.deref(m.Content[i])
		v := r.deref(m.Content[i+1])
		if k == nil || v == nil {
			return r.b.errf(m.Line, "too many YAML nodes (aliases expanding without end?)")
		}
		if k.Kind != yaml.ScalarNode {
			return r.b.errf(k.Line, "%s: a key must be a plain name", where)
		}
		if k.Tag == "!!merge" || k.Value == "<<" {
			return r.b.errf(k.Line, "%s: YAML merge keys (<<) are not supported", where)
		}
		if line, dup := seen[k.Value]; dup {
			return r.b.errf(k.Line, "%s: %s given twice (first at line %d)", where, quote.Q(k.Value), line)
		}
		seen[k.Value] = k.Line
		if err := f(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (r *yamlReader) groupBody(g *group, body *yaml.Node) error {
	if isNull(body) {
		return nil
	}
	where := "group " + quote.Name(g.name)
	if body.Kind != yaml.MappingNode {
		return r.b.errf(body.Line, "%s: want a mapping with hosts, vars, children", where)
	}
	return r.pairs(body, where, func(k, v *yaml.Node) error {
		if isNull(v) {
			return nil
		}
		if v.Kind != yaml.MappingNode {
			return r.b.errf(v.Line, "%s: %s: want a mapping", where, k.Value)
		}
		switch k.Value {
		case "hosts":
			return r.pairs(v, where+" hosts", func(hk, hv *yaml.Node) error {
				return r.host(g, hk, hv)
			})
		case "vars":
			return r.pairs(v, where+" vars", func(vk, vv *yaml.Node) error {
				val, err := r.scalar(vk, vv)
				if err != nil {
					return err
				}
				return r.b.setGroupVar(g, vk.Value, val, vk.Line)
			})
		case "children":
			return r.pairs(v, where+" children", func(ck, cv *yaml.Node) error {
				if !validGroupName(ck.Value) {
					return r.b.errf(ck.Line, "bad group name %s", quote.Q(ck.Value))
				}
				if err := r.b.addChild(g, ck.Value, ck.Line); err != nil {
					return err
				}
				c := r.b.groups[ck.Value]
				if !isNull(cv) {
					c.defined = true
				}
				return r.groupBody(c, cv)
			})
		default:
			return r.b.errf(k.Line, "%s: unknown key %s (want hosts, vars, children)", where, quote.Q(k.Value))
		}
	})
}

func (r *yamlReader) host(g *group, k, v *yaml.Node) error {
	names, port, err := expandHostPattern(k.Value)
	if err != nil {
		return r.b.errf(k.Line, "%v", err)
	}
	var vars []hostVar
	if !isNull(v) {
		if v.Kind != yaml.MappingNode {
			return r.b.errf(v.Line, "host %s: want a mapping of variables", quote.Name(k.Value))
		}
		err := r.pairs(v, "host "+quote.Name(k.Value), func(vk, vv *yaml.Node) error {
			val, err := r.scalar(vk, vv)
			if err != nil {
				return err
			}
			vars = append(vars, hostVar{vk.Value, val, vk.Line})
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, n := range names {
		if err := r.b.addHost(g, n, port, vars, k.Line); err != nil {
			return err
		}
	}
	return nil
}

// scalar returns a variable's value as text: a scalar's text, or for a
// list or mapping (kept, never interpreted) its YAML; connection variables
// must be scalars.
func (r *yamlReader) scalar(k, v *yaml.Node) (string, error) {
	if !validVarName(k.Value) {
		return "", r.b.errf(k.Line, "bad variable name %s", quote.Q(k.Value))
	}
	if v.Kind == yaml.ScalarNode {
		if isNull(v) {
			return "", nil
		}
		return v.Value, nil
	}
	switch canonical(k.Value) {
	case "ansible_host", "ansible_port", "ansible_user", "ansible_become":
		return "", r.b.errf(v.Line, "%s: want a single value", k.Value)
	}
	out, err := yaml.Marshal(v)
	if err != nil {
		return "", r.b.errf(v.Line, "%s: %v", k.Value, err)
	}
	return strings.TrimSpace(string(out)), nil
}
