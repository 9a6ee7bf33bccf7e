package main

import (
	"strings"

	"github.com/bondaudit/bondaudit/rules"
)

func findingKey(f rules.Finding) string {
	return strings.Join([]string{f.Rule, f.Host, f.Bond, f.NIC, f.Switch, f.Port}, "\x00")
}

// planDelta lists the findings the plan adds and removes.
func planDelta(before, after []rules.Finding) (added, removed []rules.Finding) {
	in := func(fs []rules.Finding) map[string]bool {
		m := map[string]bool{}
		for _, f := range fs {
			if f.Status != rules.StatusSuppressed {
				m[findingKey(f)] = true
			}
		}
		return m
	}
	b, a := in(before), in(after)
	for _, f := range after {
		if f.Status != rules.StatusSuppressed && !b[findingKey(f)] {
			added = append(added, f)
		}
	}
	for _, f := range before {
		if f.Status != rules.StatusSuppressed && !a[findingKey(f)] {
			removed = append(removed, f)
		}
	}
	return added, removed
}
