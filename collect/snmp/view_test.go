package snmp_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/snmplab"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// systemOnly is a recording of an agent whose view holds only the system
// group.
const systemOnly = "1.3.6.1.2.1.1.1.0|4|Lab switch\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1\n1.3.6.1.2.1.1.3.0|67|123456\n1.3.6.1.2.1.1.5.0|4|lab1\n"

func checkNarrow(t *testing.T, what, msg string) {
	t.Helper()
	for _, w := range []string{"SNMP view shows no IF-MIB ifTable", "view is too narrow", "1.3.6.1.2.1.2", "1.3.6.1.2.1.31"} {
		if !strings.Contains(msg, w) {
			t.Errorf("%s: %q lacks %q", what, msg, w)
		}
	}
}

// TestNarrowViewIsNotCollected: an agent that answers but whose view shows
// only the system group is a switch that could not be read, saying the
// view is too narrow: once with snmpd's own VACM view limited to the
// system group (the walk served has an ifTable), once with a walk that
// holds nothing else.
func TestNarrowViewIsNotCollected(t *testing.T) {
	narrow := filepath.Join(t.TempDir(), "narrow.snmprec")
	if err := os.WriteFile(narrow, []byte(systemOnly), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		opt  snmplab.AgentOptions
	}{
		{"snmpd view of the system group", snmplab.AgentOptions{Walk: writeSnmprec(t, 4), View: ".1.3.6.1.2.1.1"}},
		{"walk of the system group only", snmplab.AgentOptions{Walk: narrow}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := snmplab.StartAgent(t, c.opt)
			r := snmp.Poll(context.Background(), targetsFor(t, a, ""), snmp.PollOptions{})[0]
			if r.Err == nil {
				t.Fatalf("collected: %d ports from %d varbinds", len(r.Switch.Ports), r.Walk.Len())
			}
			checkNarrow(t, "poll error", r.Err.Error())
			if !r.Switch.Unreachable || r.Switch.Error != r.Err.Error() {
				t.Errorf("snapshot %+v, want unreachable with the error", r.Switch)
			}
		})
	}
	t.Run("full view", func(t *testing.T) {
		a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: writeSnmprec(t, 4)})
		r := snmp.Poll(context.Background(), targetsFor(t, a, ""), snmp.PollOptions{})[0]
		if r.Err != nil || r.Switch.Unreachable || len(r.Switch.Ports) != 4 {
			t.Fatalf("err %v, snapshot %+v", r.Err, r.Switch)
		}
	})
}

// TestNarrowViewRecording: a recorded walk (snmprec or snmpwalk -On) with
// only the system group is an unreachable switch in the site, with a
// problem naming the file; the site's other switch is read as usual.
func TestNarrowViewRecording(t *testing.T) {
	dir := t.TempDir()
	sw := filepath.Join(dir, "switches")
	if err := os.MkdirAll(sw, 0o755); err != nil {
		t.Fatal(err)
	}
	walk := ".1.3.6.1.2.1.1.1.0 = STRING: \"Lab switch\"\n.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.99999.1\n.1.3.6.1.2.1.1.5.0 = STRING: \"lab2\"\n"
	full, err := os.ReadFile(writeSnmprec(t, 3))
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"narrow.snmprec": systemOnly, "narrow2.walk": walk, "full.snmprec": strings.ReplaceAll(string(full), "lab1", "full1")} {
		if err := os.WriteFile(filepath.Join(sw, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site, err := collect.LoadSite(os.DirFS(dir), "lab", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range site.Switches {
		got[s.Name] = s.Unreachable
		if s.Unreachable {
			checkNarrow(t, s.Name, s.Error)
		}
	}
	if len(got) != 3 || !got["lab1"] || !got["lab2"] || got["full1"] {
		t.Errorf("switches (name: unreachable) %v, want lab1 and lab2 unreachable, full1 read", got)
	}
	for _, f := range []string{"switches/narrow.snmprec: ", "switches/narrow2.walk: "} {
		found := false
		for _, p := range topology.ProblemTexts(site.Problems) {
			if strings.HasPrefix(p, f) && strings.Contains(p, vendors.NarrowView) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem for %s in %q", f, topology.ProblemTexts(site.Problems))
		}
	}
}
