package main

import (
	"slices"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// registerFilter adds --host, --switch and --rule (repeatable globs, as
// policy waivers take them) to a command; what says what they select.
func registerFilter(cmd *cobra.Command, f *rules.Filter, what string) {
	cmd.Flags().StringArrayVar(&f.Hosts, "host", nil, what+" about hosts matching this glob (* and ?; repeatable)")
	cmd.Flags().StringArrayVar(&f.Switches, "switch", nil, what+" about switches matching this glob (repeatable)")
	cmd.Flags().StringArrayVar(&f.Rules, "rule", nil, what+" of rules matching this glob, e.g. 'lacp.*' (repeatable)")
}

// filterSets is which hosts and switches a filter keeps in a picture of
// the site (topology, diagram): hosts matching --host, cabled to a switch
// matching --switch when one is given; switches matching --switch, cabled
// to a kept host when --host is given. With --rule, only hosts with a
// selected finding, and the switches those findings name or the kept hosts
// are cabled to. Nil maps: no filter.
func filterSets(m *topology.Model, f rules.Filter, findings []rules.Finding) (hosts, switches map[string]bool) {
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

// filterView cuts a topology view to the kept hosts (with all their links)
// and switches (with their LAGs), domains with a kept switch, uplinks between kept switches
// and conflicts of kept hosts. What could not be read stays listed.
func filterView(v *topology.View, hosts, switches map[string]bool) {
	if hosts == nil {
		return
	}
	v.Hosts = slices.DeleteFunc(v.Hosts, func(h topology.ViewHost) bool { return !hosts[h.Name] })
	v.Switches = slices.DeleteFunc(v.Switches, func(s topology.ViewSwitch) bool { return !switches[s.Name] })
	// a kept host's bonds are shown whole: its links to other switches too
	v.Links = slices.DeleteFunc(v.Links, func(l topology.ViewLink) bool { return !hosts[l.Host] })
	v.Domains = slices.DeleteFunc(v.Domains, func(d topology.ViewDomain) bool {
		return !slices.ContainsFunc(d.Switches, func(s string) bool { return switches[s] })
	})
	v.Uplinks = slices.DeleteFunc(v.Uplinks, func(u topology.ViewUplink) bool { return !switches[u.A] || !switches[u.B] })
	v.Conflicts = slices.DeleteFunc(v.Conflicts, func(c topology.Conflict) bool { return !hosts[c.Host] })
}

// keep is a set as a predicate; nil keeps everything.
func keep(set map[string]bool) func(string) bool {
	if set == nil {
		return nil
	}
	return func(name string) bool { return set[name] }
}
