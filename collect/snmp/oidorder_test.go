package snmp

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/fixtures"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/google/go-cmp/cmp"
)

// validOIDObvious is validOID written the obvious way (split on dots,
// check each arc): the reference the fast one is checked against.
func validOIDObvious(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, arc := range bytes.Split(s, []byte(".")) {
		if len(arc) == 0 || len(arc) > 1 && arc[0] == '0' || !allDigits(arc) {
			return false
		}
		if n, err := strconv.ParseUint(string(arc), 10, 64); err != nil || n > 1<<32-1 {
			return false
		}
	}
	return true
}

var oidSeeds = []string{"", ".", "0", "00", "01", "10", "1.3.6.1", "1.3.6.1.", ".1.3", "1..3", "1.03", "1.0.3",
	"4294967295", "4294967296", "04294967295", "9999999999", "10000000000", "1.4294967295.2", "1.42949672950",
	"1.3.6.1.2.1.31.1.1.1.1.10", "1.3.6.1.2.1.31.1.1.1.1.9", "1.3.6.1.2.1.31.1.1.1.1.100", "1.3.6.1.2.1.31.1.1.1.10",
	"1.3.6.1.2.1.31.1.1.1.1", "1.3.6.1.2.1.31.1.1.1.1.1.1", "1.2a", "1.-2", "1 2", "1.2/", "1.2:"}

// randomOID is a valid OID that often shares a long prefix with prev.
func randomOID(r *rand.Rand, prev string) string {
	var arcs []string
	if prev != "" && r.IntN(4) > 0 {
		arcs = strings.Split(prev, ".")
		arcs = arcs[:r.IntN(len(arcs))+1]
		if r.IntN(2) == 0 {
			arcs = arcs[:len(arcs)-1]
		}
	}
	for n := r.IntN(4); n >= 0 || len(arcs) == 0; n-- {
		var arc uint64
		switch r.IntN(4) {
		case 0:
			arc = uint64(r.IntN(3))
		case 1:
			arc = uint64(r.IntN(100))
		case 2:
			arc = uint64(r.IntN(100000))
		default:
			arc = uint64(r.Uint32())
		}
		arcs = append(arcs, strconv.FormatUint(arc, 10))
	}
	return strings.Join(arcs, ".")
}

func sign(x int) int { return min(max(x, -1), 1) }

func TestValidOIDIsTheObviousOne(t *testing.T) {
	for _, s := range oidSeeds {
		if got, want := validOID([]byte(s)), validOIDObvious([]byte(s)); got != want {
			t.Errorf("validOID(%q) = %v, want %v", s, got, want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789..x"
	for range 200000 {
		b := make([]byte, r.IntN(24))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		if got, want := validOID(b), validOIDObvious(b); got != want {
			t.Fatalf("validOID(%q) = %v, want %v", b, got, want)
		}
	}
}

func TestOIDOrderIsCompareOID(t *testing.T) {
	check := func(a, b string) {
		t.Helper()
		if got, want := compareValid(a, b), sign(vendors.CompareOID(a, b)); got != want {
			t.Fatalf("compareValid(%q, %q) = %d, CompareOID says %d", a, b, got, want)
		}
	}
	var valid []string
	for _, s := range oidSeeds {
		if validOID([]byte(s)) {
			valid = append(valid, s)
		}
	}
	for _, a := range valid {
		for _, b := range valid {
			check(a, b)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	prev := ""
	for range 300000 {
		s := randomOID(r, prev)
		check(prev, s)
		check(s, prev)
		check(s, s)
		prev = s
	}
	// Neighbours and near neighbours in real recordings.
	for _, f := range sharedRecordings(t) {
		vbs, _ := ReadSnmprecBytes(readFile(t, f), nil, f)
		for i := 1; i < len(vbs); i++ {
			check(vbs[i-1].OID, vbs[i].OID)
			check(vbs[i].OID, vbs[i-1].OID)
			j := r.IntN(len(vbs))
			check(vbs[j].OID, vbs[i].OID)
		}
	}
}

// sharedRecordings are the shared recordings, none when they are absent.
func sharedRecordings(t *testing.T) []string {
	files := fixtures.Files("snmp", "*.snmprec")
	if len(files) == 0 {
		t.Log("shared fixtures not present: random OIDs only")
	}
	return files
}

func FuzzOIDOrder(f *testing.F) {
	for i, a := range oidSeeds {
		f.Add(a, oidSeeds[(i+7)%len(oidSeeds)])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if validOID([]byte(a)) != validOIDObvious([]byte(a)) {
			t.Fatalf("validOID(%q) = %v, the obvious check says otherwise", a, validOID([]byte(a)))
		}
		if !validOID([]byte(a)) || !validOID([]byte(b)) {
			return
		}
		if got, want := compareValid(a, b), sign(vendors.CompareOID(a, b)); got != want {
			t.Fatalf("compareValid(%q, %q) = %d, CompareOID says %d", a, b, got, want)
		}
	})
}

// mutateOID spoils a valid OID now and then the ways validOID refuses (a
// leading zero, an empty arc, a trailing dot, a letter, an arc past
// uint32), at a random arc: often one its neighbour shares.
func mutateOID(r *rand.Rand, s string) string {
	arcs := strings.Split(s, ".")
	k := r.IntN(len(arcs))
	switch r.IntN(8) {
	case 0:
		arcs[k] = "0" + arcs[k]
	case 1:
		arcs[k] = ""
	case 2:
		return s + "."
	case 3:
		arcs[k] += "x"
	case 4:
		arcs[k] = "4294967296"
	case 5:
		arcs[k] = "04"
	}
	return strings.Join(arcs, ".")
}

// TestSharedArcsAreValidatedOnce: a reader validates only the arcs of an
// OID its previous varbind's OID does not share whole; it must accept
// exactly the OIDs validOID accepts, in either format, whatever came
// before (a refused line, a line dropped for its value, a valid
// neighbour).
func TestSharedArcsAreValidatedOnce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for round := range 300 {
		var rec, walk bytes.Buffer
		var want []string
		prev := ""
		for range 200 {
			s := randomOID(r, prev)
			if r.IntN(3) == 0 {
				s = mutateOID(r, s)
			}
			value, wvalue := "1", "INTEGER: 1"
			oid := strings.TrimPrefix(s, ".") // one leading dot is allowed
			if r.IntN(10) == 0 {
				value, wvalue = "x", "INTEGER: x" // the line is dropped for its value after its OID was read
			} else if validOID([]byte(oid)) {
				want = append(want, oid)
			}
			rec.WriteString(s + "|2|" + value + "\n")
			walk.WriteString("." + oid + " = " + wvalue + "\n")
			if validOID([]byte(s)) || r.IntN(2) == 0 {
				prev = s
			}
		}
		for _, in := range []struct {
			name string
			vbs  []vendors.VarBind
		}{
			{"snmprec", must(ReadSnmprecBytes(rec.Bytes(), nil, "r"))},
			{"snmpwalk", must(ReadSnmpwalkBytes(walk.Bytes(), nil, "w"))},
		} {
			var got []string
			for _, vb := range in.vbs {
				got = append(got, vb.OID)
			}
			// Repeated OIDs with one value are kept once per line, so
			// the lists compare as they are.
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("round %d, %s: read OIDs other than the ones validOID accepts (-want +got):\n%s", round, in.name, cmp.Diff(want, got))
			}
		}
	}
}

func must(vbs []vendors.VarBind, _ []error) []vendors.VarBind { return vbs }

// compareValid is oidOrder of two strings.
func compareValid(a, b string) int {
	x, y := []byte(a), []byte(b)
	return oidOrder(x, y, commonPrefix(x, y))
}

// TestReaderOrderFlag: a walk the reader says is in order (so that it is
// not checked again) is; a sorted recording is found in order as it is
// read, with refused lines or a line dropped for its value in it or not.
func TestReaderOrderFlag(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for round := range 400 {
		var oids []string
		prev := ""
		for range 100 {
			prev = randomOID(r, prev)
			oids = append(oids, prev)
		}
		sorted := round%2 == 0
		if sorted {
			slices.SortFunc(oids, vendors.CompareOID)
			oids = slices.Compact(oids)
		}
		dropped := round%4 == 0
		var rec bytes.Buffer
		for i, s := range oids {
			if r.IntN(8) == 0 {
				rec.WriteString(mutateOID(r, s) + "0x|2|1\n") // refused
			}
			value := "1"
			if dropped && i == len(oids)/2 {
				value = "x"
			}
			rec.WriteString(s + "|2|" + value + "\n")
		}
		res := readSnmprecFrom(newBytesLineReader(rec.Bytes(), nil), wholeFileBuilder("r", rec.Bytes()))
		if res.sorted && !vendors.StrictlySorted(res.vbs) {
			t.Fatalf("round %d: the reader says a walk out of order is in order:\n%s", round, rec.String())
		}
		if sorted && !res.sorted {
			t.Fatalf("round %d: a sorted walk (line dropped for its value: %v) is not found sorted", round, dropped)
		}
		var wr WalkReader
		w, _ := wr.ReadSnmprec(rec.Bytes(), nil, "r")
		if !slices.EqualFunc(w.All(), vendors.NewWalk(res.vbs).All(), func(a, b vendors.VarBind) bool { return a.OID == b.OID }) {
			t.Fatalf("round %d: the pooled reader's walk is not the sorted varbinds", round)
		}
	}
}
