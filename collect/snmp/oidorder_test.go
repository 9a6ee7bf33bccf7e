package snmp

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/fixtures"
	"github.com/bondaudit/bondaudit/vendors"
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

func TestCompareValidIsCompareOID(t *testing.T) {
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

func FuzzCompareValid(f *testing.F) {
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
