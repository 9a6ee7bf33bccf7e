package snmp_test

// Bounds a hostile or misconfigured agent cannot push past, against a real
// net-snmp snmpd (internal/snmplab) serving walks written here.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/snmplab"
)

// writeSnmprec writes a walk of an unknown-vendor switch: the system group
// and, for each of ifTable's ifDescr and ifXTable's ifName, rows rows.
func writeSnmprec(t *testing.T, rows int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("1.3.6.1.2.1.1.1.0|4|Lab switch\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1\n1.3.6.1.2.1.1.5.0|4|lab1\n")
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&b, "1.3.6.1.2.1.2.2.1.2.%d|4|Ethernet%d\n", i, i)
	}
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&b, "1.3.6.1.2.1.31.1.1.1.1.%d|4|Et%d\n", i, i)
	}
	p := filepath.Join(t.TempDir(), "lab.snmprec")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// targetsFor parses a targets.yaml for one agent with extra settings.
func targetsFor(t *testing.T, a *snmplab.Agent, extra string) []snmp.Target {
	t.Helper()
	y := fmt.Sprintf("defaults:\n  community: {env: LAB_COMMUNITY}\n  timeout: 3s\n  retries: 2\n%stargets:\n  - {name: lab1, address: %s, port: %d}\n",
		extra, a.Addr, a.Port)
	ts, err := snmp.ParseTargets([]byte(y), "targets.yaml", func(string) (string, bool) { return a.Community, true }, os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestMaxVarBindsStopsALargeWalk: with max_varbinds: 50 in targets.yaml, a
// switch serving 2,000 ifTable rows is not collected: the poll stops after
// a few requests (not the 80+ a whole walk takes) and the switch's
// snapshot says the cap was reached, with the number and the key to raise.
// The cap counts over the whole switch, not per subtree: 40 ifTable and 40
// ifXTable rows, each under the cap, are over it together.
func TestMaxVarBindsStopsALargeWalk(t *testing.T) {
	for _, c := range []struct {
		name        string
		rows        int
		maxRequests int
	}{
		{"one endless table", 2000, 6},
		{"over the cap in total", 40, 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: writeSnmprec(t, c.rows)})
			ts := targetsFor(t, a, "  max_varbinds: 50\n")
			r := snmp.Poll(context.Background(), ts, snmp.PollOptions{})[0]
			if r.Err == nil {
				t.Fatalf("collected %d varbinds past a cap of 50", r.Walk.Len())
			}
			for _, w := range []string{"lab1", "more than 50 varbinds", "max_varbinds", "targets.yaml"} {
				if !strings.Contains(r.Err.Error(), w) {
					t.Errorf("error %q lacks %q", r.Err, w)
				}
			}
			if !r.Switch.Unreachable || r.Switch.Error != r.Err.Error() || r.Switch.Name != "lab1" {
				t.Errorf("snapshot %+v, want the switch unreachable with the error", r.Switch)
			}
			t.Logf("%d requests: %v", r.Requests, r.Err)
			if r.Requests > c.maxRequests {
				t.Errorf("%d requests: the walk went on past the cap", r.Requests)
			}
		})
	}
	t.Run("under the cap", func(t *testing.T) {
		a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: writeSnmprec(t, 40)})
		r := snmp.Poll(context.Background(), targetsFor(t, a, "  max_varbinds: 83\n"), snmp.PollOptions{})[0]
		if r.Err != nil || r.Switch.Unreachable || len(r.Switch.Ports) != 40 {
			t.Fatalf("83 varbinds under a cap of 83: err %v, %d ports", r.Err, len(r.Switch.Ports))
		}
	})
}
