// Package sitegen generates site folders in the raw input formats (switch
// snmprec walks and host capture folders) for benchmarks and scale tests,
// and holds the format writers and the topology builder the embedded demo
// site is generated with.
//
// Everything a device reports is derived from one model of cabling and
// configuration (see Site.Resolve), so MACs, LACP partner information on
// both ends, LLDP in both directions and FDB entries agree with each other
// the way they do on a real network. It imports only the standard library.
package sitegen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Options tunes Write.
//
// The generated site: switches are Arista-like leafs in MLAG pairs
// (leafNNNa/leafNNNb, a shared LACP system ID, an LACP peer-link
// Port-Channel1000 on the two ports after the host ports), with at least 48
// 25G host ports each and as many more as the hosts need. Hosts (srvNNNNN)
// are spread round-robin over the pairs, slaves alternating between the two
// leafs: 85% are 802.3ad bonds (lacp_rate fast, layer3+4, miimon 100) on an
// MLAG LACP port-channel, 15% active-backup bonds on plain ports. These
// healthy hosts should trigger no rule. The others carry one planted fault
// each (see the Fault* kinds), listed in FaultsFile.
//
// Two cases trigger more rules by construction: with a single switch every
// bond lands on one switch (redundancy.single-switch), and with MinSlaves 1
// single-slave bonds trigger bond.single-slave and redundancy.single-switch.
type Options struct {
	// Hosts and Switches to generate. Switches come in MLAG pairs; an odd
	// count adds one standalone leaf, which only takes the far side of
	// split bonds (unless it is the only switch).
	Hosts, Switches int
	// Seed makes the output reproducible: the same Options give the same
	// bytes (math/rand/v2 PCG).
	Seed int64
	// MinSlaves and MaxSlaves bound the slaves per bond (defaults 2 and 4,
	// at most 8).
	MinSlaves, MaxSlaves int
	// FaultRate is the fraction of hosts with a deliberate fault. Zero
	// means the default, 0.1; a negative value means no faults.
	FaultRate float64
}

// Stats describes a written site. Links counts cables (host NIC to switch
// port, and switch to switch); Bytes the bytes written.
type Stats struct{ Hosts, Switches, Links, Bytes int64 }

// Fault kinds the generator plants, with the rules they trigger (RULES.md),
// listed in FaultsFile and checked against a report by CheckFindings.
const (
	FaultNoLAG     = "lacp-no-lag"        // 802.3ad bond on plain switch ports
	FaultStaticLAG = "lacp-on-static"     // 802.3ad bond on a static ("mode on") MLAG port-channel
	FaultABOnLACP  = "ab-on-lacp-lag"     // active-backup bond on an LACP MLAG port-channel
	FaultXORNoLAG  = "xor-no-lag"         // balance-xor bond on plain ports
	FaultSplit     = "lacp-split"         // 802.3ad slaves on two switches of different pairs, a local port-channel on each
	FaultHalfMLAG  = "lacp-half-mlag"     // MLAG port-channel configured on one peer only
	FaultsFile     = "sitegen-faults.tsv" // written next to hosts/ and switches/
)

// faultRules are exactly the rules a planted fault triggers on its host
// from the files this generator writes: no more, no fewer. A half-configured
// MLAG port-channel shows as LACP findings, not switch.mlag-inconsistent:
// the Arista walks written here carry no MLAG ID per port-channel, and the
// peer without the port-channel has nothing to compare.
var faultRules = map[string][]string{
	FaultNoLAG:     {"lacp.no-partner", "lacp.switch-not-aggregated", "lacp.not-synced", "lacp.churn"},
	FaultStaticLAG: {"lacp.no-partner", "lacp.switch-static-lag", "lacp.not-synced", "lacp.churn"},
	FaultABOnLACP:  {"independent.switch-aggregated"},
	FaultXORNoLAG:  {"static.switch-not-aggregated"},
	FaultSplit:     {"lacp.partner-mismatch", "lacp.aggregator-split", "lacp.multi-switch-no-mlag", "lacp.split-across-lags", "lacp.not-synced", "lacp.churn", "lacp.switch-port-not-bundled"},
	FaultHalfMLAG:  {"lacp.no-partner", "lacp.aggregator-split", "lacp.switch-not-aggregated", "lacp.not-synced", "lacp.churn"},
}

// Fault is one host with a planted fault.
type Fault struct {
	Host string
	Kind string
}

func (o *Options) normalise() error {
	if o.Hosts < 1 {
		return fmt.Errorf("sitegen: Options.Hosts must be at least 1, got %d", o.Hosts)
	}
	if o.Switches < 1 || o.Switches > 4000 {
		return fmt.Errorf("sitegen: Options.Switches must be between 1 and 4000, got %d", o.Switches)
	}
	if o.MinSlaves == 0 {
		o.MinSlaves = 2
	}
	if o.MaxSlaves == 0 {
		o.MaxSlaves = max(4, o.MinSlaves)
	}
	if o.MinSlaves < 1 || o.MaxSlaves < o.MinSlaves {
		return fmt.Errorf("sitegen: Options.MinSlaves (%d) and MaxSlaves (%d) must satisfy 1 <= MinSlaves <= MaxSlaves", o.MinSlaves, o.MaxSlaves)
	}
	if o.MaxSlaves > 8 {
		return fmt.Errorf("sitegen: Options.MaxSlaves must be at most 8, got %d", o.MaxSlaves)
	}
	if o.FaultRate == 0 {
		o.FaultRate = 0.1
	}
	if o.FaultRate > 1 {
		return fmt.Errorf("sitegen: Options.FaultRate must be at most 1, got %g", o.FaultRate)
	}
	return nil
}

// group is an MLAG pair (b set) or a standalone switch.
type group struct {
	a, b   *Switch
	nextPo int
	vlan   int
}

// peerLinkPo is the port-channel number of MLAG peer links.
const peerLinkPo = 1000

func (g *group) po() int {
	g.nextPo++
	if g.nextPo == peerLinkPo {
		g.nextPo++
	}
	return g.nextPo
}

func (g *group) side(i int) *Switch {
	if g.b == nil || i%2 == 0 {
		return g.a
	}
	return g.b
}

// Generate builds and resolves a random site for o, and lists the hosts
// with planted faults.
func Generate(o Options) (*Site, []Fault, error) {
	if err := o.normalise(); err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(uint64(o.Seed), uint64(o.Seed)^0x9e3779b97f4a7c15))
	s := &Site{}
	var groups []*group
	id := 0
	newLeaf := func(name string) *Switch {
		id++
		return s.NewSwitch(SwitchSpec{Name: name, Vendor: Arista, ID: id, Location: "dc1 row " + strconv.Itoa(1+id/20)})
	}
	for p := 0; p < o.Switches/2; p++ {
		n := fmt.Sprintf("leaf%03d", p+1)
		groups = append(groups, &group{a: newLeaf(n + "a"), b: newLeaf(n + "b"), vlan: 100 + p%3000})
	}
	if o.Switches%2 == 1 {
		groups = append(groups, &group{a: newLeaf(fmt.Sprintf("leaf%03d", len(groups)+1)), vlan: 100 + len(groups)%3000})
	}
	// Hosts go on the MLAG pairs; a standalone leaf only takes the far side
	// of split bonds, unless it is the only switch.
	placed := groups
	if len(groups) > 1 && groups[len(groups)-1].b == nil {
		placed = groups[:len(groups)-1]
	}
	kinds := []string{FaultNoLAG, FaultStaticLAG, FaultABOnLACP, FaultXORNoLAG, FaultHalfMLAG}
	if len(groups) > 1 {
		kinds = append(kinds, FaultSplit)
	}
	oses := []OS{Debian12, Ubuntu22, Ubuntu24}
	var faults []Fault
	for j := 0; j < o.Hosts; j++ {
		gi := j % len(placed)
		g := placed[gi]
		h := s.NewHost(fmt.Sprintf("srv%05d", j+1), oses[rng.IntN(len(oses))])
		h.LLDPPortIDIfName = rng.IntN(10) == 0
		nslaves := o.MinSlaves + rng.IntN(o.MaxSlaves-o.MinSlaves+1)
		kind := "lacp-mlag"
		if rng.IntN(100) < 15 {
			kind = "ab-pair"
		}
		if o.FaultRate > 0 && rng.Float64() < o.FaultRate {
			kind = kinds[rng.IntN(len(kinds))]
			if g.b == nil && (kind == FaultHalfMLAG || kind == FaultStaticLAG || kind == FaultABOnLACP) {
				kind = FaultNoLAG // needs a pair
			}
			if (kind == FaultSplit || kind == FaultHalfMLAG) && nslaves < 2 {
				nslaves = 2 // a split needs two slaves
			}
			faults = append(faults, Fault{Host: h.Name, Kind: kind})
		}
		other := groups[(gi+1)%len(groups)]
		nics := make([]*NIC, nslaves)
		ports := make([]*Port, nslaves)
		for i := range nics {
			sw := g.side(i)
			if kind == FaultSplit && i%2 == 1 {
				sw = other.a
			}
			ports[i] = sw.AddPort()
			card, fn := i/2+1, i%2
			pci := fmt.Sprintf("0000:%02x:00.%d", 0x3b+0x40*(i/2), fn)
			mac := MACFromUint64(0xb8cef6000000 | uint64(j)<<3 | uint64(i))
			nics[i] = h.AddNIC(fmt.Sprintf("ens%df%dnp%d", card, fn, fn), ConnectX25G, mac, pci, ports[i])
		}
		bond := &Bond{Name: "bond0", Mode: Mode8023AD, MIIMon: 100, LACPRate: "fast", XmitHashPolicy: "layer3+4", MTU: 9000}
		var aPorts, bPorts []*Port
		for _, p := range ports {
			if p.Switch == g.a {
				aPorts = append(aPorts, p)
			} else if g.b != nil && p.Switch == g.b {
				bPorts = append(bPorts, p)
			}
		}
		setPVID := func(ps []*Port) {
			for _, p := range ps {
				p.PVID = g.vlan
			}
		}
		lag := func(lacp, mlag bool) {
			n := g.po()
			g.a.AddLAG(n, lacp, mlag && g.b != nil, g.vlan, aPorts...).Alias = h.Name + " " + bond.Name
			if g.b != nil {
				g.b.AddLAG(n, lacp, mlag, g.vlan, bPorts...).Alias = h.Name + " " + bond.Name
			}
		}
		switch kind {
		case "lacp-mlag":
			lag(true, true)
		case "ab-pair":
			bond.Mode, bond.LACPRate, bond.XmitHashPolicy = ModeAB, "", ""
			setPVID(ports)
		case FaultNoLAG:
			setPVID(ports)
		case FaultStaticLAG:
			lag(false, true)
		case FaultABOnLACP:
			bond.Mode, bond.LACPRate, bond.XmitHashPolicy = ModeAB, "", ""
			lag(true, true)
		case FaultXORNoLAG:
			bond.Mode, bond.LACPRate, bond.XmitHashPolicy = ModeXOR, "", "layer2+3"
			setPVID(ports)
		case FaultHalfMLAG:
			g.a.AddLAG(g.po(), true, true, g.vlan, aPorts...).Alias = h.Name + " " + bond.Name
			setPVID(bPorts)
		case FaultSplit:
			var mine, theirs []*Port
			for _, p := range ports {
				if p.Switch == other.a {
					theirs = append(theirs, p)
				} else {
					mine = append(mine, p)
				}
			}
			g.side(0).AddLAG(g.po(), true, false, g.vlan, mine...).Alias = h.Name + " " + bond.Name
			other.a.AddLAG(other.po(), true, false, g.vlan, theirs...).Alias = h.Name + " " + bond.Name
		}
		for i, p := range ports {
			p.Alias = h.Name + " " + nics[i].Name
		}
		h.AddBond(bond, nics...)
	}
	for gi, g := range groups {
		for _, sw := range []*Switch{g.a, g.b} {
			if sw == nil {
				continue
			}
			if len(sw.Ports) > maxPorts-2 {
				return nil, nil, fmt.Errorf("sitegen: %d hosts need %d ports on %s, more than %d: use more switches", o.Hosts, len(sw.Ports), sw.Name, maxPorts-2)
			}
			for len(sw.Ports) < 48 {
				sw.AddPort()
			}
		}
		if g.b != nil {
			var ap, bp []*Port
			for range 2 {
				p, q := g.a.AddPort(), g.b.AddPort()
				p.Speed, q.Speed = 100000, 100000
				ap, bp = append(ap, p), append(bp, q)
			}
			PairMLAG(g.a, g.b, MACFromUint64(0x021c73000000|uint64(gi+1)), peerLinkPo, ap, bp)
		}
	}
	if err := s.Resolve(); err != nil {
		return nil, nil, err
	}
	return s, faults, nil
}

// Write generates a site for o and writes it under dir in the raw formats:
// hosts/<name>/ capture folders, switches/<name>.snmprec, and FaultsFile
// listing the planted faults and the rules each should trigger.
func Write(dir string, o Options) (Stats, error) {
	s, faults, err := Generate(o)
	if err != nil {
		return Stats{}, err
	}
	n, err := WriteSite(dir, s)
	st := Stats{Hosts: int64(len(s.Hosts)), Switches: int64(len(s.Switches)), Links: countLinks(s), Bytes: n}
	if err != nil {
		return st, err
	}
	var b strings.Builder
	b.WriteString("host\tfault\trules\n")
	for _, f := range faults {
		b.WriteString(f.Host + "\t" + f.Kind + "\t" + strings.Join(faultRules[f.Kind], ",") + "\n")
	}
	if err := os.WriteFile(filepath.Join(dir, FaultsFile), []byte(b.String()), 0o644); err != nil {
		return st, errors.Join(errors.New("sitegen: writing "+FaultsFile), err)
	}
	st.Bytes += int64(b.Len())
	return st, nil
}

func countLinks(s *Site) int64 {
	var n int64
	for _, sw := range s.Switches {
		for _, p := range sw.Ports {
			switch {
			case p.NIC != nil:
				n++
			case p.Peer != nil && p.Switch.Name < p.Peer.Switch.Name:
				n++
			}
		}
	}
	return n
}
