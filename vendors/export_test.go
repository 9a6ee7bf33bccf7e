package vendors

import (
	"fmt"
	"slices"

	"github.com/bondaudit/bondaudit/topology"
)

// CheckPortNames decodes w's interfaces and checks that the name index
// lldp joins its local ports with (portNames, built a kind of name at a
// time as lookups need) answers every name of every port, and names of
// none, as the whole index made at once does (ifName before ifDescr before
// ifAlias, lower ifIndex first), whatever the order of the lookups. It
// returns how many names it looked up.
func CheckPortNames(w *Walk, extra []string) (int, error) {
	d := newDecoder(w, &topology.Switch{})
	defer d.sc.release()
	d.interfaces()
	full := map[string]int{}
	var ifxs []int
	for i := range d.sc.ports {
		ifxs = append(ifxs, i)
	}
	slices.Sort(ifxs)
	var names []string
	for pass := range 3 {
		for _, i := range ifxs {
			p := d.sc.ports[i]
			n := []string{p.Name, p.Descr, p.Alias}[pass]
			if n == "" {
				continue
			}
			names = append(names, n)
			if _, taken := full[topology.NormalizePortName(n)]; !taken {
				full[topology.NormalizePortName(n)] = i
			}
		}
	}
	names = append(names, extra...)
	looked := 0
	for _, order := range []func([]string){func([]string) {}, slices.Reverse[[]string]} {
		order(names)
		pn := d.portNameIndex()
		for _, n := range names {
			var kb [topology.PortKeyMax]byte
			got, ok := pn.lookup(topology.NormalizePortNameTo(&kb, n))
			want, wok := full[topology.NormalizePortName(n)]
			if got != want || ok != wok {
				return looked, fmt.Errorf("%q: ifIndex %d, %v; the whole index says %d, %v", n, got, ok, want, wok)
			}
			looked++
		}
		clear(d.sc.byName)
	}
	return looked, nil
}
