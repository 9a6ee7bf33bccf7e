package host

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// TestProcBondingCutShort: issue 12 item 7. A bonding file cut short (an
// rsync of a capture in progress, a full disk) was read as if whole: the
// cut value was used (a partner MAC ending "1b:0" reads as 1b:00, a
// different partner). The cut is now reported, the complete sections
// kept, and the cut slave keeps only its name.
func TestProcBondingCutShort(t *testing.T) {
	whole, err := os.ReadFile("testdata/capture/web01/bonding/bond0")
	if err != nil {
		t.Fatal(err)
	}
	const f = "hosts/web01/bonding/bond0"
	lineOf := func(s string) string {
		i := strings.LastIndex(string(whole), s)
		return f + ":" + strconv.Itoa(1+strings.Count(string(whole[:i]), "\n")) + ": "
	}
	eno2 := lineOf("Slave Interface: eno2")
	cutAfter := func(s string) []byte {
		i := strings.LastIndex(string(whole), s)
		if i < 0 {
			t.Fatalf("%q not in the file", s)
		}
		return whole[:i+len(s)]
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want []string
	}{
		{"mid-line in the partner MAC", cutAfter("system mac address: 02:1c:73:1a:1b:0"), []string{
			lineOf("system mac address: 02:1c:73:1a:1b:01") + `the last line has no newline: the file is cut short (truncated copy?); "system mac address: 02:1c:73:1a:1b:0" is not used`,
			eno2 + `slave "eno2": the section ends without the "details partner lacp pdu: system mac address" line the kernel always prints: the file is cut short (truncated copy?); this slave's values are not used`}},
		{"mid-line after the churn states", cutAfter("Partner Churn State: none\nActor Churned Co"), []string{
			lineOf("Actor Churned Count") + `the last line has no newline: the file is cut short (truncated copy?); "Actor Churned Co" is not used`,
			eno2 + `slave "eno2": the section is cut by the end of the file: this slave's values are not used`}},
		{"mid-line in the speed", cutAfter("Slave Interface: eno2\nMII Status: up\nSpeed: 25"), []string{
			lineOf("Speed: 25000") + `the last line has no newline: the file is cut short (truncated copy?); "Speed: 25" is not used`,
			eno2 + `slave "eno2": the section ends without the "Link Failure Count" line the kernel always prints: the file is cut short (truncated copy?); this slave's values are not used`}},
		{"after the speed", cutAfter("Slave Interface: eno2\nMII Status: up\nSpeed: 25000 Mbps\n"), []string{
			eno2 + `slave "eno2": the section ends without the "Duplex" line the kernel always prints: the file is cut short (truncated copy?); this slave's values are not used`}},
		{"before the partner key", cutAfter("system mac address: 02:1c:73:1a:1b:01\n"), []string{
			eno2 + `slave "eno2": the section ends without the "details partner lacp pdu: oper key" line the kernel always prints: the file is cut short (truncated copy?); this slave's values are not used`}},
		{"at a line end in the partner block", cutAfter("port number: 1007\n"), []string{
			eno2 + `slave "eno2": the section ends without the "details partner lacp pdu: port state" line the kernel always prints: the file is cut short (truncated copy?); this slave's values are not used`}},
		{"before the partner block", cutAfter("port state: 63\n"), []string{
			eno2 + `slave "eno2": the section ends without the "details partner lacp pdu" line the kernel always prints: the file is cut short (truncated copy?); this slave's values are not used`}},
		{"before the link failure count", cutAfter("Slave Interface: eno2\nMII Status: up\nSpeed: 25000 Mbps\nDuplex: full\n"), []string{
			eno2 + `slave "eno2": the section ends without the "Link Failure Count" line the kernel always prints: the file is cut short (truncated copy?); this slave's values are not used`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bonds, errs, err := ParseProcBonding(tc.in, f, "bond0")
			if err != nil || len(bonds) != 1 {
				t.Fatalf("%v, %d bonds", err, len(bonds))
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
			b := bonds[0]
			if len(b.Slaves) != 2 {
				t.Fatalf("%d slaves", len(b.Slaves))
			}
			if s := b.Slaves[1]; s.Name != "eno2" || s.Speed != 0 || s.MIIStatus != "" || s.Partner != nil || s.Actor != nil || s.AggregatorID != 0 || s.PermMAC != "" {
				t.Errorf("values of the cut slave used: %+v", s)
			}
			if s := b.Slaves[0]; s.Speed != 25000 || s.Partner == nil || s.Partner.System != "02:1c:73:1a:1b:01" || !s.Partner.StateKnown {
				t.Errorf("the complete slave is lost: %+v", s)
			}
			if b.ActiveAggregator == nil || b.ActiveAggregator.PartnerMAC != "02:1c:73:1a:1b:01" {
				t.Errorf("bond header lost: %+v", b.ActiveAggregator)
			}
		})
	}
	// The whole file, and the whole file cut after a complete section,
	// read without a problem.
	for _, in := range [][]byte{whole, cutAfter("port state: 61\n\n")} {
		if _, errs, err := ParseProcBonding(in, f, "bond0"); err != nil || len(errs) > 0 {
			t.Errorf("%v %v", err, errs)
		}
	}
}

// TestProcBondingLongLine: issue 12 item 5(c). A 50 MB line was copied
// whole into the problem message.
func TestProcBondingLongLine(t *testing.T) {
	for _, in := range []string{
		"Bonding Mode: " + strings.Repeat("x", 50<<20) + "\n",
		"Bonding Mode: fault-tolerance (active-backup)\nMII Polling Interval (ms): " + strings.Repeat("\x1b", 50<<20) + "\n",
		"Bonding Mode: fault-tolerance (active-backup)\n" + strings.Repeat("y", 50<<20),
	} {
		_, errs, err := ParseProcBonding([]byte(in), "bond0", "bond0")
		if err != nil || len(errs) == 0 {
			t.Fatalf("%v %d", err, len(errs))
		}
		for _, e := range errs {
			if m := e.Error(); len(m) > 300 || strings.Contains(m, "\x1b") {
				t.Errorf("%d-byte message: %.300q", len(m), m)
			}
		}
	}
}

// TestReadersClipQuotedInput: issue 12 item 5(c). Every capture reader
// that quotes what it read in a problem quotes it clipped and escaped.
func TestReadersClipQuotedInput(t *testing.T) {
	huge := strings.Repeat("\x1b[2J", 1<<18) // 1 MiB of terminal escapes
	name := strings.Repeat("n", 1<<20)
	check := func(what string, errs ...error) {
		t.Helper()
		if len(errs) == 0 {
			t.Errorf("%s: no problem", what)
		}
		for _, e := range errs {
			if m := e.Error(); len(m) > 400 || strings.Contains(m, "\x1b") {
				t.Errorf("%s: %d-byte message %.300q", what, len(m), m)
			}
		}
	}
	_, errs := ParseOVSBondShow([]byte(huge+"\n---- bond0 ----\nbond_mode: "+huge+"\nlacp_status: "+huge+"\nmember eth0: "+huge+"\n"+huge+"\n"), "ovs-bonds.txt")
	check("ovs", errs...)
	_, errs = ParseOVSBondShow([]byte("---- "+name+" ----\nupdelay: 1 ms\n"), "ovs-bonds.txt")
	check("ovs bond name", errs...)
	_, err := ParseLLDP([]byte("lldp.eth0.via=LLDP\n"+huge+"\n"), "lldp.keyvalue")
	check("lldp keyvalue", err)
	_, err = ParseTeamdState([]byte(`{"setup": {"runner_name": "lacp"}, "ports": {"`+name+`": {"ifinfo": {"ifname": "eth9"}}}}`), "team0.json", "team0")
	check("teamd port name", err)
	_, err = ParseTeamdState([]byte(`{"setup": {"runner_name": "lacp"}, "team_device": {"ifinfo": {"ifname": "`+name+`"}}}`), "team0.json", "team0")
	check("teamd device name", err)
	fsys := fstest.MapFS{
		"h/ip-link.json":  {Data: []byte(`[{"ifindex":2,"ifname":"eth0","mtu":1500,"link_type":"ether","address":"02:00:00:00:00:01"}]`)},
		"h/bonding/bond0": {Data: []byte("/proc/net/bonding/" + name + "\nBonding Mode: fault-tolerance (active-backup)\n")},
	}
	_, probs, err := ReadCaptureFS(fsys, "h")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		check("capture", errors.New(p))
	}
}
