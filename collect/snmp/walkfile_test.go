package snmp

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/bondaudit/bondaudit/vendors"
)

// fixtureDir holds snmprec recordings from LibreNMS's test data, shared by
// the whole repository.
var fixtureDir = fixtures.Path("snmp")

// recordings returns every shared recording, skipping t when there are none.
func recordings(t testing.TB) []string {
	t.Helper()
	return fixtures.Glob(t, "snmp", "*.snmprec")
}

// fixture returns the path of one shared recording, skipping t when absent.
func fixture(t testing.TB, name string) string {
	t.Helper()
	return fixtures.Require(t, "snmp", name)
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func errStrings(errs []error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

var ignoreLine = cmpopts.IgnoreFields(vendors.VarBind{}, "Line")

// TestSnmprecFixtures reads every recorded walk: all lines parse except the
// few the LibreNMS redaction broke.
func TestSnmprecFixtures(t *testing.T) {
	// Odd lines in the real files, checked by hand.
	wantErrs := map[string][]string{
		// LibreNMS replaced these cdpCacheAddress-like IpAddress values with
		// the text "<private>", which is not an IP address.
		"librenms__nxos_n3k-3064pq.snmprec": {
			`librenms__nxos_n3k-3064pq.snmprec:5777: bad IpAddress value "<private>"`,
			`librenms__nxos_n3k-3064pq.snmprec:5778: bad IpAddress value "<private>"`,
			`librenms__nxos_n3k-3064pq.snmprec:5781: bad IpAddress value "<private>"`,
			`librenms__nxos_n3k-3064pq.snmprec:5782: bad IpAddress value "<private>"`,
		},
		// LibreNMS replaced the ARP entries' addresses by 10.1.1.1: seven
		// rows of each table became one OID with seven MACs (issue 12
		// item 7: the walk used to keep the last silently).
		"librenms__procurve.snmprec": {
			`librenms__procurve.snmprec:1018: OID "1.3.6.1.2.1.4.22.1.2.1277.10.1.1.1" given again with another value: line 1017 says OCTET STRING "12:02:00:00:01:02", this line OCTET STRING "ec:02:73:96:21:00" (and 5 more lines give it); the OID is not used`,
			`librenms__procurve.snmprec:1120: OID "1.3.6.1.2.1.4.35.1.4.1277.1.4.10.1.1.1" given again with another value: line 1119 says OCTET STRING "12:02:00:00:01:02", this line OCTET STRING "ec:02:73:96:21:00" (and 5 more lines give it); the OID is not used`,
		},
	}
	// Lines whose OID was dropped as a conflicting duplicate.
	dropped := map[string]int{"librenms__procurve.snmprec": 14}
	for _, path := range recordings(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data := readFile(t, path)
			vbs, errs := ReadSnmprec(bytes.NewReader(data), name)
			if diff := cmp.Diff(wantErrs[name], errStrings(errs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			for _, e := range errs {
				var le *LineError
				if !errors.As(e, &le) || le.File != name || le.Line < 1 {
					t.Errorf("error %v is not a *LineError naming the file and line", e)
				}
			}
			// Every record line is a varbind or an error.
			lines := bytes.Count(data, []byte("\n"))
			if len(data) > 0 && data[len(data)-1] != '\n' {
				lines++
			}
			dupErrs := 0
			for _, e := range errs {
				if strings.Contains(e.Error(), "given again with another value") {
					dupErrs++
				}
			}
			if got := len(vbs) + len(errs) - dupErrs + dropped[name]; got != lines {
				t.Errorf("%d varbinds + %d errors + %d dropped, want %d lines", len(vbs), len(errs)-dupErrs, dropped[name], lines)
			}
			for i, vb := range vbs {
				if i > 0 && vb.Line <= vbs[i-1].Line {
					t.Fatalf("varbind %d (%s) on line %d after line %d", i, vb.OID, vb.Line, vbs[i-1].Line)
				}
			}
		})
	}
}

// TestSnmprecFixtureValues spot-checks values read by hand from the files.
func TestSnmprecFixtureValues(t *testing.T) {
	type check struct {
		oid  string
		want vendors.Value
	}
	tests := []struct {
		file   string
		checks []check
	}{{
		file: "librenms__arista_eos_vrf.snmprec",
		checks: []check{
			// line 66: 1.3.6.1.2.1.1.1.0|4|Arista Networks EOS …
			{"1.3.6.1.2.1.1.1.0", vendors.Value{Kind: vendors.KindOctetString,
				Bytes: []byte("Arista Networks EOS version 4.20.12.1M running on an Arista Networks DCS-7150S-24")}},
			// line 67: 1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.30065.1.3011.7150.3282.24
			{"1.3.6.1.2.1.1.2.0", vendors.Value{Kind: vendors.KindOID, OID: "1.3.6.1.4.1.30065.1.3011.7150.3282.24"}},
			// line 68: sysUpTime|67|49383892
			{"1.3.6.1.2.1.1.3.0", vendors.Value{Kind: vendors.KindTimeTicks, Uint: 49383892}},
			// line 159: ifPhysAddress.1|4x|001c73b3bd72
			{"1.3.6.1.2.1.2.2.1.6.1", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte{0x00, 0x1c, 0x73, 0xb3, 0xbd, 0x72}}},
			// line 72: ifDescr.1|4|Ethernet1; line 188: ifAdminStatus.1|2|1
			{"1.3.6.1.2.1.2.2.1.2.1", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte("Ethernet1")}},
			{"1.3.6.1.2.1.2.2.1.7.1", vendors.Value{Kind: vendors.KindInteger, Int: 1}},
			// line 896: ifHCInOctets.1|70|6576944; line 395: |66|1
			{"1.3.6.1.2.1.31.1.1.1.6.1", vendors.Value{Kind: vendors.KindCounter64, Uint: 6576944}},
			{"1.3.6.1.2.1.4.24.3.0", vendors.Value{Kind: vendors.KindGauge32, Uint: 1}},
			// line 393: ipAdEntNetMask|64|255.255.255.252
			{"1.3.6.1.2.1.4.20.1.3.169.254.1.1", vendors.Value{Kind: vendors.KindIPAddress, Bytes: []byte{255, 255, 255, 252}}},
		},
	}, {
		// CRLF line endings throughout; sysDescr is hex because it holds
		// quotes and a newline.
		file: "librenms__dell-sonic.snmprec",
		checks: []check{
			{"1.3.6.1.2.1.1.1.0", vendors.Value{Kind: vendors.KindOctetString,
				Bytes: []byte("\"SONiC Software Version: SONiC.4.4.1-Lite - HwSku: DELL-E3248P - Distribution: Debian 11.11 - Kernel: 5.10.0-21-amd64\n\"")}},
			{"1.3.6.1.2.1.1.2.0", vendors.Value{Kind: vendors.KindOID, OID: "1.3.6.1.4.1.4413.1.2.1.2.34"}},
			{"1.0.8802.1.1.2.1.3.7.1.3.1", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte("Eth1/1")}},
		},
	}, {
		file: "librenms__procurve.snmprec",
		checks: []check{
			// line 1016: upper-case hex. (Lines 1017-1023 share one OID
			// with seven values: it is dropped, see TestSnmprecFixtures.)
			{"1.3.6.1.2.1.4.22.1.2.1277.0.0.0.0", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte{0x00, 0x50, 0x56, 0x8c, 0x43, 0x72}}},
			// line 5260 "<private> ": snmpsim strips the record.
			{"1.3.6.1.2.1.47.1.1.1.1.11.22001", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte("<private>")}},
		},
	}, {
		file: "librenms__sm-os_80hdx.snmprec",
		checks: []check{
			// line 1492: |64x|0afa006e
			{"1.3.6.1.2.1.4.20.1.1.10.250.0.110", vendors.Value{Kind: vendors.KindIPAddress, Bytes: []byte{10, 250, 0, 110}}},
			// dot3adAggPortActorOperState.1|4x|82
			{"1.2.840.10006.300.43.1.2.1.1.21.1", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte{0x82}}},
		},
	}, {
		file: "librenms__dnos_s4048.snmprec",
		checks: []check{
			// line 2964: dot1dStpProtocolSpecification|5|
			{"1.3.6.1.2.1.17.2.1.0", vendors.Value{Kind: vendors.KindNull}},
		},
	}, {
		file: "librenms__aos7.snmprec",
		checks: []check{
			// line 9083: |2|-1
			{"1.3.6.1.2.1.14.1.11.0", vendors.Value{Kind: vendors.KindInteger, Int: -1}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			w, errs, err := ReadWalkFile(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range errs {
				if !strings.Contains(e.Error(), "given again with another value") {
					t.Errorf("unexpected line error: %v", e)
				}
			}
			for _, c := range tt.checks {
				got, ok := w.Get(c.oid)
				if !ok {
					t.Errorf("%s: missing", c.oid)
					continue
				}
				if diff := cmp.Diff(c.want, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", c.oid, diff)
				}
			}
		})
	}
}

// TestSnmprecFixtureRows counts ifDescr rows, counted with
// grep -c '^1\.3\.6\.1\.2\.1\.2\.2\.1\.2\.' FILE.
func TestSnmprecFixtureRows(t *testing.T) {
	const ifDescr = "1.3.6.1.2.1.2.2.1.2"
	tests := []struct {
		file string
		rows int
	}{
		{"librenms__arista_eos_vrf.snmprec", 29},
		{"librenms__ios_2960x.snmprec", 146},
		{"librenms__junos_qfx5100.snmprec", 50},
		{"librenms__aos7.snmprec", 308},
		{"librenms__dell-sonic.snmprec", 56},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			w, _, err := ReadWalkFile(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(w.Column(ifDescr)); got != tt.rows {
				t.Errorf("ifDescr rows = %d, want %d", got, tt.rows)
			}
		})
	}
}

// toSnmpwalk prints varbinds the way `snmpwalk -On` does without MIBs:
// printable strings quoted (escaping \ and "), other strings as Hex-STRING
// wrapped every 16 bytes.
func toSnmpwalk(vbs []vendors.VarBind) []byte {
	var b bytes.Buffer
	for _, vb := range vbs {
		fmt.Fprintf(&b, ".%s = ", vb.OID)
		v := vb.Value
		switch v.Kind {
		case vendors.KindInteger:
			fmt.Fprintf(&b, "INTEGER: %d", v.Int)
		case vendors.KindOctetString:
			switch {
			case len(v.Bytes) == 0:
				b.WriteString(`""`)
			case netsnmpPrintable(v.Bytes):
				b.WriteString(`STRING: "`)
				for _, c := range v.Bytes {
					if c == '"' || c == '\\' {
						b.WriteByte('\\')
					}
					b.WriteByte(c)
				}
				b.WriteByte('"')
			default:
				b.WriteString("Hex-STRING: ")
				writeHexLines(&b, v.Bytes)
			}
		case vendors.KindOpaque:
			b.WriteString("OPAQUE: ")
			writeHexLines(&b, v.Bytes)
		case vendors.KindNull:
			b.WriteString("NULL")
		case vendors.KindOID:
			b.WriteString("OID: ." + v.OID)
		case vendors.KindIPAddress:
			if len(v.Bytes) == 4 {
				fmt.Fprintf(&b, "IpAddress: %d.%d.%d.%d", v.Bytes[0], v.Bytes[1], v.Bytes[2], v.Bytes[3])
			} else {
				b.WriteString("Network Address: " + strings.ToUpper(vendors.HexString(v.Bytes)))
			}
		case vendors.KindCounter32:
			fmt.Fprintf(&b, "Counter32: %d", v.Uint)
		case vendors.KindGauge32:
			fmt.Fprintf(&b, "Gauge32: %d", v.Uint)
		case vendors.KindTimeTicks:
			cs := v.Uint
			fmt.Fprintf(&b, "Timeticks: (%d) %d days, %d:%02d:%02d.%02d", cs, cs/8640000, cs/360000%24, cs/6000%60, cs/100%60, cs%100)
		case vendors.KindCounter64:
			fmt.Fprintf(&b, "Counter64: %d", v.Uint)
		case vendors.KindNoSuchObject:
			b.WriteString("No Such Object available on this agent at this OID")
		case vendors.KindNoSuchInstance:
			b.WriteString("No Such Instance currently exists at this OID")
		case vendors.KindEndOfMibView:
			b.WriteString("No more variables left in this MIB View (It is past the end of the MIB tree)")
		default:
			panic("toSnmpwalk: kind " + strconv.Itoa(int(v.Kind)))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// netsnmpPrintable is isprint||isspace in the C locale, less '\r' (a line
// reader cannot tell "\r\n" inside a string from a CRLF line end).
func netsnmpPrintable(p []byte) bool {
	for _, c := range p {
		if (c < 0x20 || c > 0x7e) && c != ' ' && c != '\t' && c != '\n' && c != '\v' && c != '\f' {
			return false
		}
	}
	return true
}

func writeHexLines(b *bytes.Buffer, p []byte) {
	for i, c := range p {
		if i > 0 && i%16 == 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(b, "%02X ", c)
	}
}

// TestSnmprecEqualsSnmpwalk prints each fixture as snmpwalk -On output and
// reads it back: both readers must give the same varbinds.
func TestSnmprecEqualsSnmpwalk(t *testing.T) {
	for _, path := range recordings(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			rec, _ := ReadSnmprec(bytes.NewReader(readFile(t, path)), name)
			text := toSnmpwalk(rec)
			walk, errs := ReadSnmpwalk(bytes.NewReader(text), name+".walk")
			if len(errs) > 0 {
				t.Errorf("%d errors, first: %v", len(errs), errs[0])
			}
			if !sameVarBinds(rec, walk) { // cmp.Diff alone takes seconds here
				t.Errorf("snmprec vs snmpwalk (-snmprec +snmpwalk):\n%s", cmp.Diff(rec, walk, ignoreLine))
			}
		})
	}
}

// sameVarBinds compares OIDs and values, not lines.
func sameVarBinds(a, b []vendors.VarBind) bool {
	return slices.EqualFunc(a, b, func(x, y vendors.VarBind) bool {
		return x.OID == y.OID && x.Value.Kind == y.Value.Kind && x.Value.Int == y.Value.Int &&
			x.Value.Uint == y.Value.Uint && x.Value.OID == y.Value.OID &&
			bytes.Equal(x.Value.Bytes, y.Value.Bytes) && (x.Value.Bytes == nil) == (y.Value.Bytes == nil)
	})
}

func TestToSnmpwalkShape(t *testing.T) {
	// The helper must produce what net-snmp prints, or the test above
	// proves nothing.
	vbs := []vendors.VarBind{
		{OID: "1.3.6.1.2.1.1.1.0", Value: vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte("a \"b\"\nc")}},
		{OID: "1.3.6.1.2.1.1.3.0", Value: vendors.Value{Kind: vendors.KindTimeTicks, Uint: 49383892}},
		{OID: "1.3.6.1.2.1.2.2.1.6.1", Value: vendors.Value{Kind: vendors.KindOctetString, Bytes: bytes.Repeat([]byte{0xab}, 17)}},
	}
	want := `.1.3.6.1.2.1.1.1.0 = STRING: "a \"b\"
c"
.1.3.6.1.2.1.1.3.0 = Timeticks: (49383892) 5 days, 17:10:38.92
.1.3.6.1.2.1.2.2.1.6.1 = Hex-STRING: AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB 
AB 
`
	if diff := cmp.Diff(want, string(toSnmpwalk(vbs))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func vb(oid string, v vendors.Value, line int) vendors.VarBind {
	return vendors.VarBind{OID: oid, Value: v, Line: line}
}

func octets(s string) vendors.Value {
	if s == "" {
		return vendors.Value{Kind: vendors.KindOctetString}
	}
	return vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte(s)}
}

func seq(lo, hi byte) []byte {
	var b []byte
	for c := lo; c <= hi; c++ {
		b = append(b, c)
	}
	return b
}

// TestSnmpwalkCases reads testdata/cases.walk, one line per value form.
func TestSnmpwalkCases(t *testing.T) {
	want := []vendors.VarBind{
		vb("1.3.6.1.2.1.1.1.0", octets("Arista Networks EOS version 4.20.12.1M running on an Arista Networks DCS-7150S-24"), 1),
		vb("1.3.6.1.2.1.1.2.0", vendors.Value{Kind: vendors.KindOID, OID: "1.3.6.1.4.1.30065.1.3011.7150.3282.24"}, 2),
		vb("1.3.6.1.2.1.1.3.0", vendors.Value{Kind: vendors.KindTimeTicks, Uint: 49383892}, 3),
		vb("1.3.6.1.2.1.1.4.0", octets("NOC \"on call\" <noc@example.net>\nsecond line, a backslash \\ and trailing spaces  \n\nafter a blank line"), 4),
		vb("1.3.6.1.2.1.1.5.0", octets(""), 8),
		vb("1.3.6.1.2.1.1.6.0", octets("rack 12, row B"), 9),
		vb("1.3.6.1.2.1.1.7.0", vendors.Value{Kind: vendors.KindInteger, Int: 72}, 10),
		vb("1.3.6.1.2.1.2.1.0", vendors.Value{Kind: vendors.KindInteger, Int: 52}, 11),
		vb("1.3.6.1.2.1.2.2.1.2.1", octets("Ethernet1"), 12),
		vb("1.3.6.1.2.1.2.2.1.6.1", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte{0x00, 0x1c, 0x73, 0xb3, 0xbd, 0x72}}, 13),
		vb("1.3.6.1.2.1.2.2.1.6.2", octets(""), 14),
		vb("1.3.6.1.2.1.2.2.1.7.1", vendors.Value{Kind: vendors.KindInteger, Int: 1}, 15),
		vb("1.3.6.1.2.1.2.2.1.8.1", vendors.Value{Kind: vendors.KindInteger, Int: 7}, 16),
		vb("1.3.6.1.2.1.2.2.1.10.1", vendors.Value{Kind: vendors.KindCounter32, Uint: 4294967295}, 17),
		vb("1.3.6.1.2.1.31.1.1.1.6.1", vendors.Value{Kind: vendors.KindCounter64, Uint: 6576944}, 18),
		vb("1.3.6.1.2.1.31.1.1.1.15.1", vendors.Value{Kind: vendors.KindGauge32, Uint: 10000}, 19),
		vb("1.3.6.1.2.1.4.20.1.1.169.254.1.1", vendors.Value{Kind: vendors.KindIPAddress, Bytes: []byte{169, 254, 1, 1}}, 20),
		vb("1.3.6.1.2.1.3.1.1.3.1.1.10.0.0.2", vendors.Value{Kind: vendors.KindIPAddress, Bytes: []byte{10, 0, 0, 2}}, 21),
		vb("1.3.6.1.2.1.17.2.1.0", vendors.Value{Kind: vendors.KindNull}, 22),
		vb("1.2.840.10006.300.43.1.1.1.1.6.1000001", vendors.Value{Kind: vendors.KindOctetString, Bytes: seq(0, 0x21)}, 23),
		vb("1.2.840.10006.300.43.1.2.1.1.20.1", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte{0xbc}}, 26),
		vb("1.2.840.10006.300.43.1.2.1.1.21.1", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte{0x3d, 0x00}}, 27),
		vb("1.3.6.1.2.1.99.1", vendors.Value{Kind: vendors.KindNoSuchObject}, 28),
		vb("1.3.6.1.2.1.99.2", vendors.Value{Kind: vendors.KindNoSuchInstance}, 29),
		vb("1.3.6.1.4.1.9.9.1.1", vendors.Value{Kind: vendors.KindOpaque, Bytes: []byte{0x9f, 0x78, 0x04, 0x3f, 0x80, 0x00, 0x00}}, 30),
		vb("1.3.6.1.4.1.9.9.1.2", vendors.Value{Kind: vendors.KindInteger, Int: 7}, 31),
		vb("1.3.6.1.4.1.9.9.1.3", vendors.Value{Kind: vendors.KindInteger, Int: -5}, 32),
		vb("1.3.6.1.4.1.9.9.1.4", vendors.Value{Kind: vendors.KindInteger, Int: 255}, 33),
		vb("1.3.6.1.4.1.9.9.1.5", vendors.Value{Kind: vendors.KindGauge32, Uint: 100}, 34),
		vb("1.3.6.1.4.1.9.9.1.6", vendors.Value{Kind: vendors.KindGauge32, Uint: 3}, 35),
		vb("1.3.6.1.4.1.9.9.1.7", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}}, 36),
		vb("1.3.6.1.4.1.9.9.1.8", octets("trailing text after the quote"), 37),
		vb("1.3.6.1.4.1.9.9.1.9", vendors.Value{Kind: vendors.KindOID, OID: "0.0"}, 38),
		vb("1.3.6.1.4.1.9.9.1.10", octets(""), 39),
		vb("1.3.6.1.6.3.1.1.4.1.0", vendors.Value{Kind: vendors.KindEndOfMibView}, 40),
	}
	data := readFile(t, filepath.Join("testdata", "cases.walk"))
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"LF", data},
		{"CRLF", bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))},
		{"no final newline", bytes.TrimSuffix(data, []byte("\n"))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := ReadSnmpwalk(bytes.NewReader(tt.data), "cases.walk")
			if len(errs) > 0 {
				t.Errorf("unexpected errors:\n%s", strings.Join(errStrings(errs), "\n"))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSnmpwalkUnquotedMultiline(t *testing.T) {
	// A DISPLAY-HINT string (no quotes) that holds newlines, as Cisco's
	// sysDescr does; a blank line inside it is kept, the one at the end not.
	want := []vendors.VarBind{
		vb("1.3.6.1.2.1.1.1.0", octets("Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(2)E7, RELEASE SOFTWARE (fc3)\n"+
			"Technical Support: http://www.cisco.com/techsupport\nCopyright (c) 1986-2017 by Cisco Systems, Inc.\n\n"+
			"Compiled Wed 12-Jul-17 13:35 by prod_rel_team"), 1),
		vb("1.3.6.1.2.1.1.2.0", vendors.Value{Kind: vendors.KindOID, OID: "1.3.6.1.4.1.9.1.1208"}, 6),
		vb("1.3.6.1.2.1.1.5.0", octets("sw-2960x-01"), 7),
	}
	got, errs := ReadSnmpwalk(bytes.NewReader(readFile(t, filepath.Join("testdata", "unquoted-multiline.walk"))), "x.walk")
	if len(errs) > 0 {
		t.Errorf("unexpected errors: %v", errs)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSnmprecEdgeCases(t *testing.T) {
	want := []vendors.VarBind{
		vb("1.3.6.1.2.1.1.1.0", octets("a|value|with|pipes"), 3),
		vb("1.3.6.1.2.1.1.2.0", vendors.Value{Kind: vendors.KindOID, OID: "1.3.6.1.4.1.30065.1.3011"}, 4),
		vb("1.3.6.1.2.1.1.4.0", octets(""), 5),
		vb("1.3.6.1.2.1.1.5.0", octets(""), 6),
		vb("1.3.6.1.2.1.1.6.0", octets("tab\there \"quoted\" A\\"), 7),
		vb("1.3.6.1.2.1.1.7.0", vendors.Value{Kind: vendors.KindInteger, Int: -2147483648}, 8),
		vb("1.3.6.1.2.1.4.20.1.1.10.0.0.1", vendors.Value{Kind: vendors.KindIPAddress, Bytes: []byte{10, 0, 0, 1}}, 9),
		vb("1.3.6.1.2.1.4.20.1.1.10.0.0.2", vendors.Value{Kind: vendors.KindIPAddress, Bytes: []byte{10, 0, 0, 2}}, 10),
		vb("1.3.6.1.2.1.17.2.1.0", vendors.Value{Kind: vendors.KindNull}, 11),
		vb("1.3.6.1.2.1.31.1.1.1.6.1", vendors.Value{Kind: vendors.KindCounter64, Uint: 18446744073709551615}, 12),
		vb("1.3.6.1.2.1.1.3.0", vendors.Value{Kind: vendors.KindTimeTicks, Uint: 4294967295}, 13),
		vb("1.3.6.1.2.1.2.2.1.10.1", vendors.Value{Kind: vendors.KindCounter32, Uint: 0}, 14),
		vb("1.3.6.1.2.1.31.1.1.1.15.1", vendors.Value{Kind: vendors.KindGauge32, Uint: 100000}, 15),
		vb("1.3.6.1.4.1.9.9.1.1", vendors.Value{Kind: vendors.KindOpaque, Bytes: []byte{0x9f, 0x78, 0x04, 0x3f, 0x80, 0x00, 0x00}}, 16),
		vb("1.3.6.1.4.1.9.9.1.2", vendors.Value{Kind: vendors.KindOpaque, Bytes: []byte("opaque")}, 17),
		vb("1.3.6.1.2.1.99.1", vendors.Value{Kind: vendors.KindNoSuchObject}, 18),
		vb("1.3.6.1.2.1.99.2", vendors.Value{Kind: vendors.KindNoSuchInstance}, 19),
		vb("1.3.6.1.2.1.99.3", vendors.Value{Kind: vendors.KindEndOfMibView}, 20),
		vb("1.3.6.1.2.1.2.2.1.2.1", octets("Ethernet1"), 21),
		vb("1.3.6.1.2.1.2.2.1.6.1", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte{0x00, 0x1c, 0x73, 0xb3, 0xbd, 0x72}}, 22),
	}
	got, errs := ReadSnmprec(bytes.NewReader(readFile(t, filepath.Join("testdata", "edge.snmprec"))), "edge.snmprec")
	if len(errs) > 0 {
		t.Errorf("unexpected errors:\n%s", strings.Join(errStrings(errs), "\n"))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		file     string
		wantOIDs []string
		wantErrs []string
	}{{
		file:     "malformed.snmprec",
		wantOIDs: []string{"1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.7.0", "1.3.6.1.2.1.2.1.0"},
		wantErrs: []string{
			`malformed.snmprec:3: truncated snmprec record (want OID|TYPE|VALUE): "1.3.6.1.2.1.1.2.0|6"`,
			`malformed.snmprec:4: bad snmprec type "99"`,
			`malformed.snmprec:5: bad hex value "001c7" for type "4x"`,
			`malformed.snmprec:6: bad hex value "zz1c73" for type "4x"`,
			`malformed.snmprec:7: bad Integer32 value "seventy-two"`,
			`malformed.snmprec:8: bad OID "1.3.6.1.x.1"`,
			`malformed.snmprec:10: bad Counter32 value "-1"`,
			`malformed.snmprec:11: bad Integer32 value "2147483648"`,
			`malformed.snmprec:12: bad IpAddress value "10.0.0.256"`,
			`malformed.snmprec:13: bad escaped value "bad escape \\q" for type "4e"`,
			`malformed.snmprec:14: snmprec type "2:numeric" uses variation module "numeric", which is not supported`,
			`malformed.snmprec:15: Null with a value "not null"`,
			`malformed.snmprec:16: not an snmprec record (want OID|TYPE|VALUE): "just some words"`,
		},
	}, {
		file:     "malformed.walk",
		wantOIDs: []string{"1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.9.0", "1.3.6.1.2.1.2.2.1.2.2", "1.3.6.1.2.1.2.2.1.2.3"},
		wantErrs: []string{
			`malformed.walk:2: symbolic OID value "SNMPv2-SMI::enterprises.30065": the walk must be taken with -On (numeric OIDs)`,
			`malformed.walk:3: bad Timeticks value "(abc) 0:00:00.00"`,
			`malformed.walk:4: bad Hex-STRING value "00 1C 7"`,
			`malformed.walk:5: unknown value type "Frobnicator"`,
			`malformed.walk:6: value has no type label: "switch-6" (take the walk with -On, without -Oq, -OQ or -Ot)`,
			`malformed.walk:7: symbolic OID "IF-MIB::ifDescr.1": the walk must be taken with -On (numeric OIDs)`,
			`malformed.walk:8: no " = " after the OID: quick-print output (-Oq) is not supported, take the walk with -On only: ".1.3.6.1.2.1.1.7.0 72"`,
			`malformed.walk:9: not an snmpwalk -On line: "Timeout: No Response from 192.0.2.1"`,
			`malformed.walk:10: bad OID ".1.3.6.1.2.1..8.0"`,
			`malformed.walk:12: unterminated quoted string: no closing '"' before the end of the file`,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readFile(t, filepath.Join("testdata", tt.file))
			read := ReadSnmpwalk
			if strings.HasSuffix(tt.file, ".snmprec") {
				read = ReadSnmprec
			}
			vbs, errs := read(bytes.NewReader(data), tt.file)
			var oids []string
			for _, vb := range vbs {
				oids = append(oids, vb.OID)
			}
			if diff := cmp.Diff(tt.wantOIDs, oids); diff != "" {
				t.Errorf("parsed OIDs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErrs, errStrings(errs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			for _, e := range errs {
				var le *LineError
				if !errors.As(e, &le) {
					t.Errorf("%v: not a *LineError", e)
				}
			}
		})
	}
}

func TestMalformedInline(t *testing.T) {
	tests := []struct {
		name     string
		snmprec  bool
		in       string
		want     []vendors.VarBind
		wantErrs []string
	}{{
		name:    "truncated last line",
		snmprec: true,
		in:      "1.3.6.1.2.1.1.5.0|4|sw1\n1.3.6.1.2.1.1.6",
		want:    []vendors.VarBind{vb("1.3.6.1.2.1.1.5.0", octets("sw1"), 1)},
		wantErrs: []string{
			`f:2: not an snmprec record (want OID|TYPE|VALUE): "1.3.6.1.2.1.1.6"`,
		},
	}, {
		name:     "hex IpAddress of 3 bytes",
		snmprec:  true,
		in:       "1.3.6.1.2.1.4.20.1.1.10.0.0.1|64x|0a0000\n",
		wantErrs: []string{`f:1: bad IpAddress value "\n\x00\x00": 3 bytes, want 4`},
	}, {
		name:     "hex integer",
		snmprec:  true,
		in:       "1.3.6.1.2.1.1.7.0|2x|48\n",
		wantErrs: []string{`f:1: hex encoding (type "2x") is not valid for INTEGER`},
	}, {
		name:     "OID arc over 32 bits",
		snmprec:  true,
		in:       "1.3.6.4294967296|2|1\n1.3.6.4294967295|2|1\n",
		want:     []vendors.VarBind{vb("1.3.6.4294967295", vendors.Value{Kind: vendors.KindInteger, Int: 1}, 2)},
		wantErrs: []string{`f:1: bad OID "1.3.6.4294967296"`},
	}, {
		name:     "unterminated quote at EOF keeps earlier lines",
		in:       ".1.3.6.1.2.1.1.5.0 = STRING: \"sw1\"\n.1.3.6.1.2.1.1.6.0 = STRING: \"never closed\n",
		want:     []vendors.VarBind{vb("1.3.6.1.2.1.1.5.0", octets("sw1"), 1)},
		wantErrs: []string{`f:2: unterminated quoted string: no closing '"' before the end of the file`},
	}, {
		name: "wrapped hex broken by a bad line",
		in:   ".1.3.6.1.2.1.2.2.1.6.1 = Hex-STRING: 00 1C 73 \nB3 BD 7\n.1.3.6.1.2.1.2.1.0 = INTEGER: 1\n",
		want: []vendors.VarBind{
			vb("1.3.6.1.2.1.2.2.1.6.1", vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte{0, 0x1c, 0x73}}, 1),
			vb("1.3.6.1.2.1.2.1.0", vendors.Value{Kind: vendors.KindInteger, Int: 1}, 3),
		},
		wantErrs: []string{`f:2: not an snmpwalk -On line: "B3 BD 7"`},
	}, {
		name:     "empty value",
		in:       ".1.3.6.1.2.1.1.5.0 =\n",
		wantErrs: []string{`f:1: value has no type label: "" (take the walk with -On, without -Oq, -OQ or -Ot)`},
	}, {
		name:     "Counter32 out of range",
		in:       ".1.3.6.1.2.1.2.2.1.10.1 = Counter32: 4294967296\n",
		wantErrs: []string{`f:1: bad Counter32 value "4294967296"`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read := ReadSnmpwalk
			if tt.snmprec {
				read = ReadSnmprec
			}
			got, errs := read(strings.NewReader(tt.in), "f")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErrs, errStrings(errs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLongLines checks lines far beyond bufio's default 64 KiB, and that a
// line over the limit is skipped, not fatal.
func TestLongLines(t *testing.T) {
	big := bytes.Repeat([]byte{0xa5}, 300<<10)
	hexed := fmt.Sprintf("%x", big)
	in := "1.3.6.1.2.1.1.1.0|4x|" + hexed + "\n" +
		"1.3.6.1.2.1.1.2.0|4|" + strings.Repeat("x", maxLineLen) + "\n" +
		"1.3.6.1.2.1.1.3.0|67|5\n"
	got, errs := ReadSnmprec(strings.NewReader(in), "long")
	want := []vendors.VarBind{
		vb("1.3.6.1.2.1.1.1.0", vendors.Value{Kind: vendors.KindOctetString, Bytes: big}, 1),
		vb("1.3.6.1.2.1.1.3.0", vendors.Value{Kind: vendors.KindTimeTicks, Uint: 5}, 3),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantErrs := []string{fmt.Sprintf("long:2: line longer than %d bytes, skipped", maxLineLen)}
	if diff := cmp.Diff(wantErrs, errStrings(errs)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}

	// The same value as a wrapped Hex-STRING over 19200 lines.
	walk := toSnmpwalk(want[:1])
	got, errs = ReadSnmpwalk(bytes.NewReader(walk), "long.walk")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if diff := cmp.Diff(want[:1], got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n > 0 {
		r.n--
		return copy(p, "1.3.6.1.2.1.1.5.0|4|sw1\n"), nil
	}
	return 0, errors.New("disk on fire")
}

func TestReadError(t *testing.T) {
	vbs, errs := ReadSnmprec(&failingReader{n: 2}, "f")
	if len(vbs) != 2 {
		t.Errorf("got %d varbinds before the error, want 2", len(vbs))
	}
	if diff := cmp.Diff([]string{"f: line 2: disk on fire"}, errStrings(errs)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var le *LineError
	if errors.As(errs[0], &le) {
		t.Error("a read error must not be a *LineError")
	}
}

func TestReadWalkFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rec := "1.3.6.1.2.1.1.5.0|4|sw1\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.1208\n"
	walk := ".1.3.6.1.2.1.1.5.0 = STRING: \"sw1\"\n.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.9.1.1208\n"
	// NewWalk sorts: sysObjectID before sysName.
	want := []vendors.VarBind{
		vb("1.3.6.1.2.1.1.2.0", vendors.Value{Kind: vendors.KindOID, OID: "1.3.6.1.4.1.9.1.1208"}, 0),
		vb("1.3.6.1.2.1.1.5.0", octets("sw1"), 0),
	}
	tests := []struct {
		name     string
		path     string
		want     []vendors.VarBind
		wantErrs int
		fatal    string // substring of the fatal error
	}{
		{name: "snmprec by extension", path: write("a.snmprec", rec), want: want},
		{name: "snmpwalk .walk", path: write("a.walk", walk), want: want},
		{name: "snmpwalk .txt", path: write("a.txt", walk), want: want},
		{name: "snmpwalk .snmpwalk", path: write("a.snmpwalk", walk), want: want},
		{name: "sniffed snmprec", path: write("a.dat", "# recorded\n\n"+rec), want: want},
		{name: "sniffed snmpwalk", path: write("a", walk), want: want},
		{name: "BOM and CRLF", path: write("bom.snmprec", "\xef\xbb\xbf"+strings.ReplaceAll(rec, "\n", "\r\n")), want: want},
		{name: "BOM sniffed", path: write("bom", "\xef\xbb\xbf"+walk), want: want},
		{name: "misnamed snmprec", path: write("b.txt", rec), want: want},
		{name: "misnamed snmpwalk", path: write("b.snmprec", walk), want: want},
		{name: "empty file", path: write("empty.walk", ""), want: nil},
		{name: "line errors are not fatal", path: write("c.snmprec", rec+"1.3.6.1.2.1.1.6.0|99|x\n"), want: want, wantErrs: 1},
		{name: "missing", path: filepath.Join(dir, "nope.snmprec"), fatal: "no such file or directory"},
		{name: "symbolic OIDs", path: filepath.Join("testdata", "symbolic.walk"),
			fatal: `no varbind could be read from 4 non-blank line(s): the file looks like snmpwalk output with symbolic OIDs such as "SNMPv2-MIB::sysDescr.0" (take the walk with -On)`},
		{name: "JSON", path: write("d.snmprec", `{"sysName": "sw1"}`), fatal: "the file looks like JSON"},
		{name: "JSON unknown extension", path: write("d.json", `{"sysName": "sw1"}`), fatal: "not a walk file (want snmprec or snmpwalk -On output): it looks like JSON"},
		{name: "binary", path: write("h.dat", "\x00\x01\x02"), fatal: "it looks like binary data"},
		{name: "gzip", path: write("e.walk.gz", "\x1f\x8b\x08\x00junk"), fatal: "gzip-compressed data"},
		{name: "comments only", path: write("f.snmprec", "# nothing\n"), fatal: "the file looks like only comments"},
		{name: "quick print", path: write("g.walk", ".1.3.6.1.2.1.1.5.0 sw1\n"), fatal: "quick-print output (-Oq)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, errs, err := ReadWalkFile(tt.path)
			if tt.fatal != "" {
				if err == nil || !strings.Contains(err.Error(), tt.fatal) {
					t.Fatalf("error = %v, want one containing %q", err, tt.fatal)
				}
				if w != nil {
					t.Error("a fatal error must come without a walk")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(errs) != tt.wantErrs {
				t.Errorf("%d line errors, want %d: %v", len(errs), tt.wantErrs, errs)
			}
			if diff := cmp.Diff(tt.want, w.All(), ignoreLine, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkReadSnmprec(b *testing.B) {
	// The largest fixture by size.
	var path string
	var size int64
	for _, p := range recordings(b) {
		if fi, err := os.Stat(p); err == nil && fi.Size() > size {
			path, size = p, fi.Size()
		}
	}
	data := readFile(b, path)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		vbs, errs := ReadSnmprec(bytes.NewReader(data), path)
		if len(vbs) == 0 || len(errs) > 0 {
			b.Fatal(len(vbs), errs)
		}
	}
}

func BenchmarkReadSnmpwalk(b *testing.B) {
	path := fixture(b, "librenms__aos7.snmprec")
	vbs, _ := ReadSnmprec(bytes.NewReader(readFile(b, path)), path)
	data := toSnmpwalk(vbs)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		vbs, errs := ReadSnmpwalk(bytes.NewReader(data), path)
		if len(vbs) == 0 || len(errs) > 0 {
			b.Fatal(len(vbs), errs)
		}
	}
}

// BenchmarkReadSnmprecBytes reads the largest recording read whole, as a
// site's switches are: with fresh buffers for every file (ReadSnmprecBytes)
// and with a reused WalkReader (collect's path).
func BenchmarkReadSnmprecBytes(b *testing.B) {
	var path string
	var size int64
	for _, p := range recordings(b) {
		if fi, err := os.Stat(p); err == nil && fi.Size() > size {
			path, size = p, fi.Size()
		}
	}
	data := readFile(b, path)
	b.Run("fresh", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			vbs, errs := ReadSnmprecBytes(data, nil, path)
			if w := vendors.NewWalk(vbs); w.Len() == 0 || len(errs) > 0 {
				b.Fatal(w.Len(), errs)
			}
		}
	})
	b.Run("pooled", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var wr WalkReader
		for b.Loop() {
			w, errs := wr.ReadSnmprec(data, nil, path)
			if w.Len() == 0 || len(errs) > 0 {
				b.Fatal(w.Len(), errs)
			}
			wr.Release()
		}
	})
}

// TestWalkReaderRelease: a reader keeps its buffers for walks up to
// maxPooledWalk (the next file of such a size allocates nothing new for
// them) and lets go of those a larger walk grew.
func TestWalkReaderRelease(t *testing.T) {
	file := func(size int) []byte {
		var b bytes.Buffer
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "1.3.6.1.2.1.31.1.1.1.18.%d|4x|%x\n", i, "a port's alias, long enough")
		}
		return b.Bytes()
	}
	var wr WalkReader
	small, huge := file(maxPooledWalk-1<<10), file(3*maxPooledWalk)
	for _, data := range [][]byte{small, huge, small} {
		w, errs := wr.ReadSnmprec(data, nil, "x")
		if w.Len() == 0 || len(errs) > 0 {
			t.Fatal(w.Len(), errs)
		}
		big := len(data) > maxPooledWalk
		text, arena, vbs := unsafe.SliceData(wr.text), unsafe.SliceData(wr.arena), unsafe.SliceData(wr.vbs)
		wr.Release()
		if kept := wr.text != nil && wr.arena != nil && wr.vbs != nil; kept == big {
			t.Fatalf("after a %d-byte walk: %d bytes of text, %d of arena, room for %d varbinds kept", len(data),
				cap(wr.text), cap(wr.arena), cap(wr.vbs))
		}
		if big {
			continue
		}
		if _, errs := wr.ReadSnmprec(data, nil, "x"); len(errs) > 0 {
			t.Fatal(errs)
		}
		if unsafe.SliceData(wr.text) != text || unsafe.SliceData(wr.arena) != arena || unsafe.SliceData(wr.vbs) != vbs {
			t.Errorf("reading a %d-byte walk again took new buffers", len(data))
		}
		wr.Release()
	}
}
