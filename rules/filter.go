package rules

import (
	"fmt"
	"strings"
)

// Filter selects what a command reports (--host, --switch, --rule), never
// what it reads: globs as policy waivers take them (* any run, slashes
// included, ? one character). Within one kind any glob may match; kinds
// given together must all match. The zero Filter selects everything.
type Filter struct {
	Hosts, Switches, Rules []string
}

// IsZero reports whether f selects everything.
func (f Filter) IsZero() bool { return len(f.Hosts)+len(f.Switches)+len(f.Rules) == 0 }

// Check refuses empty globs and --rule globs that name no rule (a typo
// would otherwise select nothing and exit 0).
func (f Filter) Check() error {
	for _, k := range []struct {
		flag  string
		globs []string
	}{{"--host", f.Hosts}, {"--switch", f.Switches}, {"--rule", f.Rules}} {
		for _, g := range k.globs {
			if g == "" {
				return fmt.Errorf("%s: empty pattern", k.flag)
			}
		}
	}
	for _, g := range f.Rules {
		found := glob(g, waiverExpired.ID)
		for _, r := range registry {
			found = found || glob(g, r.ID)
		}
		if !found {
			msg := fmt.Sprintf("--rule %s matches no rule", g)
			if near := Similar(g); len(near) > 0 {
				msg += " (did you mean " + strings.Join(near, ", ") + "?)"
			}
			return fmt.Errorf("%s; \"bondaudit rules\" lists them", msg)
		}
	}
	return nil
}

func anyGlob(globs []string, s string) bool {
	if len(globs) == 0 {
		return true
	}
	if s == "" { // "*" selects any host, not "no host"
		return false
	}
	for _, g := range globs {
		if glob(g, s) {
			return true
		}
	}
	return false
}

// Host reports whether a host name is selected (always, without --host).
func (f Filter) Host(name string) bool { return anyGlob(f.Hosts, name) }

// Switch reports whether a switch name is selected (always, without --switch).
func (f Filter) Switch(name string) bool { return anyGlob(f.Switches, name) }

// Rule reports whether a rule ID is selected (always, without --rule).
func (f Filter) Rule(id string) bool { return anyGlob(f.Rules, id) }

// Finding reports whether a finding is selected: its host, switch and rule
// each match the globs of their kind. A finding about no host (a switch's
// own) is left out by --host, one about no switch by --switch.
func (f Filter) Finding(x Finding) bool {
	return f.Host(x.Host) && f.Switch(x.Switch) && f.Rule(x.Rule)
}

// Apply returns the findings f selects.
func (f Filter) Apply(fs []Finding) []Finding {
	if f.IsZero() {
		return fs
	}
	var out []Finding
	for _, x := range fs {
		if f.Finding(x) {
			out = append(out, x)
		}
	}
	return out
}

// String is the filter as flags ("--host web* --rule lacp.*"), "" for none.
func (f Filter) String() string {
	var parts []string
	for _, k := range []struct {
		flag  string
		globs []string
	}{{"--host", f.Hosts}, {"--switch", f.Switches}, {"--rule", f.Rules}} {
		for _, g := range k.globs {
			parts = append(parts, k.flag+" "+g)
		}
	}
	return strings.Join(parts, " ")
}
