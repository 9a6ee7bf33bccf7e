package snmporacle_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/fixtures"
	"github.com/bondaudit/bondaudit/internal/snmporacle"
)

// decodeFixture runs the oracle on a shared recording.
func decodeFixture(t *testing.T, path string) *snmporacle.Device {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := snmporacle.Read(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return snmporacle.Decode(w)
}

// TestOracleAgreesWithLibreNMS checks the oracle itself against a third,
// unrelated reading: the LibreNMS test data extracts beside the
// recordings (<name>.expected.json, "discovery-protocols" links: the local
// ifName LibreNMS placed each LLDP/CDP neighbour on). Every link there must
// be a neighbour of the oracle on the same local port with the same remote
// system name (or, for rows without one, chassis ID or port).
func TestOracleAgreesWithLibreNMS(t *testing.T) {
	files := fixtures.Glob(t, "snmp", "*.expected.json")
	checked := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".expected.json")
		rec := strings.TrimSuffix(f, ".expected.json") + ".snmprec"
		if _, err := os.Stat(rec); err != nil {
			continue
		}
		var doc struct {
			DP struct {
				Discovery struct {
					Links []struct {
						Protocol       string `json:"protocol"`
						RemoteHostname string `json:"remote_hostname"`
						RemotePort     string `json:"remote_port"`
						IfName         string `json:"ifName"`
					} `json:"links"`
				} `json:"discovery"`
			} `json:"discovery-protocols"`
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		links := doc.DP.Discovery.Links
		if len(links) == 0 {
			continue
		}
		d := decodeFixture(t, rec)
		for _, l := range links {
			found := false
			for _, n := range d.Neighbours {
				if n.Protocol != l.Protocol || n.Local != l.IfName {
					continue
				}
				h := strings.ToLower(l.RemoteHostname)
				if h == strings.ToLower(n.SystemName) || h == strings.ToLower(n.Chassis) ||
					n.SystemName == "" && strings.HasPrefix(strings.ToLower(l.RemotePort), strings.ToLower(n.Port)) {
					found = true
					break
				}
			}
			checked++
			if !found {
				t.Errorf("%s: LibreNMS has a %s neighbour %q (port %q) on %q; the oracle has none there", name, l.Protocol, l.RemoteHostname, l.RemotePort, l.IfName)
			}
		}
	}
	t.Logf("%d LibreNMS links checked", checked)
}
