package snmp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"
)

// endlessTable is an agent whose table under root never ends: each request
// answers page more rows after the OID asked for.
func endlessTable(root string, page int, calls *int) func(cur string) (*gosnmp.SnmpPacket, error) {
	return func(cur string) (*gosnmp.SnmpPacket, error) {
		*calls++
		n := 0
		if rest, ok := strings.CutPrefix(cur, "."+root+"."); ok {
			fmt.Sscan(rest, &n)
		}
		pkt := &gosnmp.SnmpPacket{}
		for i := 1; i <= page; i++ {
			pkt.Variables = append(pkt.Variables, gosnmp.SnmpPDU{Name: fmt.Sprintf(".%s.%d", root, n+i), Type: gosnmp.Integer, Value: n + i})
		}
		return pkt, nil
	}
}

// finiteTable answers rows 1..rows under root, then leaves the subtree.
func finiteTable(root string, rows int) func(cur string) (*gosnmp.SnmpPacket, error) {
	return func(cur string) (*gosnmp.SnmpPacket, error) {
		n := 0
		if rest, ok := strings.CutPrefix(cur, "."+root+"."); ok {
			fmt.Sscan(rest, &n)
		}
		if n >= rows {
			return &gosnmp.SnmpPacket{Variables: []gosnmp.SnmpPDU{{Name: ".1.3.6.1.2.1.99.1", Type: gosnmp.Integer, Value: 1}}}, nil
		}
		return &gosnmp.SnmpPacket{Variables: []gosnmp.SnmpPDU{{Name: fmt.Sprintf(".%s.%d", root, n+1), Type: gosnmp.Integer, Value: n + 1}}}, nil
	}
}

// TestWalkPagesStopsAtTheCap: an endless table is cut off once the walk
// holds its budget of varbinds and one more arrives, after about
// budget/page requests, with a *TooManyVarBindsError; a table of exactly
// the budget is read whole without error.
func TestWalkPagesStopsAtTheCap(t *testing.T) {
	const root, budget, page = "1.3.6.1.2.1.2.2.1.1", 1000, 25
	calls := 0
	out, err := walkPages(context.Background(), root, true, budget, endlessTable(root, page, &calls))
	var capErr *TooManyVarBindsError
	if !errors.As(err, &capErr) {
		t.Fatalf("endless table: err %v, want a *TooManyVarBindsError", err)
	}
	if capErr.Root != "."+root {
		t.Errorf("cap error names root %q", capErr.Root)
	}
	if len(out) != budget {
		t.Errorf("read %d varbinds, want the budget %d", len(out), budget)
	}
	if want := budget/page + 1; calls != want {
		t.Errorf("%d requests, want %d (the walk must stop once over budget)", calls, want)
	}

	out, err = walkPages(context.Background(), root, false, budget, finiteTable(root, budget))
	if err != nil || len(out) != budget {
		t.Errorf("table of exactly the budget: %d varbinds, err %v", len(out), err)
	}
	out, err = walkPages(context.Background(), root, false, 0, finiteTable(root, 0))
	if err != nil || len(out) != 0 {
		t.Errorf("empty table with no budget left: %d varbinds, err %v", len(out), err)
	}
	_, err = walkPages(context.Background(), root, false, 0, finiteTable(root, 1))
	if !errors.As(err, &capErr) {
		t.Errorf("one row with no budget left: err %v, want the cap", err)
	}
}

func TestTooManyVarBindsMessage(t *testing.T) {
	msg := (&TooManyVarBindsError{Limit: 50, Root: ".1.3.6.1.2.1.2"}).Error()
	for _, w := range []string{"more than 50 varbinds", "max_varbinds", "targets.yaml", ".1.3.6.1.2.1.2"} {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q lacks %q", msg, w)
		}
	}
}
