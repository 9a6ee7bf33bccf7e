package snmp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/vendors"
)

// readSnmprecSlow is ReadSnmprec with every line read by the general path
// (snmprecLine without snmprecFast): the reference for the fast path.
func readSnmprecSlow(data []byte) ([]vendors.VarBind, []error) {
	res := readSnmprecFrom(newLineReader(bytes.NewReader(data)), &builder{name: "fuzz", slow: true})
	return res.vbs, res.allErrors()
}

// sameAsSlow checks that data read by the general path alone gives vbs
// and errs, what the reader with its fast path gave.
func sameAsSlow(t *testing.T, data []byte, vbs []vendors.VarBind, errs []error) {
	t.Helper()
	want, wantErrs := readSnmprecSlow(data)
	if !reflect.DeepEqual(want, vbs) {
		t.Fatalf("fast path differs from the general one (-general +fast):\n%s", cmp.Diff(want, vbs))
	}
	if a, b := fmt.Sprint(wantErrs), fmt.Sprint(errs); a != b {
		t.Fatalf("fast path errors differ:\ngeneral %s\nfast    %s", a, b)
	}
}

// fastEdges are snmprec lines at the edges of what snmprecFast takes:
// each is read as the general path reads it (its value or its error).
var fastEdges = []string{
	"1.3.6.1.2.1.1.1.0|4|a|b",
	".1.3.6.1.2.1.1.1.0|4|text",
	"..1.3|4|x", ".|4|x", "|4|x", "1.3.|4|x", "1..3|4|x", "1.03|4|x", "1.0|4|x",
	"1.4294967295|2|1", "1.4294967296|2|1", "1.04294967295|2|1", "1.42949672950|2|1",
	"1.3|2|2147483647", "1.3|2|-2147483648", "1.3|2|2147483648", "1.3|2|-2147483649", "1.3|2|+5", "1.3|2|-", "1.3|2|", "1.3|2| 5",
	"1.3|02|5", "1.3|002|5", "1.3|0002|5", "1.3|2x|05", "1.3|2e|5", "1.3|2:x|5", "1.3||5", "1.3|x|5", "1.3|4",
	"1.3|4|", "1.3|4x|", "1.3|4x|0", "1.3|4x|0G", "1.3|4x|00ff", "1.3|4x|00FFaB", "1.3|4e|\\x41", "1.3|4X|00",
	"1.3|64|1.2.3.4", "1.3|64|1.2.3.45", "1.3|64|1.2.3", "1.3|64|1.2.3.256", "1.3|64x|01020304", "1.3|64x|010203", "1.3|64x|0102030G", "1.3|64x|0102030405",
	"1.3|65|4294967295", "1.3|65|4294967296", "1.3|66|0", "1.3|66|+7", "1.3|67|5", "1.3|70|18446744073709551615", "1.3|70|18446744073709551616", "1.3|66x|00",
	"1.3|5|", "1.3|5|x", "1.3|6|1.3.6", "1.3|6|.1.3.6", "1.3|6|1..3", "1.3|68x|", "1.3|128|", "1.3|130|x", "1.3|131|",
	"1.3 |2|1", "1.3a|2|1", "1.3|2|1\r",
}

// TestSnmprecFastSameAsGeneral: every test file, every recorded fixture
// and every edge line (alone, and after each line that shares a prefix
// with it, in and out of order) reads the same with the fast path as with
// the general path alone.
func TestSnmprecFastSameAsGeneral(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.snmprec"))
	files = append(files, recordings(t)...)
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		vbs, errs := ReadSnmprec(bytes.NewReader(data), "fuzz")
		sameAsSlow(t, data, vbs, errs)
	}
	for _, a := range fastEdges {
		for _, b := range append([]string{"", "1|2|1", "1.3|2|1", "1.4|2|1", "1.3.0|2|1", "0.9|2|1"}, fastEdges...) {
			data := []byte(b + "\n" + a + "\n" + a + "\n" + b + "\n")
			vbs, errs := ReadSnmprec(bytes.NewReader(data), "fuzz")
			sameAsSlow(t, data, vbs, errs)
			sameAsBytes(t, data, vbs, errs, ReadSnmprecBytes)
		}
	}
	// Hex values as large as the arena's blocks and past them, next to
	// small ones (where a value is cut from and what follows it).
	var sb strings.Builder
	for i, n := range []int{1, arenaChunk/8 - 1, arenaChunk / 8, arenaChunk/8 + 1, 3, arenaChunk / 2, arenaChunk, 2} {
		fmt.Fprintf(&sb, "1.3.%d|4x|%s\n1.3.%d.1|4|after\n", i, strings.Repeat(fmt.Sprintf("%02x", i+1), n), i)
	}
	data := []byte(sb.String())
	vbs, errs := ReadSnmprec(bytes.NewReader(data), "fuzz")
	sameAsSlow(t, data, vbs, errs)
	sameAsBytes(t, data, vbs, errs, ReadSnmprecBytes)
	sameAsPooled(t, data, vbs, errs, true)
}

// TestSnmprecFastTakesTheUsualLines: the lines of a generated site's
// walks (and the other common forms) are read by the fast path, so that
// the comparison above compares something.
func TestSnmprecFastTakesTheUsualLines(t *testing.T) {
	b := &builder{name: "t"}
	for _, l := range []string{
		"1.0.8802.1.1.2.1.3.1.0|2|4",
		"1.0.8802.1.1.2.1.3.2.0|4x|444ca8001000",
		"1.0.8802.1.1.2.1.3.3.0|4|leaf001a",
		"1.3.6.1.2.1.1.3.0|67|123",
		"1.3.6.1.2.1.2.2.1.5.1|66|4294967295",
		"1.3.6.1.2.1.2.2.1.10.1|65|7",
		".1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1",
		".1.3.6.1.2.1.4.20.1.1.10.0.0.2|64x|0a000002",
		"1.3.6.1.2.1.4.20.1.2.10.0.0.1|2|-5",
		"1.3.6.1.2.1.4.20.1.2.10.0.0.2|4|",
		"1.3.6.1.2.1.31.1.1.1.6.1|70|18446744073709551615",
	} {
		if !b.snmprecFast(1, []byte(l)) {
			t.Errorf("fast path refuses %q", l)
		}
	}
	if vbs := b.finish(); len(vbs) != 11 || b.unsorted {
		t.Errorf("%d varbinds, unsorted %v", len(vbs), b.unsorted)
	}
}

// TestWalkReaderAdoptsChunkedVarbinds: a file of more varbinds than the
// reader guesses from its size (short lines) is read whole all the same,
// and the reader keeps the slice they were gathered into, so that reading
// it again takes no new one.
func TestWalkReaderAdoptsChunkedVarbinds(t *testing.T) {
	var sb strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&sb, "1.%d|2|%d\n", i, i%3)
	}
	data := []byte(sb.String())
	vbs, errs := ReadSnmprec(bytes.NewReader(data), "fuzz")
	if len(vbs) != 3000 || len(errs) > 0 || len(data)/40+64 >= 3000 {
		t.Fatalf("%d varbinds, errors %v, guess %d", len(vbs), errs, len(data)/40+64)
	}
	var wr WalkReader
	var first *vendors.VarBind
	for round := range 3 {
		w, errs := wr.ReadSnmprec(bytes.Clone(data), nil, "fuzz")
		if !reflect.DeepEqual(w.All(), vbs) || len(errs) > 0 {
			t.Fatalf("round %d: the pooled walk differs (%d varbinds, errors %v)", round, w.Len(), errs)
		}
		if cap(wr.vbs) < len(vbs) {
			t.Fatalf("round %d: the reader keeps room for %d varbinds, want %d", round, cap(wr.vbs), len(vbs))
		}
		if round == 1 {
			first = unsafe.SliceData(wr.vbs)
		} else if round == 2 && unsafe.SliceData(wr.vbs) != first {
			t.Errorf("reading the file again took a new slice of varbinds")
		}
		wr.Release()
	}
}

// TestBuilderAddWritesEveryField: builder.add writes a varbind's fields one by
// one into a slot of a pooled reader's slice, which holds a varbind of the
// file read before; a field added to VarBind or Value that it does not
// write would keep that file's value. Add it there, then here.
func TestBuilderAddWritesEveryField(t *testing.T) {
	vb, v := reflect.TypeFor[vendors.VarBind](), reflect.TypeFor[vendors.Value]()
	if vb.NumField() != 3 || v.NumField() != 5 {
		t.Fatalf("VarBind has %d fields, Value %d: builder.add writes 3 and 5 (OID, Value, Line; Kind, Int, Uint, Bytes, OID)", vb.NumField(), v.NumField())
	}
}
