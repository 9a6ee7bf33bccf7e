package host

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"unsafe"

	"github.com/bondaudit/bondaudit/topology"
)

// bondingSeedFiles are the bonding files of the fixtures and the package's
// captures and sosreports: FuzzProcBonding's seeds.
func bondingSeedFiles(t testing.TB) [][]byte {
	var out [][]byte
	for _, p := range []string{filepath.Join(fixtureDir, "bonding", "*"), "testdata/capture/*/bonding/*", "testdata/sosreport-*/proc/net/bonding/*"} {
		files, _ := filepath.Glob(p)
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				out = append(out, b)
			}
		}
	}
	if len(out) < 10 {
		t.Fatalf("only %d bonding files found", len(out))
	}
	return out
}

// bondingVariants are data and what a copy may make of it: cut at every
// line and in the middle of it, with CRLF line ends, in upper and lower
// case, concatenated after a header line.
func bondingVariants(data []byte) [][]byte {
	out := [][]byte{data, bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")), bytes.ToUpper(data), bytes.ToLower(data),
		append([]byte("/proc/net/bonding/bondX\n"), data...), append(append([]byte("/proc/net/bonding/b1\n"), data...), append([]byte("/proc/net/bonding/b2\n"), data...)...)}
	for i, c := range data {
		if c == '\n' {
			out = append(out, data[:i+1], data[:max(i-3, 0)])
		}
	}
	return out
}

// checkBondingAgrees fails when the byte scanner and the string parser it
// replaced read data differently: bonds, problems or error.
func checkBondingAgrees(t *testing.T, data []byte) {
	t.Helper()
	bonds, errs, err := ParseProcBonding(data, "f", "bond0")
	rbonds, rerrs, rerr := refParseProcBonding(data, "f", "bond0")
	if fmt.Sprint(err) != fmt.Sprint(rerr) {
		t.Fatalf("%q: error %v, want %v", data, err, rerr)
	}
	if fmt.Sprint(errs) != fmt.Sprint(rerrs) {
		t.Fatalf("%q: problems\n%v\nwant\n%v", data, errs, rerrs)
	}
	if !reflect.DeepEqual(bonds, rbonds) {
		t.Fatalf("%q: bonds\n%+v\nwant\n%+v", data, bonds, rbonds)
	}
}

// TestProcBondingAgreesWithReference: the byte scanner reads every
// bonding fixture, and every cut, case and line-end variant of it, as the
// string parser did.
func TestProcBondingAgreesWithReference(t *testing.T) {
	for _, data := range bondingSeedFiles(t) {
		for _, v := range bondingVariants(data) {
			checkBondingAgrees(t, v)
		}
	}
	for _, s := range []string{
		"Bonding Mode: fault-tolerance (active-backup)\nMII Status: Lower-Layer-Down\nSlave Interface: ETH0\nMII Status: UP\nDuplex: Unknown\nPermanent HW addr: XX:xx:00:00:00:00\n",
		"Bonding Mode: 802.3ad\nSpeed: 1\nARP IP target/s (n.n.n.n form): 10.0.0.1, ,10.0.0.2\nPrimary Slave: None\nLACP active: ON\nSystem MAC address: 0011.2233.4455\n",
		"Bonding Mode: 802.3ad\nLACP Rate: FAST extra\nMII Status: ÜP\nBONDİNG MODE: x\n",
		"Slave Interface: eth0\nBonding Mode: weird\nSpeed: 10x\nMin Links: N/A\nSpeed:\u00a025000\u00a0Mbps\n",
		"Bonding Mode: 802.3ad\nSystem MAC address: 00:11:22:33:44:55\nSlave Interface: a\ndetails actor lacp pdu:\nsystem mac address: 00:11:22:33:44:55\nport state: 300\n",
	} {
		checkBondingAgrees(t, []byte(s))
	}
}

// TestProcBondingKeepsNoFileText: what ParseProcBonding returns holds no
// piece of the bytes it read (the capture reader reuses its read buffer):
// overwriting them changes nothing, and no string points into them.
func TestProcBondingKeepsNoFileText(t *testing.T) {
	for _, data := range bondingSeedFiles(t) {
		buf := bytes.Clone(data)
		bonds, _, err := ParseProcBonding(buf, "f", "bond0")
		if err != nil {
			continue
		}
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
		hi := lo + uintptr(len(buf))
		for i := range bonds {
			eachString(reflect.ValueOf(&bonds[i]).Elem(), "Bond", func(path string, s reflect.Value) {
				if p := uintptr(unsafe.Pointer(unsafe.StringData(s.String()))); s.Len() > 0 && p >= lo && p < hi {
					t.Errorf("%s = %q points into the file's bytes", path, s.String())
				}
			})
		}
		for i := range buf {
			buf[i] = 'x'
		}
		fresh, _, _ := ParseProcBonding(data, "f", "bond0")
		if !reflect.DeepEqual(bonds, fresh) {
			t.Fatalf("bonds changed with the bytes they were read from:\n%+v\nwant\n%+v", bonds, fresh)
		}
	}
}

// A bond's words are interned and its MACs held once per file.
func TestProcBondingSharesStrings(t *testing.T) {
	data, err := os.ReadFile("testdata/capture/web01/bonding/bond0")
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := ParseProcBonding(bytes.Clone(data), "f", "bond0")
	b, _, _ := ParseProcBonding(bytes.Clone(data), "f", "bond0")
	same := func(what string, x, y string) {
		if x != y || unsafe.StringData(x) != unsafe.StringData(y) {
			t.Errorf("%s: %q and %q are two copies", what, x, y)
		}
	}
	as, bs := a[0].Slaves[0], b[0].Slaves[0]
	same("slave name", as.Name, bs.Name)
	same("MII status", string(as.MIIStatus), string(bs.MIIStatus))
	same("bond name", a[0].Name, b[0].Name)
	same("actor system within a file", a[0].AdActorSystem, as.Actor.System)
	same("partner system within a file", a[0].Slaves[1].Partner.System, as.Partner.System)
}

// The pooled parser keeps nothing of one file for the next: what a parse
// returned is unchanged by the parses after it, and equals a parse of its
// own.
func TestProcBondingParserReuse(t *testing.T) {
	files := bondingSeedFiles(t)
	type result struct {
		bonds []topology.Bond
		errs  string
	}
	var got []result
	for _, data := range files {
		bonds, errs, _ := ParseProcBonding(data, "f", "bond0")
		got = append(got, result{bonds, fmt.Sprint(errs)})
	}
	for i := len(files) - 1; i >= 0; i-- {
		bonds, errs, _ := ParseProcBonding(files[i], "f", "bond0")
		if !reflect.DeepEqual(got[i].bonds, bonds) || got[i].errs != fmt.Sprint(errs) {
			t.Fatalf("file %d read before others differs from a read after them", i)
		}
	}
}

// TestFirstFieldFastPaths: firstFieldBytes' ASCII path and digitsValue
// read as the unicode and strconv forms they stand in for.
func TestFirstFieldFastPaths(t *testing.T) {
	for _, s := range []string{"", " ", "\t\v\f\r\n", "10000 Mbps", "  full\t", "a\u00a0b", "\u0085x y", "é b", "x\u2003y z", "007", "-1", "+5", "123456789012345678", "1234567890123456789", "9 9"} {
		v := []byte(s)
		if got, want := firstFieldBytes(v), firstFieldUnicode(v); string(got) != string(want) || (got == nil) != (want == nil) {
			t.Errorf("firstFieldBytes(%q) = %q, want %q", s, got, want)
		}
		f := firstFieldBytes(v)
		n, ok := digitsValue(f)
		an, err := strconv.Atoi(string(f))
		if ok && (err != nil || an != n) {
			t.Errorf("digitsValue(%q) = %d, Atoi %d %v", f, n, an, err)
		}
	}
}
