package snmp

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// TestDuplicateOIDs: issue 12 item 7. The same OID twice with different
// values (two walks pasted into one file) kept the last value silently;
// in one real site 5 of 16 links were lost that way. Now the OID is not
// used and the second line is reported with the OID and both values;
// identical repeats pass silently.
func TestDuplicateOIDs(t *testing.T) {
	const ifOper7 = "1.3.6.1.2.1.2.2.1.8.7"
	rec := "1.3.6.1.2.1.1.5.0|4|leaf1\n" +
		ifOper7 + "|2|1\n" +
		"1.3.6.1.2.1.2.2.1.8.8|2|1\n" +
		"1.3.6.1.2.1.1.5.0|4|leaf1\n" + // same value: fine
		ifOper7 + "|2|2\n" +
		ifOper7 + "|2|1\n"
	walk := ".1.3.6.1.2.1.1.5.0 = STRING: \"leaf1\"\n" +
		"." + ifOper7 + " = INTEGER: up(1)\n" +
		".1.3.6.1.2.1.2.2.1.8.8 = INTEGER: up(1)\n" +
		".1.3.6.1.2.1.1.5.0 = STRING: \"leaf1\"\n" +
		"." + ifOper7 + " = INTEGER: down(2)\n" +
		"." + ifOper7 + " = INTEGER: up(1)\n"
	for _, tc := range []struct {
		name string
		read func() ([]vendors.VarBind, []error)
	}{
		{"snmprec", func() ([]vendors.VarBind, []error) { return ReadSnmprec(strings.NewReader(rec), "leaf1.snmprec") }},
		{"snmpwalk", func() ([]vendors.VarBind, []error) { return ReadSnmpwalk(strings.NewReader(walk), "leaf1.snmprec") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vbs, errs := tc.read()
			wantErrs := []string{`leaf1.snmprec:5: OID "1.3.6.1.2.1.2.2.1.8.7" given again with another value: line 2 says INTEGER "1", this line INTEGER "2" (and 1 more lines give it); the OID is not used`}
			if diff := cmp.Diff(wantErrs, errStrings(errs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			want := []vendors.VarBind{
				vb("1.3.6.1.2.1.1.5.0", octets("leaf1"), 1),
				vb("1.3.6.1.2.1.2.2.1.8.8", vendors.Value{Kind: vendors.KindInteger, Int: 1}, 3),
				vb("1.3.6.1.2.1.1.5.0", octets("leaf1"), 4),
			}
			if diff := cmp.Diff(want, vbs); diff != "" {
				t.Errorf("varbinds (-want +got):\n%s", diff)
			}
			w := vendors.NewWalk(vbs)
			if _, ok := w.Get(ifOper7); ok || w.Len() != 2 {
				t.Errorf("walk of %d varbinds, %s present", w.Len(), ifOper7)
			}
		})
	}
	// The message stays short whatever the values.
	long := "1.3.6.1.2.1.1.1.0|4|" + strings.Repeat("a", 1<<20) + "\n1.3.6.1.2.1.1.1.0|4|" + strings.Repeat("\x1b", 1<<20) + "\n"
	_, errs := ReadSnmprec(strings.NewReader(long), "f")
	if len(errs) != 1 || len(errs[0].Error()) > 500 || strings.Contains(errs[0].Error(), "\x1b") {
		t.Errorf("%d errors: %.500q", len(errs), errStrings(errs))
	}
}

// TestOutOfOrderWalkDecodes: a walk whose lines are out of OID order (a
// hand merge, a shuffled copy) reads and decodes exactly as the sorted
// one: nothing assumes file order.
func TestOutOfOrderWalkDecodes(t *testing.T) {
	for _, name := range []string{"librenms__arista_eos.snmprec", "librenms__ios_2960x.snmprec", "librenms__junos_ex4600mp.snmprec"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(fixtureDir, name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Skipf("fixture: %v", err)
			}
			lines := strings.SplitAfter(strings.TrimRight(string(data), "\n")+"\n", "\n")
			rand.New(rand.NewPCG(1, 2)).Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
			shuffled := []byte(strings.Join(lines, ""))
			decode := func(b []byte) []byte {
				vbs, errs := ReadSnmprec(bytes.NewReader(b), name)
				for _, e := range errs {
					if strings.Contains(e.Error(), "given again") {
						t.Errorf("%v", e)
					}
				}
				s, _ := all.Decode(vendors.NewWalk(vbs), "x")
				out, _ := json.Marshal(s)
				return out
			}
			sorted, mixed := decode(data), decode(shuffled)
			if len(sorted) < 1000 {
				t.Fatalf("decoded only %d bytes", len(sorted))
			}
			if !bytes.Equal(sorted, mixed) {
				t.Errorf("the shuffled walk decodes differently")
			}
		})
	}
}

// TestLongLineMessages: issue 12 item 5(c). Whatever the length of a bad
// line, its problem message stays short and one line.
func TestLongLineMessages(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("x", 50<<20) + "\n",
		"1.3.6.1.2.1.1.1.0|4|" + strings.Repeat("y", 50<<20) + "\n1.3.6.1.2.1.1.1.0|2|" + strings.Repeat("\n", 3),
		"1.3.6.1.2.1.1.1.0|" + strings.Repeat("9", 10<<20) + "|x\n",
		"1.3.6.1.2.1.1.1.0|2|" + strings.Repeat("\x1b", 10<<20) + "\n",
	} {
		for _, read := range []func() ([]vendors.VarBind, []error){
			func() ([]vendors.VarBind, []error) { return ReadSnmprec(strings.NewReader(in), "big.snmprec") },
			func() ([]vendors.VarBind, []error) { return ReadSnmpwalk(strings.NewReader(in), "big.walk") },
		} {
			_, errs := read()
			if len(errs) == 0 {
				t.Errorf("no error for %.40q", in)
			}
			for _, e := range errs {
				if m := e.Error(); len(m) > 300 || strings.ContainsAny(m, "\x1b\n") {
					t.Errorf("%d-byte message: %.300q", len(m), m)
				}
			}
		}
	}
}
