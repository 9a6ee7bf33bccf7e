package snmp

import (
	"strings"
	"testing"
)

// TestAdHocTargets: net-snmp-style flags become targets with a targets
// file's defaults; the security level is read from what is given.
func TestAdHocTargets(t *testing.T) {
	ts, err := AdHoc{Addresses: []string{"10.0.0.1", "[2001:db8::1]:1161"}, Community: "env:RO_COMMUNITY"}.Targets(lookup, fakeReadFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Name != "10.0.0.1" || ts[0].Options.Port != 161 || ts[0].Options.Version != V2c || ts[0].Options.Community.Reveal() != "s3cret-community" ||
		ts[1].Name != "[2001:db8::1]:1161" || ts[1].Options.Address != "2001:db8::1" || ts[1].Options.Port != 1161 || ts[0].Options.Timeout == 0 || ts[0].Deadline == 0 {
		t.Errorf("v2c: %+v", ts)
	}
	for _, c := range []struct {
		a          AdHoc
		auth, priv string
	}{
		{AdHoc{User: "u"}, "", ""},
		{AdHoc{User: "u", Level: "noAuthNoPriv", Version: "3"}, "", ""},
		{AdHoc{User: "u", AuthProto: "sha-384", AuthPass: "file:/etc/bondaudit/access.community"}, "SHA384", ""},
		{AdHoc{User: "u", Level: "authPriv", AuthProto: "SHA", AuthPass: "env:AUTH", PrivProto: "AES-256", PrivPass: "env:PRIV"}, "SHA", "AES256"},
	} {
		c.a.Addresses = []string{"sw1:1161"}
		ts, err := c.a.Targets(lookup, fakeReadFile)
		if err != nil {
			t.Errorf("%+v: %v", c.a, err)
			continue
		}
		o := ts[0].Options
		if o.Version != V3 || o.V3 == nil || o.V3.User != "u" || o.V3.AuthProtocol != c.auth || o.V3.PrivProtocol != c.priv || o.Port != 1161 || o.Address != "sw1" {
			t.Errorf("%+v: %+v %+v", c.a, o, o.V3)
		}
	}
	for _, c := range []struct {
		a    AdHoc
		want string
	}{
		{AdHoc{User: "u", Level: "noAuthNoPriv", AuthProto: "SHA", AuthPass: "x"}, "-l noAuthNoPriv takes no"},
		{AdHoc{User: "u", Level: "authNoPriv", AuthProto: "SHA", AuthPass: "x", PrivProto: "AES", PrivPass: "y"}, "takes no -x/-X"},
		{AdHoc{User: "u", Level: "authnopriv"}, "needs -a PROTOCOL and -A"},
		{AdHoc{User: "u", Level: "secret"}, "want noAuthNoPriv"},
		{AdHoc{Version: "4", Community: "x"}, "-v 4: want 1, 2c or 3"},
		{AdHoc{Version: "3", User: "u", Community: "x"}, "-c is a v1/v2c community"},
		{AdHoc{Community: "env:"}, "environment variable  is not set"},
		{AdHoc{Community: "file:/etc/nope"}, "-c: open /etc/nope"},
		{AdHoc{Community: "x", Name: "../x"}, "no slashes"},
	} {
		c.a.Addresses = []string{"sw1"}
		_, err := c.a.Targets(lookup, fakeReadFile)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.a, err, c.want)
		}
	}
	if _, err := (AdHoc{Addresses: []string{"sw1", "sw1"}, Community: "x"}).Targets(lookup, fakeReadFile); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("same address twice: %v", err)
	}
}
