package snmp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/snmplab"
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
// (Full walks: mainWalk counts the whole subtrees of the fake's walk.)
func TestPerVLANSessionsShareTheCap(t *testing.T) {
	const mainWalk = 14 // varbinds of the main walk
	f := ciscoPerVLAN(t)
	rs := snmp.Poll(context.Background(), []snmp.Target{{Name: "access9", Deadline: time.Minute,
		Options: snmp.Options{Address: "192.0.2.9", Version: snmp.V2c, Community: snmp.NewSecret("ro"), MaxVarBinds: mainWalk + 5}}},
		snmp.PollOptions{Dial: f.dial, FullWalk: true})
	// VLAN 1 reads nothing, VLAN 10 four varbinds.
	if fmt.Sprint(f.budgets) != fmt.Sprint([]int{mainWalk + 5, 5, 5, 1}) {
		t.Errorf("session budgets %v", f.budgets)
	}
	f = ciscoPerVLAN(t)
	rs = snmp.Poll(context.Background(), []snmp.Target{{Name: "access9", Deadline: time.Minute,
		Options: snmp.Options{Address: "192.0.2.9", Version: snmp.V2c, Community: snmp.NewSecret("ro"), MaxVarBinds: mainWalk}}},
		snmp.PollOptions{Dial: f.dial, FullWalk: true})
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

// ciscoRecording writes a Cisco IOS walk (no FDB of its own) with the
// given operational VLANs, for snmpd to serve.
func ciscoRecording(t *testing.T, vlans int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`1.3.6.1.2.1.1.1.0|4|Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.1208
1.3.6.1.2.1.1.5.0|4|access9
1.3.6.1.2.1.2.2.1.1.10101|2|10101
1.3.6.1.2.1.2.2.1.3.10101|2|6
1.3.6.1.2.1.31.1.1.1.1.10101|4|Gi1/0/1
`)
	for v := 1; v <= vlans; v++ {
		fmt.Fprintf(&b, "1.3.6.1.4.1.9.9.46.1.3.1.1.2.1.%d|2|1\n", v)
	}
	p := filepath.Join(t.TempDir(), "cisco.snmprec")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// pollLab polls one agent port, counting sessions and keeping the log.
func pollLab(t *testing.T, a *snmplab.Agent, tg snmp.Target) (snmp.Result, int, string) {
	t.Helper()
	tg.Name, tg.Options.Address, tg.Options.Port = "access9", a.Addr, a.Port
	var log bytes.Buffer
	var mu sync.Mutex
	sessions := 0
	rs := snmp.Poll(context.Background(), []snmp.Target{tg}, snmp.PollOptions{
		Log: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Dial: func(o snmp.Options) (snmp.Client, error) {
			mu.Lock()
			sessions++
			mu.Unlock()
			return snmp.Dial(o)
		}})
	if rs[0].Err != nil {
		t.Fatal(rs[0].Err)
	}
	return rs[0], sessions, log.String()
}

// perVLANProblems are the snapshot's problems about the per-VLAN read.
func perVLANProblems(r snmp.Result) []string {
	var out []string
	for _, p := range r.Switch.Problems {
		if strings.Contains(p, "VLAN") {
			out = append(out, p)
		}
	}
	return out
}

// TestPerVLANRefusedStopsAtOnce: real snmpd that serves the switch's
// community but not community@VLAN (it drops them unanswered, as IOS does
// without per-VLAN contexts) nor SNMPv3 context vlan-N: the per-VLAN read
// stops at the first VLAN, in seconds rather than the deadline, with one
// problem that names the form and never the secret.
func TestPerVLANRefusedStopsAtOnce(t *testing.T) {
	const community, authKey, privKey = "s3cret-ro", "auth-s3cret-key", "priv-s3cret-key"
	a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: ciscoRecording(t, 40), Community: community,
		Users: []snmplab.V3User{{Name: "bond", AuthProto: "SHA", Auth: authKey, PrivProto: "AES", Priv: privKey}}})
	for _, c := range []struct {
		name string
		o    snmp.Options
		want string
	}{
		{"v2c", snmp.Options{Version: snmp.V2c, Community: snmp.NewSecret(community)}, "per-VLAN FDB not readable: community@VLAN refused: community@1 (VLAN 1)"},
		{"v3", snmp.Options{Version: snmp.V3, V3: &snmp.V3Options{User: "bond", AuthProtocol: "SHA", AuthKey: snmp.NewSecret(authKey),
			PrivProtocol: "AES", PrivKey: snmp.NewSecret(privKey)}}, "per-VLAN FDB not readable: context vlan-N refused: context vlan-1 (VLAN 1)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.o.Timeout, c.o.Retries = 500*time.Millisecond, 1
			start := time.Now()
			r, sessions, log := pollLab(t, a, snmp.Target{Deadline: 2 * time.Minute, Options: c.o})
			took := time.Since(start)
			if took > 10*time.Second {
				t.Errorf("took %s: the refused VLANs held the switch", took)
			}
			probs := perVLANProblems(r)
			if len(probs) != 1 || !strings.Contains(probs[0], c.want) || !strings.Contains(probs[0], "the other 39 VLANs not tried") {
				t.Errorf("problems %q, want one with %q", r.Switch.Problems, c.want)
			}
			if sessions != 2 {
				t.Errorf("%d sessions, want the switch's and VLAN 1's", sessions)
			}
			b, _ := json.Marshal(r.Switch)
			for _, secret := range []string{community, authKey, privKey} {
				if strings.Contains(string(b), secret) || strings.Contains(log, secret) || strings.Contains(fmt.Sprint(r.Switch.Problems), secret) {
					t.Errorf("the secret %q leaks: %s\n%s", secret, b, log)
				}
			}
			t.Logf("%s: %q", took, probs)
		})
	}
}

// TestPerVLANServedAndBudget: real snmpd serving community@VLAN (empty
// tables: not a failure) reads every VLAN; a slow agent with many VLANs is
// cut by the per-VLAN budget, well before the deadline.
func TestPerVLANServedAndBudget(t *testing.T) {
	var vlanCommunities []string
	for v := 1; v <= 3; v++ {
		vlanCommunities = append(vlanCommunities, fmt.Sprintf("ro@%d", v))
	}
	a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: ciscoRecording(t, 3), Community: "ro", Communities: vlanCommunities})
	o := snmp.Options{Version: snmp.V2c, Community: snmp.NewSecret("ro"), Timeout: 2 * time.Second, Retries: 1}
	r, sessions, _ := pollLab(t, a, snmp.Target{Deadline: time.Minute, Options: o})
	if sessions != 4 || len(perVLANProblems(r)) != 0 {
		t.Errorf("served VLANs: %d sessions (want 4), problems %q", sessions, r.Switch.Problems)
	}

	const vlans = 300
	vlanCommunities = nil
	for v := 1; v <= vlans; v++ {
		vlanCommunities = append(vlanCommunities, fmt.Sprintf("ro@%d", v))
	}
	a = snmplab.StartAgent(t, snmplab.AgentOptions{Walk: ciscoRecording(t, vlans), Community: "ro", Communities: vlanCommunities,
		Delay: 5 * time.Millisecond})
	const budget = 1500 * time.Millisecond
	start := time.Now()
	r, sessions, _ = pollLab(t, a, snmp.Target{Deadline: time.Minute, PerVLANFDBBudget: budget, Options: o})
	took := time.Since(start)
	probs := perVLANProblems(r)
	if len(probs) != 1 || !strings.Contains(probs[0], "per-VLAN FDB cut short: its 1.5s budget (per_vlan_fdb_budget in targets.yaml) ran out at VLAN") {
		t.Errorf("problems %q, want the budget's", r.Switch.Problems)
	}
	if sessions < 2 || sessions > vlans {
		t.Errorf("%d sessions: want some VLANs read, not all %d", sessions, vlans)
	}
	// Well before the one-minute deadline (the walk of the switch itself
	// is not under the budget: on a loaded machine it alone took 16 s).
	if took > 30*time.Second {
		t.Errorf("took %s: the budget did not cut the per-VLAN walks well before the deadline", took)
	}
	t.Logf("%s, %d sessions: %q", took, sessions, probs)
}
