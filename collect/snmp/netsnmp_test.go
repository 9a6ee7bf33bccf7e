package snmp_test

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/snmplab"
	"github.com/bondaudit/bondaudit/internal/udpdelay"
	"github.com/bondaudit/bondaudit/vendors"
)

// netsnmpWalk runs net-snmp's snmpbulkwalk through a forwarder and returns
// the varbinds it printed and the requests the forwarder counted (no -d
// packet dumps).
func netsnmpWalk(t testing.TB, a *snmplab.Agent, f *udpdelay.Forwarder, root string, maxRep int) (varbinds, requests int) {
	t.Helper()
	bin := snmplab.NeedTool(t, "snmpbulkwalk", "snmp")
	cmd := exec.Command(bin, "-On", "-Cp", "-Cr"+strconv.Itoa(maxRep), "-v2c", "-c", a.Community, "-t", "5", "-r", "0",
		fmt.Sprintf("%s:%d", f.Addr().IP, f.Port()), "."+root)
	cmd.Env = append(cmd.Environ(), "MIBS=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	before := f.Counts()
	if err := cmd.Run(); err != nil {
		t.Fatalf("snmpbulkwalk %s: %v\n%s", root, err, out.String())
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if n, ok := strings.CutPrefix(l, "Variables found: "); ok {
			varbinds, _ = strconv.Atoi(n)
		}
	}
	return varbinds, int(f.Counts().Sub(before).ToAgent)
}

// TestRoundTripsNoMoreThanNetSNMP: for every subtree bondaudit polls, at
// the same max-repetitions on the same agent, the client sends no more
// requests than snmpbulkwalk and reads the same varbinds.
func TestRoundTripsNoMoreThanNetSNMP(t *testing.T) {
	path := fixture(t, "librenms__arista_eos.snmprec")
	a := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: path})
	f := forward(t, a, a.Port, 0)
	const maxRep = 25
	for _, root := range vendors.StandardOIDs {
		c := dial(t, a, snmp.Options{Version: snmp.V2c, Community: snmp.NewSecret(a.Community), MaxRepetitions: maxRep, Timeout: 5 * time.Second})
		vbs, err := c.BulkWalk(context.Background(), root)
		if err != nil {
			t.Fatal(err)
		}
		nv, nreq := netsnmpWalk(t, a, f, root, maxRep)
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
