package snmp_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// poisonInput is one walk file's bytes, in the format its name says.
type poisonInput struct {
	name string
	data []byte
}

// poisonInputs are every recording the tests know (the shared fixtures,
// each also as snmpwalk -On output, and this repository's test data and
// demo switches) and a few generated switches.
func poisonInputs(t *testing.T) []poisonInput {
	t.Helper()
	var in []poisonInput
	add := func(path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, poisonInput{filepath.Base(path), b})
	}
	shared := fixtures.Files("snmp", "*.snmprec")
	if len(shared) == 0 {
		t.Logf("shared fixtures not present in %s: testing with this repository's walks and generated switches only", fixtures.Path())
	}
	for _, f := range shared {
		add(f)
		vbs, _ := snmp.ReadSnmprecBytes(in[len(in)-1].data, nil, f)
		in = append(in, poisonInput{filepath.Base(f) + ".walk", snmp.ToSnmpwalk(vbs)})
	}
	for _, pat := range []string{"testdata/*.snmprec", "testdata/*.walk", "../demo/site/switches/*.snmprec", "../../vendors/testdata/*/*.snmprec"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			add(f)
		}
	}
	site, _, err := sitegen.Generate(sitegen.Options{Hosts: 60, Switches: 5, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for _, sw := range site.Switches {
		in = append(in, poisonInput{sw.Name + ".snmprec", sitegen.AppendSnmprec(nil, sw)})
	}
	return in
}

func readPooled(wr *snmp.WalkReader, in poisonInput, data []byte) (*vendors.Walk, []error) {
	if filepath.Ext(in.name) == ".walk" {
		return wr.ReadSnmpwalk(data, nil, in.name)
	}
	return wr.ReadSnmprec(data, nil, in.name)
}

func readFresh(in poisonInput) ([]vendors.VarBind, []error) {
	if filepath.Ext(in.name) == ".walk" {
		return snmp.ReadSnmpwalkBytes(bytes.Clone(in.data), nil, in.name)
	}
	return snmp.ReadSnmprecBytes(bytes.Clone(in.data), nil, in.name)
}

type decoded struct {
	Switch   *topology.Switch
	Problems []topology.Problem
}

// TestPooledWalkKeepsNoAlias is the cross-lane contract's poison test: a
// switch decoded from a WalkReader's walk must not change when the
// reader's buffers (and the file's bytes) are overwritten after the decode,
// as the next file read with the pooled reader overwrites them. It fails
// when a decoder keeps an OID, a row's index or a value's bytes or OID
// without copying it.
func TestPooledWalkKeepsNoAlias(t *testing.T) {
	inputs := poisonInputs(t)
	var wr snmp.WalkReader // one reader for every file, as a pooled one is used
	for _, in := range inputs {
		vbs, ferrs := readFresh(in)
		want := decoded{}
		want.Switch, want.Problems = all.Decode(vendors.NewWalk(vbs), "x")

		data := bytes.Clone(in.data)
		w, errs := readPooled(&wr, in, data)
		if !reflect.DeepEqual(w.All(), vendors.NewWalk(vbs).All()) || !reflect.DeepEqual(errs, ferrs) {
			t.Errorf("%s: the pooled reader reads another walk than ReadSnmprecBytes/ReadSnmpwalkBytes", in.name)
			continue
		}
		var got decoded
		got.Switch, got.Problems = all.Decode(w, "x")
		wr.Poison()
		for i := range data {
			data[i] = 0xff
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			f, _ := json.Marshal(want)
			if bytes.Equal(g, f) {
				t.Errorf("%s: the switch decoded from a pooled walk changed when the walk's buffers were overwritten (the JSON is the same: an unexported field or a pointer)", in.name)
			} else {
				t.Errorf("%s: the switch decoded from a pooled walk changed when the walk's buffers were overwritten: a decoder keeps a string or bytes of the walk without copying them\ngot  %.600s\nwant %.600s", in.name, g, f)
			}
		}
	}
}
