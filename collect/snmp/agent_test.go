package snmp_test

// Tests against a real net-snmp snmpd on loopback serving recorded walks
// (internal/snmplab): the protocol, USM crypto and error answers are the
// agent's own.

import (
	"context"
	"errors"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/snmplab"
	"github.com/bondaudit/bondaudit/vendors"
)

func fixture(t *testing.T, name string) string {
	t.Helper()
	p := fixtures.Path("snmp", name)
	if _, _, err := snmp.ReadWalkFile(p); err != nil {
		t.Skipf("shared fixtures not present (%v)", err)
	}
	return p
}

// sameValue compares a value read from a file with one read over SNMP
// (pass_persist has no Opaque: it arrives as an octet string).
func sameValue(a, b vendors.Value) bool {
	if a.Kind == vendors.KindOpaque {
		a.Kind = vendors.KindOctetString
	}
	return a.Kind == b.Kind && a.Int == b.Int && a.Uint == b.Uint && string(a.Bytes) == string(b.Bytes) && a.OID == b.OID
}

func dial(t *testing.T, a *snmplab.Agent, opt snmp.Options) snmp.Client {
	t.Helper()
	opt.Address, opt.Port = a.Addr, a.Port
	if opt.Timeout == 0 {
		// generous: CI machines run many agents and tests at once
		opt.Timeout, opt.Retries = 3*time.Second, 2
	}
	c, err := snmp.Dial(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestBulkWalkMatchesRecording: a whole recording walked from snmpd with
// GETBULK (v2c) and GETNEXT (v1) is the recording, value for value.
func TestBulkWalkMatchesRecording(t *testing.T) {
	path := fixture(t, "librenms__arista_eos.snmprec")
	want, _, err := snmp.ReadWalkFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: path})
	for _, v := range []snmp.Version{snmp.V2c, snmp.V1} {
		t.Run(string(v), func(t *testing.T) {
			c := dial(t, a, snmp.Options{Version: v, Community: snmp.NewSecret("public"), MaxRepetitions: 25})
			var got []vendors.VarBind
			for _, root := range []string{"1.0", "1.2", "1.3"} {
				vbs, err := c.BulkWalk(context.Background(), root)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, vbs...)
			}
			var wantAll []vendors.VarBind
			for _, vb := range want.All() {
				// SNMPv1 cannot carry Counter64: agents skip those.
				if v == snmp.V1 && vb.Value.Kind == vendors.KindCounter64 {
					continue
				}
				wantAll = append(wantAll, vb)
			}
			if len(got) != len(wantAll) {
				t.Fatalf("walked %d varbinds, the recording has %d", len(got), len(wantAll))
			}
			for i := range got {
				if got[i].OID != wantAll[i].OID || !sameValue(wantAll[i].Value, got[i].Value) {
					t.Fatalf("varbind %d: got %s = %v, want %s = %v", i, got[i].OID, got[i].Value, wantAll[i].OID, wantAll[i].Value)
				}
			}
			// GETBULK pages of 25: about len/25 requests; GETNEXT one per varbind.
			per := 25
			if v == snmp.V1 {
				per = 1
			}
			if max := len(got)/per + 3*3; c.Requests() > max {
				t.Errorf("%d requests for %d varbinds, want at most %d", c.Requests(), len(got), max)
			}
		})
	}
}

func TestSNMPv3(t *testing.T) {
	path := fixture(t, "librenms__ios_2960x.snmprec")
	a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: path, Users: []snmplab.V3User{
		{Name: "auditor", AuthProto: "SHA-256", Auth: "correct horse battery", PrivProto: "AES", Priv: "staple twelve"},
		{Name: "signer", AuthProto: "SHA", Auth: "only signing here", NoPriv: true},
	}})
	ok := func(u *snmp.V3Options) {
		t.Helper()
		c := dial(t, a, snmp.Options{Version: snmp.V3, V3: u})
		vbs, err := c.Get(context.Background(), "1.3.6.1.2.1.1.5.0")
		if err != nil || len(vbs) != 1 || !vbs[0].Value.Exists() {
			t.Fatalf("%s: %v %v", u.User, vbs, err)
		}
	}
	ok(&snmp.V3Options{User: "auditor", AuthProtocol: "SHA256", AuthKey: snmp.NewSecret("correct horse battery"), PrivProtocol: "AES", PrivKey: snmp.NewSecret("staple twelve")})
	ok(&snmp.V3Options{User: "signer", AuthProtocol: "SHA", AuthKey: snmp.NewSecret("only signing here")})

	for _, c := range []struct {
		name string
		u    snmp.V3Options
		want string
	}{
		{"wrong auth key", snmp.V3Options{User: "auditor", AuthProtocol: "SHA256", AuthKey: snmp.NewSecret("wrong horse battery"), PrivProtocol: "AES", PrivKey: snmp.NewSecret("staple twelve")}, "wrong auth key"},
		{"unknown user", snmp.V3Options{User: "mallory", AuthProtocol: "SHA256", AuthKey: snmp.NewSecret("correct horse battery"), PrivProtocol: "AES", PrivKey: snmp.NewSecret("staple twelve")}, "user name the agent does not know"},
		{"wrong priv key", snmp.V3Options{User: "auditor", AuthProtocol: "SHA256", AuthKey: snmp.NewSecret("correct horse battery"), PrivProtocol: "AES", PrivKey: snmp.NewSecret("stable twelve")}, "wrong privacy key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := dial(t, a, snmp.Options{Version: snmp.V3, V3: &c.u, Timeout: 500 * time.Millisecond})
			_, err := cl.Get(context.Background(), "1.3.6.1.2.1.1.5.0")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one saying %q", err, c.want)
			}
			for _, secret := range []string{"wrong horse battery", "correct horse battery", "staple twelve", "stable twelve"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error leaks a key: %v", err)
				}
			}
		})
	}
}

func TestWrongCommunityAndNoAgent(t *testing.T) {
	path := fixture(t, "librenms__ios_2960x.snmprec")
	a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: path, Community: "s3cret-ro"})
	c := dial(t, a, snmp.Options{Version: snmp.V2c, Community: snmp.NewSecret("public"), Timeout: 300 * time.Millisecond})
	_, err := c.Get(context.Background(), "1.3.6.1.2.1.1.5.0")
	if err == nil || !strings.Contains(err.Error(), "wrong community") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("wrong community: %v", err)
	}
	nobody := &snmplab.Agent{Addr: "127.0.0.1", Port: snmplab.FreeUDPPort(t)}
	c = dial(t, nobody, snmp.Options{Version: snmp.V2c, Community: snmp.NewSecret("public"), Timeout: 200 * time.Millisecond})
	start := time.Now()
	_, err = c.Get(context.Background(), "1.3.6.1.2.1.1.5.0")
	if err == nil {
		t.Fatal("an answer from a port where nothing listens")
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("no-agent error took %s", time.Since(start))
	}
}

// TestDeadlineStopsASlowWalk: an agent that answers every request late is
// abandoned when the context's deadline passes.
func TestDeadlineStopsASlowWalk(t *testing.T) {
	path := fixture(t, "librenms__ios_2960x.snmprec")
	a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: path, Delay: 20 * time.Millisecond})
	c := dial(t, a, snmp.Options{Version: snmp.V2c, Community: snmp.NewSecret("public"), Timeout: 2 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.BulkWalk(ctx, "1.3.6.1.2.1")
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("walk of a slow agent: %v, want the deadline", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("deadline of 700ms stopped the walk only after %s", el)
	}
}
