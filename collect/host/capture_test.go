package host

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bondaudit/bondaudit/topology"
)

func TestReadCaptureFolder(t *testing.T) {
	h, probs, err := ReadCaptureFS(os.DirFS("testdata/capture"), "web01")
	if err != nil {
		t.Fatal(err)
	}
	// bond1 has no bonding/ copy: kept from ip-link, reported.
	if len(probs) != 1 || !strings.Contains(probs[0], "web01/bonding/bond1: missing") {
		t.Errorf("problems %q", probs)
	}
	if h.Name != "web01.example.net" || len(h.Bonds) != 2 {
		t.Fatalf("host %s, %d bonds", h.Name, len(h.Bonds))
	}
	b0, b1 := h.Bonds[0], h.Bonds[1]
	if b0.Name != "bond0" || b0.Mode != topology.Mode8023AD || b0.MTU != 9000 || b0.MinLinks != 1 || b0.LACPActive == nil || !*b0.LACPActive {
		t.Errorf("bond0 %+v", b0)
	}
	if len(b0.Slaves) != 2 || b0.Slaves[1].Partner.Port != 1007 || b0.Slaves[1].LinkFailures != 1 || b0.Slaves[1].PermMAC != "3c:ec:ef:19:eb:31" {
		t.Errorf("bond0 slaves %+v", b0.Slaves)
	}
	if b1.Name != "bond1" || b1.Mode != topology.ModeActiveBackup || b1.Bridge != "br0" || b1.UpDelay != 200 || b1.ActiveSlave != "eno3" || len(b1.Slaves) != 2 {
		t.Errorf("bond1 %+v", b1)
	}
	nics := map[string]topology.NIC{}
	for _, n := range h.NICs {
		nics[n.Name] = n
	}
	if len(nics) != 4 {
		t.Errorf("NICs %v", h.NICs)
	}
	// permanent MACs: from permaddr, else info_slave_data.perm_hwaddr
	if nics["eno1"].PermMAC != "3c:ec:ef:19:eb:30" || nics["eno2"].PermMAC != "3c:ec:ef:19:eb:31" || nics["eno4"].PermMAC != "a0:36:9f:00:00:11" {
		t.Errorf("perm MACs %+v", nics)
	}
	if nics["eno1"].Speed != 25000 || nics["eno3"].Speed != 1000 || nics["eno3"].Duplex != "full" || nics["eno1"].Master != "bond0" {
		t.Errorf("speeds %+v", nics)
	}
	if len(h.VLANs) != 1 || h.VLANs[0] != (topology.VLANIf{Name: "bond0.100", Parent: "bond0", ID: 100, MTU: 9000}) {
		t.Errorf("vlans %+v", h.VLANs)
	}
	if len(h.Bridges) != 1 || h.Bridges[0].Name != "br0" || strings.Join(h.Bridges[0].Ports, ",") != "bond1" {
		t.Errorf("bridges %+v", h.Bridges)
	}
}

func TestReadSosreport(t *testing.T) {
	h, probs, err := ReadCaptureFS(os.DirFS("testdata"), "sosreport-db01")
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) > 0 {
		t.Errorf("problems %q", probs)
	}
	if h.Name != "db01" || len(h.Bonds) != 1 || h.Bonds[0].Mode != topology.ModeActiveBackup || len(h.Bonds[0].Slaves) != 2 {
		t.Fatalf("host %+v", h)
	}
	nics := map[string]topology.NIC{}
	for _, n := range h.NICs {
		nics[n.Name] = n
	}
	if nics["eno2"].PermMAC != "a0:36:9f:b2:02:01" || nics["eno1"].Master != "bond0" || nics["eno1"].MTU != 1500 {
		t.Errorf("nics %+v", nics)
	}
	if len(h.Neighbours) != 1 || h.Neighbours[0].LocalPort != "eno1" || h.Neighbours[0].PortID != "Ethernet5" || h.Neighbours[0].PVID != 20 {
		t.Errorf("neighbours %+v", h.Neighbours)
	}
}

func TestCaptureBadInput(t *testing.T) {
	good, _ := os.ReadFile("testdata/capture/web01/ip-link.json")
	bond, _ := os.ReadFile("testdata/capture/web01/bonding/bond0")
	fsys := fstest.MapFS{
		"trunc/ip-link.json":   {Data: good[:len(good)/3]},
		"trunc/bonding/bond0":  {Data: bond},
		"empty/notes.txt":      {Data: []byte("nothing here")},
		"nolink/bonding/bond0": {Data: bond},
	}
	h, probs, err := ReadCaptureFS(fsys, "trunc")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Bonds) != 1 || !strings.Contains(strings.Join(probs, "\n"), "trunc/ip-link.json:") || !strings.Contains(strings.Join(probs, "\n"), "truncated") {
		t.Errorf("truncated ip-link.json: bonds %d, problems %q", len(h.Bonds), probs)
	}
	if _, _, err := ReadCaptureFS(fsys, "empty"); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty capture: %v", err)
	}
	h, probs, err = ReadCaptureFS(fsys, "nolink")
	if err != nil || h.Name != "nolink" || len(h.NICs) != 2 || !strings.Contains(strings.Join(probs, "\n"), "nolink/ip-link.json: missing") {
		t.Errorf("missing ip-link.json: %v, %+v, %q", err, h, probs)
	}
}

func TestIPLinkJSONErrorsNameFileAndLine(t *testing.T) {
	_, err := ParseIPLinkJSON([]byte("[\n{\"ifname\": \"eth0\",\n\"mtu\": }\n]"), "hosts/x/ip-link.json")
	if err == nil || !strings.HasPrefix(err.Error(), "hosts/x/ip-link.json:3:") {
		t.Errorf("error %v", err)
	}
}
