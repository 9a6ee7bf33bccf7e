package topology

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzLoadSnapshot: any bytes given as a host or switch snapshot are
// refused with an error naming the file, or give a snapshot with a name
// and the current schema that survives a round trip: written as JSON and
// read again, it writes the same JSON.
func FuzzLoadSnapshot(f *testing.F) {
	for _, s := range []string{
		`{"schema":"` + HostSchema + `","name":"web01","nics":[{"name":"eth0","perm_mac":"00:11:22:33:44:55","speed":10000}],"bonds":[{"name":"bond0","mode":"802.3ad","slaves":[{"name":"eth0"}]}]}`,
		`{"name":"leaf1","ports":[{"name":"Ethernet1","ifindex":1,"oper":"up","lacp":{"status":"bundled","partner":{"system":"00:11:22:33:44:55","key":1,"port":2,"state":61}}}],"lags":[{"name":"Po1","kind":"lacp","members":["Ethernet1"]}]}`,
		`{"name":"x","unknown_field":1}`,
		`{"name":"x"} trailing`,
		`{"schema":"bondaudit.host/v9","name":"x"}`,
		`{"name":"leaf1","unreachable":true,"error":"no answer","fdb":[{"mac":"00:11:22:33:44:55","vlan":10,"port":"Et1"}],"neighbours":[{"port":"Et1","protocol":"lldp","system_name":"web01"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(v any, err error, load func([]byte) (any, error)) {
			if err != nil {
				if !strings.HasPrefix(err.Error(), "fuzz.json:") { // "fuzz.json: …" or "fuzz.json:LINE:COL: …"
					t.Fatalf("error does not name the file: %v", err)
				}
				return
			}
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("loaded snapshot does not marshal: %v", err)
			}
			again, err := load(b)
			if err != nil {
				t.Fatalf("written snapshot does not load: %v\n%s", err, b)
			}
			// compared as JSON: an empty list read becomes an absent one
			if b2, _ := json.Marshal(again); !bytes.Equal(b, b2) {
				t.Fatalf("round trip differs:\n%s\n%s", b, b2)
			}
		}
		h, err := LoadHost(bytes.NewReader(data), "fuzz.json")
		if err == nil && (h.Name == "" || h.Schema != HostSchema) {
			t.Fatalf("host %q schema %q", h.Name, h.Schema)
		}
		check(h, err, func(b []byte) (any, error) { return LoadHost(bytes.NewReader(b), "again.json") })
		s, err := LoadSwitch(bytes.NewReader(data), "fuzz.json")
		if err == nil && (s.Name == "" || s.Schema != SwitchSchema) {
			t.Fatalf("switch %q schema %q", s.Name, s.Schema)
		}
		check(s, err, func(b []byte) (any, error) { return LoadSwitch(bytes.NewReader(b), "again.json") })
	})
}
