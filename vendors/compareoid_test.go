package vendors

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestCompareOIDSkipsSharedText: CompareOID, which skips the text two OIDs
// share, orders every pair as comparing arc by arc from the first does
// (compareArcs, the whole comparison), including leading zeros, empty
// arcs and prefixes.
func TestCompareOIDSkipsSharedText(t *testing.T) {
	arcs := []string{"0", "1", "2", "9", "10", "01", "001", "11", "100", "99", "4294967295", "", "3"}
	rng := rand.New(rand.NewPCG(1, 2))
	oid := func() string {
		n := 1 + rng.IntN(12)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = arcs[rng.IntN(len(arcs))]
		}
		return strings.Join(parts, ".")
	}
	for range 200000 {
		a := oid()
		b := a
		switch rng.IntN(3) {
		case 0:
			b = oid()
		case 1: // shared stem, different tail
			cut := rng.IntN(len(a) + 1)
			b = a[:cut] + oid()
		case 2: // prefix
			b = a[:rng.IntN(len(a)+1)]
		}
		if got, want := CompareOID(a, b), compareArcs(a, b); got != want {
			t.Fatalf("CompareOID(%q, %q) = %d, want %d", a, b, got, want)
		}
		if got, want := CompareOID(b, a), compareArcs(b, a); got != want {
			t.Fatalf("CompareOID(%q, %q) = %d, want %d", b, a, got, want)
		}
	}
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"1.3.6.1.2.1.2.2.1.2.9", "1.3.6.1.2.1.2.2.1.2.10", -1},
		{"1.3.6.1.2.1.2.2.1.2.10", "1.3.6.1.2.1.2.2.1.2.9", 1},
		{"1.3.6.1", "1.3.6.1.2", -1},
		{"1.3.6.01", "1.3.6.1", 0},
		{"1.3.6.1.2.1.31.1.1.1.1.100", "1.3.6.1.2.1.31.1.1.1.1.100", 0},
	} {
		if got := CompareOID(c.a, c.b); got != c.want {
			t.Errorf("CompareOID(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestRowsIsColumn: Rows yields exactly Column's rows, in order, for
// columns, scalars, prefixes with and without a leading dot, absent and
// partial arcs; IndexInts splits as it always did.
func TestRowsIsColumn(t *testing.T) {
	var vbs []VarBind
	for i, o := range []string{"1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.2.1", "1.3.6.1.2.1.2.2.1.2.10",
		"1.3.6.1.2.1.2.2.1.2.2", "1.3.6.1.2.1.2.2.1.20.1", "1.3.6.1.2.1.2.2.1.3.1", "1.3.6.1.2.1.31.1.1.1.1.5"} {
		vbs = append(vbs, VarBind{OID: o, Value: Value{Kind: KindInteger, Int: int64(i)}, Line: i + 1})
	}
	w := NewWalk(vbs)
	for _, p := range []string{"1.3.6.1.2.1.2.2.1.2", ".1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.2.2.1.20",
		"1.3.6.1.2.1.2.2.1.4", "1.3", "", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.2.2.1.2.1", "9"} {
		col := w.Column(p)
		var rows []Row
		for i, r := range w.Rows(p) {
			if i != len(rows) {
				t.Fatalf("%q: position %d, want %d", p, i, len(rows))
			}
			rows = append(rows, r)
		}
		if len(col) != len(rows) {
			t.Fatalf("%q: Column %v, Rows %v", p, col, rows)
		}
		for i := range col {
			if col[i].Index != rows[i].Index || col[i].Line != rows[i].Line || col[i].Value.Int != rows[i].Value.Int {
				t.Fatalf("%q: Column %v, Rows %v", p, col, rows)
			}
		}
	}
	if n := len(w.Column("1.3.6.1.2.1.2.2.1.2")); n != 3 {
		t.Errorf("ifDescr: %d rows, want 3", n)
	}
	for in, want := range map[string][]int64{"7": {7}, "0.7.1": {0, 7, 1}, "": nil, "1..2": nil, "1.": nil, ".1": nil, "x": nil, "-3.4": {-3, 4}} {
		got, ok := IndexInts(in)
		if ok != (want != nil) || len(got) != len(want) {
			t.Errorf("IndexInts(%q) = %v, %v; want %v", in, got, ok, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("IndexInts(%q) = %v; want %v", in, got, want)
			}
		}
	}
}

// TestColumnFindsEveryRow: in random walks, every column (long and short,
// at the walk's ends, absent, a scalar's own OID) holds exactly the
// varbinds under its prefix, in walk order, whatever was looked up before
// it (the hint) and however long the run is (the galloping end search).
func TestColumnFindsEveryRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 300 {
		var vbs []VarBind
		n := rng.IntN(600)
		for i := range n {
			oid := "1.3.6." + strconvI(rng.IntN(4)) + "." + strconvI(rng.IntN(3))
			if rng.IntN(8) > 0 {
				oid += "." + strconvI(rng.IntN(1+rng.IntN(300)))
			}
			vbs = append(vbs, VarBind{OID: oid, Value: Value{Kind: KindInteger, Int: int64(i)}, Line: i + 1})
		}
		w := NewWalk(vbs)
		all := w.All()
		for range 40 {
			p := "1.3.6." + strconvI(rng.IntN(5))
			switch rng.IntN(3) {
			case 0:
				p += "." + strconvI(rng.IntN(3))
			case 1:
				p = p[:rng.IntN(len(p)+1)]
			}
			var want []int // lines of the varbinds under p, walk order
			for _, vb := range all {
				if strings.HasPrefix(vb.OID, p+".") {
					want = append(want, vb.Line)
				}
			}
			got := w.Column(p)
			if len(got) != len(want) {
				t.Fatalf("round %d, %q: %d rows, want %d", round, p, len(got), len(want))
			}
			for i := range got {
				if got[i].Line != want[i] {
					t.Fatalf("round %d, %q: row %d is line %d, want %d", round, p, i, got[i].Line, want[i])
				}
			}
		}
	}
}

func strconvI(i int) string { return strconv.Itoa(i) }

// TestIntTable: rows by one integer index of at least min, column by
// column; other indexes and values that do not exist are left out.
func TestIntTable(t *testing.T) {
	w := NewWalk([]VarBind{
		{OID: "1.3.6.1.9.1.2.0", Value: Value{Kind: KindInteger, Int: 10}, Line: 1},
		{OID: "1.3.6.1.9.1.2.1", Value: Value{Kind: KindInteger, Int: 11}, Line: 2},
		{OID: "1.3.6.1.9.1.2.2.5", Value: Value{Kind: KindInteger, Int: 12}, Line: 3},
		{OID: "1.3.6.1.9.1.3.1", Value: Value{Kind: KindNoSuchInstance}, Line: 4},
		{OID: "1.3.6.1.9.1.3.7", Value: Value{Kind: KindOctetString, Bytes: []byte("x")}, Line: 5},
		{OID: "1.3.6.1.9.1.4.1", Value: Value{Kind: KindInteger, Int: 14}, Line: 6},
	})
	got := w.IntTable("1.3.6.1.9.1", 1, 2, 3)
	if len(got) != 2 || len(got[1]) != 1 || got[1][2].Value.Int != 11 || got[1][2].Line != 2 ||
		len(got[7]) != 1 || string(got[7][3].Value.Bytes) != "x" || got[7][3].Line != 5 {
		t.Errorf("IntTable(min 1, columns 2 and 3) = %+v", got)
	}
	if got := w.IntTable("1.3.6.1.9.1", 0, 2); len(got) != 2 || got[0][2].Value.Int != 10 || got[1][2].Value.Int != 11 {
		t.Errorf("IntTable(min 0, column 2) = %+v", got)
	}
}
