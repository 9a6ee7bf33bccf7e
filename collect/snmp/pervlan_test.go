package snmp_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/vendors"
)

// fakeAgent serves one walk per community. Used where the lab agent cannot
// go: snmpd has no per-VLAN BRIDGE-MIB contexts to offer.
type fakeAgent struct {
	byCommunity map[string]*vendors.Walk
	dialed      []string
	budgets     []int // each session's MaxVarBinds
}

type fakeClient struct {
	w    *vendors.Walk
	reqs int
}

func (f *fakeAgent) dial(o snmp.Options) (snmp.Client, error) {
	f.dialed = append(f.dialed, o.Community.Reveal())
	f.budgets = append(f.budgets, o.MaxVarBinds)
	w := f.byCommunity[o.Community.Reveal()]
	if w == nil {
		w = vendors.NewWalk(nil)
	}
	return &fakeClient{w: w}, nil
}

func (c *fakeClient) Get(_ context.Context, oids ...string) ([]vendors.VarBind, error) {
	c.reqs++
	var out []vendors.VarBind
	for _, o := range oids {
		v, _ := c.w.Get(strings.TrimPrefix(o, "."))
		out = append(out, vendors.VarBind{OID: o, Value: v})
	}
	return out, nil
}

func (c *fakeClient) BulkWalk(_ context.Context, root string) ([]vendors.VarBind, error) {
	c.reqs++
	var out []vendors.VarBind
	for _, vb := range c.w.All() {
		if strings.HasPrefix(vb.OID, strings.Trim(root, ".")+".") {
			out = append(out, vb)
		}
	}
	return out, nil
}

func (c *fakeClient) Walk(ctx context.Context, root string) ([]vendors.VarBind, error) {
	return c.BulkWalk(ctx, root)
}
func (c *fakeClient) Requests() int { return c.reqs }
func (c *fakeClient) Close() error  { return nil }

func walkOf(t *testing.T, rec string) *vendors.Walk {
	t.Helper()
	vbs, errs := snmp.ReadSnmprec(strings.NewReader(strings.TrimSpace(rec)+"\n"), "fake")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return vendors.NewWalk(vbs)
}

// TestCiscoFDBPerVLAN: Cisco IOS serves its FDB per VLAN context; the
// poller reads each operational VLAN (not 1002-1005) with community@vlan
// and tags the entries with the VLAN.
func TestCiscoFDBPerVLAN(t *testing.T) {
	f := ciscoPerVLAN(t)
	rs := snmp.Poll(context.Background(), []snmp.Target{{Name: "access9", Deadline: time.Minute,
		Options: snmp.Options{Address: "192.0.2.9", Version: snmp.V2c, Community: snmp.NewSecret("ro")}}},
		snmp.PollOptions{Dial: f.dial})
	checkCiscoPerVLAN(t, f, rs[0])
}

// TestPerVLANSessionsShareTheCap: the per-VLAN sessions get what is left
// of the switch's max_varbinds, and none is opened once it is used up.
func TestPerVLANSessionsShareTheCap(t *testing.T) {
	const mainWalk = 14 // varbinds of the main walk
	f := ciscoPerVLAN(t)
	rs := snmp.Poll(context.Background(), []snmp.Target{{Name: "access9", Deadline: time.Minute,
		Options: snmp.Options{Address: "192.0.2.9", Version: snmp.V2c, Community: snmp.NewSecret("ro"), MaxVarBinds: mainWalk + 5}}},
		snmp.PollOptions{Dial: f.dial})
	// VLAN 1 reads nothing, VLAN 10 four varbinds.
	if fmt.Sprint(f.budgets) != fmt.Sprint([]int{mainWalk + 5, 5, 5, 1}) {
		t.Errorf("session budgets %v", f.budgets)
	}
	f = ciscoPerVLAN(t)
	rs = snmp.Poll(context.Background(), []snmp.Target{{Name: "access9", Deadline: time.Minute,
		Options: snmp.Options{Address: "192.0.2.9", Version: snmp.V2c, Community: snmp.NewSecret("ro"), MaxVarBinds: mainWalk}}},
		snmp.PollOptions{Dial: f.dial})
	if len(f.dialed) != 1 || len(rs[0].Switch.FDB) != 0 || !slices.ContainsFunc(rs[0].Switch.Problems, func(p string) bool {
		return strings.Contains(p, "FDB of VLAN 1 and after: not read") && strings.Contains(p, "max_varbinds cap (14 varbinds")
	}) {
		t.Errorf("cap used up by the main walk: sessions %v, problems %q", f.dialed, rs[0].Switch.Problems)
	}
}

func ciscoPerVLAN(t *testing.T) *fakeAgent {
	return &fakeAgent{byCommunity: map[string]*vendors.Walk{
		"ro": walkOf(t, `
1.3.6.1.2.1.1.1.0|4|Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.1208
1.3.6.1.2.1.1.5.0|4|access9
1.3.6.1.2.1.2.2.1.1.10101|2|10101
1.3.6.1.2.1.2.2.1.1.10102|2|10102
1.3.6.1.2.1.2.2.1.3.10101|2|6
1.3.6.1.2.1.2.2.1.3.10102|2|6
1.3.6.1.2.1.31.1.1.1.1.10101|4|Gi1/0/1
1.3.6.1.2.1.31.1.1.1.1.10102|4|Gi1/0/2
1.3.6.1.4.1.9.9.46.1.3.1.1.2.1.1|2|1
1.3.6.1.4.1.9.9.46.1.3.1.1.2.1.10|2|1
1.3.6.1.4.1.9.9.46.1.3.1.1.2.1.20|2|1
1.3.6.1.4.1.9.9.46.1.3.1.1.2.1.30|2|2
1.3.6.1.4.1.9.9.46.1.3.1.1.2.1.1002|2|1`),
		"ro@10": walkOf(t, `
1.3.6.1.2.1.17.1.4.1.2.1|2|10101
1.3.6.1.2.1.17.4.3.1.1.0.17.34.51.68.85|4x|001122334455
1.3.6.1.2.1.17.4.3.1.2.0.17.34.51.68.85|2|1
1.3.6.1.2.1.17.4.3.1.3.0.17.34.51.68.85|2|3`),
		"ro@20": walkOf(t, `
1.3.6.1.2.1.17.1.4.1.2.2|2|10102
1.3.6.1.2.1.17.4.3.1.2.170.187.204.221.238.255|2|2
1.3.6.1.2.1.17.4.3.1.3.170.187.204.221.238.255|2|3
1.3.6.1.2.1.17.4.3.1.2.170.187.204.221.238.1|2|2
1.3.6.1.2.1.17.4.3.1.3.170.187.204.221.238.1|2|4`),
	}}
}

func checkCiscoPerVLAN(t *testing.T, f *fakeAgent, r snmp.Result) {
	t.Helper()
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	got := map[string]string{}
	for _, e := range r.Switch.FDB {
		got[e.MAC] = e.Port + "/" + string(rune('0'+e.VLAN/10))
	}
	if len(r.Switch.FDB) != 2 || got["00:11:22:33:44:55"] != "Gi1/0/1/1" || got["aa:bb:cc:dd:ee:ff"] != "Gi1/0/2/2" {
		t.Errorf("FDB %+v", r.Switch.FDB)
	}
	for _, e := range r.Switch.FDB {
		if (e.Port == "Gi1/0/1" && e.VLAN != 10) || (e.Port == "Gi1/0/2" && e.VLAN != 20) {
			t.Errorf("entry %+v has the wrong VLAN", e)
		}
	}
	want := []string{"ro", "ro@1", "ro@10", "ro@20"}
	if strings.Join(f.dialed, " ") != strings.Join(want, " ") {
		t.Errorf("sessions %v, want %v (VLAN 30 is not operational, 1002 is reserved)", f.dialed, want)
	}
}
