package topology

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bondaudit/bondaudit/internal/prefault"
)

// BuildOptions tunes the join. The zero value is the default.
type BuildOptions struct {
	// NoFDB disables the FDB fallback (evidence 5), e.g. when FDB tables are
	// known to be stale.
	NoFDB bool
	// Previous is what the previous run of the site held (Model.Previous);
	// nil when no previous run is known.
	Previous *Inventory
}

// evRank orders evidence: lower is stronger; false for an unknown kind.
func evRank(k EvidenceKind) (int, bool) {
	switch k {
	case EvLLDPHost:
		return 0, true
	case EvLLDPSwitch:
		return 1, true
	case EvCDP:
		return 2, true
	case EvLACP:
		return 3, true
	case EvFDB:
		return 4, true
	}
	return 0, false
}

// evKinds is how many kinds evRank knows.
const evKinds = 5

// evStrength is evRank's order with unknown kinds first, as resolve sorts.
func evStrength(k EvidenceKind) int {
	r, _ := evRank(k)
	return r
}

// claim is one source's statement that a host NIC is cabled to a switch
// port. It holds its host by ID and its kind as a code, not as pointers: a
// 100k-host site makes about a million claims, which resolve sorts by host
// (reading the host's ID through a pointer was a cache miss per claim) and
// copies while the collector may be marking (each pointer copied is a
// write barrier). 40 bytes, two pointers.
type claim struct {
	nic  string
	sw   *SwitchNode
	host int32 // the host's ID: its index in Model.Hosts
	port int32 // index in sw.Ports
	kind evCode
}

// evCode is an EvidenceKind as its rank (evRank): claims carry it.
type evCode uint8

const (
	evcLLDPHost evCode = iota
	evcLLDPSwitch
	evcCDP
	evcLACP
	evcFDB
)

var evCodeKinds = [evKinds]EvidenceKind{EvLLDPHost, EvLLDPSwitch, EvCDP, EvLACP, EvFDB}

// Kind is the code's EvidenceKind.
func (c evCode) Kind() EvidenceKind { return evCodeKinds[c] }

func (c evCode) String() string { return string(c.Kind()) }

// swPort is the claim's port.
func (c *claim) swPort() *Port { return &c.sw.Ports[c.port] }

type builder struct {
	m   *Model
	opt BuildOptions

	// switch indexes
	// chassis ID or base MAC -> switch (the first): MACs by macKey,
	// other IDs lower-cased
	swByChassisMAC  map[uint64]*SwitchNode
	swByChassisText map[string]*SwitchNode
	swByName        map[string]*SwitchNode // sysName and short name, lower-case
	// port MAC (macKey) -> port (swPortVal); joinMany for a MAC two ports
	// share (ambiguous: not usable, see portOfMAC)
	portByMAC joinTable
	portMACs  keyFilter // portByMAC's keys
	// each switch's ports by normalised name (portNamed): per switch, in
	// portNames[portNameAt[i]:portNameAt[i+1]] (i its place in
	// Model.Switches), nameID<<32 | index in its Ports, sorted. A switch's
	// neighbours are looked up together: its few hundred bytes stay in
	// the cache, where one table of every switch's ports (a probe per
	// neighbour) missed on each at 4,000 switches. The names by nameID.
	portNames  []uint64
	portNameAt []int32
	nameID     map[string]uint32
	// actor system + actor port -> switch port (swPortVal)
	lacpPort    sortJoin
	lacpSystems map[uint64][]*SwitchNode // LACP system (macKey) -> the switches sending it

	// host indexes
	hostByName map[string]*HostNode
	// permanent MAC (or current when no permanent; macKey) -> NIC
	nicByMAC nicIndex
	// any MAC a host owns (macKey) -> the host's place in Model.Hosts,
	// joinMany when several hosts own it (see hostOfMAC)
	hostByMAC joinTable
	// a bond slave's actor system + port -> the slave (an index in
	// actorNICs)
	bondActorOf sortJoin
	actorNICs   []hostNIC

	// claims are this producer's claims in production order; parts are
	// the producers' claims, in producer order, that resolve groups by
	// host and NIC.
	claims []claim
	parts  [][]claim
	// uplinkAt finds an uplink by (A, port, B, port), ports normalised;
	// only the switch-neighbour producer records uplinks.
	uplinkAt   map[[4]string]*Uplink
	unresolved []UnresolvedNeighbour
	// heard is, per switch neighbour (the switches in Model order, each
	// one's neighbours in order), the device switchNeighbours found it
	// names (findSwitch), for lldpPeers: 0 not looked up, -1 none, else
	// the switch's place in Model.Switches + 1. Shared by the producers:
	// only switchNeighbours writes it.
	heard []int32
	// norm caches NormalizePortName (single-threaded phases only): port
	// names repeat across switches, and the cached result is one string
	// shared by every index that keys on it.
	norm map[string]string
}

// sub returns a builder sharing b's (read-only by now) indexes and model,
// with its own claims and unresolved lists, for one concurrent producer.
func (b *builder) sub() *builder {
	c := *b
	c.claims, c.parts = nil, nil
	c.unresolved = nil
	c.norm = nil
	return &c
}

// merge takes the producers' claims (without copying them) in producer
// order, so the result does not depend on scheduling.
func (b *builder) merge(subs ...*builder) {
	for _, sb := range subs {
		b.parts = append(b.parts, sb.claims)
		b.unresolved = append(b.unresolved, sb.unresolved...)
	}
}

// normPort is NormalizePortName through the builder's cache.
func (b *builder) normPort(name string) string {
	if n, ok := b.norm[name]; ok {
		return n
	}
	n := NormalizePortName(name)
	b.norm[name] = n
	return n
}

type swPort struct {
	sw   *SwitchNode
	port *Port
}

// swPortVal packs port i of s (its place in Model.Switches, then in
// s.Ports) into a joinTable value; swPortOf unpacks it.
func (b *builder) swPortVal(s *SwitchNode, i int) uint64 {
	return uint64(s.ID-int64(len(b.m.Hosts)))<<32 | uint64(uint32(i))
}

func (b *builder) swPortOf(v uint64) swPort {
	s := b.m.Switches[v>>32]
	return swPort{s, &s.Ports[uint32(v)]}
}

// portClaim is swPortOf(v) as a claim's switch and port.
func (b *builder) portClaim(v uint64) claim {
	return claim{sw: b.m.Switches[v>>32], port: int32(uint32(v))}
}

type hostNIC struct {
	host *HostNode
	nic  string
}

// sysPort keys the LACP indexes: a system ID (a MAC packed by macKey:
// hashing and comparing it costs no string walk) and a port.
type sysPort struct {
	system uint64
	port   int
}

// macKey is NormalizeMAC(s) packed into 48 bits (00:00:00:00:00:01 → 1);
// ok is false when NormalizeMAC(s) is "". The all-zero MAC is key 0. Keys
// order as the canonical strings do (fixed-width lower-case hex), and the
// MAC-keyed indexes hold them in the map slot: a probe reads no string.
func macKey(s string) (k uint64, ok bool) {
	if !canonicalMAC(s) {
		if s = NormalizeMAC(s); s == "" {
			return 0, false
		}
	}
	for i := 0; i < 17; i += 3 {
		k = k<<8 | uint64(hexVal(s[i]))<<4 | uint64(hexVal(s[i+1]))
	}
	return k, true
}

// usableMACKey is macKey for a MAC that names something: ok is false for
// no MAC and for the all-zero one.
func usableMACKey(s string) (uint64, bool) {
	k, ok := macKey(s)
	return k, ok && k != 0
}

// macString is the canonical form of a key macKey returned.
func macString(k uint64) string {
	const hex = "0123456789abcdef"
	var b [17]byte
	for i := 5; i >= 0; i-- {
		o := byte(k >> (8 * (5 - i)))
		b[3*i], b[3*i+1] = hex[o>>4], hex[o&15]
		if i > 0 {
			b[3*i-1] = ':'
		}
	}
	return string(b[:])
}

func hexVal(c byte) byte {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}

// Build joins host and switch snapshots into a Model (DESIGN.md "Joining").
// The snapshots are referenced, not copied: do not modify them afterwards
// (Model.Plan builds a changed copy). Build interprets each bond once
// (HostNode.BondFacts); consumers read those facts.
// Duplicate names are not fatal: the first (in input order) is kept and the
// rest are reported in Model.Problems.
func Build(hosts []*Host, switches []*Switch, opt BuildOptions) (*Model, error) {
	b := newBuilder(hosts, switches, opt)
	b.index()
	// The four claim producers only read the indexes: host-side LLDP and
	// LACP on this goroutine, switch-side LLDP (which also records
	// uplinks) and then the FDB (which skips the uplinks' ports) on
	// another. Their claims are merged in that order, whatever the
	// scheduling.
	var wg sync.WaitGroup
	b.heardBy()
	hb, sb, lb, fb := b.sub(), b.sub(), b.sub(), b.sub()
	wg.Add(1)
	go func() {
		defer wg.Done()
		sb.switchNeighbours()
		if !opt.NoFDB {
			fb.fdbClaims()
		}
	}()
	hb.hostNeighbours()
	lb.lacpClaims()
	wg.Wait()
	b.merge(hb, sb, lb, fb)
	b.m.Unresolved = append(b.m.Unresolved, b.unresolved...)
	b.resolve()
	b.m.interpret()
	b.domains()
	b.m.placeDomains()
	b.finish()
	return b.m, nil
}

// newBuilder sizes the builder's indexes for the snapshots and adds the
// nodes to its Model.
func newBuilder(hosts []*Host, switches []*Switch, opt BuildOptions) *builder {
	// Size the maps from what the snapshots hold: growing them is most of
	// what indexing costs on a large site.
	var nics, slaves, ports int
	for _, h := range hosts {
		if h != nil {
			nics += len(h.NICs)
			for i := range h.Bonds {
				slaves += len(h.Bonds[i].Slaves)
			}
		}
	}
	for _, s := range switches {
		if s != nil {
			ports += len(s.Ports)
		}
	}
	b := &builder{
		m: &Model{
			hosts:    make(map[string]*HostNode, len(hosts)),
			switches: make(map[string]*SwitchNode, len(switches)),
		},
		opt:             opt,
		swByChassisMAC:  make(map[uint64]*SwitchNode, 2*len(switches)),
		swByChassisText: map[string]*SwitchNode{},
		swByName:        make(map[string]*SwitchNode, 2*len(switches)),
		portByMAC:       newJoinTable(ports),
		portMACs:        newKeyFilter(ports),
		portNames:       prefault.Touched(make([]uint64, 0, ports)),
		portNameAt:      make([]int32, 1, len(switches)+1),
		nameID:          map[string]uint32{},
		lacpPort:        newSortJoin(ports / 2),
		lacpSystems:     map[uint64][]*SwitchNode{},
		hostByName:      make(map[string]*HostNode, 2*len(hosts)),
		nicByMAC:        newNICIndex(nics),
		hostByMAC:       newJoinTable(nics + len(hosts)),
		bondActorOf:     newSortJoin(slaves),
		actorNICs:       prefault.Touched(make([]hostNIC, 0, slaves)),
		norm:            map[string]string{},
	}
	b.m.inHosts, b.m.inSwitches, b.m.opt = hosts, switches, opt
	b.m.Previous = opt.Previous
	b.addNodes(hosts, switches)
	return b
}

// index builds the switch and the host indexes. They are disjoint (each
// reads its own snapshots and writes its own maps): built side by side.
func (b *builder) index() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		b.indexSwitches()
	}()
	b.indexHosts()
	wg.Wait()
}

func (b *builder) problemf(format string, args ...any) {
	b.m.Problems = append(b.m.Problems, fmt.Sprintf(format, args...))
}

func (b *builder) addNodes(hosts []*Host, switches []*Switch) {
	// hosts and switches side by side: each half writes its own maps and
	// slices; the switches' duplicate-name problems follow the hosts'
	var swProblems []string
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		swProblems = b.addSwitches(switches)
	}()
	b.addHosts(hosts)
	wg.Wait()
	b.m.Problems = append(b.m.Problems, swProblems...)
	m := b.m
	slices.SortFunc(m.Hosts, func(a, b *HostNode) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(m.Switches, func(a, b *SwitchNode) int { return strings.Compare(a.Name, b.Name) })
	for i, h := range m.Hosts {
		h.ID = int64(i)
	}
	for i, s := range m.Switches {
		s.ID = int64(len(m.Hosts) + i)
	}
}

func (b *builder) addHosts(hosts []*Host) {
	m := b.m
	m.Hosts = prefault.Touched(make([]*HostNode, 0, len(hosts)))
	hslab := prefault.Touched(make([]HostNode, len(hosts)))
	for _, h := range hosts {
		if h == nil {
			continue
		}
		if prev, dup := m.hosts[h.Name]; dup {
			b.problemf("duplicate host name %q: %s ignored, %s kept", h.Name, h.Source, prev.Source)
			continue
		}
		hn := &hslab[0]
		hslab = hslab[1:]
		hn.Host = h
		if len(h.NICs) > nicMapMin {
			hn.nics = make(map[string]*NIC, len(h.NICs))
			for i := range h.NICs {
				hn.nics[h.NICs[i].Name] = &h.NICs[i]
			}
		}
		m.hosts[h.Name] = hn
		m.Hosts = append(m.Hosts, hn)
	}
}

// addSwitches adds the switch nodes and returns its problems (duplicate
// names).
func (b *builder) addSwitches(switches []*Switch) (problems []string) {
	m := b.m
	m.Switches = prefault.Touched(make([]*SwitchNode, 0, len(switches)))
	ports := 0
	for _, s := range switches {
		if s != nil {
			ports += len(s.Ports)
		}
	}
	pslab := prefault.Touched(make([]portInfo, ports))
	for _, s := range switches {
		if s == nil {
			continue
		}
		if prev, dup := m.switches[s.Name]; dup {
			problems = append(problems, fmt.Sprintf("duplicate switch name %q: %s ignored, %s kept", s.Name, s.Source, prev.Source))
			continue
		}
		members := 0
		for i := range s.LAGs {
			members += len(s.LAGs[i].Members)
		}
		sn := &SwitchNode{Switch: s,
			ports: make(map[string]*Port, len(s.Ports)),
			lagOf: make(map[string]*LAG, members),
			lags:  make(map[string]*LAG, len(s.LAGs)),
		}
		sn.pinfo, pslab = pslab[:len(s.Ports):len(s.Ports)], pslab[len(s.Ports):]
		for i := range s.Ports {
			p := &s.Ports[i]
			k := b.normPort(p.Name)
			sn.pinfo[i] = portInfo{name: p.Name, norm: k}
			if _, dup := sn.ports[k]; !dup {
				sn.ports[k] = p
			} else {
				sn.dupPorts = true
			}
		}
		for i := range s.LAGs {
			l := &s.LAGs[i]
			sn.lags[b.normPort(l.Name)] = l
			for _, mem := range l.Members {
				sn.lagOf[b.normPort(mem)] = l
			}
		}
		if len(sn.lagOf) > 0 {
			for i := range sn.pinfo {
				sn.pinfo[i].lag = sn.lagOf[sn.pinfo[i].norm]
			}
		}
		m.switches[s.Name] = sn
		m.Switches = append(m.Switches, sn)
	}
	return problems
}

func shortName(n string) string {
	n = strings.ToLower(strings.TrimSpace(n))
	if i := strings.IndexByte(n, '.'); i > 0 {
		// keep IP-address-looking names whole
		if _, err := strconv.Atoi(n[:i]); err != nil {
			return n[:i]
		}
	}
	return n
}

// chassisText is the lookup key of a chassis ID that is not a MAC (a MAC
// is looked up by macKey): the lower-cased text.
func chassisText(id string) string { return strings.ToLower(strings.TrimSpace(id)) }

// addChassis indexes s under a chassis ID (or base MAC) unless another
// switch has it: a MAC by its key, other IDs by chassisText.
func (b *builder) addChassis(id string, s *SwitchNode) {
	if k, ok := macKey(id); ok {
		if _, dup := b.swByChassisMAC[k]; !dup && k != 0 {
			b.swByChassisMAC[k] = s
		}
		return
	}
	if k := chassisText(id); k != "" {
		if _, dup := b.swByChassisText[k]; !dup {
			b.swByChassisText[k] = s
		}
	}
}

// switchByChassis is the switch addChassis indexed under id, or nil.
func (b *builder) switchByChassis(id string) *SwitchNode {
	if k, ok := macKey(id); ok {
		return b.swByChassisMAC[k] // (never holds key 0)
	}
	if len(b.swByChassisText) == 0 {
		return nil
	}
	return b.swByChassisText[chassisText(id)]
}

// portOfMAC is the one switch port whose MAC has key k; ok is false when
// no port or several have it.
func (b *builder) portOfMAC(k uint64) (swPort, bool) {
	if !b.portMACs.mayHave(k) {
		return swPort{}, false
	}
	if v, ok := b.portByMAC.get(k); ok {
		return b.swPortOf(v), true
	}
	return swPort{}, false
}

func (b *builder) indexSwitches() {
	for _, s := range b.m.Switches {
		b.addChassis(s.ChassisID, s)
		b.addChassis(s.BaseMAC, s)
		for _, n := range []string{strings.ToLower(s.Name), shortName(s.Name)} {
			if n == "" {
				continue
			}
			if _, ok := b.swByName[n]; !ok {
				b.swByName[n] = s
			}
		}
		for i := range s.Ports {
			p := &s.Ports[i]
			norm := s.pinfo[i].norm
			id, ok := b.nameID[norm]
			if !ok {
				id = uint32(len(b.nameID))
				b.nameID[norm] = id
			}
			b.portNames = append(b.portNames, uint64(id)<<32|uint64(i))
			if k, ok := usableMACKey(p.MAC); ok {
				// Many switches give every port (or a LAG and its
				// members) one MAC: not usable per port. (Each port
				// is added once: a MAC added again is another port's.)
				b.portByMAC.add(k, b.swPortVal(s, i))
				b.portMACs.add(k)
			}
			if p.LACP != nil && p.LACP.Actor != nil {
				a := p.LACP.Actor
				if sys, ok := usableMACKey(a.System); ok {
					if a.Port > 0 {
						b.lacpPort.add(sysPort{sys, a.Port}, b.swPortVal(s, i))
					}
					b.addLACPSystem(sys, s)
				}
			}
		}
		start := b.portNameAt[len(b.portNameAt)-1]
		slices.Sort(b.portNames[start:])
		b.portNameAt = append(b.portNameAt, int32(len(b.portNames)))
		for i := range s.LAGs {
			if sys, ok := usableMACKey(s.LAGs[i].ActorSystem); ok {
				b.addLACPSystem(sys, s)
			}
		}
	}
}

func (b *builder) addLACPSystem(sys uint64, s *SwitchNode) {
	// (a switch's ports send its system in a row: the last one added is
	// the usual answer)
	l := b.lacpSystems[sys]
	if len(l) > 0 && l[len(l)-1] == s || slices.Contains(l, s) {
		return
	}
	b.lacpSystems[sys] = append(l, s)
}

// hostOfMAC is the one host owning the MAC with key k, or nil.
func (b *builder) hostOfMAC(k uint64) *HostNode {
	if i, ok := b.hostByMAC.get(k); ok {
		return b.m.Hosts[i]
	}
	return nil
}

func (b *builder) indexHosts() {
	// A host's MACs repeat (a slave's permanent MAC is its NIC's, the
	// slaves share the bond's): each is indexed once per host, what the
	// host has indexed so far kept here (reused from host to host).
	var owned []uint64
	type macNIC struct {
		mac uint64
		nic string
	}
	var nicsAt []macNIC // (MAC, NIC) pairs of the host in nicByMAC
	// The adds to nicByMAC and hostByMAC wait in batches, in order, so
	// each batch's slots are read together first (joinTable.warm).
	const batch = 256
	var (
		nicKeys, hostKeys []uint64
		nicVals           []hostNIC
		hostVals          []uint64
	)
	flush := func() {
		b.nicByMAC.t.warm(nicKeys)
		for i, k := range nicKeys {
			b.nicByMAC.add(k, nicVals[i])
		}
		b.hostByMAC.warm(hostKeys)
		for i, k := range hostKeys {
			b.hostByMAC.add(k, hostVals[i])
		}
		nicKeys, nicVals, hostKeys, hostVals = nicKeys[:0], nicVals[:0], hostKeys[:0], hostVals[:0]
	}
	addNIC := func(k uint64, v hostNIC) {
		nicKeys, nicVals = append(nicKeys, k), append(nicVals, v)
	}
	addHostMAC := func(k uint64, ok bool, h *HostNode) {
		if !ok || k == 0 || slices.Contains(owned, k) {
			return
		}
		owned = append(owned, k)
		// (a host adds a MAC once: a second add is another host's)
		hostKeys, hostVals = append(hostKeys, k), append(hostVals, uint64(h.ID))
	}
	defer flush()
	for _, h := range b.m.Hosts {
		if len(nicKeys) >= batch || len(hostKeys) >= batch {
			flush()
		}
		owned, nicsAt = owned[:0], nicsAt[:0]
		for _, n := range []string{strings.ToLower(h.Name), shortName(h.Name)} {
			if _, ok := b.hostByName[n]; !ok && n != "" {
				b.hostByName[n] = h
			}
		}
		for i := range h.NICs {
			nic := &h.NICs[i]
			perm, pok := macKey(nic.PermMAC)
			cur, cok := macKey(nic.MAC)
			key, kok := perm, pok
			if !kok && nic.Master == "" {
				key, kok = cur, cok // a standalone NIC keeps its own address
			}
			if kok && key != 0 {
				addNIC(key, hostNIC{h, nic.Name})
				nicsAt = append(nicsAt, macNIC{key, nic.Name})
			}
			addHostMAC(perm, pok, h)
			addHostMAC(cur, cok, h)
		}
		for bi := range h.Bonds {
			bond := &h.Bonds[bi]
			k, ok := macKey(bond.MAC)
			addHostMAC(k, ok, h)
			var actorSys uint64 // the bond's actor system, when a slave needs it
			actorKnown := false
			for si := range bond.Slaves {
				sl := &bond.Slaves[si]
				perm, pok := macKey(sl.PermMAC)
				if pok && perm != 0 && !slices.Contains(nicsAt, macNIC{perm, sl.Name}) {
					addNIC(perm, hostNIC{h, sl.Name})
					nicsAt = append(nicsAt, macNIC{perm, sl.Name})
				}
				addHostMAC(perm, pok, h)
				if sl.Actor != nil && sl.Actor.Port > 0 {
					sys, ok := macKey(sl.Actor.System)
					if !ok {
						if !actorKnown {
							actorSys, actorKnown = actorSystemKey(bond), true
						}
						sys, ok = actorSys, actorSys != 0
					}
					if ok && sys != 0 {
						b.bondActorOf.add(sysPort{sys, sl.Actor.Port}, uint64(len(b.actorNICs)))
						b.actorNICs = append(b.actorNICs, hostNIC{h, sl.Name})
					}
				}
			}
		}
	}
}

// actorSystemOf is the LACP system ID a bond sends: ad_actor_system when set,
// else the bond's MAC.
func actorSystemOf(bond *Bond) string {
	if s := NormalizeMAC(bond.AdActorSystem); s != "" && s != ZeroMAC {
		return s
	}
	return NormalizeMAC(bond.MAC)
}

// actorSystemKey is actorSystemOf's MAC by its key, 0 when it is none (or
// all-zero).
func actorSystemKey(bond *Bond) uint64 {
	if k, ok := usableMACKey(bond.AdActorSystem); ok {
		return k
	}
	k, _ := macKey(bond.MAC)
	return k
}

func (b *builder) addClaim(h *HostNode, nic string, c claim) {
	c.host, c.nic = int32(h.ID), nic
	b.claims = append(b.claims, c)
}

// protoUpper is strings.ToUpper(string(p)) without the allocation for the
// protocols neighbours carry.
func protoUpper(p Protocol) string {
	switch p {
	case ProtoLLDP:
		return "LLDP"
	case ProtoCDP:
		return "CDP"
	}
	return strings.ToUpper(string(p))
}

// findSwitch resolves the device a neighbour record names.
func (b *builder) findSwitch(n *Neighbour) *SwitchNode {
	if s := b.switchByChassis(n.ChassisID); s != nil {
		return s
	}
	if k, ok := usableMACKey(n.ChassisID); ok {
		if sp, ok := b.portOfMAC(k); ok {
			return sp.sw
		}
	}
	if n.SystemName != "" {
		if s, ok := b.swByName[strings.ToLower(n.SystemName)]; ok {
			return s
		}
		if s, ok := b.swByName[shortName(n.SystemName)]; ok {
			return s
		}
	}
	return nil
}

// portNamed is s.Port(name) through portNames, by index in s.Ports (-1:
// none): of two ports with one normalised name, the first, as s.ports
// keeps it (the lower index sorts first).
func (b *builder) portNamed(s *SwitchNode, name string) int {
	var buf [portKeyMax]byte
	id, ok := b.nameID[string(normPortKey(&buf, name))]
	if !ok {
		return -1
	}
	si := s.ID - int64(len(b.m.Hosts))
	ps := b.portNames[b.portNameAt[si]:b.portNameAt[si+1]]
	if i, _ := slices.BinarySearch(ps, uint64(id)<<32); i < len(ps) && uint32(ps[i]>>32) == id {
		return int(uint32(ps[i]))
	}
	return -1
}

// findPort resolves a neighbour's port ID (and description) on switch s,
// honouring the port ID subtype: its index in s.Ports, -1 when none.
func (b *builder) findPort(s *SwitchNode, portID, subtype, descr string) int {
	if portID != "" {
		if subtype == IDMAC {
			mac := NormalizeMAC(portID)
			for i := range s.Ports {
				if mac != "" && NormalizeMAC(s.Ports[i].MAC) == mac {
					return i
				}
			}
		} else {
			if i := b.portNamed(s, portID); i >= 0 {
				return i
			}
			for i := range s.Ports {
				p := &s.Ports[i]
				if p.LLDPPortID != "" && p.LLDPPortID == portID {
					return i
				}
			}
			if n, err := strconv.Atoi(strings.TrimSpace(portID)); err == nil && n > 0 {
				// Junos and others send the ifIndex (or lldpLocPortNum) as a
				// locally assigned port ID.
				for i := range s.Ports {
					p := &s.Ports[i]
					if p.IfIndex == n || p.LLDPPortNum == n {
						return i
					}
				}
			}
			for i := range s.Ports {
				p := &s.Ports[i]
				if p.Alias != "" && p.Alias == portID || p.Descr != "" && SamePort(p.Descr, portID) {
					return i
				}
			}
		}
	}
	if descr != "" {
		if i := b.portNamed(s, descr); i >= 0 {
			return i
		}
		for i := range s.Ports {
			if s.Ports[i].Descr != "" && SamePort(s.Ports[i].Descr, descr) {
				return i
			}
		}
	}
	return -1
}

func (b *builder) hostNeighbours() {
	n := 0
	for _, h := range b.m.Hosts {
		n += len(h.Neighbours)
	}
	b.claims = prefault.Touched(make([]claim, 0, n))
	for _, h := range b.m.Hosts {
		for i := range h.Neighbours {
			n := &h.Neighbours[i]
			if n.Protocol != ProtoLLDP && n.Protocol != ProtoCDP {
				continue // LACPDUs are matched in lacpClaims
			}
			if h.NIC(n.LocalPort) == nil && !h.isSlave(n.LocalPort) {
				continue
			}
			s := b.findSwitch(n)
			if s == nil {
				if _, isHost := b.hostByName[strings.ToLower(n.SystemName)]; !isHost {
					b.unresolved = append(b.unresolved, UnresolvedNeighbour{Host: h.Name, Neighbour: *n})
				}
				continue
			}
			p := b.findPort(s, n.PortID, n.PortIDSubtype, n.PortDescr)
			if p < 0 {
				b.unresolved = append(b.unresolved, UnresolvedNeighbour{Host: h.Name, Neighbour: *n, Known: s.Name})
				continue
			}
			kind := evcLLDPHost
			if n.Protocol == ProtoCDP {
				kind = evcCDP
			}
			b.addClaim(h, n.LocalPort, claim{sw: s, port: int32(p), kind: kind})
		}
	}
}

func srcSuffix(src string) string {
	if src == "" {
		return ""
	}
	return " (" + src + ")"
}

func (h *HostNode) isSlave(nic string) bool {
	for _, b := range h.Bonds {
		for _, s := range b.Slaves {
			if s.Name == nic {
				return true
			}
		}
	}
	return false
}

// findHostNIC resolves a neighbour heard by a switch to a host NIC.
// probe is nicByMAC's probe of the port ID's MAC key (lookupAll; a port
// ID that is not a MAC: key 0).
func (b *builder) findHostNIC(n *Neighbour, probe uint64) (*HostNode, string) {
	if k, ok := macKey(n.PortID); n.PortIDSubtype == IDMAC || ok && n.PortIDSubtype == "" {
		var one [1]hostNIC
		if c := b.nicByMAC.probed(k, probe, &one); ok && k != 0 && len(c) == 1 {
			return c[0].host, c[0].nic
		}
	}
	var h *HostNode
	if k, ok := usableMACKey(n.ChassisID); ok {
		h = b.hostOfMAC(k)
	}
	if h == nil && n.SystemName != "" {
		h = b.hostByName[strings.ToLower(n.SystemName)]
		if h == nil {
			h = b.hostByName[shortName(n.SystemName)]
		}
	}
	if h == nil {
		return nil, ""
	}
	for _, cand := range []string{n.PortID, n.PortDescr} {
		if cand == "" {
			continue
		}
		if h.NIC(cand) != nil || h.isSlave(cand) {
			return h, cand
		}
		if mac, ok := macKey(cand); ok {
			var one [1]hostNIC
			for _, c := range b.nicByMAC.get(mac, &one) {
				if c.host == h {
					return h, c.nic
				}
			}
		}
	}
	return h, ""
}

// heardBy sizes heard for the switches' neighbours.
func (b *builder) heardBy() {
	n := 0
	for _, s := range b.m.Switches {
		n += len(s.Neighbours)
	}
	b.heard = prefault.Touched(make([]int32, n))
}

// recordHeard is findSwitch for neighbour j of heard, recorded there.
func (b *builder) recordHeard(j int, n *Neighbour) *SwitchNode {
	t := b.findSwitch(n)
	if j < len(b.heard) {
		b.heard[j] = -1
		if t != nil {
			b.heard[j] = int32(t.ID-int64(len(b.m.Hosts))) + 1
		}
	}
	return t
}

// heardSwitch is findSwitch for neighbour j of heard: what
// switchNeighbours recorded, else a lookup.
func (b *builder) heardSwitch(j int, n *Neighbour) *SwitchNode {
	if j < len(b.heard) {
		switch v := b.heard[j]; {
		case v < 0:
			return nil
		case v > 0:
			return b.m.Switches[v-1]
		}
	}
	return b.findSwitch(n)
}

func (b *builder) switchNeighbours() {
	n := 0
	for _, s := range b.m.Switches {
		n += len(s.Neighbours)
	}
	b.claims = prefault.Touched(make([]claim, 0, n))
	next := 0 // where the next switch's neighbours start in heard
	// a switch's neighbours' port IDs probed in nicByMAC together
	// (lookupAll), before the neighbours are resolved one by one
	var keys, probes []uint64
	for _, s := range b.m.Switches {
		first := next // s's first neighbour in heard
		next += len(s.Neighbours)
		keys = keys[:0]
		for i := range s.Neighbours {
			k, _ := macKey(s.Neighbours[i].PortID) // 0: not a MAC
			keys = append(keys, k)
		}
		probes = b.nicByMAC.t.lookupAll(keys, probes)
		for i := range s.Neighbours {
			n := &s.Neighbours[i]
			if n.LocalPort == "" {
				continue
			}
			p := b.portNamed(s, n.LocalPort)
			if p < 0 {
				continue
			}
			if peer := b.recordHeard(first+i, n); peer != nil && peer != s {
				b.addUplink(s, &s.Ports[p], peer, n)
				continue
			}
			h, nic := b.findHostNIC(n, probes[i])
			if h == nil {
				continue
			}
			if nic == "" {
				b.unresolved = append(b.unresolved, UnresolvedNeighbour{Switch: s.Name, Neighbour: *n, Known: h.Name})
				continue
			}
			kind := evcLLDPSwitch
			if n.Protocol == ProtoCDP {
				kind = evcCDP
			}
			b.addClaim(h, nic, claim{sw: s, port: int32(p), kind: kind})
		}
	}
}

// addUplink records a switch-to-switch link once, whichever side heard it.
func (b *builder) addUplink(s *SwitchNode, p *Port, peer *SwitchNode, n *Neighbour) {
	peerPort := n.PortID
	if i := b.findPort(peer, n.PortID, n.PortIDSubtype, n.PortDescr); i >= 0 {
		peerPort = peer.Ports[i].Name
	}
	ev := string(n.Protocol) + "@" + s.Name
	// the same cable heard from either end (indexed: a scan of every
	// uplink per neighbour was quadratic in the switches)
	np, npp := NormalizePortName(p.Name), NormalizePortName(peerPort)
	if b.uplinkAt == nil {
		b.uplinkAt = map[[4]string]*Uplink{}
	}
	u := b.uplinkAt[[4]string{peer.Name, npp, s.Name, np}]
	if v := b.uplinkAt[[4]string{s.Name, np, peer.Name, npp}]; u == nil || v != nil && v.ID < u.ID {
		u = v
	}
	if u != nil {
		if !slices.Contains(u.Evidence, ev) {
			u.Evidence = append(u.Evidence, ev)
		}
		return
	}
	// ID is the uplink's place in the list until finish numbers it.
	u = &Uplink{ID: int64(len(b.m.Uplinks)), A: s.Name, APort: p.Name, B: peer.Name, BPort: peerPort, Evidence: []string{ev}}
	b.uplinkAt[[4]string{s.Name, np, peer.Name, npp}] = u
	b.m.Uplinks = append(b.m.Uplinks, u)
}

func (b *builder) lacpClaims() {
	// at most one claim per slave and one per switch port with a partner
	n := 0
	for _, h := range b.m.Hosts {
		for i := range h.Bonds {
			n += len(h.Bonds[i].Slaves)
		}
	}
	for _, s := range b.m.Switches {
		for i := range s.Ports {
			if l := s.Ports[i].LACP; l != nil && l.Partner != nil {
				n++
			}
		}
	}
	b.claims = prefault.Touched(make([]claim, 0, n))
	// The slaves' partners, looked up all at once (sortJoin).
	keys := make([]sysPort, 0, n)
	slaves := prefault.Touched(make([]hostNIC, 0, n))
	for _, h := range b.m.Hosts {
		// LACPDUs the host heard, keyed by NIC (most hosts have none).
		var heard map[string]*LACPPort
		for i := range h.Neighbours {
			n := &h.Neighbours[i]
			if n.Protocol == ProtoLACP && n.LACP != nil {
				if heard == nil {
					heard = map[string]*LACPPort{}
				}
				heard[n.LocalPort] = n.LACP
			}
		}
		for bi := range h.Bonds {
			bond := &h.Bonds[bi]
			for _, sl := range bond.Slaves {
				partner := sl.Partner
				if partner == nil {
					partner = heard[sl.Name]
				}
				if partner == nil || partner.Port <= 0 {
					continue
				}
				sys, ok := usableMACKey(partner.System)
				if !ok {
					continue
				}
				keys = append(keys, sysPort{sys, partner.Port})
				slaves = append(slaves, hostNIC{h, sl.Name})
			}
		}
	}
	for i, v := range b.lacpPort.join(keys) {
		if v != joinMany {
			c := b.portClaim(v)
			c.kind = evcLACP
			b.addClaim(slaves[i].host, slaves[i].nic, c)
		}
	}
	// The reverse direction: the switch's partner info names the host bond's
	// actor system and port.
	keys = keys[:0]
	ports := prefault.Touched(make([]claim, 0, n-len(slaves))) // the switch side of each key
	for _, s := range b.m.Switches {
		for i := range s.Ports {
			p := &s.Ports[i]
			if p.LACP == nil || p.LACP.Partner == nil || p.LACP.Partner.Port <= 0 {
				continue
			}
			sys, ok := usableMACKey(p.LACP.Partner.System)
			if !ok {
				continue
			}
			keys = append(keys, sysPort{sys, p.LACP.Partner.Port})
			ports = append(ports, claim{sw: s, port: int32(i)})
		}
	}
	for i, v := range b.bondActorOf.join(keys) {
		if v != joinMany {
			c := b.actorNICs[v]
			b.addClaim(c.host, c.nic, claim{sw: ports[i].sw, port: ports[i].port, kind: evcLACP})
		}
	}
}

// fdbClaims maps NICs through the switches' forwarding tables: a MAC that
// only one NIC transmits with, learned on exactly one edge port in the whole
// site (not a LAG, not a LAG member, not a port facing another switch).
func (b *builder) fdbClaims() {
	uplinkPort := map[portKey]bool{}
	for _, u := range b.m.Uplinks {
		uplinkPort[portKey{u.A, NormalizePortName(u.APort)}] = true
	}
	// the (switch, port) each MAC is learned on, joinMany when on more
	// than one: keyed by the MAC's 48 bits with bit 48 set (the all-zero
	// MAC is a MAC here, and a joinTable key is never 0)
	n := 0
	for _, s := range b.m.Switches {
		n += len(s.FDB)
	}
	if n == 0 {
		return
	}
	const fdbKeyBit = 1 << 48
	seen := newJoinTable(n)
	for _, s := range b.m.Switches {
		for _, e := range s.FDB {
			k, ok := macKey(e.MAC)
			if !ok {
				continue
			}
			p := b.portNamed(s, e.Port)
			if p < 0 {
				continue
			}
			v := b.swPortVal(s, p)
			if slot, fresh := seen.upsert(k | fdbKeyBit); fresh {
				slot.val = v
			} else if slot.val != v {
				slot.val = joinMany
			}
		}
	}
	if seen.used == 0 {
		return
	}
	// which MAC each NIC of a host transmits with, when that is certain
	// (a NIC set twice keeps the last MAC); reused from host to host
	type nicMAC struct {
		nic string
		mac uint64
	}
	var txMAC []nicMAC
	setTx := func(nic string, mac uint64) {
		for i := range txMAC {
			if txMAC[i].nic == nic {
				txMAC[i].mac = mac
				return
			}
		}
		txMAC = append(txMAC, nicMAC{nic, mac})
	}
	for _, h := range b.m.Hosts {
		txMAC = txMAC[:0]
		for _, bond := range h.Bonds {
			switch bond.Mode {
			case ModeActiveBackup:
				// only the active slave transmits, with the bond's MAC
				if k, ok := macKey(bond.MAC); ok && bond.ActiveSlave != "" {
					setTx(bond.ActiveSlave, k)
				}
			}
		}
		for _, nic := range h.NICs {
			if nic.Master != "" {
				continue
			}
			k, ok := macKey(cmp.Or(nic.PermMAC, nic.MAC))
			if !ok {
				continue
			}
			if len(txMAC) == 0 {
				// nothing set to override: a MAC no FDB learned makes no
				// claim (most NICs: isSlave's scan is skipped)
				if _, learned := seen.lookup(k | fdbKeyBit); !learned {
					continue
				}
			}
			if !h.isSlave(nic.Name) {
				setTx(nic.Name, k)
			}
		}
		slices.SortFunc(txMAC, func(x, y nicMAC) int { return strings.Compare(x.nic, y.nic) })
		for _, t := range txMAC {
			v, ok := seen.lookup(t.mac | fdbKeyBit)
			if !ok || v == joinMany {
				continue
			}
			nic, l := t.nic, b.portClaim(v)
			if p := l.swPort(); l.sw.LAGOf(p.Name) != nil || p.Type == "lag" || uplinkPort[portKey{l.sw.Name, NormalizePortName(p.Name)}] {
				continue
			}
			l.kind = evcFDB
			b.addClaim(h, nic, l)
		}
	}
}

// resolve turns claims into links. Claims that agree merge their evidence;
// claims that disagree are a Conflict, and the strongest source wins the link.
// Links come out sorted by host, then NIC (CompareNames); the claims are
// grouped by a counting sort on the host (hosts are numbered in name
// order), so the cost is linear in the claims.
func (b *builder) resolve() {
	m := b.m
	// stable counting sort by host: a host's claims in producer order,
	// each producer's in production order. Each producer's claims are
	// counted and then placed on a goroutine of their own (the switch
	// side's come in switch order: a random write per claim), each into
	// its own slots: per host, after the producers before it.
	nh := len(m.Hosts)
	at := make([][]int32, len(b.parts)) // per producer: its next slot per host
	eachPart := func(f func(p int)) {
		var wg sync.WaitGroup
		for p := range b.parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f(p)
			}()
		}
		wg.Wait()
	}
	eachPart(func(p int) {
		c := prefault.Touched(make([]int32, nh)) // counted into out of order
		for i := range b.parts[p] {
			c[b.parts[p][i].host]++
		}
		at[p] = c
	})
	start := make([]int, nh+1)
	for h := range nh {
		o := start[h]
		for p := range at {
			n := int(at[p][h])
			at[p][h] = int32(o)
			o += n
		}
		start[h+1] = o
	}
	sorted := prefault.Touched(make([]claim, start[nh])) // filled out of order
	eachPart(func(p int) {
		next := at[p]
		for i := range b.parts[p] {
			c := &b.parts[p][i]
			sorted[next[c.host]] = *c
			next[c.host]++
		}
	})
	b.claims, b.parts = nil, nil
	// Each host's claims and links are its own: the hosts are cut into
	// runs of about equal claims (spans), resolved side by side, and each
	// run's links laid out after the runs before it, so the links, their
	// IDs and the conflicts come out in host order as from one loop.
	sp := spans(start)
	type run struct {
		groups, first int
		conflicts     []*Conflict
	}
	runs := make([]run, len(sp))
	eachSpan(sp, func(r, lo, hi int) {
		var cs claimSorter
		g := 0
		for h := lo; h < hi; h++ {
			g += cs.sort(sorted[start[h]:start[h+1]])
		}
		runs[r].groups = g
	})
	groups := 0
	for r := range runs {
		runs[r].first = groups
		groups += runs[r].groups
	}
	// one allocation each for the links, their pointers and evidence (a
	// run's evidence in its claims' share: a link has no more kinds than
	// claims)
	slab := prefault.Touched(make([]Link, groups))
	m.Links = prefault.Touched(make([]*Link, groups))
	evAll := make([]EvidenceKind, len(sorted))
	eachSpan(sp, func(r, lo, hi int) {
		li := runs[r].first
		evSlab := evAll[start[lo]:start[lo]:start[hi]]
		for id := lo; id < hi; id++ {
			h := m.Hosts[id]
			hc := sorted[start[id]:start[id+1]]
			first := li
			for len(hc) > 0 {
				n := 1
				for n < len(hc) && hc[n].nic == hc[0].nic {
					n++
				}
				cs := hc[:n]
				hc = hc[n:]
				best := cs[0]
				link := &slab[li]
				// placed as Place places it
				pi, port := best.sw.pinfo[best.port], best.swPort()
				lag := pi.lag
				if best.sw.dupPorts {
					port, lag = best.sw.at(pi.norm, nil)
				}
				*link = Link{Host: h.Name, NIC: best.nic, Switch: best.sw.Name, Port: pi.name, normPort: pi.norm,
					sw: best.sw, port: port, lag: lag}
				ev := len(evSlab)
				var disagree []claim
				for _, c := range cs {
					if c.sw == best.sw && c.port == best.port {
						if k := c.kind.Kind(); !slices.Contains(evSlab[ev:], k) {
							evSlab = append(evSlab, k)
						}
					} else {
						disagree = append(disagree, c)
					}
				}
				link.Evidence = evSlab[ev:len(evSlab):len(evSlab)]
				if len(disagree) > 0 {
					conf := &Conflict{Host: h.Name, NIC: best.nic}
					conf.Claims = append(conf.Claims, fmt.Sprintf("%s: %s %s", best.kind, best.sw.Name, pi.name))
					for _, c := range disagree {
						s := fmt.Sprintf("%s: %s %s", c.kind, c.sw.Name, c.swPort().Name)
						if !slices.Contains(conf.Claims, s) {
							conf.Claims = append(conf.Claims, s)
						}
					}
					runs[r].conflicts = append(runs[r].conflicts, conf)
				}
				link.ID = int64(li)
				m.Links[li] = link
				li++
			}
			h.links = m.Links[first:li:li]
		}
	})
	for r := range runs {
		m.Conflicts = append(m.Conflicts, runs[r].conflicts...)
	}
	// the links on each switch port
	// (switch IDs follow the hosts')
	perSwitch := make([]int, len(m.Switches))
	for _, l := range m.Links {
		perSwitch[l.sw.ID-int64(len(m.Hosts))]++
	}
	for i, s := range m.Switches {
		s.linksOn = make(map[string][]*Link, perSwitch[i])
	}
	// most ports have one link: theirs are cut from one slab (cap 1, so a
	// second link on a port appends to a copy)
	one := prefault.Touched(make([]*Link, len(m.Links)))
	for i, l := range m.Links {
		if on, ok := l.sw.linksOn[l.normPort]; ok {
			l.sw.linksOn[l.normPort] = append(on, l)
		} else {
			one[i] = l
			l.sw.linksOn[l.normPort] = one[i : i+1 : i+1]
		}
	}
}

// claimSorter sorts a host's claims for resolve, reusing its buffers from
// host to host.
type claimSorter struct {
	names []string // the host's NIC names, distinct, in claim order
	order []int    // names' indexes sorted by CompareNames
	rank  []int    // a name's place in order
	keys  []int    // per claim: its NIC's rank, then its evidence strength
}

// sortMax is the most claims claimSorter sorts by insertion; a host with
// more takes slices.SortStableFunc.
const sortMax = 48

// sort orders a host's claims (in production order) by NIC (CompareNames)
// and, for a NIC, by evidence strength (evStrength), stable: production
// order among equals. It returns how many NICs the claims name. Most hosts
// have a few claims on a few NICs: CompareNames orders the distinct names
// once, then an insertion sort on small integer keys moves the claims.
func (cs *claimSorter) sort(hc []claim) int {
	if len(hc) > sortMax {
		// one stable sort on both keys (CompareNames is 0 only for equal
		// strings, see below)
		slices.SortStableFunc(hc, func(x, y claim) int {
			return cmp.Or(CompareNames(x.nic, y.nic), int(x.kind)-int(y.kind))
		})
		groups := 0
		for i := range hc {
			if i == 0 || hc[i].nic != hc[i-1].nic {
				groups++
			}
		}
		return groups
	}
	cs.names, cs.keys = cs.names[:0], cs.keys[:0]
	for i := range hc {
		ni := slices.Index(cs.names, hc[i].nic)
		if ni < 0 {
			ni = len(cs.names)
			cs.names = append(cs.names, hc[i].nic)
		}
		cs.keys = append(cs.keys, ni)
	}
	cs.order, cs.rank = cs.order[:0], cs.rank[:0]
	for i := range cs.names {
		cs.order = append(cs.order, i)
		cs.rank = append(cs.rank, 0)
	}
	if len(cs.names) > 1 {
		// (distinct names never compare equal: CompareNames is 0 only for
		// equal strings)
		slices.SortFunc(cs.order, func(x, y int) int { return CompareNames(cs.names[x], cs.names[y]) })
	}
	for r, ni := range cs.order {
		cs.rank[ni] = r
	}
	keys := cs.keys
	for i := range keys {
		keys[i] = cs.rank[keys[i]]*evKinds + int(hc[i].kind)
	}
	for i := 1; i < len(hc); i++ {
		k, c := keys[i], hc[i]
		j := i
		for j > 0 && keys[j-1] > k {
			keys[j], hc[j] = keys[j-1], hc[j-1]
			j--
		}
		keys[j], hc[j] = k, c
	}
	return len(cs.names)
}

// domains groups switches that present one LACP system: declared MLAG peers,
// switches sending the same LACP system ID, peer-link LAGs facing each other,
// switches that one host bond sees as a single LACP partner, and a declared
// MLAG switch's peer heard over LLDP on its peer link or keepalive port
// (lldpPeers).
func (b *builder) domains() {
	parent := map[*SwitchNode]*SwitchNode{}
	var find func(s *SwitchNode) *SwitchNode
	find = func(s *SwitchNode) *SwitchNode {
		p, ok := parent[s]
		if !ok || p == s {
			return s
		}
		r := find(p)
		parent[s] = r
		return r
	}
	evidence := map[*SwitchNode][]string{}
	union := func(a, c *SwitchNode, why string) {
		ra, rc := find(a), find(c)
		if ra != rc {
			if ra.Name > rc.Name {
				ra, rc = rc, ra
			}
			parent[rc] = ra
			evidence[ra] = append(evidence[ra], evidence[rc]...)
			delete(evidence, rc)
		}
		if !slices.Contains(evidence[ra], why) {
			evidence[ra] = append(evidence[ra], why)
		}
	}
	// 1. declared MLAG peers
	for _, s := range b.m.Switches {
		if s.MLAG == nil || s.MLAG.Peer == "" {
			continue
		}
		peer := b.swByName[strings.ToLower(s.MLAG.Peer)]
		if peer == nil {
			peer = b.swByName[shortName(s.MLAG.Peer)]
		}
		if peer == nil {
			peer = b.switchByChassis(s.MLAG.Peer)
		}
		if peer != nil && peer != s {
			union(s, peer, fmt.Sprintf("%s declares %s peer %s", s.Name, cmp.Or(s.MLAG.Kind, "MLAG"), peer.Name))
		}
	}
	// 2. one LACP system ID sent by several switches
	// (keys sort as the canonical MACs do)
	var systems []uint64
	for sys, sws := range b.lacpSystems {
		if len(sws) > 1 {
			systems = append(systems, sys)
		}
	}
	slices.Sort(systems)
	for _, sys := range systems {
		sws := b.lacpSystems[sys]
		for _, s := range sws[1:] {
			union(sws[0], s, fmt.Sprintf("%s and %s both send LACP system ID %s", sws[0].Name, s.Name, macString(sys)))
		}
	}
	// 3. peer-link LAGs facing each other
	for _, u := range b.m.Uplinks {
		a, c := b.m.switches[u.A], b.m.switches[u.B]
		if a == nil || c == nil {
			continue
		}
		la, lc := a.LAGOf(u.APort), c.LAGOf(u.BPort)
		if la != nil && lc != nil && la.PeerLink && lc.PeerLink {
			union(a, c, fmt.Sprintf("peer link %s %s ↔ %s %s", a.Name, la.Name, c.Name, lc.Name))
		}
	}
	// 4. a host bond negotiating with one real partner system on several switches
	// (the slaves' links by partner system, sorted by system and stable:
	// within a system, in slave order; reused from bond to bond)
	type sysLink struct {
		sys  MAC
		link *Link
	}
	// (found by host spans side by side, each span's unions in host
	// order, then applied in span order: as from one loop)
	type pending struct {
		a, c *SwitchNode
		why  string
	}
	hostSlaves := make([]int, len(b.m.Hosts)+1)
	for i, h := range b.m.Hosts {
		hostSlaves[i+1] = hostSlaves[i]
		for _, bf := range h.facts {
			hostSlaves[i+1] += len(bf.Slaves)
		}
	}
	sp := spans(hostSlaves)
	found := make([][]pending, len(sp))
	eachSpan(sp, func(r, lo, hi int) {
		var bySys []sysLink
		for _, h := range b.m.Hosts[lo:hi] {
			for _, bf := range h.facts {
				bySys = bySys[:0]
				for _, sf := range bf.Slaves {
					if sf.PartnerReal() && sf.Link != nil {
						bySys = append(bySys, sysLink{sf.PartnerSystem, sf.Link})
					}
				}
				if len(bySys) < 2 {
					continue
				}
				slices.SortStableFunc(bySys, func(x, y sysLink) int { return strings.Compare(string(x.sys), string(y.sys)) })
				for i := 0; i < len(bySys); {
					j := i + 1
					for j < len(bySys) && bySys[j].sys == bySys[i].sys {
						j++
					}
					first := bySys[i].link
					for _, e := range bySys[i+1 : j] {
						if l := e.link; l.Switch != first.Switch {
							// (one line per dual-homed bond: concatenated, not formatted)
							found[r] = append(found[r], pending{first.sw, l.sw, "host " + h.Name + " " + bf.Bond.Name + ": " + first.NIC + " (" + first.Switch + ") and " +
								l.NIC + " (" + l.Switch + ") negotiate LACP with one partner system " + string(bySys[i].sys)})
						}
					}
					i = j
				}
			}
		}
	})
	for _, f := range found {
		for _, u := range f {
			union(u.a, u.c, u.why)
		}
	}
	// 5. a declared MLAG switch's peer seen only as an LLDP neighbour
	b.lldpPeers(union, func(a, c *SwitchNode) bool { return find(a) == find(c) })
	groups := map[*SwitchNode][]*SwitchNode{}
	for _, s := range b.m.Switches {
		r := find(s)
		groups[r] = append(groups[r], s)
	}
	var roots []*SwitchNode
	for r, members := range groups {
		if len(members) > 1 {
			roots = append(roots, r)
		}
	}
	slices.SortFunc(roots, func(x, y *SwitchNode) int { return strings.Compare(x.Name, y.Name) })
	// per domain, the first (sorted) LACP system ID several of its
	// switches send: one pass, not one per domain
	sharedSys := map[*SwitchNode]string{}
	for _, sys := range systems {
		if r := find(b.lacpSystems[sys][0]); sharedSys[r] == "" {
			sharedSys[r] = macString(sys)
		}
	}
	for _, r := range roots {
		members := groups[r]
		d := &Domain{Kind: "lacp-system", Evidence: evidence[r]}
		for _, s := range members {
			d.Switches = append(d.Switches, s.Name)
			s.Domain = d
			if s.MLAG != nil {
				if s.MLAG.Kind != "" {
					d.Kind = s.MLAG.Kind
				}
				if s.MLAG.Domain != "" && d.Name == "" {
					d.Name = s.MLAG.Domain
				}
				if s.MLAG.SystemID != "" {
					d.SystemID = NormalizeMAC(s.MLAG.SystemID)
				}
				if s.MLAG.PeerLinkUp != nil {
					up := *s.MLAG.PeerLinkUp
					if d.PeerLinkUp == nil || !up {
						d.PeerLinkUp = &up
					}
				}
			}
		}
		slices.Sort(d.Switches)
		if d.Name == "" {
			d.Name = strings.Join(d.Switches, "+")
		}
		if d.SystemID == "" {
			d.SystemID = sharedSys[r]
		}
		b.m.Domains = append(b.m.Domains, d)
	}
	slices.SortFunc(b.m.Domains, func(x, y *Domain) int { return strings.Compare(x.Name, y.Name) })
}

// finish numbers the uplinks after the links (their graph line IDs) and
// sorts what is left to sort.
func (b *builder) finish() {
	for _, s := range b.m.Switches {
		s.pinfo = nil // Build's alone
	}
	slices.SortFunc(b.m.Uplinks, func(x, y *Uplink) int {
		return cmp.Or(strings.Compare(x.A, y.A), CompareNames(x.APort, y.APort), strings.Compare(x.B, y.B))
	})
	next := int64(len(b.m.Links))
	for _, u := range b.m.Uplinks {
		u.ID = next
		next++
	}
	slices.SortFunc(b.m.Unresolved, func(x, y UnresolvedNeighbour) int {
		return cmp.Or(strings.Compare(x.Host, y.Host), strings.Compare(x.Switch, y.Switch),
			CompareNames(x.Neighbour.LocalPort, y.Neighbour.LocalPort))
	})
}
