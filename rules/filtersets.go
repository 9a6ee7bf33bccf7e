package rules

import "github.com/bondaudit/bondaudit/topology"

// Sets is which hosts and switches f keeps in a picture of the site
// (topology, diagram): hosts matching --host, cabled to a switch matching
// --switch when one is given; switches matching --switch, cabled to a kept
// host when --host is given. With --rule, only hosts with a selected
// finding, and the switches those findings name or the kept hosts are
// cabled to. Nil maps: no filter.
func (f Filter) Sets(m *topology.Model, findings []Finding) (hosts, switches map[string]bool) {
	if f.IsZero() {
		return nil, nil
	}
	linked := func(hostOK, swOK func(string) bool) (h, s map[string]bool) {
		h, s = map[string]bool{}, map[string]bool{}
		for _, l := range m.Links {
			if hostOK(l.Host) && swOK(l.Switch) {
				h[l.Host], s[l.Switch] = true, true
			}
		}
		return h, s
	}
	hosts, switches = map[string]bool{}, map[string]bool{}
	for _, h := range m.Hosts {
		hosts[h.Name] = f.Host(h.Name)
	}
	for _, s := range m.Switches {
		switches[s.Name] = f.Switch(s.Name)
	}
	if len(f.Switches) > 0 {
		lh, _ := linked(f.Host, f.Switch)
		for h := range hosts {
			hosts[h] = hosts[h] && lh[h]
		}
	}
	if len(f.Rules) > 0 {
		withFinding, named := map[string]bool{}, map[string]bool{}
		for _, x := range f.Apply(findings) {
			withFinding[x.Host], named[x.Switch] = true, true
		}
		for h := range hosts {
			hosts[h] = hosts[h] && withFinding[h]
		}
		_, ls := linked(func(h string) bool { return hosts[h] }, f.Switch)
		for s := range switches {
			switches[s] = switches[s] && (named[s] || ls[s])
		}
	} else if len(f.Hosts) > 0 {
		_, ls := linked(func(h string) bool { return hosts[h] }, f.Switch)
		for s := range switches {
			switches[s] = switches[s] && ls[s]
		}
	}
	return hosts, switches
}
