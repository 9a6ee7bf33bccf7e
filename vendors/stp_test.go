package vendors_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// basePorts maps dot1dBasePort 1-4 to ifIndex 1-4 (Ethernet1-4 of base).
const basePorts = `1.3.6.1.2.1.17.1.4.1.2.1|2|1
1.3.6.1.2.1.17.1.4.1.2.2|2|2
1.3.6.1.2.1.17.1.4.1.2.3|2|3
1.3.6.1.2.1.17.1.4.1.2.4|2|4
`

// recording decodes one shared recording, skipping when it is absent.
func recording(t *testing.T, name string) (*topology.Switch, []string) {
	t.Helper()
	path := filepath.Join(fixtureDir, name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared SNMP fixture %s not present: %v", path, err)
	}
	return decodeFile(t, path)
}

func portNamed(t *testing.T, s *topology.Switch, name string) *topology.Port {
	t.Helper()
	for i := range s.Ports {
		if s.Ports[i].Name == name {
			return &s.Ports[i]
		}
	}
	t.Fatalf("%s: no port %s", s.Name, name)
	return nil
}

func edgeText(e *bool) string {
	switch {
	case e == nil:
		return "unknown"
	case *e:
		return "edge"
	}
	return "not edge"
}

func TestEdgeOperPreferredAdminFallback(t *testing.T) {
	// base port 1: oper true; 2: oper false; 3: admin true only;
	// 4: oper false with admin true (oper wins); 9: no interface, silently
	// skipped even with a bad value.
	rec := base + basePorts + `1.3.6.1.2.1.17.2.19.1.2.3|2|1
1.3.6.1.2.1.17.2.19.1.2.4|2|1
1.3.6.1.2.1.17.2.19.1.3.1|2|1
1.3.6.1.2.1.17.2.19.1.3.2|2|2
1.3.6.1.2.1.17.2.19.1.3.4|2|2
1.3.6.1.2.1.17.2.19.1.3.9|2|7
`
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	if len(probs) > 0 {
		t.Errorf("problems: %q", probs)
	}
	for name, want := range map[string]string{"Ethernet1": "edge", "Ethernet2": "not edge", "Ethernet3": "edge", "Ethernet4": "not edge"} {
		if got := edgeText(portNamed(t, s, name).Edge); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	if got := edgeText(portNamed(t, s, "Port-Channel10").Edge); got != "unknown" {
		t.Errorf("Port-Channel10 (no STP row): %s", got)
	}
}

func TestEdgeBadValueIsProblem(t *testing.T) {
	rec := base + basePorts + `1.3.6.1.2.1.17.2.19.1.2.1|2|1
1.3.6.1.2.1.17.2.19.1.3.1|2|3
1.3.6.1.2.1.17.2.19.1.3.2|4|yes
`
	s, probs := texts(vendors.Decode(walk(t, rec), "x"))
	all := strings.Join(probs, "\n")
	for _, want := range []string{"dot1dStpPortOperEdgePort.1 = 3", "dot1dStpPortOperEdgePort.2 = yes"} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem naming %q: %q", want, probs)
		}
	}
	if !strings.Contains(all, "line ") {
		t.Errorf("problems lack input lines: %q", probs)
	}
	for _, name := range []string{"Ethernet1", "Ethernet2"} {
		if e := portNamed(t, s, name).Edge; e != nil {
			t.Errorf("%s: %s from a bad value, want unknown", name, edgeText(e))
		}
	}
}

func TestForwardDelay(t *testing.T) {
	for _, c := range []struct {
		name, rows string
		want       int
		problem    string
	}{
		{"in use, centiseconds", "1.3.6.1.2.1.17.2.11.0|2|1500\n", 15000, ""},
		{"in use wins over bridge", "1.3.6.1.2.1.17.2.11.0|2|1500\n1.3.6.1.2.1.17.2.14.0|2|2000\n", 15000, ""},
		{"bridge value when in-use absent", "1.3.6.1.2.1.17.2.14.0|2|2000\n", 20000, ""},
		{"bridge value when in-use is 0", "1.3.6.1.2.1.17.2.11.0|2|0\n1.3.6.1.2.1.17.2.14.0|2|400\n", 4000, ""},
		{"seconds-scale value", "1.3.6.1.2.1.17.2.11.0|2|15\n", 0, "dot1dStpForwardDelay.0 = 15"},
		{"seconds-scale bridge value", "1.3.6.1.2.1.17.2.14.0|2|15\n", 0, "dot1dStpBridgeForwardDelay.0 = 15"},
		{"dot1dStpVersion is no delay", "1.3.6.1.2.1.17.2.16.0|2|2\n", 0, ""},
		{"absent", "", 0, ""},
		{"zero", "1.3.6.1.2.1.17.2.11.0|2|0\n", 0, ""},
	} {
		s, probs := texts(vendors.Decode(walk(t, base+c.rows), "x"))
		if s.STPForwardDelay != c.want {
			t.Errorf("%s: forward delay %d ms, want %d", c.name, s.STPForwardDelay, c.want)
		}
		all := strings.Join(probs, "\n")
		if c.problem == "" && len(probs) > 0 {
			t.Errorf("%s: problems %q", c.name, probs)
		}
		if c.problem != "" && (!strings.Contains(all, c.problem) || !strings.Contains(all, "line ")) {
			t.Errorf("%s: no problem with line naming %q: %q", c.name, c.problem, probs)
		}
	}
}

// TestSTPEltexRecording checks the Eltex MES2348P recording's RSTP-MIB rows,
// read with grep from the raw OIDs (base port n = ifIndex n there):
//
//	1.3.6.1.2.1.17.2.11.0|2|1500          dot1dStpForwardDelay 15 s
//	1.3.6.1.2.1.17.2.16.0|2|2             dot1dStpVersion (not a delay)
//	1.3.6.1.2.1.17.2.19.1.2.*|2|2         AdminEdgePort false on all 100 rows
//	1.3.6.1.2.1.17.2.19.1.3.49|2|1        gi1/0/1  OperEdgePort true
//	1.3.6.1.2.1.17.2.19.1.3.57|2|2        gi1/0/9  false
//	1.3.6.1.2.1.17.2.19.1.3.81|2|2        gi1/0/33 false
//	1.3.6.1.2.1.17.2.19.1.3.85|2|1        gi1/0/37 true
//	1.3.6.1.2.1.17.2.19.1.3.105|2|2       te1/0/1  false
//	1.3.6.1.2.1.17.2.19.1.3.1000|2|2      Po1      false
//
// 33 rows are true(1) and 67 false(2).
func TestSTPEltexRecording(t *testing.T) {
	s, probs := recording(t, "librenms__eltex-mes23xx_mes2348p.snmprec")
	for _, p := range probs {
		if strings.Contains(p, "dot1dStp") {
			t.Errorf("problem: %s", p)
		}
	}
	if s.STPForwardDelay != 15000 {
		t.Errorf("forward delay %d ms, want 15000", s.STPForwardDelay)
	}
	for name, want := range map[string]string{
		"gi1/0/1": "edge", "gi1/0/9": "not edge", "gi1/0/33": "not edge",
		"gi1/0/37": "edge", "te1/0/1": "not edge", "Po1": "not edge",
	} {
		if got := edgeText(portNamed(t, s, name).Edge); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	edge, notEdge := 0, 0
	for _, p := range s.Ports {
		if p.Edge != nil && *p.Edge {
			edge++
		} else if p.Edge != nil {
			notEdge++
		}
	}
	if edge != 33 || notEdge != 67 {
		t.Errorf("%d edge and %d non-edge ports, want 33 and 67", edge, notEdge)
	}
}
