// Package vendortest holds what the vendor family tests share: reading the
// shared real-device recordings in place (skipping when they are absent),
// building walks from snmprec text, decoding with every family profile,
// and finding LAGs and ports in the result. Test code only.
package vendortest

import (
	"bytes"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// FixtureDir is the shared recordings folder, found from this file's place
// in the module (../shared/fixtures/snmp beside the repository), so that
// tests at any depth find it.
func FixtureDir() string { return fixtures.Path("snmp") }

// Recording reads FixtureDir()/<stem>.snmprec, skipping the test with a
// message when the shared fixtures are absent. Lines the reader rejects are
// logged.
func Recording(t testing.TB, stem string) *vendors.Walk {
	t.Helper()
	path := filepath.Join(FixtureDir(), stem+".snmprec")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared SNMP recording %s not present (%v): the shared fixtures are read in place", path, err)
	}
	w, errs, err := snmp.ReadWalkFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Logf("reading %s: %v", stem, e)
	}
	return w
}

// Snmprec builds a walk from snmprec text (OID|type|value lines).
func Snmprec(t testing.TB, rec string) *vendors.Walk {
	t.Helper()
	vbs, errs := snmp.ReadSnmprec(strings.NewReader(rec), "test.snmprec")
	if len(errs) > 0 {
		t.Fatalf("test input: %v", errs)
	}
	return vendors.NewWalk(vbs)
}

// Decode decodes a walk with the standard MIBs and every family decoder;
// the problems are their text ("line N: what").
func Decode(w *vendors.Walk, name string) (*topology.Switch, []string) {
	s, probs := vendors.DecodeWith(w, name, all.Profiles())
	return s, topology.ProblemTexts(probs)
}

// FuzzWalk is a fuzz input as a walk: the bytes read as snmprec (whatever
// parses), plus a sysObjectID (and sysDescr, when not "") so that the
// family under test is recognised.
func FuzzWalk(data []byte, sysObjectID, sysDescr string) *vendors.Walk {
	vbs, _ := snmp.ReadSnmprec(bytes.NewReader(data), "fuzz.snmprec")
	if sysDescr != "" {
		vbs = append(vbs, vendors.VarBind{OID: "1.3.6.1.2.1.1.1.0", Value: vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte(sysDescr)}})
	}
	vbs = append(vbs, vendors.VarBind{OID: "1.3.6.1.2.1.1.2.0", Value: vendors.Value{Kind: vendors.KindOID, OID: sysObjectID}})
	return vendors.NewWalk(vbs)
}

// LAG returns the LAG called name, nil when there is none.
func LAG(s *topology.Switch, name string) *topology.LAG {
	for i := range s.LAGs {
		if s.LAGs[i].Name == name {
			return &s.LAGs[i]
		}
	}
	return nil
}

// Port returns the port called name, nil when there is none.
func Port(s *topology.Switch, name string) *topology.Port {
	for i := range s.Ports {
		if s.Ports[i].Name == name {
			return &s.Ports[i]
		}
	}
	return nil
}

// Contains reports whether any line of list contains sub.
func Contains(list []string, sub string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(s, sub) })
}

// Seed cuts snmprec text to a fuzz seed of at most maxBytes: the first
// rows rows of each table column (lines grouped by OID less its last arc),
// values clipped to 64 bytes, in file order. The fuzzer minimises every
// new input it finds, and minimising costs about the square of the
// input's length in runs: a whole recording as a seed leaves a 60 s run
// minimising instead of fuzzing. Whole recordings belong in ordinary
// tests.
func Seed(snmprec string, rows, maxBytes int) []byte {
	var out []byte
	seen := map[string]int{}
	for line := range strings.Lines(snmprec) {
		oid, rest, ok := strings.Cut(strings.TrimRight(line, "\r\n"), "|")
		if !ok {
			continue
		}
		col := oid
		if i := strings.LastIndexByte(oid, '.'); i > 0 {
			col = oid[:i]
		}
		if seen[col] >= rows {
			continue
		}
		typ, val, _ := strings.Cut(rest, "|")
		if len(val) > 64 {
			val = val[:64]
			if strings.HasSuffix(typ, "x") && len(val)%2 == 1 {
				val = val[:63]
			}
		}
		l := oid + "|" + typ + "|" + val + "\n"
		if len(out)+len(l) > maxBytes {
			continue
		}
		seen[col]++
		out = append(out, l...)
	}
	return out
}
