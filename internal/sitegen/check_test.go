package sitegen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckSiteCatches: CheckSite passes a generated site and reports each
// kind of disagreement between the files, as the product's readers and
// joiner see it.
func TestCheckSiteCatches(t *testing.T) {
	for _, c := range []struct {
		name, file string
		edits      []string // old, new, old, new …: each replaced once
		want       string
	}{
		{"partner key", "hosts/srv00001/bonding/bond0", []string{"oper key: 1\n", "oper key: 7\n"}, "partner key 7, leaf001a Ethernet1 has key 1"},
		{"partner port", "hosts/srv00001/bonding/bond0", []string{"port number: 1001\n", "port number: 1999\n"}, "LACP partner 02:1c:73:00:00:01 port 1999 is no switch port"},
		{"permanent address", "hosts/srv00001/bonding/bond0", []string{"Permanent HW addr: b8:ce:f6:00:00:01", "Permanent HW addr: b8:ce:f6:00:00:99"}, "permanent address b8:ce:f6:00:00:99"},
		{"LLDP port", "hosts/srv00001/lldp.json", []string{`"value": "Ethernet1"`, `"value": "Ethernet2"`}, "the sources disagree"},
		{"LLDP switch", "hosts/srv00001/lldp.json", []string{`"value": "44:4c:a8:00:10:00"`, `"value": "44:4c:a8:00:99:00"`, `"value": "leaf001a"`, `"value": "leaf009z"`}, "resolves to no device"},
		{"snmprec order", "switches/leaf001a.snmprec", []string{"1.0.8802.1.1.2.1.3.1.0|2|4\n1.0.8802.1.1.2.1.3.2.0|4x|444ca8001000\n", "1.0.8802.1.1.2.1.3.2.0|4x|444ca8001000\n1.0.8802.1.1.2.1.3.1.0|2|4\n"}, "not after"},
		{"snmprec line", "switches/leaf001a.snmprec", []string{"1.0.8802.1.1.2.1.3.1.0|2|4\n", "1.0.8802.1.1.2.1.3.1.0|2|four\n"}, "leaf001a.snmprec"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Write(dir, Options{Hosts: 3, Switches: 2, Seed: 1}); err != nil {
				t.Fatal(err)
			}
			if err := CheckSite(os.DirFS(dir)); err != nil {
				t.Fatalf("the generated site does not pass:\n%v", err)
			}
			p := filepath.Join(dir, c.file)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			for i := 0; i < len(c.edits); i += 2 {
				if !strings.Contains(text, c.edits[i]) {
					t.Fatalf("%s holds no %q", c.file, c.edits[i])
				}
				text = strings.Replace(text, c.edits[i], c.edits[i+1], 1)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			err = CheckSite(os.DirFS(dir))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("CheckSite = %v, want an error with %q", err, c.want)
			}
		})
	}
}
