//go:build linux

package host

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

// sll2Pcap is a classic pcap (LINKTYPE_LINUX_SLL2, as `tcpdump -i any`
// writes) of LLDPDUs received on ifindex.
func sll2Pcap(ifindex int, payloads ...[]byte) []byte {
	var b []byte
	le, be := binary.LittleEndian, binary.BigEndian
	b = le.AppendUint32(b, 0xa1b2c3d4)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 4)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, 65535)
	b = le.AppendUint32(b, 276)
	for i, p := range payloads {
		var rec []byte
		rec = be.AppendUint16(rec, 0x88cc)
		rec = be.AppendUint16(rec, 0)
		rec = be.AppendUint32(rec, uint32(ifindex))
		rec = be.AppendUint16(rec, 1) // ARPHRD_ETHER
		rec = append(rec, 0, 6)       // to us; 6-byte address
		rec = append(rec, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0)
		rec = append(rec, p...)
		b = le.AppendUint32(b, uint32(1700000000+i))
		b = le.AppendUint32(b, 0)
		b = le.AppendUint32(b, uint32(len(rec)))
		b = le.AppendUint32(b, uint32(len(rec)))
		b = append(b, rec...)
	}
	return b
}

// TestCollectListsEachNeighbourOnce: the live collector hears a switch's
// LLDP (here from a capture file, through the same decoders and the same
// merge as --listen) and lldpd reports the same switch: the snapshot lists
// it once. The old collector appended lldpcli's list after the heard one,
// so every neighbour came twice (doubled evidence, the bond named twice).
func TestCollectListsEachNeighbourOnce(t *testing.T) {
	var nic *net.Interface
	ifs, _ := net.Interfaces()
	for i := range ifs {
		if len(ifs[i].HardwareAddr) == 6 && ifs[i].Flags&net.FlagLoopback == 0 {
			nic = &ifs[i]
			break
		}
	}
	if nic == nil {
		t.Skip("no Ethernet interface on this machine to hear frames on")
	}
	dir := t.TempDir()
	pcap := filepath.Join(dir, "l2.pcap")
	if err := os.WriteFile(pcap, sll2Pcap(nic.Index, lldpFrame(tlvPVID10, tlvLANotEnabled)), 0o644); err != nil {
		t.Fatal(err)
	}
	// lldpcli as lldpd 1.0 answers about the same neighbour.
	lldpcli := filepath.Join(dir, "lldpcli")
	js := fmt.Sprintf(`{"lldp":[{"interface":[{"name":%q,"via":"LLDP","rid":"1","age":"0 day, 00:00:09",
		"chassis":[{"id":[{"type":"mac","value":"02:11:22:33:44:55"}],"name":[{"value":"leaf9"}],"descr":[{"value":"EOS"}]}],
		"port":[{"id":[{"type":"ifname","value":"Ethernet7"}],"ttl":[{"value":"120"}]}],
		"vlan":[{"vlan-id":"10","pvid":true}]}]}]}`, nic.Name)
	if err := os.WriteFile(lldpcli, []byte("#!/bin/sh\ncat <<'EOF'\n"+js+"\nEOF\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	h, problems, err := Collect(context.Background(), CollectOptions{Pcap: pcap, LLDPCli: lldpcli})
	if err != nil {
		t.Skipf("netlink: %v", err)
	}
	var on []topology.Neighbour
	for _, n := range h.Neighbours {
		if n.LocalPort == nic.Name {
			on = append(on, n)
		}
	}
	if len(on) != 1 {
		t.Fatalf("%d neighbours on %s, want 1 (problems %q): %+v", len(on), nic.Name, problems, on)
	}
	if n := on[0]; n.SystemName != "leaf9" || n.SystemDescr != "EOS" || n.PVID != 10 || len(n.VLANs) != 0 || n.LinkAgg != nil {
		t.Errorf("merged neighbour %+v", n)
	}
}
