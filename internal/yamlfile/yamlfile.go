// Package yamlfile decodes the operator's YAML files (policy, targets,
// plans) into typed structs, strictly: the keys a mapping accepts are the
// yaml tags of the struct it decodes into (the equivalent of yaml.v3's
// KnownFields, with messages that name the allowed keys), values decode by
// their field's type, and every problem names the file and line. Problems
// are collected, not returned at the first: an operator fixes a file in
// one pass.
package yamlfile

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File is one YAML file being decoded: its name, for messages, and the
// problems found so far.
type File struct {
	Source string
	// With is what the caller's Field decoders need beyond the node (the
	// targets reader: how to read a credential).
	With any
	errs []error
}

// Field is a value with its own reading: a field type that implements it
// decodes its node itself, reporting problems to f. label names the value
// in messages ("thresholds: slave_flapping", "defaults: port").
type Field interface {
	DecodeYAML(f *File, n *yaml.Node, label string)
}

// Parse parses b and returns its root node, nil for an empty document. A
// YAML syntax error is returned at once, naming the file.
func (f *File) Parse(b []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Source, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// Errorf records a problem at n's line.
func (f *File) Errorf(n *yaml.Node, format string, args ...any) {
	f.errs = append(f.errs, fmt.Errorf("%s:%d: %s", f.Source, n.Line, fmt.Sprintf(format, args...)))
}

// Err joins the problems recorded (nil when there are none).
func (f *File) Err() error { return errors.Join(f.errs...) }

// Count is the number of problems recorded so far: a decoder compares it
// before and after a step to tell whether the step went wrong.
func (f *File) Count() int { return len(f.errs) }

// Keys says how messages about one mapping name it.
type Keys struct {
	// In is the mapping's name in unknown-key messages: `unknown key "x"
	// in In; allowed: …` ("" gives `unknown key "x"; allowed: …`).
	In string
	// Label prefixes a key to name its value: Label+key.
	Label string
	// Unknown, when set, words the unknown-key message instead.
	Unknown func(key, allowed string) string
}

// Mapping decodes the mapping n into the struct v points to. Each key must
// be the yaml tag of one of its fields and appear once; a field decodes by
// its type: a Field reads itself, a string takes a scalar as written, a
// []string a list of scalars, anything else decodes as yaml.v3 does. It
// reports whether n was a mapping; callers that word the "want a mapping"
// message themselves check n.Kind first.
func (f *File) Mapping(n *yaml.Node, v any, k Keys) bool {
	rv := reflect.ValueOf(v).Elem()
	fields := map[string][]int{}
	tags(rv.Type(), nil, fields)
	if n.Kind != yaml.MappingNode {
		f.Errorf(n, "%s: want a mapping of %s", cmp.Or(k.In, "document"), AllowedKeys(v))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if seen[key.Value] {
			f.Errorf(key, "%skey %q given twice", inPrefix(k.In), key.Value)
		}
		seen[key.Value] = true
		idx, ok := fields[key.Value]
		if !ok {
			allowed := AllowedKeys(v)
			switch {
			case k.Unknown != nil:
				f.Errorf(key, "%s", k.Unknown(key.Value, allowed))
			case k.In != "":
				f.Errorf(key, "unknown key %q in %s; allowed: %s", key.Value, k.In, allowed)
			default:
				f.Errorf(key, "unknown key %q; allowed: %s", key.Value, allowed)
			}
			continue
		}
		f.value(val, rv.FieldByIndex(idx), k.Label+key.Value)
	}
	return true
}

func inPrefix(in string) string {
	if in == "" {
		return ""
	}
	return in + ": "
}

var fieldType = reflect.TypeFor[Field]()

func (f *File) value(n *yaml.Node, fv reflect.Value, label string) {
	if fv.Addr().Type().Implements(fieldType) {
		fv.Addr().Interface().(Field).DecodeYAML(f, n, label)
		return
	}
	switch {
	case fv.Kind() == reflect.Pointer:
		// optional: set only when the value decodes without a problem
		nv, before := reflect.New(fv.Type().Elem()), f.Count()
		f.value(n, nv.Elem(), label)
		if f.Count() == before {
			fv.Set(nv)
		}
	case fv.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode {
			f.Errorf(n, "%s: want a single value", label)
			return
		}
		fv.SetString(n.Value)
	case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
		if n.Kind != yaml.SequenceNode {
			f.Errorf(n, "%s: want a list", label)
			return
		}
		for _, x := range n.Content {
			if x.Kind != yaml.ScalarNode {
				f.Errorf(x, "%s: want a list of single values", label)
				continue
			}
			fv.Set(reflect.Append(fv, reflect.ValueOf(x.Value).Convert(fv.Type().Elem())))
		}
	default:
		if err := n.Decode(fv.Addr().Interface()); err != nil {
			f.Errorf(n, "%s: %s", label, strings.TrimPrefix(err.Error(), "yaml: "))
		}
	}
}

// tags maps a struct's yaml keys to field index paths (fields tagged
// ",inline" lend theirs), appending them in field order to order.
func tags(t reflect.Type, prefix []int, m map[string][]int) (order []string) {
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(slices.Clone(prefix), i)
		k, opt, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		switch {
		case opt == "inline" && sf.Type.Kind() == reflect.Struct:
			order = append(order, tags(sf.Type, idx, m)...)
		case k != "" && k != "-":
			m[k] = idx
			order = append(order, k)
		}
	}
	return order
}

// AllowedKeys lists the keys of the struct v points to (or is), in field
// order, comma-separated: what help and messages show.
func AllowedKeys(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return strings.Join(tags(t, nil, map[string][]int{}), ", ")
}
