package host

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

// teamdState is the part of `teamdctl <team> state dump` this reader uses.
// Layouts differ between libteam versions: port runner "aggregator":
// {"id", "selected"} (1.12 and later) or "aggregator_id" (before), link
// watch "list" an object keyed link_watch_N (later) or an array (before).
type teamdState struct {
	Setup struct {
		RunnerName string `json:"runner_name"`
	} `json:"setup"`
	TeamDevice struct {
		Ifinfo teamdIfinfo `json:"ifinfo"`
	} `json:"team_device"`
	Runner *struct {
		Active     *bool   `json:"active"`      // lacp
		FastRate   *bool   `json:"fast_rate"`   // lacp
		ActivePort *string `json:"active_port"` // activebackup; null when none
	} `json:"runner"`
	Ports map[string]teamdPort `json:"ports"`
}

type teamdIfinfo struct {
	DevAddr string `json:"dev_addr"`
	Ifname  string `json:"ifname"`
}

type teamdPort struct {
	Ifinfo teamdIfinfo `json:"ifinfo"`
	Link   *struct {
		Up     *bool  `json:"up"`
		Speed  int    `json:"speed"`
		Duplex string `json:"duplex"`
	} `json:"link"`
	LinkWatches *struct {
		Up   *bool           `json:"up"`
		List json.RawMessage `json:"list"`
	} `json:"link_watches"`
	Runner *struct {
		Aggregator *struct {
			ID int `json:"id"`
		} `json:"aggregator"`
		AggregatorID *int         `json:"aggregator_id"` // libteam before 1.12
		Actor        *teamdLACPDU `json:"actor_lacpdu_info"`
		Partner      *teamdLACPDU `json:"partner_lacpdu_info"`
	} `json:"runner"`
}

type teamdLACPDU struct {
	SystemPriority int    `json:"system_priority"`
	System         string `json:"system"`
	Key            int    `json:"key"`
	PortPriority   int    `json:"port_priority"`
	Port           int    `json:"port"`
	State          *int   `json:"state"`
}

// teamdLinkWatch is one link watch instance of a port.
type teamdLinkWatch struct {
	Name      string `json:"name"`
	DownCount int    `json:"down_count"`
	DelayUp   *int   `json:"delay_up"`
	DelayDown *int   `json:"delay_down"`
	// Info holds the delays in libteam's older array layout.
	Info *struct {
		DownCount int  `json:"down_count"`
		DelayUp   *int `json:"delay_up"`
		DelayDown *int `json:"delay_down"`
	} `json:"info"`
}

// ParseTeamdState parses `teamdctl <team> state dump` JSON into a bond of
// Kind team. team names the team device (the file's name, normally); the
// dump's team_device.ifinfo.ifname, when present, must agree.
//
// Mode is setup.runner_name (lacp, activebackup, roundrobin, loadbalance,
// broadcast, random). For lacp, runner.active sets LACPActive and
// runner.fast_rate LACPRate (fast/slow); for activebackup, runner.active_port
// is ActiveSlave. Each port becomes a slave: MIIStatus down when link.up or
// the link watch summary says down, up when they say up; speed and duplex
// from link when the link is up (a down port reports 0/half); LinkFailures
// the sum of its link watches' down_count; AggregatorID, Actor and Partner
// from the lacp runner's port state. UpDelay/DownDelay are the link watch
// delays when every watch that reports one agrees.
//
// Errors are *ParseError values naming the file (and line for JSON
// errors); with an error the bond is unusable.
func ParseTeamdState(data []byte, file, team string) (topology.Bond, error) {
	var st teamdState
	if len(bytes.TrimSpace(data)) == 0 {
		return topology.Bond{}, &ParseError{File: file, Msg: "empty: want `teamdctl <team> state dump` JSON"}
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return topology.Bond{}, jsonError(file, data, err)
	}
	if st.Setup.RunnerName == "" {
		return topology.Bond{}, &ParseError{File: file, Msg: "not a `teamdctl state dump`: no setup.runner_name"}
	}
	name := team
	if n := st.TeamDevice.Ifinfo.Ifname; n != "" {
		if team != "" && n != team {
			return topology.Bond{}, jsonValueError(file, data, []any{"team_device", "ifinfo", "ifname"}, "the dump is of team device %s (team_device.ifinfo.ifname), not %s", quote.Name(n), quote.Name(team))
		}
		name = n
	}
	if name == "" {
		return topology.Bond{}, &ParseError{File: file, Msg: "no team device name (team_device.ifinfo.ifname) and none given"}
	}
	b := topology.Bond{
		Name:   name,
		Kind:   topology.BondKindTeam,
		Mode:   topology.BondMode(st.Setup.RunnerName),
		MAC:    topology.NormalizeMAC(st.TeamDevice.Ifinfo.DevAddr),
		Source: file,
	}
	if r := st.Runner; r != nil {
		switch b.Mode {
		case "lacp":
			if r.Active != nil {
				active := *r.Active
				b.LACPActive = &active
			}
			if r.FastRate != nil {
				b.LACPRate = "slow"
				if *r.FastRate {
					b.LACPRate = "fast"
				}
			}
		case "activebackup":
			if r.ActivePort != nil {
				b.ActiveSlave = *r.ActivePort
			}
		}
	}

	names := make([]string, 0, len(st.Ports))
	for n := range st.Ports {
		names = append(names, n)
	}
	slices.Sort(names)
	var ups, downs []int
	for _, pn := range names {
		p := st.Ports[pn]
		if n := p.Ifinfo.Ifname; n != "" && n != pn {
			return topology.Bond{}, jsonValueError(file, data, []any{"ports", pn, "ifinfo", "ifname"}, "ports.%s: ifinfo.ifname is %s", quote.Name(pn), quote.Name(n))
		}
		s := topology.Slave{Name: pn, Source: file}
		linkUp := false
		if l := p.Link; l != nil {
			if l.Up != nil {
				linkUp = *l.Up
				s.MIIStatus = topology.LinkDown
				if linkUp {
					s.MIIStatus = topology.LinkUp
				}
			}
			if linkUp && l.Speed > 0 {
				s.Speed = l.Speed
			}
			if d := topology.ParseDuplex(l.Duplex); linkUp && d != "" {
				s.Duplex = d
			}
		}
		if w := p.LinkWatches; w != nil {
			if w.Up != nil {
				if !*w.Up {
					s.MIIStatus = topology.LinkDown
				} else if s.MIIStatus == "" {
					s.MIIStatus = topology.LinkUp
				}
			}
			watches, err := teamdLinkWatches(w.List)
			if err != nil {
				return topology.Bond{}, jsonValueError(file, data, []any{"ports", pn, "link_watches", "list"}, "ports.%s.link_watches.list: %v", quote.Name(pn), err)
			}
			for _, lw := range watches {
				s.LinkFailures += lw.DownCount
				up, down := lw.DelayUp, lw.DelayDown
				if lw.Info != nil {
					s.LinkFailures += lw.Info.DownCount
					if up == nil {
						up = lw.Info.DelayUp
					}
					if down == nil {
						down = lw.Info.DelayDown
					}
				}
				if up != nil {
					ups = append(ups, *up)
				}
				if down != nil {
					downs = append(downs, *down)
				}
			}
		}
		if r := p.Runner; r != nil {
			switch {
			case r.Aggregator != nil:
				s.AggregatorID = r.Aggregator.ID
			case r.AggregatorID != nil:
				s.AggregatorID = *r.AggregatorID
			}
			var err error
			if s.Actor, err = r.Actor.port(); err != nil {
				return topology.Bond{}, jsonValueError(file, data, []any{"ports", pn, "runner", "actor_lacpdu_info", "state"}, "ports.%s.runner.actor_lacpdu_info: %v", quote.Name(pn), err)
			}
			if s.Partner, err = r.Partner.port(); err != nil {
				return topology.Bond{}, jsonValueError(file, data, []any{"ports", pn, "runner", "partner_lacpdu_info", "state"}, "ports.%s.runner.partner_lacpdu_info: %v", quote.Name(pn), err)
			}
		}
		b.Slaves = append(b.Slaves, s)
	}
	b.UpDelay, b.DownDelay = agreed(ups), agreed(downs)
	return b, nil
}

// agreed returns the value all of vs share, 0 when they differ or are none.
func agreed(vs []int) int {
	if len(vs) == 0 || slices.Min(vs) != slices.Max(vs) || vs[0] < 0 {
		return 0
	}
	return vs[0]
}

// teamdLinkWatches decodes link_watches.list in either layout.
func teamdLinkWatches(raw json.RawMessage) ([]teamdLinkWatch, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '[' {
		var ws []teamdLinkWatch
		if err := json.Unmarshal(raw, &ws); err != nil {
			return nil, err
		}
		return ws, nil
	}
	var m map[string]teamdLinkWatch
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	ws := make([]teamdLinkWatch, 0, len(keys))
	for _, k := range keys {
		ws = append(ws, m[k])
	}
	return ws, nil
}

func (l *teamdLACPDU) port() (*topology.LACPPort, error) {
	if l == nil {
		return nil, nil
	}
	p := &topology.LACPPort{SystemPriority: l.SystemPriority, System: topology.NormalizeMAC(l.System),
		Key: l.Key, PortPriority: l.PortPriority, Port: l.Port}
	if l.State != nil {
		if *l.State < 0 || *l.State > 255 {
			return nil, fmt.Errorf("state %d is not a state byte (0-255)", *l.State)
		}
		p.State, p.StateKnown = topology.LACPState(*l.State), true
	}
	return p, nil
}

// teamdDumpName returns the team a file in the teamd folder describes:
// <team>.json in a capture, teamdctl_<team>_state_dump in a sosreport.
func teamdDumpName(file string, sosreport bool) (string, bool) {
	if sosreport {
		rest, ok := strings.CutPrefix(file, "teamdctl_")
		if !ok {
			return "", false
		}
		team, ok := strings.CutSuffix(rest, "_state_dump")
		return team, ok && team != ""
	}
	team, ok := strings.CutSuffix(file, ".json")
	return team, ok && team != "" && !strings.HasPrefix(file, ".")
}

// readTeamd reads every teamd state dump in the folder rel (relative to the
// capture folder) and reports its problems.
func (r *capReader) readTeamd(rel string, sosreport bool) []topology.Bond {
	if rel == "" || !r.exists(rel) {
		return nil // (no folder: no names made for it)
	}
	d := path.Join(r.dir, rel)
	entries, err := r.list(rel + "/")
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.problem("%s: %v", d, err)
		}
		return nil
	}
	var bonds []topology.Bond
	for _, e := range entries {
		team, ok := teamdDumpName(e.Name, sosreport)
		if e.IsDir() || !ok {
			continue
		}
		p := path.Join(d, e.Name)
		data, err := r.read(p)
		if err != nil {
			r.problem("%s: %v", p, err)
			continue
		}
		b, err := ParseTeamdState(data, p, team)
		if err != nil {
			r.problems = append(r.problems, err.Error())
			continue
		}
		bonds = append(bonds, b)
	}
	return bonds
}

// appendBonds adds OVS bonds and teams to h, reporting a name used twice
// (the first one is kept).
func (r *capReader) appendBonds(h *topology.Host, bonds []topology.Bond) {
	for _, b := range bonds {
		if i := slices.IndexFunc(h.Bonds, func(x topology.Bond) bool { return x.Name == b.Name }); i >= 0 {
			r.problem("%s: %s %s has the name of %s %s from %s: only the first is kept", b.Source, b.Kind, quote.Name(b.Name), h.Bonds[i].Kind, quote.Name(h.Bonds[i].Name), h.Bonds[i].Source)
			continue
		}
		h.Bonds = append(h.Bonds, b)
	}
}
