package snmp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/fixtures"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/snmplab"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// comparable strips what differs by nature between a live and a file
// reading: where and when it came from, and read problems (file lines).
func comparable(t *testing.T, s *topology.Switch) string {
	t.Helper()
	c := *s
	c.Source, c.Collected, c.Problems = "", "", nil
	b, err := json.MarshalIndent(&c, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPollMatchesFile: for every shared recording served by real snmpd,
// the lean poll (only the columns the decoders read, the default) and the
// full poll (PollOptions.FullWalk: whole subtrees) give identical switch
// snapshots, facts and problems alike, and both the snapshot of decoding
// the whole recording from file. A difference means a profile forgot a
// column its decoder reads. Each recording's varbinds and requests, lean
// and full, are logged (go test -v -run TestPollMatchesFile
// ./collect/snmp/). Recordings run in parallel (at most -parallel, GOMAXPROCS
// by default, at once).
func TestPollMatchesFile(t *testing.T) {
	snmplab.NeedTool(t, "snmpd", "snmpd")
	dir := fixtures.Path("snmp")
	files, _ := filepath.Glob(filepath.Join(dir, "*.snmprec"))
	if len(files) == 0 {
		t.Skipf("no recordings in %s", dir)
	}
	type figures struct{ leanVB, fullVB, leanReq, fullReq int }
	var mu sync.Mutex
	got := map[string]figures{}
	t.Cleanup(func() {
		names := slices.Sorted(maps.Keys(got))
		var sum figures
		for _, n := range names {
			f := got[n]
			t.Logf("%-40s varbinds lean %6d full %6d (%3.0f%% fewer)  requests lean %4d full %4d (%3.0f%% fewer)",
				n, f.leanVB, f.fullVB, 100*(1-float64(f.leanVB)/float64(f.fullVB)), f.leanReq, f.fullReq, 100*(1-float64(f.leanReq)/float64(f.fullReq)))
			sum.leanVB += f.leanVB
			sum.fullVB += f.fullVB
			sum.leanReq += f.leanReq
			sum.fullReq += f.fullReq
		}
		if len(names) > 0 {
			t.Logf("%-40s varbinds lean %6d full %6d (%3.0f%% fewer)  requests lean %4d full %4d (%3.0f%% fewer)",
				fmt.Sprintf("all %d recordings", len(names)), sum.leanVB, sum.fullVB, 100*(1-float64(sum.leanVB)/float64(sum.fullVB)),
				sum.leanReq, sum.fullReq, 100*(1-float64(sum.leanReq)/float64(sum.fullReq)))
		}
	})
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".snmprec")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w, _, err := snmp.ReadWalkFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := w.Get("1.3.6.1.2.1.1.2.0"); !ok {
				t.Skip("recording has no sysObjectID: snmplab waits for it")
			}
			// What the lab agent can serve of the recording (snmpd's
			// pass_persist reads lines of at most 4 KiB).
			var servable []vendors.VarBind
			for _, vb := range w.All() {
				if snmplab.Servable(vb) {
					servable = append(servable, vb)
				}
			}
			want, _ := all.Decode(vendors.NewWalk(servable), name)
			a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: f})
			poll := func(full, targetFull bool) snmp.Result {
				rs := snmp.Poll(context.Background(), []snmp.Target{{Name: name, Deadline: time.Minute, Options: snmp.Options{
					Address: a.Addr, Port: a.Port, Version: snmp.V2c, Community: snmp.NewSecret(a.Community), Timeout: 5 * time.Second, Retries: 2, MaxRepetitions: 25,
					FullWalk: targetFull}}},
					snmp.PollOptions{FullWalk: full, Now: func() time.Time { return time.Unix(0, 0) }})
				r := rs[0]
				if r.Err != nil {
					t.Fatal(r.Err)
				}
				if r.Requests == 0 || r.Walk.Len() == 0 || r.Varbinds < r.Walk.Len() {
					t.Errorf("full %v: requests %d, varbinds %d received, %d kept", full, r.Requests, r.Varbinds, r.Walk.Len())
				}
				return r
			}
			lean, full := poll(false, false), poll(true, false)
			if name == "librenms__ios_2960x" {
				// targets.yaml's full_walk: true for one switch walks it whole.
				if own := poll(false, true); own.Requests != full.Requests || own.Varbinds != full.Varbinds {
					t.Errorf("target full_walk: %d requests, %d varbinds; PollOptions.FullWalk: %d, %d", own.Requests, own.Varbinds, full.Requests, full.Varbinds)
				}
			}
			if d := cmp.Diff(full.Switch, lean.Switch); d != "" {
				t.Errorf("lean snapshot differs from the full walk's (-full +lean):\n%s", d)
			}
			if d := cmp.Diff(comparable(t, want), comparable(t, full.Switch)); d != "" {
				t.Errorf("live snapshot differs from the file's (-file +live; live problems %q):\n%s", full.Problems, d)
			}
			if lean.Requests > full.Requests || lean.Varbinds > full.Varbinds {
				t.Errorf("lean walk costs more: %d requests, %d varbinds; full %d, %d", lean.Requests, lean.Varbinds, full.Requests, full.Varbinds)
			}
			mu.Lock()
			got[name] = figures{lean.Varbinds, full.Varbinds, lean.Requests, full.Requests}
			mu.Unlock()
		})
	}
}

// TestPollSurvivesDeadAndSlowSwitches: one switch where nothing listens,
// one that answers too slowly for its deadline, one healthy: the healthy
// one is collected, the others fail within their deadlines with snapshots
// that say why, and the run ends.
func TestPollSurvivesDeadAndSlowSwitches(t *testing.T) {
	path := fixture(t, "librenms__ios_2960x.snmprec")
	good := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: path})
	// 10 ms per varbind: a 25-varbind page takes 250 ms (inside the
	// request timeout), the whole switch far longer than its deadline.
	slow := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: path, Delay: 10 * time.Millisecond})
	dead := snmplab.FreeUDPPort(t)
	opt := func(port uint16) snmp.Options {
		return snmp.Options{Address: "127.0.0.1", Port: port, Version: snmp.V2c, Community: snmp.NewSecret("public"), Timeout: time.Second, Retries: 1}
	}
	targets := []snmp.Target{
		{Name: "dead", Deadline: 5 * time.Second, Options: opt(dead)},
		{Name: "slow", Deadline: 1500 * time.Millisecond, Options: opt(slow.Port)},
		{Name: "good", Deadline: time.Minute, Options: opt(good.Port)},
	}
	var progress []string
	start := time.Now()
	rs := snmp.Poll(context.Background(), targets, snmp.PollOptions{Concurrency: 3,
		Progress: func(done, total int, r *snmp.Result) { progress = append(progress, r.Target.Name) }})
	el := time.Since(start)
	if el > 10*time.Second {
		t.Errorf("run took %s", el)
	}
	if len(progress) != 3 {
		t.Errorf("progress calls %v", progress)
	}
	byName := map[string]snmp.Result{}
	for _, r := range rs {
		byName[r.Target.Name] = r
	}
	if r := byName["good"]; r.Err != nil || r.Switch.Unreachable || len(r.Switch.Ports) == 0 {
		t.Errorf("good: %v %+v", r.Err, r.Switch)
	}
	for _, n := range []string{"dead", "slow"} {
		r := byName[n]
		if r.Err == nil || !r.Switch.Unreachable || r.Switch.Error == "" || r.Switch.Name != n {
			t.Errorf("%s: err %v, snapshot %+v", n, r.Err, r.Switch)
		}
	}
	if r := byName["slow"]; r.Err != nil && !strings.Contains(r.Err.Error(), "deadline") {
		t.Errorf("slow: %v, want the deadline named", r.Err)
	}
	if r := byName["slow"]; r.Elapsed > 4*time.Second {
		t.Errorf("slow switch held on for %s past its 1.5 s deadline", r.Elapsed)
	}
	if r := byName["dead"]; r.Err != nil && !strings.Contains(r.Err.Error(), "no answer") && !strings.Contains(r.Err.Error(), "nothing listens") {
		t.Errorf("dead: %v", r.Err)
	}
	_ = os.Getenv
}

// TestPollReadsCDPOnAnyVendor: a device of a vendor no profile knows whose
// agent has CISCO-CDP-MIB's cdpCacheTable: the live poll walks the table
// (vendors.StandardOIDs) and the snapshot has the CDP neighbour.
func TestPollReadsCDPOnAnyVendor(t *testing.T) {
	snmplab.NeedTool(t, "snmpd", "snmpd")
	a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: filepath.Join("..", "..", "vendors", "testdata", "cdp", "other-vendor.snmprec")})
	rs := snmp.Poll(context.Background(), []snmp.Target{{Name: "xs24-a", Deadline: time.Minute, Options: snmp.Options{
		Address: a.Addr, Port: a.Port, Version: snmp.V2c, Community: snmp.NewSecret(a.Community), Timeout: 5 * time.Second, Retries: 2, MaxRepetitions: 25}}},
		snmp.PollOptions{})
	r := rs[0]
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if r.Switch.Vendor != "standard" {
		t.Errorf("vendor %q", r.Switch.Vendor)
	}
	var cdp []topology.Neighbour
	for _, n := range r.Switch.Neighbours {
		if n.Protocol == topology.ProtoCDP {
			cdp = append(cdp, n)
		}
	}
	if len(cdp) != 1 || cdp[0].LocalPort != "port2" || cdp[0].SystemName != "dist-sw2" || cdp[0].PortID != "Ethernet1/12" || len(cdp[0].MgmtAddrs) != 1 || cdp[0].MgmtAddrs[0] != "10.0.0.254" {
		t.Errorf("CDP neighbours %+v", cdp)
	}
}

// TestPollWalksLLDPV2: a device with LLDP-V2-MIB only (no LLDP-MIB):
// polling it live walks 1.3.111.2.802.1.1.13, and its neighbours are
// placed on the ports lldpV2RemLocalIfIndex names.
func TestPollWalksLLDPV2(t *testing.T) {
	a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: filepath.Join("testdata", "lldpv2-panos.snmprec")})
	rs := snmp.Poll(context.Background(), []snmp.Target{{Name: "fw", Deadline: time.Minute, Options: snmp.Options{
		Address: a.Addr, Port: a.Port, Version: snmp.V2c, Community: snmp.NewSecret(a.Community), Timeout: 5 * time.Second, Retries: 2}}},
		snmp.PollOptions{})
	r := rs[0]
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	got := map[string]string{}
	for _, n := range r.Switch.Neighbours {
		got[n.SystemName] = n.LocalPort + " " + n.ChassisID + " " + n.Source
	}
	want := map[string]string{
		"switch123.sjc.aristanetworks.com": "ethernet1/13 28:99:3a:bf:26:46 LLDP-V2-MIB lldpV2RemTable.0.18.1.1",
		"switch124.sjc.aristanetworks.com": "ethernet1/14 28:99:3a:bf:23:f6 LLDP-V2-MIB lldpV2RemTable.0.19.1.2",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("neighbours (-want +got):\n%s\nproblems %q", d, r.Problems)
	}
}

// TestLeanPollV1: on SNMPv1 (GETNEXT, where a column at the end of the
// agent's MIB is answered noSuchName for the whole request) the lean
// poll gives the full poll's snapshot from real snmpd, in fewer requests.
func TestLeanPollV1(t *testing.T) {
	for _, rec := range []string{"librenms__iosxe_ie32008t2s-ios17-12", "librenms__sm-os_80hdx"} {
		t.Run(rec, func(t *testing.T) {
			t.Parallel()
			a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: fixture(t, rec+".snmprec")})
			poll := func(full bool) snmp.Result {
				r := snmp.Poll(context.Background(), []snmp.Target{{Name: rec, Deadline: time.Minute, Options: snmp.Options{
					Address: a.Addr, Port: a.Port, Version: snmp.V1, Community: snmp.NewSecret(a.Community), Timeout: 5 * time.Second, Retries: 2}}},
					snmp.PollOptions{FullWalk: full, Now: func() time.Time { return time.Unix(0, 0) }})[0]
				if r.Err != nil {
					t.Fatal(r.Err)
				}
				return r
			}
			lean, full := poll(false), poll(true)
			if d := cmp.Diff(full.Switch, lean.Switch); d != "" {
				t.Errorf("lean v1 snapshot differs from the full walk's (-full +lean):\n%s", d)
			}
			if len(lean.Switch.Ports) == 0 {
				t.Error("no ports read")
			}
			t.Logf("v1: requests lean %d full %d, varbinds lean %d full %d", lean.Requests, full.Requests, lean.Varbinds, full.Varbinds)
			if lean.Requests >= full.Requests {
				t.Errorf("lean %d requests, full %d", lean.Requests, full.Requests)
			}
		})
	}
}
