package report

import (
	"cmp"
	"slices"

	"github.com/bondaudit/bondaudit/rules"
)

// Helpers the markdown, junit, sarif and prom formats share.

// waived reports whether policy waived f: a suppressed finding is listed but
// never counted as a failure.
func waived(f rules.Finding) bool { return f.Status == rules.StatusSuppressed }

// where names a finding's subject as "bond NIC → switch port", leaving out
// the parts that are not set.
func where(f rules.Finding) string {
	return join2(join2(f.Bond, f.NIC, " "), join2(f.Switch, f.Port, " "), " → ")
}

// join2 joins the non-empty ones of a and b with sep.
func join2(a, b, sep string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}

// bondKey is one bond of one host.
type bondKey struct{ host, bond string }

// modelBonds lists every bond of the Model, sorted by host then bond.
func modelBonds(r *Report) []bondKey {
	var out []bondKey
	if r.Model == nil {
		return out
	}
	for _, h := range r.Model.Hosts {
		for _, b := range h.Bonds {
			out = append(out, bondKey{h.Name, b.Name})
		}
	}
	slices.SortFunc(out, compareBondKeys)
	return out
}

func compareBondKeys(a, b bondKey) int {
	return cmp.Or(cmp.Compare(a.host, b.host), cmp.Compare(a.bond, b.bond))
}

// severities lists every severity, highest first.
var severities = []rules.Severity{rules.Error, rules.Warning, rules.Info}
