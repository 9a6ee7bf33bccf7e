package snmp

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/vendors"
)

// addSeeds adds the hand-made test files with the given extension, in
// pieces of at most seedSize bytes, plus the first lines of one real
// fixture when it is there. Seeds stay small: the fuzzer minimises each
// new input it finds in about the square of its length in runs, and with
// kilobyte seeds a 60 s run spends its time minimising.
func addSeeds(f *testing.F, ext string, extra ...string) {
	const seedSize = 512
	files, _ := filepath.Glob(filepath.Join("testdata", "*"+ext))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for len(b) > 0 {
			cut := len(b)
			if cut > seedSize {
				// at a line start, so each piece begins with a varbind
				cut = bytes.LastIndexByte(b[:seedSize], '\n') + 1
				if cut == 0 {
					cut = seedSize
				}
			}
			f.Add(b[:cut])
			b = b[cut:]
		}
	}
	if b, err := os.ReadFile(filepath.Join(fixtureDir, "librenms__arista_eos_vrf.snmprec")); err == nil {
		head := b[:min(len(b), seedSize)]
		if ext == ".snmprec" {
			f.Add(head)
		} else {
			vbs, _ := ReadSnmprec(bytes.NewReader(head), "seed")
			f.Add(toSnmpwalk(vbs))
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// checkInvariants holds for any input: varbinds have clean numeric OIDs and
// ascending line numbers inside the file; every error is a *LineError on a
// line of the file; printing the varbinds as snmpwalk -On output and reading
// that back gives them again, without errors.
func checkInvariants(t *testing.T, data []byte, vbs []vendors.VarBind, errs []error) {
	lines := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		lines++
	}
	for i, vb := range vbs {
		if !validOID([]byte(vb.OID)) {
			t.Fatalf("varbind %d: bad OID %q", i, vb.OID)
		}
		if vb.Line < 1 || vb.Line > lines || i > 0 && vb.Line <= vbs[i-1].Line {
			t.Fatalf("varbind %d (%s): line %d (file has %d lines, previous varbind on %d)", i, vb.OID, vb.Line, lines, vbs[max(i-1, 0)].Line)
		}
		v := vb.Value
		if v.Kind > vendors.KindEndOfMibView {
			t.Fatalf("varbind %d: kind %d", i, v.Kind)
		}
		if (v.Kind == vendors.KindOID) != (v.OID != "") || v.OID != "" && !validOID([]byte(v.OID)) {
			t.Fatalf("varbind %d: kind %s with OID value %q", i, v.Kind, v.OID)
		}
		if v.Bytes != nil && len(v.Bytes) == 0 {
			t.Fatalf("varbind %d: empty but non-nil bytes", i)
		}
		if v.Kind == vendors.KindIPAddress && len(v.Bytes) == 0 {
			t.Fatalf("varbind %d: IpAddress without bytes", i)
		}
	}
	for _, e := range errs {
		var le *LineError
		if !errors.As(e, &le) {
			t.Fatalf("error %v is not a *LineError", e)
		}
		if le.File != "fuzz" || le.Line < 1 || le.Line > lines {
			t.Fatalf("error %v: line outside the file's %d lines", e, lines)
		}
	}

	text := toSnmpwalk(vbs)
	again, errs2 := ReadSnmpwalk(bytes.NewReader(text), "again")
	if len(errs2) > 0 {
		t.Fatalf("reading back %q: %v", text, errs2)
	}
	if !sameVarBinds(vbs, again) {
		t.Fatalf("read back differs (-first +again):\n%s", cmp.Diff(vbs, again, ignoreLine))
	}
}

func FuzzReadSnmprec(f *testing.F) {
	addSeeds(f, ".snmprec",
		"1.3.6.1.2.1.1.1.0|4|a|b\r\n.1.3.6|4x|00FF\n1.3|4e|\\x41\\n\n",
		"1.3.6.1.2.1.1.3.0|67|4294967295\n1.3.6.1.2.1.1.3.1|70|18446744073709551615\n",
		"1.3|64|1.2.3.4\n1.4|64x|01020304\n1.5|5|\n1.6|128|\n1.7|6|.1.3.6\n1.8|68x|\n",
		"||\n|\n1.3|2|\n1.3|2|-\n1.3|2|+5\n1.3|2e|\\\n",
		// the fast path's edges: types, hex, addresses, arcs
		"1.3|64|1.2.3.45\n1.3.1|64x|0102030G\n1.3.2|4x|0\n1.3.3|2x|05\n1.3.4|02|-2147483648\n1.3.04|66|+7\n",
		"1.4294967295|65|4294967296\n1.4294967296|70|18446744073709551615\n1.3|4X|00\n1.3|0002|5\n.1.2|4|a|b\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		vbs, errs := ReadSnmprec(bytes.NewReader(data), "fuzz")
		checkInvariants(t, data, vbs, errs)
		sameAsBytes(t, data, vbs, errs, ReadSnmprecBytes)
		sameAsPooled(t, data, vbs, errs, true)
		sameAsSlow(t, data, vbs, errs)
	})
}

func FuzzReadSnmpwalk(f *testing.F) {
	addSeeds(f, ".walk",
		".1.3 = STRING: \"a\\\"b\n\nc\\\\\"\n.1.4 = Hex-STRING: 00 \n01 02\n",
		".1.3 = STRING: \"never closed\n.1.4 = INTEGER: 1\n.1.5 = STRING: \\\"x\n",
		".1.3 = STRING: plain\ncontinued\n\n\n.1.4 = BITS: 80 00 a(0)\n.1.5 = Network Address: A:0:0:1\n",
		".1.3 = Wrong Type (should be Gauge32): Counter32: 5\n.1.4 = INTEGER: -0.5\n.1.5 = Timeticks: 7\n.1.6 = OPAQUE: \n",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		vbs, errs := ReadSnmpwalk(bytes.NewReader(data), "fuzz")
		checkInvariants(t, data, vbs, errs)
		sameAsBytes(t, data, vbs, errs, ReadSnmpwalkBytes)
		sameAsPooled(t, data, vbs, errs, false)
	})
}
