package host

import (
	"strings"
	"testing"
)

// TestLLDPJSONWrongTypes: issue 12 item 7. A value of the wrong type where
// lldpcli always prints an object was skipped without a word (the host
// then has no neighbour there); it is now an error at file:line:column.
func TestLLDPJSONWrongTypes(t *testing.T) {
	for _, tc := range lldpWrongTypeCases {
		t.Run(tc.name, func(t *testing.T) {
			nbs, err := ParseLLDP([]byte(tc.in), "lldp.json")
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n  %v\nwant\n  %s", err, tc.want)
			}
			if len(nbs) > 0 {
				t.Errorf("neighbours with an error: %+v", nbs)
			}
		})
	}
	// Empty output of lldpcli (no neighbour) in both forms, and null, are fine.
	for _, in := range []string{"{\n  \"lldp\": {\n\n  }\n}\n", "{\n  \"lldp\": [\n    {\n\n    }\n  ]\n}\n", `{"lldp": null}`, `{"lldp": {"interface": null}}`} {
		if nbs, err := ParseLLDP([]byte(in), "lldp.json"); err != nil || len(nbs) != 0 {
			t.Errorf("%q: %v %v", in, nbs, err)
		}
	}
	// A huge key is clipped in the message.
	in := `{"lldp": {"interface": {"` + strings.Repeat(`\u001b`, 1<<18) + `": 5}}}`
	if _, err := ParseLLDP([]byte(in), "lldp.json"); err == nil || !strings.Contains(err.Error(), "is a number") || len(err.Error()) > 400 || strings.Contains(err.Error(), "\x1b") {
		t.Errorf("%.400v", err)
	}
}

// lldpWrongTypeCases are TestLLDPJSONWrongTypes' documents and errors.
var lldpWrongTypeCases = []struct{ name, in, want string }{
	{"lldp is a string", `{"lldp": "eth0"}`,
		`lldp.json:1:10: not lldpcli JSON: lldp is a string, want an object or a list of objects`},
	{"interface is a number", "{\"lldp\": {\n  \"interface\": 7}}",
		`lldp.json:2:16: not lldpcli JSON: lldp.interface is a number, want an object or a list of objects`},
	{"json0 list element", "{\"lldp\": [{\"interface\": [\n {\"name\": \"eth0\"},\n \"eth1\"]}]}",
		`lldp.json:3:2: not lldpcli JSON: lldp[0].interface[1] is a string, want an object`},
	{"json interface body", "{\"lldp\": {\"interface\": {\n\"eth0\": [1]}}}",
		`lldp.json:2:9: not lldpcli JSON: lldp.interface.eth0 is a list, want an object`},
	{"chassis", "{\"lldp\": {\"interface\": {\"eth0\": {\n  \"chassis\": \"leaf1\",\n  \"port\": {\"id\": {\"type\": \"ifname\", \"value\": \"Ethernet7\"}}}}}}",
		`lldp.json:2:14: not lldpcli JSON: lldp.interface.eth0.chassis is a string, want an object or a list of objects`},
	{"port id", "{\"lldp\": {\"interface\": {\"eth0\": {\"chassis\": {\"leaf1\": {\"id\": {\"type\": \"mac\", \"value\": \"00:1c:73:00:00:01\"}}},\n  \"port\": {\"id\": true}}}}}",
		`lldp.json:2:18: not lldpcli JSON: lldp.interface.eth0.port.id is a boolean, want an object or a list of objects`},
	{"vlan", "{\"lldp\": {\"interface\": {\"eth0\": {\"vlan\": [{\"vlan-id\": \"10\"}, 10]}}}}",
		`lldp.json:1:62: not lldpcli JSON: lldp.interface.eth0.vlan[1] is a number, want an object`},
}
