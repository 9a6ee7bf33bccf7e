package sitegen

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/topology"
)

// SnmprecLine is the shape of every line WriteSite puts in a .snmprec file.
var SnmprecLine = regexp.MustCompile(`^[0-9.]+\|[0-9]+x?\|.*$`)

// CheckSite reads a site folder written by WriteSite (or by hand) from fsys
// with the product's own readers (collect.LoadSite: the ip-link, bonding
// and lldpcli parsers of collect/host, the snmprec reader and the vendor
// decoders), joins it with topology.Build, and cross-checks what the join
// relies on:
//
//   - every input reads without a problem, and every snmprec file is sorted
//     by OID (snmpsim needs that);
//   - no two host NICs share a permanent MAC; every bond has slaves, and
//     each slave's permanent address in bonding/ is its NIC's in ip-link.json;
//   - every LLDP neighbour a host hears is a switch port that hears the host
//     back (the link rests on LLDP from both sides), every neighbour a
//     switch hears resolves, and no two sources disagree about a NIC;
//   - the LACP partner a slave reports is a switch port whose
//     dot3adAggPortTable row has the partner's key and, while the slave is
//     up, names the slave back.
//
// It returns every problem found.
func CheckSite(fsys fs.FS) error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	swFiles, _ := fs.Glob(fsys, "switches/*.snmprec")
	if len(swFiles) == 0 {
		bad("no switches/*.snmprec")
	}
	for _, f := range swFiles {
		if err := checkSorted(fsys, f); err != nil {
			errs = append(errs, err)
		}
	}
	if ents, _ := fs.ReadDir(fsys, "hosts"); len(ents) == 0 {
		bad("no hosts/")
	}

	site, err := collect.LoadSite(fsys, "check", collect.LoadOptions{})
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, p := range site.Problems {
		bad("%s", p)
	}
	for _, s := range site.Switches {
		if s.Unreachable || len(s.Problems) > 0 {
			bad("switch %s (%s): %s %s", s.Name, s.Source, s.Error, strings.Join(s.Problems, "; "))
		}
	}
	for _, h := range site.Hosts {
		for _, p := range h.Problems {
			bad("host %s (%s): %s", h.Name, h.Source, p)
		}
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, p := range m.Problems {
		bad("join: %s", p)
	}

	// Hosts: NIC addresses, bonds and their slaves.
	nicOwner := map[string]string{} // permanent MAC -> host
	for _, h := range m.Hosts {
		for _, n := range h.NICs {
			perm := topology.NormalizeMAC(n.PermMAC)
			if perm == "" {
				continue
			}
			if prev, dup := nicOwner[perm]; dup {
				bad("host %s: NIC %s MAC %s also on host %s", h.Name, n.Name, perm, prev)
			}
			nicOwner[perm] = h.Name
		}
		for _, b := range h.Bonds {
			if len(b.Slaves) == 0 {
				bad("host %s: bond %s has no slaves", h.Name, b.Name)
			}
			for _, s := range b.Slaves {
				n := h.NIC(s.Name)
				switch {
				case n == nil:
					bad("host %s: %s slave %s is no NIC in ip-link.json", h.Name, b.Name, s.Name)
				case topology.NormalizeMAC(s.PermMAC) != topology.NormalizeMAC(n.PermMAC):
					bad("host %s: %s slave %s permanent address %s, ip-link.json says %q", h.Name, b.Name, s.Name, s.PermMAC, n.PermMAC)
				}
			}
		}
	}

	// LLDP from both sides, and no disagreement.
	for _, u := range m.Unresolved {
		who := cmp.Or(u.Host, u.Switch)
		bad("%s hears %s %s port %s on %s, which resolves to no device and port in the site",
			who, u.Neighbour.Protocol, cmp.Or(u.Neighbour.SystemName, u.Neighbour.ChassisID), u.Neighbour.PortID, u.Neighbour.LocalPort)
	}
	for _, c := range m.Conflicts {
		bad("%s %s: the sources disagree: %s", c.Host, c.NIC, strings.Join(c.Claims, "; "))
	}
	for _, h := range m.Hosts {
		for _, n := range h.Neighbours {
			if n.Protocol != topology.ProtoLLDP {
				continue
			}
			l := m.LinkOf(h.Name, n.LocalPort)
			switch {
			case l == nil:
				bad("host %s: %s hears %s port %s, but maps to no switch port", h.Name, n.LocalPort, n.SystemName, n.PortID)
			case !slices.Contains(l.Evidence, topology.EvLLDPSwitch):
				bad("host %s: %s hears %s %s, but %s's lldpRemTable has no %s on that port", h.Name, n.LocalPort, l.Switch, l.Port, l.Switch, h.Name)
			}
		}
	}

	// LACP: the partner a slave reports is a switch port naming it back.
	for _, h := range m.Hosts {
		for _, b := range h.Bonds {
			for _, s := range b.Slaves {
				p := s.Partner
				if p == nil || topology.NormalizeMAC(p.System) == "" || topology.NormalizeMAC(p.System) == topology.ZeroMAC {
					continue
				}
				l := m.LinkOf(h.Name, s.Name)
				var port *topology.Port
				if l != nil {
					port = m.Switch(l.Switch).Port(l.Port)
				}
				if port == nil || port.LACP == nil || port.LACP.Actor == nil ||
					topology.NormalizeMAC(port.LACP.Actor.System) != topology.NormalizeMAC(p.System) || port.LACP.Actor.Port != p.Port {
					bad("%s %s: LACP partner %s port %d is no switch port's dot3adAggPortActorSystemID/ActorPort", h.Name, s.Name, p.System, p.Port)
					continue
				}
				if port.LACP.Actor.Key != p.Key {
					bad("%s %s: partner key %d, %s %s has key %d", h.Name, s.Name, p.Key, l.Switch, l.Port, port.LACP.Actor.Key)
				}
				if s.MIIStatus == "" || !s.MIIStatus.Up() || s.Actor == nil {
					continue
				}
				actor := cmp.Or(topology.NormalizeMAC(s.Actor.System), topology.NormalizeMAC(b.AdActorSystem), topology.NormalizeMAC(b.MAC))
				sp := port.LACP.Partner
				if sp == nil || topology.NormalizeMAC(sp.System) != actor || sp.Port != s.Actor.Port {
					got := "none"
					if sp != nil {
						got = fmt.Sprintf("%s port %d", sp.System, sp.Port)
					}
					bad("%s %s: partner %s port %d is %s %s, whose partner is %s, not %s port %d",
						h.Name, s.Name, p.System, p.Port, l.Switch, l.Port, got, actor, s.Actor.Port)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// checkSorted reports the lines of an snmprec file that are not in OID
// order (snmpsim answers GETNEXT from the file order). The lines themselves
// are read and judged by the product's snmprec reader in CheckSite.
func checkSorted(fsys fs.FS, file string) error {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return err
	}
	var errs []error
	prev := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		oid, _, ok := strings.Cut(sc.Text(), "|")
		if !ok {
			errs = append(errs, fmt.Errorf("%s:%d: malformed snmprec line %q", file, ln, sc.Text()))
			continue
		}
		if prev != "" && oidLess(prev, oid) >= 0 {
			errs = append(errs, fmt.Errorf("%s:%d: OID %s not after %s (snmpsim needs sorted files)", file, ln, oid, prev))
		}
		prev = oid
	}
	return errors.Join(errs...)
}

func oidLess(a, b string) int {
	for a != "" || b != "" {
		var x, y string
		x, a, _ = strings.Cut(a, ".")
		y, b, _ = strings.Cut(b, ".")
		xi, _ := strconv.ParseUint(x, 10, 64)
		yi, _ := strconv.ParseUint(y, 10, 64)
		switch {
		case x == "" && y != "":
			return -1
		case y == "" && x != "":
			return 1
		case xi < yi:
			return -1
		case xi > yi:
			return 1
		}
	}
	return 0
}
