package snmp

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"

	"github.com/bondaudit/bondaudit/vendors"
)

// bulkAgent answers GETBULK (reps rows for each OID asked, in row order,
// cut to at most limit values like net-snmp's maxGetbulkResponses) or
// GETNEXT over a sorted list of OIDs. tooBigOver answers tooBig to a
// request asking for more values; failCol answers an error status naming
// the varbind that asks within that column.
type bulkAgent struct {
	oids       []string // sorted, dotted without the leading dot
	limit      int
	tooBigOver int
	failCol    string
	requests   int
	received   int
}

func (a *bulkAgent) next(cur string) (gosnmp.SnmpPDU, bool) {
	cur = strings.TrimPrefix(cur, ".")
	i, found := slices.BinarySearchFunc(a.oids, cur, vendors.CompareOID)
	if found {
		i++
	}
	if i >= len(a.oids) {
		return gosnmp.SnmpPDU{Name: "." + cur, Type: gosnmp.EndOfMibView}, false
	}
	return gosnmp.SnmpPDU{Name: "." + a.oids[i], Type: gosnmp.Integer, Value: i}, true
}

func (a *bulkAgent) fetch(oids []string, reps uint32) (*gosnmp.SnmpPacket, error) {
	a.requests++
	if a.tooBigOver > 0 && len(oids)*int(reps) > a.tooBigOver {
		return &gosnmp.SnmpPacket{Error: gosnmp.TooBig}, nil
	}
	for i, o := range oids {
		if a.failCol != "" && strings.HasPrefix(strings.TrimPrefix(o, ".")+".", a.failCol+".") {
			return &gosnmp.SnmpPacket{Error: gosnmp.GenErr, ErrorIndex: uint8(i + 1)}, nil
		}
	}
	cur := slices.Clone(oids)
	pkt := &gosnmp.SnmpPacket{}
	for range reps {
		for i := range cur {
			if a.limit > 0 && len(pkt.Variables) >= a.limit {
				a.received += len(pkt.Variables)
				return pkt, nil
			}
			v, _ := a.next(cur[i])
			pkt.Variables = append(pkt.Variables, v)
			cur[i] = v.Name
		}
	}
	a.received += len(pkt.Variables)
	return pkt, nil
}

// lockstepAgent is a switch with ifTable columns 1-8 of rows rows, an
// empty LLDP column in between, and the system scalars.
func lockstepAgent(rows int) *bulkAgent {
	a := &bulkAgent{oids: []string{"1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0"}}
	for c := 1; c <= 8; c++ {
		for r := 1; r <= rows; r++ {
			a.oids = append(a.oids, fmt.Sprintf("1.3.6.1.2.1.2.2.1.%d.%d", c, r))
		}
	}
	for r := 1; r <= rows; r++ {
		a.oids = append(a.oids, fmt.Sprintf("1.3.6.1.2.1.31.1.1.1.1.%d", r))
	}
	slices.SortFunc(a.oids, vendors.CompareOID)
	return a
}

// wantColumns is what a walk of cols must return from a: every OID under
// a column, the scalars asked for.
func wantColumns(a *bulkAgent, cols []string) []string {
	var out []string
	for _, o := range a.oids {
		if vendors.Covers(cols, o, false) && (!slices.ContainsFunc(cols, func(c string) bool {
			return strings.HasSuffix(c, ".0") && strings.HasPrefix(c, strings.TrimSuffix(o, ".0"))
		}) || strings.HasSuffix(o, ".0")) {
			out = append(out, o)
		}
	}
	return out
}

func oidsOf(vbs []vendors.VarBind) []string {
	out := make([]string, len(vbs))
	for i, vb := range vbs {
		out[i] = vb.OID
	}
	slices.SortFunc(out, vendors.CompareOID)
	return out
}

// TestWalkLockstep: columns of one table, an empty column and scalars,
// walked together, read exactly the OIDs under them, whether the agent
// answers every value asked, cuts responses short (7 values: not a
// multiple of the columns asked), answers tooBig to big requests, or
// GETNEXT only (SNMPv1); and in fewer requests than walking the columns
// one by one.
func TestWalkLockstep(t *testing.T) {
	cols := []string{"1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.3",
		"1.3.6.1.2.1.2.2.1.8", "1.3.6.1.2.1.17.4.3.1.2", "1.3.6.1.2.1.31.1.1.1.1"}
	for _, c := range []struct {
		name     string
		agent    *bulkAgent
		bulk     bool
		requests int // at most
	}{
		{"whole responses", lockstepAgent(60), true, 5},
		{"responses cut to 7 values", &bulkAgent{limit: 7}, true, 60},
		{"tooBig over 30 values", &bulkAgent{tooBigOver: 30}, true, 30},
		{"GETNEXT", lockstepAgent(60), false, 63},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := c.agent
			if a.oids == nil {
				a.oids = lockstepAgent(60).oids
			}
			fetch := a.fetch
			if !c.bulk { // GETNEXT: one row per column
				fetch = func(oids []string, _ uint32) (*gosnmp.SnmpPacket, error) { return a.fetch(oids, 1) }
			}
			got, err := walkLockstep(context.Background(), cols, c.bulk, 25, 1<<20, fetch)
			if err != nil {
				t.Fatal(err)
			}
			if d := slices.Compare(oidsOf(got), wantColumns(a, cols)); d != 0 {
				t.Errorf("read %d OIDs %v…, want %d", len(got), oidsOf(got)[:min(5, len(got))], len(wantColumns(a, cols)))
			}
			t.Logf("%d requests, %d values received", a.requests, a.received)
			if a.requests > c.requests {
				t.Errorf("%d requests, want at most %d", a.requests, c.requests)
			}
		})
	}
	// One column at a time: what the lockstep walk saves.
	a := lockstepAgent(60)
	for _, col := range cols {
		if _, err := walkLockstep(context.Background(), []string{col}, true, 25, 1<<20, a.fetch); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("one column at a time: %d requests", a.requests)
	if a.requests <= 5 {
		t.Errorf("one column at a time took %d requests: the lockstep bound above proves nothing", a.requests)
	}
}

// TestWalkLockstepColumnError: an agent answering an error status for one
// column gives up that column only; the others are read, and the error
// names the column.
func TestWalkLockstepColumnError(t *testing.T) {
	a := lockstepAgent(30)
	a.failCol = "1.3.6.1.2.1.2.2.1.3"
	cols := []string{"1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.3", "1.3.6.1.2.1.31.1.1.1.1"}
	got, err := walkLockstep(context.Background(), cols, true, 25, 1<<20, a.fetch)
	var ae *agentError
	if !errors.As(err, &ae) || !strings.Contains(fmt.Sprint(err), "1.3.6.1.2.1.2.2.1.3") {
		t.Fatalf("error %v, want an agent error naming the column", err)
	}
	if d := slices.Compare(oidsOf(got), wantColumns(a, []string{cols[0], cols[2]})); d != 0 {
		t.Errorf("read %d OIDs, want the other two columns' %d", len(got), len(wantColumns(a, []string{cols[0], cols[2]})))
	}
}

// TestWalkLockstepCap: the varbind cap stops a lockstep walk too.
func TestWalkLockstepCap(t *testing.T) {
	a := lockstepAgent(500)
	got, err := walkLockstep(context.Background(), []string{"1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.31.1.1.1.1"}, true, 25, 100, a.fetch)
	var capErr *TooManyVarBindsError
	if !errors.As(err, &capErr) || len(got) != 100 || a.requests > 3 {
		t.Errorf("%d varbinds, %d requests, err %v; want a *TooManyVarBindsError at 100", len(got), a.requests, err)
	}
}
