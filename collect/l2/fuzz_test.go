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
		if !a.StateKnown || !p.StateKnown || uint8(a.State) != b[18] || uint8(p.State) != b[38] || len(a.System) != 17 || len(p.System) != 17 {
			t.Fatalf("actor %+v partner %+v from % x", a, p, b[:42])
		}
	})
}

// cutCapture keeps a capture's file header (pcap; pcapng: its section and
// interface blocks) and the first n records the reader makes a frame or an
// error of: a fuzz seed of a few hundred bytes. The fuzzer's minimisation
// of what it finds costs about the square of the input's length in runs,
// so whole captures as seeds leave a 60 s run minimising; they are read
// whole by the ordinary tests.
func cutCapture(b []byte, n int) []byte {
	head, recs := splitCapture(b)
	if head == nil {
		return b
	}
	out := slices.Clone(head)
	kept := 0
	for _, r := range recs {
		if kept == n {
			break
		}
		frames, errs := l2.ReadPcap(bytes.NewReader(slices.Concat(head, r)), "seed")
		if len(frames)+len(errs) > 0 {
			out = append(out, r...)
			kept++
		}
	}
	return out
}

// splitCapture splits a pcap or pcapng file into its header and records
// (nil header: neither).
func splitCapture(b []byte) (head []byte, recs [][]byte) {
	if len(b) < 24 {
		return nil, nil
	}
	var order binary.ByteOrder
	switch binary.LittleEndian.Uint32(b) {
	case 0xa1b2c3d4, 0xa1b23c4d:
		order = binary.LittleEndian
	case 0xd4c3b2a1, 0x4d3cb2a1:
		order = binary.BigEndian
	case 0x0a0d0d0a: // pcapng: blocks of type, total length, body, length
		order = binary.LittleEndian
		if binary.LittleEndian.Uint32(b[8:]) != 0x1a2b3c4d {
			order = binary.BigEndian
		}
		for at := 0; at+12 <= len(b); {
			typ, l := order.Uint32(b[at:]), int(order.Uint32(b[at+4:]))
			if l < 12 || at+l > len(b) {
				break
			}
			if typ == 0x0a0d0d0a || typ == 1 { // section or interface header
				head = append(head, b[at:at+l]...)
			} else {
				recs = append(recs, b[at:at+l])
			}
			at += l
		}
		return head, recs
	default:
		return nil, nil
	}
	for at := 24; at+16 <= len(b); {
		end := min(len(b), at+16+int(order.Uint32(b[at+8:])))
		recs = append(recs, b[at:end])
		at = end
	}
	return b[:24], recs
}

func FuzzReadPcap(f *testing.F) {
	for _, s := range captureFiles() {
		f.Add(cutCapture(s, 2))
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

// TestCutCaptureReadsBack: every cut seed is still a capture the reader
// takes: a frame or two (or the whole file's bad frames), no new errors.
func TestCutCaptureReadsBack(t *testing.T) {
	for i, b := range captureFiles() {
		cut := cutCapture(b, 2)
		if len(cut) > 2<<10 {
			t.Errorf("capture %d: cut to %d bytes", i, len(cut))
		}
		all, allErrs := l2.ReadPcap(bytes.NewReader(b), "whole")
		some, errs := l2.ReadPcap(bytes.NewReader(cut), "cut")
		if len(errs) > len(allErrs) || len(some) > len(all) || len(some) > 2 || len(some)+len(errs) == 0 && len(all)+len(allErrs) > 0 {
			t.Errorf("capture %d (%d of %d bytes): %d frames of %d, errors %v", i, len(cut), len(b), len(some), len(all), errs)
		}
	}
}
