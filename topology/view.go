package topology

import (
	"io"
	"slices"

	"github.com/bondaudit/bondaudit/topology/escape"
)

// ViewSchema is the version of the topology JSON (DESIGN.md "Topology JSON").
const ViewSchema = "bondaudit.topology/v1"

// View is what was understood of a site before any rule ran.
type View struct {
	Schema    string       `json:"schema"`
	Hosts     []ViewHost   `json:"hosts"`
	Switches  []ViewSwitch `json:"switches"`
	Links     []ViewLink   `json:"links"`
	Domains   []ViewDomain `json:"domains,omitempty"`
	Uplinks   []ViewUplink `json:"uplinks,omitempty"`
	Conflicts []Conflict   `json:"conflicts,omitempty"`
	Problems  []string     `json:"problems,omitempty"`
}

type ViewHost struct {
	Name  string     `json:"name"`
	Bonds []ViewBond `json:"bonds,omitempty"`
}

type ViewBond struct {
	Name   string      `json:"name"`
	Mode   BondMode    `json:"mode"`
	Bridge string      `json:"bridge,omitempty"`
	Slaves []ViewSlave `json:"slaves"`
}

type ViewSlave struct {
	NIC    string `json:"nic"`
	MAC    string `json:"mac,omitempty"`
	Switch string `json:"switch,omitempty"`
	Port   string `json:"port,omitempty"`
}

type ViewSwitch struct {
	Name       string          `json:"name"`
	Vendor     string          `json:"vendor,omitempty"`
	ChassisID  string          `json:"chassis_id,omitempty"`
	Domain     string          `json:"domain,omitempty"`
	LAGs       []ViewLAG       `json:"lags,omitempty"`
	Neighbours []ViewNeighbour `json:"neighbours,omitempty"`
	Error      string          `json:"error,omitempty"`
}

type ViewLAG struct {
	Name    string   `json:"name"`
	Kind    LAGKind  `json:"kind"`
	Members []string `json:"members"`
	MLAG    string   `json:"mlag,omitempty"`
}

type ViewNeighbour struct {
	Port       string   `json:"port"`
	Protocol   Protocol `json:"protocol"`
	SystemName string   `json:"system_name,omitempty"`
	ChassisID  string   `json:"chassis_id,omitempty"`
	PortID     string   `json:"port_id,omitempty"`
}

type ViewLink struct {
	Host     string         `json:"host"`
	NIC      string         `json:"nic"`
	Switch   string         `json:"switch"`
	Port     string         `json:"port"`
	Evidence []EvidenceKind `json:"evidence"`
}

type ViewDomain struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Switches []string `json:"switches"`
	SystemID string   `json:"system_id,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}

type ViewUplink struct {
	A     string `json:"a"`
	APort string `json:"a_port"`
	B     string `json:"b"`
	BPort string `json:"b_port"`
}

// NewView renders the Model as the topology view.
func NewView(m *Model) *View {
	v := &View{Schema: ViewSchema, Hosts: make([]ViewHost, 0, len(m.Hosts)), Switches: make([]ViewSwitch, 0, len(m.Switches)),
		Links: make([]ViewLink, 0, len(m.Links)), Problems: m.Problems}
	for _, h := range m.Hosts {
		vh := ViewHost{Name: h.Name}
		if len(h.facts) > 0 {
			vh.Bonds = make([]ViewBond, 0, len(h.facts))
		}
		for _, bf := range h.facts {
			b := bf.Bond
			vb := ViewBond{Name: b.Name, Mode: b.Mode, Bridge: b.Bridge, Slaves: make([]ViewSlave, 0, len(bf.Slaves))}
			for _, sf := range bf.Slaves {
				vs := ViewSlave{NIC: sf.Slave.Name, MAC: string(sf.PermMAC)}
				if l := sf.Link; l != nil {
					vs.Switch, vs.Port = l.Switch, l.Port
				}
				vb.Slaves = append(vb.Slaves, vs)
			}
			vh.Bonds = append(vh.Bonds, vb)
		}
		v.Hosts = append(v.Hosts, vh)
	}
	for _, s := range m.Switches {
		vs := ViewSwitch{Name: s.Name, Vendor: s.Vendor, ChassisID: s.ChassisID, Error: s.Error}
		if s.Domain != nil {
			vs.Domain = s.Domain.Name
		}
		for _, l := range s.LAGs {
			mlag := l.MLAG
			if mlag == "" && s.Domain != nil && l.ActorSystem != "" && l.ActorSystem == s.Domain.SystemID {
				mlag = s.Domain.Name
			}
			members := slices.Clone(nonNil(l.Members))
			slices.SortStableFunc(members, CompareNames)
			vs.LAGs = append(vs.LAGs, ViewLAG{Name: l.Name, Kind: l.Kind, Members: members, MLAG: mlag})
		}
		slices.SortStableFunc(vs.LAGs, func(a, b ViewLAG) int { return CompareNames(a.Name, b.Name) })
		for _, n := range s.Neighbours {
			vs.Neighbours = append(vs.Neighbours, ViewNeighbour{Port: n.LocalPort, Protocol: n.Protocol,
				SystemName: n.SystemName, ChassisID: n.ChassisID, PortID: n.PortID})
		}
		slices.SortStableFunc(vs.Neighbours, func(a, b ViewNeighbour) int { return CompareNames(a.Port, b.Port) })
		v.Switches = append(v.Switches, vs)
	}
	for _, l := range m.Links {
		v.Links = append(v.Links, ViewLink{Host: l.Host, NIC: l.NIC, Switch: l.Switch, Port: l.Port, Evidence: l.Evidence})
	}
	for _, d := range m.Domains {
		v.Domains = append(v.Domains, ViewDomain{Name: d.Name, Kind: d.Kind, Switches: d.Switches, SystemID: d.SystemID, Evidence: d.Evidence})
	}
	for _, u := range m.Uplinks {
		v.Uplinks = append(v.Uplinks, ViewUplink{A: u.A, APort: u.APort, B: u.B, BPort: u.BPort})
	}
	for _, c := range m.Conflicts {
		v.Conflicts = append(v.Conflicts, *c)
	}
	return v
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteJSON writes the view as indented JSON.
func (v *View) WriteJSON(w io.Writer) error {
	return escape.JSON(w).Encode(v)
}
