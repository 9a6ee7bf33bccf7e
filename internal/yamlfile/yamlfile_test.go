package yamlfile

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type inner struct {
	A string `yaml:"a"`
	B *count `yaml:"b"`
}

type outer struct {
	Name  string   `yaml:"name"`
	List  []string `yaml:"list"`
	inner `yaml:",inline"`
	Skip  string `yaml:"-"`
}

type count int

func (c *count) DecodeYAML(f *File, n *yaml.Node, label string) {
	if n.Value != "1" && n.Value != "2" {
		f.Errorf(n, "%s: want 1 or 2, got %q", label, n.Value)
		return
	}
	*c = count(n.Value[0] - '0')
}

// TestMapping: keys are the yaml tags (inline fields lend theirs, "-" has
// none), in field order in messages; an optional field is set only when
// its value reads without a problem; every problem is at file:line.
func TestMapping(t *testing.T) {
	if got := AllowedKeys(outer{}); got != "name, list, a, b" {
		t.Errorf("allowed keys %q", got)
	}
	decode := func(src string) (outer, error) {
		f := &File{Source: "x.yaml"}
		root, err := f.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		var o outer
		f.Mapping(root, &o, Keys{In: "thing", Label: "thing."})
		return o, f.Err()
	}
	o, err := decode("name: n\nlist: [p, q]\na: z\nb: 2\n")
	if err != nil || o.Name != "n" || strings.Join(o.List, ",") != "p,q" || o.A != "z" || o.B == nil || *o.B != 2 {
		t.Fatalf("%+v %v", o, err)
	}
	o, err = decode("name: [n]\nb: 3\nSkip: s\nname: m\nlist: x\n")
	want := []string{
		"x.yaml:1: thing.name: want a single value",
		"x.yaml:2: thing.b: want 1 or 2, got \"3\"",
		"x.yaml:3: unknown key \"Skip\" in thing; allowed: name, list, a, b",
		"x.yaml:4: thing: key \"name\" given twice",
		"x.yaml:5: thing.list: want a list",
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got\n%v\nwant\n%s", err, strings.Join(want, "\n"))
	}
	if o.B != nil {
		t.Errorf("b set from a bad value: %d", *o.B)
	}
}

func TestParseEmptyAndSyntax(t *testing.T) {
	f := &File{Source: "x.yaml"}
	if n, err := f.Parse([]byte("# nothing\n")); n != nil || err != nil {
		t.Errorf("empty: %v %v", n, err)
	}
	if _, err := f.Parse([]byte("a: [\n")); err == nil || !strings.HasPrefix(err.Error(), "x.yaml: ") {
		t.Errorf("syntax error %v", err)
	}
}
