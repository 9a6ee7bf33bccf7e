package l2_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/bondaudit/bondaudit/collect/l2"
)

// fixturePayloads returns the LLDP, LACP and CDP payloads of the shared
// pcap fixtures (when present), for fuzz seeds.
func fixturePayloads() (lldp, lacp, cdp [][]byte) {
	files, _ := filepath.Glob(filepath.Join(pcapDir, "*.pcap"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		r, err := pcapgo.NewReader(bytes.NewReader(b))
		if err != nil {
			continue
		}
		for {
			f, _, err := r.ReadPacketData()
			if err != nil {
				break
			}
			if len(f) < 22 {
				continue
			}
			switch et := binary.BigEndian.Uint16(f[12:]); {
			case et == l2.EtherTypeLLDP:
				lldp = append(lldp, f[14:])
			case et == l2.EtherTypeSlowProtocols:
				lacp = append(lacp, f[14:])
			case et < 0x600 && bytes.Equal(f[14:22], snapCDP):
				cdp = append(cdp, f[22:])
			}
		}
	}
	return
}

func captureFiles() [][]byte {
	var out [][]byte
	files, _ := filepath.Glob(filepath.Join(pcapDir, "*.pcap"))
	more, _ := filepath.Glob("testdata/*.pcap*")
	for _, file := range slices.Concat(files, more) {
		if b, err := os.ReadFile(file); err == nil {
			out = append(out, b)
		}
	}
	return out
}

func FuzzDecodeLLDP(f *testing.F) {
	seeds, _, _ := fixturePayloads()
	seeds = append(seeds, leafLLDP(lag8023, lag8021), leafLLDP(), lag8021, cat(leafLLDP(), make([]byte, 20)))
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := l2.DecodeLLDP(b)
		if (err == nil || errors.Is(err, l2.ErrMissingMandatory)) != (n != nil) {
			t.Fatalf("neighbour %v with error %v", n, err)
		}
		if n == nil {
			return
		}
		if n.Protocol != "lldp" || !slices.IsSorted(n.VLANs) {
			t.Fatalf("%+v", n)
		}
		if err == nil && (n.ChassisIDSubtype == "" || n.PortIDSubtype == "") {
			t.Fatalf("no chassis or port ID subtype: %+v", n)
		}
		// Whatever follows the LLDPDU (padding) changes nothing.
		padded, err2 := l2.DecodeLLDP(cat(b, make([]byte, 46)))
		if (err == nil) != (err2 == nil) || !cmp.Equal(n, padded) {
			t.Fatalf("zero padding changed the result: %v %v\n%s", err, err2, cmp.Diff(n, padded))
		}
	})
}

func FuzzDecodeCDP(f *testing.F) {
	_, _, seeds := fixturePayloads()
	seeds = append(seeds, nexusCDP)
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := l2.DecodeCDP(b)
		if (err == nil) != (n != nil) {
			t.Fatalf("neighbour %v with error %v", n, err)
		}
		if n != nil && (n.SystemName == "" || n.ChassisID != n.SystemName || n.Protocol != "cdp") {
			t.Fatalf("%+v", n)
		}
	})
}

func FuzzDecodeLACPDU(f *testing.F) {
	_, seeds, _ := fixturePayloads()
	seeds = append(seeds, hostPDU, hostPDU[:42])
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, p, err := l2.DecodeLACPDU(b)
		if (err == nil) != (a != nil && p != nil) {
			t.Fatalf("%v %v %v", a, p, err)
		}
		if err != nil {
			return
		}
		if !a.StateKnown || !p.StateKnown || a.State != b[18] || p.State != b[38] || len(a.System) != 17 || len(p.System) != 17 {
			t.Fatalf("actor %+v partner %+v from % x", a, p, b[:42])
		}
	})
}

func FuzzReadPcap(f *testing.F) {
	for _, s := range captureFiles() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		frames, errs := l2.ReadPcap(bytes.NewReader(b), "fuzz.pcap")
		for _, fr := range frames {
			if fr.Neighbour == nil || fr.Neighbour.Protocol != fr.Kind || (fr.Kind == l2.KindLACP) != (fr.Partner != nil) ||
				!strings.HasPrefix(fr.Neighbour.Source, "fuzz.pcap frame ") {
				t.Fatalf("frame %+v", fr)
			}
		}
		for _, err := range errs {
			if !strings.HasPrefix(err.Error(), "fuzz.pcap: ") {
				t.Fatalf("error without its source: %v", err)
			}
		}
		l2.Neighbours(frames, "eth0")
	})
}
