package snmp_test

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/snmplab"
	"github.com/bondaudit/bondaudit/vendors"
)

// netsnmpWalk runs net-snmp's snmpbulkwalk with packet dumps and returns
// the varbinds it printed, the requests it sent and the wall time.
func netsnmpWalk(t testing.TB, a *snmplab.Agent, root string, maxRep int) (varbinds, requests int, took time.Duration) {
	t.Helper()
	bin := snmplab.NeedTool(t, "snmpbulkwalk", "snmp")
	cmd := exec.Command(bin, "-d", "-On", "-Cp", "-Cr"+strconv.Itoa(maxRep), "-v2c", "-c", a.Community, "-t", "5", "-r", "0",
		a.Addr+":"+a.PortString(), "."+root)
	cmd.Env = append(cmd.Environ(), "MIBS=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("snmpbulkwalk %s: %v\n%s", root, err, out.String())
	}
	took = time.Since(start)
	for _, l := range strings.Split(out.String(), "\n") {
		switch {
		case strings.HasPrefix(l, "Sending "):
			requests++
		case strings.HasPrefix(l, "Variables found: "):
			varbinds, _ = strconv.Atoi(strings.TrimPrefix(l, "Variables found: "))
		}
	}
	return varbinds, requests, took
}

// TestRoundTripsNoMoreThanNetSNMP: for every subtree bondaudit polls, at
// the same max-repetitions on the same agent, the client sends no more
// requests than snmpbulkwalk and reads the same varbinds.
func TestRoundTripsNoMoreThanNetSNMP(t *testing.T) {
	path := fixture(t, "librenms__arista_eos.snmprec")
	a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: path})
	const maxRep = 25
	for _, root := range vendors.StandardOIDs {
		c := dial(t, a, snmp.Options{Version: snmp.V2c, Community: snmp.NewSecret(a.Community), MaxRepetitions: maxRep, Timeout: 5 * time.Second})
		vbs, err := c.BulkWalk(context.Background(), root)
		if err != nil {
			t.Fatal(err)
		}
		nv, nreq, _ := netsnmpWalk(t, a, root, maxRep)
		// On an empty subtree snmpbulkwalk also GETs the root itself and
		// counts the noSuchObject it gets back.
		if len(vbs) != nv && !(len(vbs) == 0 && nv <= 1) {
			t.Errorf("%s: read %d varbinds, snmpbulkwalk %d", root, len(vbs), nv)
		}
		if c.Requests() > nreq {
			t.Errorf("%s: %d requests, snmpbulkwalk needs %d", root, c.Requests(), nreq)
		}
		t.Logf("%-26s %5d varbinds: %3d requests (snmpbulkwalk %3d)", root, len(vbs), c.Requests(), nreq)
	}
}

// BenchmarkBulkWalkVsNetSNMP walks every subtree bondaudit polls from one
// snmpd (a 9,547-varbind Arista recording) and reports the time per full
// walk next to snmpbulkwalk's for the same subtrees (measured once per
// run, process start included, as an operator would run it).
func BenchmarkBulkWalkVsNetSNMP(b *testing.B) {
	path := fixture(&testing.T{}, "librenms__arista_eos.snmprec")
	a := snmplab.StartAgent(b, snmplab.AgentOptions{Walk: path})
	const maxRep = 25
	var netTook time.Duration
	netReq := 0
	for _, root := range vendors.StandardOIDs {
		_, r, took := netsnmpWalk(b, a, root, maxRep)
		netTook += took
		netReq += r
	}
	b.ResetTimer()
	reqs := 0
	for i := 0; i < b.N; i++ {
		c, err := snmp.Dial(snmp.Options{Address: a.Addr, Port: a.Port, Version: snmp.V2c, Community: snmp.NewSecret(a.Community), MaxRepetitions: maxRep, Timeout: 5 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		for _, root := range vendors.StandardOIDs {
			if _, err := c.BulkWalk(context.Background(), root); err != nil {
				b.Fatal(err)
			}
		}
		reqs = c.Requests()
		c.Close()
	}
	b.StopTimer()
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(reqs), "requests")
	b.ReportMetric(float64(netReq), "netsnmp-requests")
	b.ReportMetric(netTook.Seconds()*1000, "netsnmp-ms")
	b.ReportMetric(per.Seconds()/netTook.Seconds(), "x-netsnmp")
}
