package snmp_test

// The SNMP collection benchmarks behind the README's figures (issue 19),
// all reproduced by one command:
//
//	go test -run='^$' -bench='SNMP' -benchtime=1x ./collect/snmp/
//
// Every figure is the median of several rounds (-snmpbench.rounds); in each
// round the ways of reading compared run one after the other, the order
// rotating from round to round, so that a burst of load on a shared machine
// falls on all of them alike. Requests are datagrams counted by a UDP
// forwarder (internal/udpdelay) between the reader and snmpd: the same count
// for bondaudit and snmpbulkwalk, and no -d packet dumps slowing net-snmp.

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"github.com/bondaudit/bondaudit/internal/snmplab"
	"github.com/bondaudit/bondaudit/internal/udpdelay"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

var (
	benchRounds     = flag.Int("snmpbench.rounds", 5, "rounds per SNMP benchmark; figures are their medians")
	benchRecordings = flag.String("snmpbench.recordings", "", "comma-separated recording names (librenms__voss_8608) for BenchmarkSNMPRecordings; empty: every shared recording")
)

// benchMaxRep is the max-repetitions of every reader compared (bondaudit's
// default).
const benchMaxRep = 25

// cost is what one reading of a switch took.
type cost struct {
	varbinds, requests int
	took               time.Duration
}

// way is one way of reading a switch, measured through a forwarder.
type way struct {
	name string
	read func(tb testing.TB) cost
}

// median of a sample (the mean of the middle two for an even count).
func median[T int | float64 | time.Duration](xs []T) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return (float64(s[n/2-1]) + float64(s[n/2])) / 2
}

// interleave runs every way once per round, rotating which goes first,
// and returns each way's costs in round order.
func interleave(tb testing.TB, rounds int, ways []way) [][]cost {
	out := make([][]cost, len(ways))
	for r := range rounds {
		for k := range ways {
			i := (r + k) % len(ways)
			out[i] = append(out[i], ways[i].read(tb))
		}
	}
	return out
}

// reportMedians reports each way's median varbinds, requests and seconds
// as <name>-varbinds, <name>-requests and <name>-s.
func reportMedians(b *testing.B, ways []way, costs [][]cost) {
	for i, w := range ways {
		var vbs, reqs []int
		var took []time.Duration
		for _, c := range costs[i] {
			vbs, reqs, took = append(vbs, c.varbinds), append(reqs, c.requests), append(took, c.took)
		}
		b.ReportMetric(median(vbs), w.name+"-varbinds")
		b.ReportMetric(median(reqs), w.name+"-requests")
		b.ReportMetric(median(took)/float64(time.Second), w.name+"-s")
	}
}

// forward puts a delay forwarder (oneWay each way) in front of one of an
// agent's ports.
func forward(tb testing.TB, a *snmplab.Agent, port uint16, oneWay time.Duration) *udpdelay.Forwarder {
	tb.Helper()
	f, err := udpdelay.Start(udpdelay.Options{Target: fmt.Sprintf("%s:%d", a.Addr, port), Delay: oneWay})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// benchTarget is a switch reached through a forwarder.
func benchTarget(name string, a *snmplab.Agent, f *udpdelay.Forwarder) snmp.Target {
	return snmp.Target{Name: name, Deadline: 5 * time.Minute, Options: snmp.Options{Address: f.Addr().IP.String(), Port: f.Port(),
		Version: snmp.V2c, Community: snmp.NewSecret(a.Community), Timeout: 5 * time.Second, Retries: 1, MaxRepetitions: benchMaxRep}}
}

// pollWay reads a switch as `collect switches` does, lean or full.
func pollWay(name string, t snmp.Target, f *udpdelay.Forwarder, full bool) way {
	return way{name, func(tb testing.TB) cost {
		before := f.Counts()
		start := time.Now()
		r := snmp.Poll(context.Background(), []snmp.Target{t}, snmp.PollOptions{FullWalk: full})[0]
		took := time.Since(start)
		if r.Err != nil {
			tb.Fatalf("%s: %v", name, r.Err)
		}
		c := cost{varbinds: r.Varbinds, requests: int(f.Counts().Sub(before).ToAgent), took: took}
		// Cisco IOS's per-VLAN FDB read opens sessions of its own, which
		// the forwarder counts and r.Requests does not.
		if c.requests < r.Requests {
			tb.Errorf("%s: the forwarder counted %d requests, the client %d", name, c.requests, r.Requests)
		}
		return c
	}}
}

// netsnmpWay reads the same subtrees with net-snmp's snmpbulkwalk, one
// process per subtree as an operator would run it (process start
// included), no packet dumps.
func netsnmpWay(tb testing.TB, a *snmplab.Agent, f *udpdelay.Forwarder, roots []string) way {
	bin := snmplab.NeedTool(tb, "snmpbulkwalk", "snmp")
	return way{"netsnmp", func(tb testing.TB) cost {
		var c cost
		before := f.Counts()
		for _, root := range roots {
			cmd := exec.Command(bin, "-On", "-Cp", "-Cr"+strconv.Itoa(benchMaxRep), "-v2c", "-c", a.Community,
				"-t", "5", "-r", "1", fmt.Sprintf("%s:%d", f.Addr().IP, f.Port()), "."+root)
			cmd.Env = append(cmd.Environ(), "MIBS=")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			if err := cmd.Run(); err != nil {
				tb.Fatalf("snmpbulkwalk %s: %v\n%s", root, err, out.String())
			}
			c.took += time.Since(start)
			// -Cp ends the output with "Variables found: N".
			_, after, ok := bytes.Cut(out.Bytes(), []byte("\nVariables found: "))
			if !ok {
				_, after, ok = bytes.Cut(out.Bytes(), []byte("Variables found: "))
			}
			n, err := strconv.Atoi(strings.TrimSpace(string(after)))
			if !ok || err != nil {
				tb.Fatalf("snmpbulkwalk %s: no variable count in its output:\n%s", root, out.String())
			}
			c.varbinds += n
		}
		c.requests = int(f.Counts().Sub(before).ToAgent)
		return c
	}}
}

// recordingProfile reads a recording and recognises its profile.
func recordingProfile(tb testing.TB, path string) (*vendors.Walk, vendors.Profile) {
	tb.Helper()
	w, _, err := snmp.ReadWalkFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	oid, _ := w.Get("1.3.6.1.2.1.1.2.0")
	descr, _ := w.Get("1.3.6.1.2.1.1.1.0")
	return w, all.Identify(oid.OID, descr.Text())
}

// polledRoots are the subtrees the full walk reads from a recording, in
// the poller's order: the system group, the standard subtrees, then the
// profile's own.
func polledRoots(tb testing.TB, path string) []string {
	tb.Helper()
	_, prof := recordingProfile(tb, path)
	roots := []string{"1.3.6.1.2.1.1"}
	for _, r := range append(slices.Clone(vendors.StandardOIDs), prof.OIDs...) {
		if !slices.Contains(roots, r) {
			roots = append(roots, r)
		}
	}
	return roots
}

// perVLANCommunities are the "public@VLAN" communities a Cisco IOS
// recording's per-VLAN FDB read asks for (every VLAN CISCO-VTP-MIB
// lists), so that the lab agent answers them as the switch would instead
// of leaving the read to time out; none for other profiles.
func perVLANCommunities(tb testing.TB, path, community string) []string {
	w, prof := recordingProfile(tb, path)
	if !prof.PerVLANFDB {
		return nil
	}
	var out []string
	for _, row := range w.Column("1.3.6.1.4.1.9.9.46.1.3.1.1.2") {
		if ix, ok := vendors.IndexInts(row.Index); ok && len(ix) == 2 {
			out = append(out, fmt.Sprintf("%s@%d", community, ix[1]))
		}
	}
	return out
}

// recordingWays starts snmpd serving a recording behind a forwarder
// (oneWay each way) and returns the three ways of reading it. The poller's
// requests include Cisco IOS's per-VLAN FDB sessions, which snmpbulkwalk
// of the subtrees does not read.
func recordingWays(tb testing.TB, path string, oneWay time.Duration) []way {
	a := snmplab.StartAgent(tb, snmplab.AgentOptions{Walk: path, Communities: perVLANCommunities(tb, path, "public")})
	f := forward(tb, a, a.Port, oneWay)
	t := benchTarget(strings.TrimSuffix(filepath.Base(path), ".snmprec"), a, f)
	return []way{
		pollWay("lean", t, f, false),
		pollWay("full", t, f, true),
		netsnmpWay(tb, a, f, polledRoots(tb, path)),
	}
}

// benchRecordingFiles are the recordings BenchmarkSNMPRecordings reads.
func benchRecordingFiles(b *testing.B) []string {
	files := fixtures.Glob(b, "snmp", "*.snmprec")
	if *benchRecordings == "" {
		return files
	}
	var out []string
	for _, name := range strings.Split(*benchRecordings, ",") {
		p := fixtures.Require(b, "snmp", strings.TrimSpace(name)+".snmprec")
		out = append(out, p)
	}
	return out
}

// BenchmarkSNMPRecordings reads every shared recording, served by real
// snmpd on loopback, three ways: bondaudit's lean walk (the columns the
// decoders read), its full walk (whole subtrees, PollOptions.FullWalk),
// and snmpbulkwalk of the full walk's subtrees. Per recording it reports
// the median varbinds, requests and wall seconds of each
// (lean-varbinds, lean-requests, lean-s, full-…, netsnmp-…).
//
// The forwarder adds no delay here: on loopback the time is snmpd's and
// the readers' work; BenchmarkSNMPPoll200 measures the latency-bound case.
func BenchmarkSNMPRecordings(b *testing.B) {
	for _, path := range benchRecordingFiles(b) {
		name := strings.TrimPrefix(strings.TrimSuffix(filepath.Base(path), ".snmprec"), "librenms__")
		b.Run(name, func(b *testing.B) {
			ways := recordingWays(b, path, 0)
			ways[0].read(b) // warm: snmpd starts its backends on the first request
			b.ResetTimer()
			costs := interleave(b, *benchRounds*b.N, ways)
			b.StopTimer()
			reportMedians(b, ways, costs)
		})
	}
}

// poll200 is the 200-switch lab: 100 snmpd processes listening on 2
// ports each, every port behind its own delay forwarder.
type poll200 struct {
	agents  []*snmplab.Agent
	targets []snmp.Target
	fwd     []*udpdelay.Forwarder
}

// startPoll200 starts n agents × ports switches serving one recording,
// each behind a forwarder delaying oneWay each way. Targets are ordered
// round-robin over the processes, so that the switches polled at once
// are served by different (single-threaded) snmpd processes.
func startPoll200(tb testing.TB, path string, agents, ports int, oneWay time.Duration) *poll200 {
	p := &poll200{}
	for range agents {
		p.agents = append(p.agents, snmplab.StartAgent(tb, snmplab.AgentOptions{Walk: path, Ports: ports}))
	}
	for port := range ports {
		for i, a := range p.agents {
			f := forward(tb, a, a.Ports[port], oneWay)
			p.fwd = append(p.fwd, f)
			p.targets = append(p.targets, benchTarget(fmt.Sprintf("sw%03d", port*agents+i), a, f))
		}
	}
	return p
}

// pollAll polls targets and returns the wall time and the median
// requests per switch.
func pollAll(tb testing.TB, targets []snmp.Target, workers int, full bool) (time.Duration, int) {
	start := time.Now()
	rs := snmp.Poll(context.Background(), targets, snmp.PollOptions{Concurrency: workers, FullWalk: full})
	took := time.Since(start)
	var reqs []int
	for _, r := range rs {
		if r.Err != nil {
			tb.Fatalf("%s: %v", r.Target.Name, r.Err)
		}
		reqs = append(reqs, r.Requests)
	}
	return took, int(median(reqs))
}

// BenchmarkSNMPPoll200 polls 200 switches (100 snmpd × 2 ports serving a
// 941-varbind RouterOS recording) with 50 workers, every datagram delayed
// by a forwarder, at 20 ms and 100 ms ROUND TRIP (10 and 50 ms each way),
// and with no delay (rtt=0s): the lab's own floor, the time snmpd and its
// backends need for 200 switches on this machine, under which no delay
// can bring the poll. Per round, lean and full alternate first; each polls
// one switch alone, then all 200. Ideal is one switch alone × 200/50. It
// reports medians: <way>-single-s, <way>-all-s, <way>-x-ideal (all / ideal)
// and <way>-requests (per switch).
func BenchmarkSNMPPoll200(b *testing.B) {
	path := fixtures.Require(b, "snmp", "librenms__routeros_crs317.snmprec")
	const agents, ports, workers = 100, 2, 50
	for _, rtt := range []time.Duration{0, 20 * time.Millisecond, 100 * time.Millisecond} {
		b.Run("rtt="+rtt.String(), func(b *testing.B) {
			p := startPoll200(b, path, agents, ports, rtt/2)
			// Warm every backend once so process start-up is not measured.
			pollAll(b, p.targets, workers, true)
			b.ResetTimer()
			type sample struct{ single, all, ratio, reqs []float64 }
			s := map[bool]*sample{false: {}, true: {}}
			for r := range *benchRounds * b.N {
				for k := range 2 {
					full := (r+k)%2 == 1
					single, _ := pollAll(b, p.targets[:1], 1, full)
					all, reqs := pollAll(b, p.targets, workers, full)
					ideal := single * time.Duration(len(p.targets)) / workers
					x := s[full]
					x.single = append(x.single, single.Seconds())
					x.all = append(x.all, all.Seconds())
					x.ratio = append(x.ratio, all.Seconds()/ideal.Seconds())
					x.reqs = append(x.reqs, float64(reqs))
				}
			}
			b.StopTimer()
			for _, full := range []bool{false, true} {
				name := map[bool]string{false: "lean", true: "full"}[full]
				x := s[full]
				b.ReportMetric(median(x.single), name+"-single-s")
				b.ReportMetric(median(x.all), name+"-all-s")
				b.ReportMetric(median(x.ratio), name+"-x-ideal")
				b.ReportMetric(median(x.reqs), name+"-requests")
			}
		})
	}
}

func TestMedian(t *testing.T) {
	if m := median([]int{5, 1, 3}); m != 3 {
		t.Errorf("median of 5 1 3 = %v", m)
	}
	if m := median([]time.Duration{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median of 4 1 2 3 = %v", m)
	}
}

// TestSNMPBenchSetup runs the benchmarks' set-up small, so that `go test`
// keeps it working: one recording read the three ways through a delaying
// forwarder, and a 4-switch poll through forwarders.
func TestSNMPBenchSetup(t *testing.T) {
	path := fixtures.Require(t, "snmp", "librenms__routeros_crs317.snmprec")
	const oneWay = 5 * time.Millisecond
	ways := recordingWays(t, path, oneWay)
	costs := interleave(t, 1, ways)
	lean, full, net := costs[0][0], costs[1][0], costs[2][0]
	t.Logf("lean %+v, full %+v, snmpbulkwalk %+v", lean, full, net)
	if net.requests == 0 || net.varbinds == 0 {
		t.Fatalf("snmpbulkwalk counted %+v through the forwarder", net)
	}
	if full.requests > net.requests {
		t.Errorf("full walk: %d requests, snmpbulkwalk of the same subtrees %d", full.requests, net.requests)
	}
	if lean.requests > full.requests {
		t.Errorf("lean walk: %d requests, full walk %d", lean.requests, full.requests)
	}
	// Every request waited a round trip: the delay reaches SNMP traffic.
	for _, c := range []cost{lean, full, net} {
		if min := time.Duration(c.requests) * 2 * oneWay; c.took < min {
			t.Errorf("%d requests in %s, under %d round trips of %s", c.requests, c.took, c.requests, 2*oneWay)
		}
	}
	// snmpbulkwalk prints the values inside each subtree (and the
	// noSuchObject of an empty one); Result.Varbinds counts every value
	// received, up to max-repetitions-1 past each subtree's end too.
	if roots := len(polledRoots(t, path)); full.varbinds > net.varbinds+roots*24 || full.varbinds < net.varbinds-roots {
		t.Errorf("full walk: %d varbinds, snmpbulkwalk of the same %d subtrees %d", full.varbinds, roots, net.varbinds)
	}
	if lean.varbinds == 0 || lean.varbinds >= full.varbinds || lean.requests >= full.requests {
		t.Errorf("lean walk: %d varbinds, %d requests; full walk %d, %d", lean.varbinds, lean.requests, full.varbinds, full.requests)
	}

	p := startPoll200(t, path, 2, 2, oneWay)
	if len(p.targets) != 4 || len(p.fwd) != 4 {
		t.Fatalf("%d targets behind %d forwarders, want 4", len(p.targets), len(p.fwd))
	}
	took, reqs := pollAll(t, p.targets, 2, false)
	if reqs == 0 {
		t.Fatal("no requests")
	}
	for _, f := range p.fwd {
		if c := f.Counts(); c.ToAgent < int64(reqs)/2 || c.Dropped != 0 {
			t.Errorf("forwarder %d: %+v after switches of %d requests", f.Port(), c, reqs)
		}
	}
	t.Logf("4 switches, 2 workers, %d requests each: %s", reqs, took)
}

// TestPerVLANCommunities: the benchmark's agent for a Cisco IOS recording
// answers the per-VLAN communities, so the read is measured, not its
// timeout.
func TestPerVLANCommunities(t *testing.T) {
	cisco := fixtures.Require(t, "snmp", "librenms__iosxe_c9600-svl.snmprec")
	if got := perVLANCommunities(t, cisco, "public"); !slices.Contains(got, "public@1") {
		t.Errorf("Catalyst 9600 per-VLAN communities %q: no public@1", got)
	}
	other := fixtures.Require(t, "snmp", "librenms__routeros_crs317.snmprec")
	if got := perVLANCommunities(t, other, "public"); got != nil {
		t.Errorf("RouterOS per-VLAN communities %q, want none", got)
	}
}
