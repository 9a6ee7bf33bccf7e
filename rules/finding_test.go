package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fd is a finding on host h's bond0 by rule r; opts mark it suppressed
// ("s"), or set another message ("m2") or NIC ("nic1").
func algFinding(r, h string, sev Severity, opts ...string) Finding {
	f := Finding{Rule: r, Severity: sev, Status: StatusFail, Host: h, Bond: "bond0", Message: "m"}
	for _, o := range opts {
		switch o {
		case "s":
			f.Status = StatusSuppressed
		case "m2":
			f.Message = "m2"
		case "nic1":
			f.NIC = "nic1"
		}
	}
	return f
}

func algNames(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		n := f.Rule + "@" + f.Host
		if f.NIC != "" {
			n += "/" + f.NIC
		}
		if !f.Active() {
			n += "(s)"
		}
		out = append(out, n)
	}
	return out
}

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		name                     string
		old, new                 []Finding
		added, resolved, unchged []string
		resolvedKeys             int
	}{
		{name: "both empty", added: []string{}, resolved: []string{}, unchged: []string{}},
		{name: "all new", new: []Finding{algFinding("a", "h1", Error), algFinding("b", "h1", Info)},
			added: []string{"a@h1", "b@h1"}, resolved: []string{}, unchged: []string{}},
		{name: "all resolved", old: []Finding{algFinding("a", "h1", Error), algFinding("a", "h2", Error)},
			added: []string{}, resolved: []string{"a@h1", "a@h2"}, unchged: []string{}, resolvedKeys: 2},
		{name: "same key, other message and severity: unchanged",
			old: []Finding{algFinding("a", "h1", Error)}, new: []Finding{algFinding("a", "h1", Warning, "m2")},
			added: []string{}, resolved: []string{}, unchged: []string{"a@h1"}},
		{name: "the NIC is part of the key",
			old: []Finding{algFinding("a", "h1", Error)}, new: []Finding{algFinding("a", "h1", Error, "nic1")},
			added: []string{"a@h1/nic1"}, resolved: []string{"a@h1"}, unchged: []string{}, resolvedKeys: 1},
		{name: "suppressed on both sides count on neither",
			old:   []Finding{algFinding("a", "h1", Error, "s"), algFinding("b", "h1", Error)},
			new:   []Finding{algFinding("a", "h1", Error), algFinding("b", "h1", Error, "s")},
			added: []string{"a@h1"}, resolved: []string{"b@h1"}, unchged: []string{}, resolvedKeys: 1},
		{name: "a suppressed twin does not hide an active one",
			old:   []Finding{algFinding("a", "h1", Error, "s"), algFinding("a", "h1", Error)},
			new:   []Finding{algFinding("a", "h1", Error)},
			added: []string{}, resolved: []string{}, unchged: []string{"a@h1"}},
		{name: "duplicates keep report order; resolved keys are distinct",
			old:   []Finding{algFinding("z", "h9", Info), algFinding("z", "h9", Info, "m2"), algFinding("a", "h1", Error)},
			new:   []Finding{algFinding("c", "h3", Info), algFinding("a", "h1", Error), algFinding("b", "h2", Info)},
			added: []string{"c@h3", "b@h2"}, resolved: []string{"z@h9", "z@h9"}, unchged: []string{"a@h1"}, resolvedKeys: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := Compare(c.old, c.new)
			got := [][]string{algNames(d.New), algNames(d.Resolved), algNames(d.Unchanged)}
			want := [][]string{c.added, c.resolved, c.unchged}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("new, resolved, unchanged (-want +got):\n%s", diff)
			}
			if n := d.ResolvedKeys(); n != c.resolvedKeys {
				t.Errorf("ResolvedKeys = %d, want %d", n, c.resolvedKeys)
			}
		})
	}
}

func TestNotIn(t *testing.T) {
	base := []Finding{algFinding("a", "h1", Error), algFinding("b", "h1", Error, "s")}
	cur := []Finding{algFinding("a", "h1", Warning, "m2"), algFinding("a", "h1", Error, "s"), algFinding("b", "h1", Error), algFinding("c", "h1", Info, "s")}
	// a@h1 is known (active in base) in both statuses; b@h1 was only
	// waived in base, so it is new; c@h1 is a new waiver, still shown.
	want := []string{"b@h1", "c@h1(s)"}
	if diff := cmp.Diff(want, algNames(NotIn(cur, base))); diff != "" {
		t.Errorf("NotIn (-want +got):\n%s", diff)
	}
}

func TestFailOn(t *testing.T) {
	fs := []Finding{algFinding("a", "h1", Warning), algFinding("b", "h1", Error, "s")}
	for _, c := range []struct {
		flag  string
		fs    []Finding
		fails bool
	}{
		{"error", fs, false}, // the error is waived
		{"warning", fs, true},
		{"info", fs, true},
		{"never", fs, false},
		{"never", []Finding{algFinding("a", "h1", Error)}, false},
		{"error", []Finding{algFinding("a", "h1", Error)}, true},
		{"ERROR", []Finding{algFinding("a", "h1", Error)}, true},
		{"info", nil, false},
		{"warning", []Finding{algFinding("a", "h1", Info)}, false},
	} {
		t.Run(c.flag, func(t *testing.T) {
			f, err := ParseFailOn(c.flag)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Fails(c.fs); got != c.fails {
				t.Errorf("%s: Fails(%v) = %v, want %v", c.flag, algNames(c.fs), got, c.fails)
			}
		})
	}
	for _, bad := range []string{"", "fatal", "nevermind"} {
		if _, err := ParseFailOn(bad); err == nil || err.Error() != `"`+bad+`": want error, warning, info or never` {
			t.Errorf("ParseFailOn(%q) = %v", bad, err)
		}
	}
}

// TestDeltaWithGone: findings about a host or switch that is gone are not
// resolved; those about what is still there are.
func TestDeltaWithGone(t *testing.T) {
	old := []Finding{
		{Rule: "lacp.no-partner", Host: "web02", Bond: "bond0"},
		{Rule: "lacp.no-partner", Host: "web01", Bond: "bond0", Switch: "leaf9", Port: "Ethernet1"},
		{Rule: "bond.single-slave", Host: "web01", Bond: "bond1"},
		{Rule: "switch.lag-speed-mismatch", Switch: "leaf2", Port: "Port-Channel1"},
		{Rule: "bond.hash-layer2", Host: "web02", Bond: "bond1", Status: StatusSuppressed},
	}
	d := Compare(old, nil).WithGone([]string{"web02"}, []string{"leaf9"})
	if len(d.Gone) != 2 || d.Gone[0].Host != "web02" || d.Gone[1].Switch != "leaf9" || d.GoneKeys() != 2 {
		t.Errorf("gone %+v", d.Gone)
	}
	if len(d.Resolved) != 2 || d.Resolved[0].Bond != "bond1" || d.Resolved[1].Switch != "leaf2" || d.ResolvedKeys() != 2 {
		t.Errorf("resolved %+v", d.Resolved)
	}
	if d2 := Compare(old, nil).WithGone(nil, nil); len(d2.Gone) != 0 || len(d2.Resolved) != 4 {
		t.Errorf("nothing gone: %+v", d2)
	}
}
