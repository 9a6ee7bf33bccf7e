package rules

import "fmt"

// The finding algebra: how two runs' findings are compared and when a run
// fails. Every command that compares findings (diff, whatif --plan, audit
// --baseline) and every exit-code decision goes through here.

// Key names a finding's rule and subject: two findings with the same key
// are the same problem, whatever their message or severity says.
type Key struct {
	Rule, Host, Bond, NIC, Switch, Port string
}

// Key returns the finding's key.
func (f Finding) Key() Key {
	return Key{f.Rule, f.Host, f.Bond, f.NIC, f.Switch, f.Port}
}

// Active reports whether the finding counts: waived (suppressed) findings
// never do, in a delta or for the exit code.
func (f Finding) Active() bool { return f.Status != StatusSuppressed }

// Delta sorts the findings of two runs by key. Each list keeps the order
// of the run it comes from; suppressed findings are in none.
type Delta struct {
	// New are active findings of the new run whose key no active finding
	// of the old run has.
	New []Finding
	// Resolved are active findings of the old run whose key no active
	// finding of the new run has.
	Resolved []Finding
	// Unchanged are active findings of the new run whose key an active
	// finding of the old run has.
	Unchanged []Finding
	// Gone are active findings of the old run about a host or switch the
	// new run no longer has (WithGone): not checked, so not resolved.
	Gone []Finding
}

// activeKeys is the set of keys of the active findings.
func activeKeys(fs []Finding) map[Key]bool {
	m := map[Key]bool{}
	for _, f := range fs {
		if f.Active() {
			m[f.Key()] = true
		}
	}
	return m
}

// Compare sorts old and new findings into new, resolved and unchanged.
func Compare(old, new []Finding) Delta {
	var d Delta
	ok, nk := activeKeys(old), activeKeys(new)
	for _, f := range new {
		switch {
		case !f.Active():
		case ok[f.Key()]:
			d.Unchanged = append(d.Unchanged, f)
		default:
			d.New = append(d.New, f)
		}
	}
	for _, f := range old {
		if f.Active() && !nk[f.Key()] {
			d.Resolved = append(d.Resolved, f)
		}
	}
	return d
}

// WithGone moves out of Resolved, into Gone, the findings about a host in
// hosts or a switch in switches: those the new run no longer has (a
// capture that stopped arriving). Their problems were not fixed, only no
// longer checked. Order is kept.
func (d Delta) WithGone(hosts, switches []string) Delta {
	if len(hosts) == 0 && len(switches) == 0 {
		return d
	}
	goneHost, goneSwitch := map[string]bool{}, map[string]bool{}
	for _, h := range hosts {
		goneHost[h] = true
	}
	for _, s := range switches {
		goneSwitch[s] = true
	}
	var resolved []Finding
	for _, f := range d.Resolved {
		if f.Host != "" && goneHost[f.Host] || f.Switch != "" && goneSwitch[f.Switch] {
			d.Gone = append(d.Gone, f)
		} else {
			resolved = append(resolved, f)
		}
	}
	d.Resolved = resolved
	return d
}

// GoneKeys counts the distinct keys among d.Gone.
func (d Delta) GoneKeys() int {
	return len(activeKeys(d.Gone))
}

// ResolvedKeys counts the distinct keys among d.Resolved: how many
// problems of the old run are gone, however many findings each had.
func (d Delta) ResolvedKeys() int {
	return len(activeKeys(d.Resolved))
}

// NotIn keeps of current the findings whose key is not among base's active
// findings: the new ones, and the suppressed ones not already known (so a
// report still shows its waivers). Order is current's.
func NotIn(current, base []Finding) []Finding {
	before := activeKeys(base)
	var kept []Finding
	for _, f := range current {
		if !before[f.Key()] {
			kept = append(kept, f)
		}
	}
	return kept
}

// FailOn is the exit-code decision: a run fails when an active finding at
// or above Threshold remains, unless Never.
type FailOn struct {
	Threshold Severity
	Never     bool
}

// ParseFailOn reads "error", "warning", "info" or "never".
func ParseFailOn(s string) (FailOn, error) {
	if s == "never" {
		return FailOn{Never: true}, nil
	}
	sev, err := ParseSeverity(s)
	if err != nil {
		return FailOn{}, fmt.Errorf("%q: want error, warning, info or never", s)
	}
	return FailOn{Threshold: sev}, nil
}

// Fails reports whether fs holds an active finding at or above the threshold.
func (t FailOn) Fails(fs []Finding) bool {
	if t.Never {
		return false
	}
	for _, f := range fs {
		if f.Active() && f.Severity >= t.Threshold {
			return true
		}
	}
	return false
}
