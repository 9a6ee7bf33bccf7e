package diagram

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// selection is the part of the Model a Diagram draws.
type selection struct {
	focus    string // what the focus resolved to, for the caption; "" for all
	depth    int
	hosts    []*topology.HostNode   // sorted by name
	switches []*topology.SwitchNode // sorted by name
	inHost   map[string]bool
	inSw     map[string]bool
	// hidden[switch] counts the switch's neighbours the focus left out.
	hidden      map[string]hiddenCount
	hiddenHosts int // distinct hosts next to a drawn switch, not drawn
}

type hiddenCount struct{ hosts, switches int }

// graphIndex maps the Model's gonum node IDs back to hosts and switches.
type graphIndex struct {
	host map[int64]*topology.HostNode
	sw   map[int64]*topology.SwitchNode
}

func newGraphIndex(m *topology.Model) graphIndex {
	gi := graphIndex{host: make(map[int64]*topology.HostNode, len(m.Hosts)), sw: make(map[int64]*topology.SwitchNode, len(m.Switches))}
	for _, h := range m.Hosts {
		gi.host[h.ID] = h
	}
	for _, s := range m.Switches {
		gi.sw[s.ID] = s
	}
	return gi
}

// neighbours returns the IDs of the nodes one line away from id in the
// Model's graph, sorted (Model.Neighbours: from the links, without
// building the gonum graph).
func neighbours(m *topology.Model, id int64) []int64 {
	return m.Neighbours(id)
}

// selectNodes applies Options.Focus, Depth and MaxNodes.
func selectNodes(m *topology.Model, o Options) (*selection, error) {
	keepHost := func(h *topology.HostNode) bool { return o.Hosts == nil || o.Hosts(h.Name) }
	keepSwitch := func(s *topology.SwitchNode) bool { return o.Switches == nil || o.Switches(s.Name) }
	if o.Focus == "" {
		// The whole site: whether it fits is a count, known before any
		// node is picked (a 100,000-host site never fits, and picking
		// it cost 80 ms of every HTML report).
		nh, ns := 0, 0
		for _, h := range m.Hosts {
			if keepHost(h) {
				nh++
			}
		}
		for _, s := range m.Switches {
			if keepSwitch(s) {
				ns++
			}
		}
		if err := checkSize(m, &selection{}, nh, ns, o); err != nil {
			return nil, err
		}
	}
	gi := newGraphIndex(m)
	in := map[int64]bool{}
	sel := &selection{}
	if o.Focus == "" {
		for id := range gi.host {
			in[id] = true
		}
		for id := range gi.sw {
			in[id] = true
		}
	} else {
		seeds, what, err := resolveFocus(m, o.Focus)
		if err != nil {
			return nil, err
		}
		sel.focus, sel.depth = what, max(o.Depth, 1)
		in = expand(m, seeds, sel.depth)
		closeOver(m, gi, in)
	}
	for id := range in {
		if h := gi.host[id]; h != nil && !keepHost(h) {
			delete(in, id)
		}
		if s := gi.sw[id]; s != nil && !keepSwitch(s) {
			delete(in, id)
		}
	}
	sel.fill(m, gi, in)
	if err := checkSize(m, sel, len(sel.hosts), len(sel.switches), o); err != nil {
		return nil, err
	}
	return sel, nil
}

// expand walks the topology graph from the seeds (node ID → distance
// already travelled) up to depth hops.
func expand(m *topology.Model, seeds map[int64]int, depth int) map[int64]bool {
	dist := map[int64]int{}
	var queue []int64
	for _, id := range slices.Sorted(maps.Keys(seeds)) {
		dist[id] = seeds[id]
		queue = append(queue, id)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if dist[id] >= depth {
			continue
		}
		for _, n := range neighbours(m, id) {
			if _, seen := dist[n]; !seen {
				dist[n] = dist[id] + 1
				queue = append(queue, n)
			}
		}
	}
	in := make(map[int64]bool, len(dist))
	for id := range dist {
		in[id] = true
	}
	return in
}

// closeOver completes the picture: a drawn host brings every switch it is
// cabled to (a bond is never drawn half), and a drawn switch brings its
// MLAG/stack peers (a domain is never drawn half).
func closeOver(m *topology.Model, gi graphIndex, in map[int64]bool) {
	for _, id := range slices.Sorted(maps.Keys(in)) {
		if gi.host[id] != nil {
			for _, n := range neighbours(m, id) {
				in[n] = true
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(in)) {
		if s := gi.sw[id]; s != nil && s.Domain != nil {
			for _, name := range s.Domain.Switches {
				if p := m.Switch(name); p != nil {
					in[p.ID] = true
				}
			}
		}
	}
}

// fill turns the chosen node IDs into sorted hosts and switches and counts
// what the focus left out next to each drawn switch.
func (sel *selection) fill(m *topology.Model, gi graphIndex, in map[int64]bool) {
	sel.inHost, sel.inSw, sel.hidden = map[string]bool{}, map[string]bool{}, map[string]hiddenCount{}
	for _, h := range m.Hosts {
		if in[h.ID] {
			sel.hosts = append(sel.hosts, h)
			sel.inHost[h.Name] = true
		}
	}
	for _, s := range m.Switches {
		if in[s.ID] {
			sel.switches = append(sel.switches, s)
			sel.inSw[s.Name] = true
		}
	}
	if sel.focus == "" {
		return
	}
	left := map[int64]bool{}
	for _, s := range sel.switches {
		var c hiddenCount
		for _, n := range neighbours(m, s.ID) {
			switch {
			case in[n]:
			case gi.host[n] != nil:
				c.hosts++
				left[n] = true
			default:
				c.switches++
			}
		}
		if c != (hiddenCount{}) {
			sel.hidden[s.Name] = c
		}
	}
	sel.hiddenHosts = len(left)
}

// resolveFocus finds what the focus names: a host, a switch, an MLAG/stack
// domain, or SWITCH:LAG / SWITCH:PORT. It returns the seeds for expand
// (node ID → hops already travelled) and a description.
func resolveFocus(m *topology.Model, name string) (map[int64]int, string, error) {
	for _, fold := range []bool{false, true} {
		if h := findHost(m, name, fold); h != nil {
			return map[int64]int{h.ID: 0}, "host " + h.Name, nil
		}
		if s := findSwitch(m, name, fold); s != nil {
			return map[int64]int{s.ID: 0}, "switch " + s.Name, nil
		}
		if d := findDomain(m, name, fold); d != nil {
			seeds := map[int64]int{}
			for _, sw := range d.Switches {
				if s := m.Switch(sw); s != nil {
					seeds[s.ID] = 0
				}
			}
			return seeds, d.Kind + " " + d.Name, nil
		}
		if seeds, what := findLAG(m, name, fold); seeds != nil {
			return seeds, what, nil
		}
	}
	return nil, "", unknownFocus(m, name)
}

func findHost(m *topology.Model, name string, fold bool) *topology.HostNode {
	return findNamed(m.Host, m.Hosts, func(h *topology.HostNode) string { return h.Name }, name, fold)
}

func findSwitch(m *topology.Model, name string, fold bool) *topology.SwitchNode {
	return findNamed(m.Switch, m.Switches, func(s *topology.SwitchNode) string { return s.Name }, name, fold)
}

// findNamed looks name up with exact, or when fold is set finds the first
// of all whose name equals it under case folding.
func findNamed[N any](exact func(string) N, all []N, nameOf func(N) string, name string, fold bool) N {
	if !fold {
		return exact(name)
	}
	for _, n := range all {
		if strings.EqualFold(nameOf(n), name) {
			return n
		}
	}
	var none N
	return none
}

func findDomain(m *topology.Model, name string, fold bool) *topology.Domain {
	for _, d := range m.Domains {
		if d.Name == name || fold && strings.EqualFold(d.Name, name) {
			return d
		}
	}
	return nil
}

// findLAG resolves SWITCH:LAG or SWITCH:PORT. The hosts on its ports are
// the seeds (the switch is one hop from them); a LAG or port with no host
// seeds its switch.
func findLAG(m *topology.Model, name string, fold bool) (map[int64]int, string) {
	for i := strings.IndexByte(name, ':'); i >= 0; {
		s := findSwitch(m, name[:i], fold)
		if s != nil {
			if seeds, what := lagSeeds(m, s, name[i+1:]); seeds != nil {
				return seeds, what
			}
		}
		j := strings.IndexByte(name[i+1:], ':')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return nil, ""
}

func lagSeeds(m *topology.Model, s *topology.SwitchNode, port string) (map[int64]int, string) {
	var ports []string
	what := ""
	if lag := s.LAG(port); lag != nil {
		ports, what = lag.Members, "LAG "+s.Name+":"+lag.Name
	} else if p := s.Port(port); p != nil {
		ports, what = []string{p.Name}, "port "+s.Name+":"+p.Name
	} else {
		return nil, ""
	}
	seeds := map[int64]int{}
	for _, p := range ports {
		for _, l := range m.LinksOnPort(s.Name, p) {
			if h := m.Host(l.Host); h != nil {
				seeds[h.ID] = 0
			}
		}
	}
	if len(seeds) == 0 {
		seeds[s.ID] = 0
	}
	return seeds, what
}

// unknownFocus builds the error for a focus naming nothing, listing the
// closest names.
func unknownFocus(m *topology.Model, name string) error {
	close := closeNames(focusNames(m), name, 8)
	msg := fmt.Sprintf("%q is no host, switch, MLAG/stack domain or SWITCH:LAG of this site", name)
	if len(close) > 0 {
		msg += "; close names: " + strings.Join(close, ", ")
	}
	return fmt.Errorf("%w: %s", ErrUnknownFocus, msg)
}

// focusNames lists every name --focus accepts (ports other than LAGs left out).
func focusNames(m *topology.Model) []string {
	var names []string
	for _, h := range m.Hosts {
		names = append(names, h.Name)
	}
	for _, s := range m.Switches {
		names = append(names, s.Name)
		for _, l := range s.LAGs {
			names = append(names, s.Name+":"+l.Name)
		}
	}
	for _, d := range m.Domains {
		names = append(names, d.Name)
	}
	return names
}

// closeNames returns up to n candidates closest to q by edit distance:
// those within a third of its length (at least 2), and those containing it
// (or contained in it). SWITCH:LAG names are candidates only when q holds
// a colon.
func closeNames(cands []string, q string, n int) []string {
	type scored struct {
		name string
		dist int
	}
	lq := strings.ToLower(q)
	limit := max(2, len(q)/3)
	var hits []scored
	for _, c := range cands {
		if strings.Contains(c, ":") && !strings.Contains(q, ":") {
			continue
		}
		lc := strings.ToLower(c)
		d := levenshtein(lq, lc)
		if d <= limit || lq != "" && (strings.Contains(lc, lq) || strings.Contains(lq, lc)) {
			hits = append(hits, scored{c, d})
		}
	}
	slices.SortFunc(hits, func(a, b scored) int { return cmp.Or(cmp.Compare(a.dist, b.dist), strings.Compare(a.name, b.name)) })
	hits = slices.CompactFunc(hits, func(a, b scored) bool { return a.name == b.name })
	var out []string
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.name)
	}
	return out
}

// levenshtein is the edit distance between two strings, by byte.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkSize refuses a picture with more nodes than o.MaxNodes, saying how
// to narrow it.
func checkSize(m *topology.Model, sel *selection, nHosts, nSwitches int, o Options) error {
	limit := o.MaxNodes
	if limit == 0 {
		limit = DefaultMaxNodes
	}
	n := nHosts + nSwitches
	if limit < 0 || n <= limit {
		return nil
	}
	if sel.focus != "" {
		return fmt.Errorf("%w: focus %s at depth %d reaches %d hosts and %d switches, more than %d nodes; "+
			"lower --depth, focus on a LAG (--focus SWITCH:LAG) or a host, or raise --max-nodes",
			ErrTooBig, sel.focus, sel.depth, nHosts, nSwitches, limit)
	}
	return fmt.Errorf("%w: the site has %d hosts and %d switches, more than %d nodes; "+
		"narrow it with --focus HOST|SWITCH|LAG --depth N (for example %s), or raise --max-nodes",
		ErrTooBig, nHosts, nSwitches, limit, focusExamples(m))
}

// focusExamples names a focus worth trying: the switch with the most hosts
// and one of its LAGs.
func focusExamples(m *topology.Model) string {
	var best *topology.SwitchNode
	most := -1
	for i, n := range m.SwitchDegrees() {
		if n > most {
			best, most = m.Switches[i], n
		}
	}
	if best == nil {
		if len(m.Hosts) > 0 {
			return "--focus " + m.Hosts[0].Name
		}
		return "--focus HOST"
	}
	ex := "--focus " + best.Name + " --depth 1"
	for _, l := range best.LAGs {
		if !l.PeerLink && len(l.Members) > 0 {
			return ex + ", or --focus " + best.Name + ":" + l.Name
		}
	}
	return ex
}
