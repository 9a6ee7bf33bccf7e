package topology

import (
	"slices"
	"time"
)

// Inventory names the hosts and switches one run of a site held: what the
// next run compares with to tell a host or switch that is gone from one
// whose findings were resolved.
type Inventory struct {
	Hosts    []string // sorted
	Switches []string // sorted
	// Generated is when that run audited the site (zero when unknown).
	Generated time.Time
	// Source names where the inventory was read (a report file, a site
	// folder), for evidence.
	Source string
}

// Inventory names the hosts and switches of the Model, sorted. An
// unreachable switch is present (its input is in the site); a switch only
// heard as a neighbour is not.
func (m *Model) Inventory() *Inventory {
	inv := &Inventory{Hosts: make([]string, 0, len(m.Hosts)), Switches: make([]string, 0, len(m.Switches))}
	for _, h := range m.Hosts {
		inv.Hosts = append(inv.Hosts, h.Name)
	}
	for _, s := range m.Switches {
		inv.Switches = append(inv.Switches, s.Name)
	}
	slices.Sort(inv.Hosts)
	slices.Sort(inv.Switches)
	return inv
}

// Gone lists the hosts and switches of inv that now does not hold, each
// sorted. A nil inv (no previous run) has nothing gone.
func (inv *Inventory) Gone(now *Inventory) (hosts, switches []string) {
	if inv == nil {
		return nil, nil
	}
	var nh, ns []string
	if now != nil {
		nh, ns = now.Hosts, now.Switches
	}
	return missing(inv.Hosts, nh), missing(inv.Switches, ns)
}

// missing is the names of was that are not in is, sorted.
func missing(was, is []string) []string {
	have := make(map[string]bool, len(is))
	for _, n := range is {
		have[n] = true
	}
	var out []string
	for _, n := range was {
		if !have[n] {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// CollectedAt is when the host was captured (Collected), and false when
// that is unknown or not an RFC3339 time.
func (h *Host) CollectedAt() (time.Time, bool) { return parseCollected(h.Collected) }

// CollectedAt is when the switch was captured (Collected), and false when
// that is unknown or not an RFC3339 time.
func (s *Switch) CollectedAt() (time.Time, bool) { return parseCollected(s.Collected) }

func parseCollected(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil || t.IsZero() {
		return time.Time{}, false
	}
	return t, true
}

// CollectedString is t as a snapshot's Collected: RFC3339 in UTC, or ""
// for the zero time (an embedded file, or a file system without times).
func CollectedString(t time.Time) string {
	if t.IsZero() || t.Unix() <= 0 {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
