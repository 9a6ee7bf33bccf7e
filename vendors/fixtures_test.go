package vendors_test

import (
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// fixtureDir holds the recorded real-device walks, read in place.
var fixtureDir = fixtures.Path("snmp")

// recordings returns every shared recording, skipping t when there are none.
func recordings(t testing.TB) []string {
	t.Helper()
	return fixtures.Glob(t, "snmp", "*.snmprec")
}

func decodeFile(t testing.TB, path string) (*topology.Switch, []string) {
	t.Helper()
	w, errs, err := snmp.ReadWalkFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var probs []string
	for _, e := range errs {
		probs = append(probs, e.Error())
	}
	s, p := texts(vendors.Decode(w, strings.TrimSuffix(filepath.Base(path), ".snmprec")))
	return s, append(probs, p...)
}

// show states a value on one line, as the oracle does.
func show(s string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}

// summary renders what the decoder understood in the format of
// testdata/fixtures/*.want: LAGs with members, LLDP and CDP neighbours per local port.
func summary(s *topology.Switch) []string {
	var lags, nbrs []string
	for _, l := range s.LAGs {
		ms := slices.Clone(l.Members)
		slices.Sort(ms)
		m := strings.Join(ms, " ")
		if m == "" {
			m = "-"
		}
		lags = append(lags, "lag "+show(l.Name)+": "+show(m))
	}
	slices.Sort(lags)
	for _, n := range s.Neighbours {
		local := n.LocalPort
		if local == "" {
			local = "?"
		}
		if strings.HasPrefix(n.Source, "LLDP-V2-MIB") {
			nbrs = append(nbrs, "nbr "+local+": v2 chassis="+n.ChassisID)
			continue
		}
		nbrs = append(nbrs, "nbr "+show(local)+": sys="+show(n.SystemName)+" chassis="+show(n.ChassisID)+" port="+show(n.PortID))
	}
	slices.Sort(nbrs)
	return append(lags, nbrs...)
}

// TestFixturesLAGsAndNeighbours: for every recording, the LAGs with their
// members and the LLDP and CDP neighbours per local port match
// testdata/fixtures/<name>.want, which was derived from the raw OIDs by an
// independent reader (testdata/fixture_oracle.py) and reviewed by hand.
func TestFixturesLAGsAndNeighbours(t *testing.T) {
	for _, f := range recordings(t) {
		name := strings.TrimPrefix(strings.TrimSuffix(filepath.Base(f), ".snmprec"), "librenms__")
		t.Run(name, func(t *testing.T) {
			s, _ := decodeFile(t, f)
			want, err := os.ReadFile(filepath.Join("testdata", "fixtures", name+".want"))
			if err != nil {
				t.Fatalf("no expectation for %s: %v", name, err)
			}
			w := strings.Split(strings.TrimRight(string(want), "\n"), "\n")
			if len(want) == 0 {
				w = nil
			}
			got := summary(s)
			if !slices.Equal(got, w) {
				var missing, extra []string
				for _, l := range w {
					if !slices.Contains(got, l) {
						missing = append(missing, l)
					}
				}
				for _, l := range got {
					if !slices.Contains(w, l) {
						extra = append(extra, l)
					}
				}
				t.Errorf("%s: decoder and raw-OID reading differ\nmissing:\n  %s\nextra:\n  %s", name, strings.Join(missing, "\n  "), strings.Join(extra, "\n  "))
			}
			if len(s.Ports) == 0 {
				t.Errorf("%s: no ports decoded", name)
			}
			if s.Vendor == "" || s.Name == "" {
				t.Errorf("%s: vendor %q name %q", name, s.Vendor, s.Name)
			}
		})
	}
}

// texts is a decode's problems as their text ("line N: what").
func texts(s *topology.Switch, probs []topology.Problem) (*topology.Switch, []string) {
	return s, topology.ProblemTexts(probs)
}
