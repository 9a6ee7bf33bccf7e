package all_test

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// TestDecodeOrderFree: the decoder's pooled scratch maps carry nothing
// from one switch to the next. Every walk of the column tracer decodes
// the same whether the walks go forwards, backwards or on several
// goroutines at once (go test -race).
func TestDecodeOrderFree(t *testing.T) {
	walks := columnWalks(t)
	// two switches naming one port at different ifIndexes, each with a
	// neighbour whose local port is found by that name
	for name, rec := range map[string]string{
		"names a": "1.0.8802.1.1.2.1.3.7.1.3.7|4|Ethernet1\n" +
			"1.0.8802.1.1.2.1.4.1.1.9.0.7.1|4|peer\n" +
			"1.3.6.1.2.1.2.2.1.2.1|4|Ethernet1\n",
		"names b": "1.0.8802.1.1.2.1.3.7.1.3.7|4|Ethernet1\n" +
			"1.0.8802.1.1.2.1.4.1.1.9.0.7.1|4|peer\n" +
			"1.3.6.1.2.1.2.2.1.2.1|4|Ethernet2\n" +
			"1.3.6.1.2.1.2.2.1.2.5|4|Ethernet1\n",
		// then one whose remote row's local port number has no local
		// port row (the previous switch's number 7)
		"names c": "1.0.8802.1.1.2.1.3.7.1.3.8|4|Ethernet2\n" +
			"1.0.8802.1.1.2.1.4.1.1.9.0.7.1|4|peer\n" +
			"1.3.6.1.2.1.2.2.1.2.1|4|Ethernet1\n" +
			"1.3.6.1.2.1.2.2.1.2.2|4|Ethernet2\n",
		// an aggregate at ifIndex 9, then an interface of no type there
		"types a": "1.3.6.1.2.1.2.2.1.2.9|4|Port-Channel9\n" +
			"1.3.6.1.2.1.2.2.1.3.9|2|161\n",
		"types b": "1.3.6.1.2.1.2.2.1.2.1|4|Ethernet1\n" +
			"1.3.6.1.2.1.2.2.1.2.9|4|Ethernet9\n" +
			"1.3.6.1.2.1.2.2.1.3.1|2|6\n" +
			"1.3.6.1.2.1.31.1.2.1.3.9.1|2|1\n",
	} {
		vbs, errs := snmp.ReadSnmprec(strings.NewReader(rec), name)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		walks[name] = vendors.NewWalk(vbs)
	}
	names := make([]string, 0, len(walks))
	for n := range walks {
		names = append(names, n)
	}
	slices.Sort(names)
	decode := func(name string) string {
		s, probs := all.Decode(walks[name], "x")
		fdb, fprobs := vendors.VLANFDB(walks[name], 10, s)
		b, err := json.Marshal([]any{s, probs, fdb, fprobs})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	want := map[string]string{}
	for _, n := range names {
		want[n] = decode(n)
	}
	for _, n := range []string{"names a", "names b", "names a", "names b"} {
		s, _ := all.Decode(walks[n], "x")
		if len(s.Neighbours) != 1 || s.Neighbours[0].LocalPort != "Ethernet1" {
			t.Errorf("%s: neighbours %+v, want one on Ethernet1", n, s.Neighbours)
		}
	}
	for range 2 {
		for _, n := range []string{"names a", "names c"} {
			s, _ := all.Decode(walks[n], "x")
			if want := map[string]string{"names a": "Ethernet1", "names c": ""}[n]; len(s.Neighbours) != 1 || s.Neighbours[0].LocalPort != want {
				t.Errorf("%s: neighbours %+v, want one on %q", n, s.Neighbours, want)
			}
		}
		for _, n := range []string{"types a", "types b"} {
			s, _ := all.Decode(walks[n], "x")
			if want := map[string]int{"types a": 1, "types b": 0}[n]; len(s.LAGs) != want {
				t.Errorf("%s: LAGs %+v, want %d", n, s.LAGs, want)
			}
		}
	}
	for _, n := range slices.Backward(names) {
		if got := decode(n); got != want[n] {
			t.Errorf("%s decodes differently after the walks that follow it", n)
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range names {
				n := names[(i+g*len(names)/4)%len(names)]
				if got := decode(n); got != want[n] {
					t.Errorf("%s decodes differently beside other decodes", n)
				}
			}
		})
	}
	wg.Wait()
}
