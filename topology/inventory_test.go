package topology

import (
	"slices"
	"testing"
	"time"
)

func TestCollectedAt(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-11-28T10:00:00Z", time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC), true},
		{"2026-11-28T11:00:00+01:00", time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC), true},
		{"", time.Time{}, false},
		{"yesterday", time.Time{}, false},
		{"0001-01-01T00:00:00Z", time.Time{}, false},
	} {
		h, s := &Host{Collected: c.in}, &Switch{Collected: c.in}
		for _, got := range [][2]any{fn(h.CollectedAt()), fn(s.CollectedAt())} {
			if !got[0].(time.Time).Equal(c.want) || got[1].(bool) != c.ok {
				t.Errorf("%q: CollectedAt %v %v, want %v %v", c.in, got[0], got[1], c.want, c.ok)
			}
		}
	}
	if CollectedString(time.Time{}) != "" || CollectedString(time.Unix(0, 0)) != "" {
		t.Error("a zero or epoch time is not unknown")
	}
	if got := CollectedString(time.Date(2026, 11, 28, 11, 0, 0, 5, time.FixedZone("CET", 3600))); got != "2026-11-28T10:00:00Z" {
		t.Errorf("CollectedString %q", got)
	}
}

func fn(t time.Time, ok bool) [2]any { return [2]any{t, ok} }

func TestInventoryGone(t *testing.T) {
	m, err := Build([]*Host{{Name: "web01"}, {Name: "app01"}}, []*Switch{{Name: "leaf2"}, {Name: "leaf1", Unreachable: true}},
		BuildOptions{Previous: &Inventory{Hosts: []string{"db01"}}})
	if err != nil {
		t.Fatal(err)
	}
	inv := m.Inventory()
	if !slices.Equal(inv.Hosts, []string{"app01", "web01"}) || !slices.Equal(inv.Switches, []string{"leaf1", "leaf2"}) {
		t.Errorf("inventory %+v", inv)
	}
	if m.Previous == nil || m.Previous.Hosts[0] != "db01" {
		t.Errorf("Build did not keep Previous: %+v", m.Previous)
	}
	prev := &Inventory{Hosts: []string{"web01", "db01", "app01"}, Switches: []string{"spine1", "leaf1", "leaf2"}}
	h, s := prev.Gone(inv)
	if !slices.Equal(h, []string{"db01"}) || !slices.Equal(s, []string{"spine1"}) {
		t.Errorf("gone %v %v", h, s)
	}
	var none *Inventory
	if h, s := none.Gone(inv); h != nil || s != nil {
		t.Errorf("no previous run: gone %v %v", h, s)
	}
	// A plan keeps the previous run.
	pm, err := m.Plan(nil)
	if err != nil {
		t.Fatal(err)
	}
	if pm.Previous != m.Previous {
		t.Error("Plan dropped Previous")
	}
}
