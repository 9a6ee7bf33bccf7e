package topology

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSnapshotRoundTrip(t *testing.T) {
	active := true
	h := &Host{Name: "web01", Source: "hosts/web01", NICs: []NIC{{Name: "eth0", PermMAC: "52:54:00:00:00:01", Speed: 25000, Duplex: "full", MTU: 9000, State: "up", Master: "bond0"}},
		Bonds: []Bond{{Name: "bond0", Mode: Mode8023AD, MIIMon: 100, LACPRate: "fast", LACPActive: &active,
			Slaves: []Slave{{Name: "eth0", MIIStatus: "up", AggregatorID: 1,
				Actor:   &LACPPort{System: "52:54:00:00:00:01", Key: 15, Port: 1, State: 63, StateKnown: true},
				Partner: &LACPPort{System: "02:1c:73:00:00:01", Key: 1001, Port: 7, State: 63, StateKnown: true}}}}}}
	dir := t.TempDir()
	p := filepath.Join(dir, "web01.json")
	if err := SaveSnapshot(p, h); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := LoadHost(f, p)
	if err != nil {
		t.Fatal(err)
	}
	want := *h
	want.Schema = HostSchema
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// no temp files left behind
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files after save: %d, want 1", len(ents))
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	cases := map[string]string{
		`{"schema":"bondaudit.host/v9","name":"x"}`:        "schema",
		`{"name":"x","nics":[{"name":"eth0","speeed":1}]}`: "speeed",
		`{"name":"x",`: "hosts/x.json:1:13: host snapshot: invalid JSON: file ends early (truncated?)",
		`{"nics":[]}`:  `no "name"`,
		// Issue 12 item 7: what follows the object was ignored.
		"{\"name\":\"x\"}\n\n  garbage":      "hosts/x.json:3:3: host snapshot: invalid JSON: data after the end of the JSON value (trailing garbage): \"garbage\"",
		"{\"name\":\"x\"}\n{\"name\":\"y\"}": "hosts/x.json:2:1: host snapshot: invalid JSON: data after the end",
		// A state byte of 319 is not cast to 63.
		"{\"name\":\"x\",\n\"bonds\":[{\"name\":\"bond0\",\"slaves\":[{\"name\":\"eth0\",\"actor\":{\"state\":319}}]}]}": "hosts/x.json:2:",
		"{\"name\":\"x\",\n\"nics\": \"eth0\"}": "hosts/x.json:2:",
		"":                                      "hosts/x.json: host snapshot: empty file",
	}
	for in, want := range cases {
		_, err := LoadHost(strings.NewReader(in), "hosts/x.json")
		if err == nil || !strings.Contains(err.Error(), "hosts/x.json") || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadHost(%s) error = %v, want it to name the file and %q", in, err, want)
		}
	}
	if _, err := LoadSwitch(strings.NewReader(`{"schema":"bondaudit.host/v1","name":"s"}`), "switches/s.json"); err == nil {
		t.Errorf("LoadSwitch accepted a host schema")
	}
	_, err := LoadSwitch(strings.NewReader("{\"name\":\"s\"}\r\n"+strings.Repeat("x", 50<<20)), "switches/s.json")
	if err == nil || !strings.HasPrefix(err.Error(), "switches/s.json:2:1: switch snapshot: invalid JSON: data after the end") || len(err.Error()) > 300 {
		t.Errorf("LoadSwitch with 50 MB of trailing garbage: %.400v", err)
	}
}

func TestViewJSONShape(t *testing.T) {
	a := leaf("leaf1", "00:00:00:00:0a:01", "Ethernet", 7)
	a.LAGs = []LAG{{Name: "Port-Channel7", Kind: LAGLACP, Members: []string{"Ethernet7"}}}
	h := &Host{Name: "web01", NICs: []NIC{{Name: "eth0", PermMAC: "52:54:00:00:00:01"}},
		Bonds:      []Bond{{Name: "bond0", Mode: Mode8023AD, Slaves: []Slave{{Name: "eth0"}, {Name: "eth1"}}}},
		Neighbours: []Neighbour{lldp("eth0", a.ChassisID, "Ethernet7", IDIfName)}}
	m, _ := Build([]*Host{h}, []*Switch{a}, BuildOptions{})
	var buf bytes.Buffer
	if err := NewView(m).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if v["schema"] != ViewSchema {
		t.Errorf("schema = %v", v["schema"])
	}
	slaves := v["hosts"].([]any)[0].(map[string]any)["bonds"].([]any)[0].(map[string]any)["slaves"].([]any)
	first := slaves[0].(map[string]any)
	if first["switch"] != "leaf1" || first["port"] != "Ethernet7" || first["mac"] != "52:54:00:00:00:01" {
		t.Errorf("slave 0 = %v", first)
	}
	if _, ok := slaves[1].(map[string]any)["switch"]; ok {
		t.Errorf("unmapped slave has a switch: %v", slaves[1])
	}
	lag := v["switches"].([]any)[0].(map[string]any)["lags"].([]any)[0].(map[string]any)
	if lag["kind"] != "lacp" || lag["members"].([]any)[0] != "Ethernet7" {
		t.Errorf("lag = %v", lag)
	}
	var text bytes.Buffer
	NewView(m).WriteText(&text)
	for _, want := range []string{"web01", "eth1", "(unmapped)", "Port-Channel7"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text view lacks %q:\n%s", want, text.String())
		}
	}
}
