package topology

import "slices"

// Keep cuts the view to the hosts (with all their links) and switches
// (with their LAGs) the predicates keep, domains with a kept switch,
// uplinks between kept switches and conflicts of kept hosts. A nil
// predicate keeps everything of its kind. What could not be read stays
// listed.
func (v *View) Keep(hosts, switches func(string) bool) {
	if hosts == nil && switches == nil {
		return
	}
	hosts, switches = all(hosts), all(switches)
	v.Hosts = slices.DeleteFunc(v.Hosts, func(h ViewHost) bool { return !hosts(h.Name) })
	v.Switches = slices.DeleteFunc(v.Switches, func(s ViewSwitch) bool { return !switches(s.Name) })
	// a kept host's bonds are shown whole: its links to other switches too
	v.Links = slices.DeleteFunc(v.Links, func(l ViewLink) bool { return !hosts(l.Host) })
	v.Domains = slices.DeleteFunc(v.Domains, func(d ViewDomain) bool {
		return !slices.ContainsFunc(d.Switches, switches)
	})
	v.Uplinks = slices.DeleteFunc(v.Uplinks, func(u ViewUplink) bool { return !switches(u.A) || !switches(u.B) })
	v.Conflicts = slices.DeleteFunc(v.Conflicts, func(c Conflict) bool { return !hosts(c.Host) })
}

// InSet is a set as a predicate; nil (keep everything) for a nil set.
func InSet(set map[string]bool) func(string) bool {
	if set == nil {
		return nil
	}
	return func(name string) bool { return set[name] }
}

// all is keep, or keep everything when keep is nil.
func all(keep func(string) bool) func(string) bool {
	if keep == nil {
		return func(string) bool { return true }
	}
	return keep
}
