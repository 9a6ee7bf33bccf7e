package fixprop

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// Fixer writes a plan for a site from its findings: the hook the lead
// wires to rules/fix (fix.Plan's changes).
type Fixer func(*topology.Model, []rules.Finding) ([]topology.Change, error)

// Property is what a fixer must hold to on every case.
type Property struct {
	// Policy judges the site before and after the plan (nil: the default).
	Policy *rules.Policy
	// Fixable are the rules the fixer claims to fix: none of their errors
	// may be left after the plan (from rules/fix).
	Fixable func(rule string) bool
	// Blocked, when set, excuses a fixable rule's error the fixer may
	// leave on this site for a reason the site holds (before are the
	// findings before the plan): e.g. a bond with an unmapped slave, which
	// must be mapped before any change to its switch side is more than a
	// guess (issue 16, item 4).
	Blocked func(before []rules.Finding, f rules.Finding) bool
	// Now is the time findings are judged at (zero: a fixed date).
	Now time.Time
}

// RuleSet is a Fixable of the given rule IDs.
func RuleSet(ids ...string) func(rule string) bool {
	set := map[string]bool{}
	for _, id := range ids {
		set[id] = true
	}
	return func(rule string) bool { return set[rule] }
}

// Judge runs the rules on m under the policy, as the pipeline does.
func (p Property) Judge(m *topology.Model) []rules.Finding {
	now := p.Now
	if now.IsZero() {
		now = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	}
	params := p.Policy.Params()
	params.Now = now
	return p.Policy.Apply(rules.Run(m, params, p.Policy.Enabled), now)
}

// Violation is a case the fixer's plan fails on.
type Violation struct {
	Case    string
	Changes []topology.Change
	Err     error           // the fixer or Model.Plan failed
	Left    []rules.Finding // errors of fixable rules still there after the plan
	Added   []rules.Finding // errors the plan adds
}

func (v *Violation) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d change(s)", v.Case, len(v.Changes))
	if v.Err != nil {
		fmt.Fprintf(&b, ": %v", v.Err)
	}
	for _, f := range v.Left {
		fmt.Fprintf(&b, "\n  left:  %s %s", f.Rule, describe(f))
	}
	for _, f := range v.Added {
		fmt.Fprintf(&b, "\n  added: %s %s", f.Rule, describe(f))
	}
	return b.String()
}

func describe(f rules.Finding) string {
	var parts []string
	for _, s := range []string{f.Host, f.Bond, f.NIC, f.Switch, f.Port} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ") + ": " + f.Message
}

// isError: an active finding of severity error (what --fail-on error counts).
func isError(f rules.Finding) bool { return f.Active() && f.Severity >= rules.Error }

// Check builds the case, asks the fixer for a plan, applies it with
// Model.Plan and judges again: nil when no error of a fixable rule is left
// and no error is added.
func (p Property) Check(c Case, fix Fixer) *Violation {
	v := &Violation{Case: c.Name()}
	m, err := c.Model()
	if err != nil {
		v.Err = err
		return v
	}
	before := p.Judge(m)
	if v.Changes, v.Err = fix(m, before); v.Err != nil {
		v.Err = fmt.Errorf("fixer: %w", v.Err)
		return v
	}
	after := m
	if len(v.Changes) > 0 {
		if after, err = m.Plan(v.Changes); err != nil {
			v.Err = fmt.Errorf("Model.Plan: %w", err)
			return v
		}
	}
	judged := p.Judge(after)
	for _, f := range judged {
		if isError(f) && p.Fixable != nil && p.Fixable(f.Rule) && (p.Blocked == nil || !p.Blocked(before, f)) {
			v.Left = append(v.Left, f)
		}
	}
	for _, f := range rules.Compare(before, judged).New {
		if isError(f) {
			v.Added = append(v.Added, f)
		}
	}
	if len(v.Left)+len(v.Added) == 0 {
		return nil
	}
	return v
}

// Cases lists the generated sites, each with a healthy host h1 (a fixer
// must leave it alone) and the faulty hosts after it:
//   - every fault alone, on every shape it fits (20 faults: 19 on an MLAG
//     pair, 17 on a stack, 16 on a single switch);
//   - every pair of faults of different fields on one bond, on every
//     shape both fit (short: a sample of them chosen by the seed);
//   - sites of three faulty hosts with one to three faults each, chosen
//     by the seed (short: fewer).
//
// The same seed and short give the same list.
func Cases(seed int64, short bool) []Case {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15))
	var out []Case
	for _, s := range Shapes {
		for _, f := range Faults {
			if f.fits(s) {
				out = append(out, Case{Shape: s, Hosts: [][]string{nil, {f.Name}}})
			}
		}
	}
	for _, s := range Shapes {
		for i, f := range Faults {
			for _, g := range Faults[i+1:] {
				if !f.fits(s) || !g.fits(s) || f.Field == g.Field {
					continue
				}
				if short && rng.IntN(8) != 0 {
					continue
				}
				out = append(out, Case{Shape: s, Hosts: [][]string{nil, {f.Name, g.Name}}})
			}
		}
	}
	n := 60
	if short {
		n = 12
	}
	for range n {
		s := Shapes[rng.IntN(len(Shapes))]
		c := Case{Shape: s, Hosts: [][]string{nil}}
		for range 3 {
			c.Hosts = append(c.Hosts, randomFaults(rng, s, 1+rng.IntN(3)))
		}
		out = append(out, c)
	}
	return out
}

// randomFaults picks up to n faults of different fields that fit s, in
// catalogue order.
func randomFaults(rng *rand.Rand, s Shape, n int) []string {
	fields := map[string]bool{}
	var picked []int
	for range 4 * n {
		if len(picked) == n {
			break
		}
		i := rng.IntN(len(Faults))
		if f := Faults[i]; f.fits(s) && !fields[f.Field] {
			fields[f.Field] = true
			picked = append(picked, i)
		}
	}
	slices.Sort(picked)
	var out []string
	for _, i := range picked {
		out = append(out, Faults[i].Name)
	}
	return out
}
