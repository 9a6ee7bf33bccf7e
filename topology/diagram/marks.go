package diagram

import (
	"github.com/bondaudit/bondaudit/topology"
)

// element is a node or an edge a mark can land on.
type element interface {
	elemID() string
	marked() *Marked
}

func (n *Node) elemID() string  { return n.ID }
func (n *Node) marked() *Marked { return &n.Marked }
func (e *Edge) elemID() string  { return e.ID }
func (e *Edge) marked() *Marked { return &e.Marked }

// applyMarks puts each mark on the elements it is about; marks about
// nothing drawn are dropped.
func (d *Diagram) applyMarks(marks []Mark) {
	for _, mk := range marks {
		els := d.resolve(mk)
		if len(els) == 0 {
			continue
		}
		d.Marks = append(d.Marks, mk)
		for _, el := range els {
			el.marked().add(mk)
		}
	}
}

// resolve finds where a mark is drawn:
//
//   - a NIC's finding on the edge carrying that NIC;
//   - a bond's finding naming a switch (and port or LAG) on the bond's
//     edges to it; a host's finding naming a switch on the host's edges to it;
//   - any other host or bond finding on the host;
//   - a switch port's or LAG's finding on the host edges on it, else the
//     uplinks on it; any other switch finding on the switch.
func (d *Diagram) resolve(mk Mark) []element {
	if mk.Host != "" {
		return d.resolveHost(mk)
	}
	if mk.Switch == "" {
		return nil
	}
	if mk.Port != "" {
		k := [2]string{mk.Switch, topology.NormalizePortName(mk.Port)}
		if es := d.ix.portEdges[k]; len(es) > 0 {
			return edgesOf(es)
		}
		if es := d.ix.uplinkPort[k]; len(es) > 0 {
			return edgesOf(es)
		}
	}
	if n := d.ix.nodes[switchID(mk.Switch)]; n != nil {
		return []element{n}
	}
	return nil
}

func (d *Diagram) resolveHost(mk Mark) []element {
	host := d.ix.nodes[hostID(mk.Host)]
	if host == nil {
		return nil
	}
	if mk.NIC != "" {
		if e := d.ix.nicEdge[[2]string{mk.Host, mk.NIC}]; e != nil {
			return []element{e}
		}
	}
	if mk.Switch != "" {
		cands := d.ix.hostEdges[mk.Host]
		if mk.Bond != "" {
			cands = d.ix.bondEdges[[2]string{mk.Host, mk.Bond}]
		}
		var out []element
		for _, e := range cands {
			if e.Switch == mk.Switch && (mk.Port == "" || onPort(e, mk.Port)) {
				out = append(out, e)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return []element{host}
}

// onPort reports whether a host edge ends on the port or LAG.
func onPort(e *Edge, port string) bool {
	if e.LAG != "" && topology.SamePort(e.LAG, port) {
		return true
	}
	for _, p := range e.Ports {
		if topology.SamePort(p, port) {
			return true
		}
	}
	return false
}

func edgesOf(es []*Edge) []element {
	out := make([]element, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}
