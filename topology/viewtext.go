package topology

import (
	"bufio"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bondaudit/bondaudit/topology/escape"
)

// WriteText writes the view for a person: hosts with each slave's switch
// port, switches with their LAGs, domains, and switch-to-switch links. Every
// name is shown through escape.Text: it comes from the hosts and the wire.
//
// The two tables are aligned as text/tabwriter aligns them (cells padded to
// their column's widest cell plus two spaces, widths in runes, the last
// cell of a line unpadded), but streamed: a first pass over the rows
// measures the columns, a second writes them, so at 100,000 hosts no copy
// of the table is held (tabwriter keeps every cell until Flush).
func (v *View) WriteText(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	t := escape.Text
	ev := v.evidenceText()
	hostRows := func(row func(cells ...string)) {
		row("HOST", "BOND", "MODE", "NIC", "SWITCH", "PORT", "EVIDENCE")
		for hi, h := range v.Hosts {
			host := t(h.Name)
			for _, b := range h.Bonds {
				bond, mode := t(b.Name), t(string(b.Mode))
				for _, s := range b.Slaves {
					sw, port := t(s.Switch), t(s.Port)
					if s.Switch == "" {
						sw, port = "?", "(unmapped)"
					}
					row(host, bond, mode, t(s.NIC), sw, port, ev(hi, s.NIC))
				}
			}
		}
	}
	writeTable(bw, hostRows)
	bw.WriteString("\n")
	switchRows := func(row func(cells ...string)) {
		row("SWITCH", "VENDOR", "DOMAIN", "LAG", "KIND", "MEMBERS")
		for _, s := range v.Switches {
			name, vendor, domain := t(s.Name), t(s.Vendor), t(s.Domain)
			if s.Error != "" {
				row(name, vendor, domain, "(not read: "+t(s.Error)+")", "", "")
				continue
			}
			if len(s.LAGs) == 0 {
				row(name, vendor, domain, "-", "", "")
			}
			for _, l := range s.LAGs {
				row(name, vendor, domain, t(l.Name), t(string(l.Kind)), joinText(l.Members, " "))
			}
		}
	}
	writeTable(bw, switchRows)
	for _, d := range v.Domains {
		bw.WriteString("\ndomain " + t(d.Name) + " (" + t(d.Kind) + "): " + joinText(d.Switches, ", ") + "\n")
		for _, e := range d.Evidence {
			bw.WriteString("  because " + t(e) + "\n")
		}
	}
	if len(v.Uplinks) > 0 {
		bw.WriteString("\nswitch-to-switch links:\n")
		for _, u := range v.Uplinks {
			bw.WriteString("  " + t(u.A) + " " + t(u.APort) + " ↔ " + t(u.B) + " " + t(u.BPort) + "\n")
		}
	}
	for _, c := range v.Conflicts {
		bw.WriteString("\nconflict: host " + t(c.Host) + " " + t(c.NIC) + ": " + joinText(c.Claims, " vs ") + "\n")
	}
	return bw.Flush()
}

// evidenceText returns the evidence column of a host's NIC (the host is
// v.Hosts[hi]): its link's evidence kinds, escaped and comma-joined (""
// when it has no link; the last link of a host and NIC when there are
// several). The joined text is made once per distinct list of kinds: a
// site has a handful.
//
// A View made by NewView lists its hosts by name and their links host by
// host in the same order; then each host's links are a run of v.Links,
// found in one walk, and a NIC's link is looked up in its host's few.
// Any other View (hosts out of order or repeated, a link of a host not
// listed) is looked up through a map by host and NIC, which at 100,000
// hosts cost 0.15 s of the topology command, mostly cache misses.
func (v *View) evidenceText() func(hi int, nic string) string {
	links := v.Links
	runs := make([]int32, len(v.Hosts)+1) // host hi's links: links[runs[hi]:runs[hi+1]]
	j := 0
	for hi, h := range v.Hosts {
		if hi > 0 && v.Hosts[hi-1].Name >= h.Name {
			runs = nil
			break
		}
		runs[hi] = int32(j)
		for j < len(links) && links[j].Host == h.Name {
			j++
		}
	}
	var at map[[2]string]int32
	if runs == nil || j < len(links) {
		at = make(map[[2]string]int32, len(links))
		for i, l := range links {
			at[[2]string{l.Host, l.NIC}] = int32(i)
		}
	} else {
		runs[len(v.Hosts)] = int32(j)
	}
	type seen struct {
		kinds []EvidenceKind
		text  string
	}
	var cache []seen
	return func(hi int, nic string) string {
		i := int32(-1)
		if at != nil {
			if k, ok := at[[2]string{v.Hosts[hi].Name, nic}]; ok {
				i = k
			}
		} else {
			for k := runs[hi]; k < runs[hi+1]; k++ {
				if links[k].NIC == nic {
					i = k
				}
			}
		}
		if i < 0 {
			return ""
		}
		kinds := links[i].Evidence
		for _, c := range cache {
			if slices.Equal(c.kinds, kinds) {
				return c.text
			}
		}
		text := joinText(EvidenceStrings(kinds), ",")
		if len(cache) < 64 {
			cache = append(cache, seen{kinds, text})
		}
		return text
	}
}

// joinText is the names escaped (escape.Text) and joined with sep.
func joinText(ss []string, sep string) string {
	return strings.Join(escape.Texts(ss), sep)
}

// writeTable writes the rows rows produces (it is called twice: to measure,
// then to write) as text/tabwriter with padding 2 and padchar ' ' would:
// every cell but a line's last padded with spaces to its column's widest
// cell (in runes) plus two. Every row has the same number of cells, so each
// column is one tabwriter column block. The cells are escape.Text output
// or fixed text: no tab, line break or tabwriter escape byte in them.
func writeTable(w *bufio.Writer, rows func(row func(cells ...string))) {
	var widths []int
	rows(func(cells ...string) {
		if widths == nil {
			widths = make([]int, len(cells)-1)
		}
		for i, c := range cells[:len(cells)-1] {
			if n := utf8.RuneCountInString(c); n > widths[i] {
				widths[i] = n
			}
		}
	})
	const padding = 2
	rows(func(cells ...string) {
		for i, c := range cells[:len(cells)-1] {
			w.WriteString(c)
			writeSpaces(w, widths[i]+padding-utf8.RuneCountInString(c))
		}
		w.WriteString(cells[len(cells)-1])
		w.WriteByte('\n')
	})
}

const spaces = "                                                                "

func writeSpaces(w *bufio.Writer, n int) {
	for n > len(spaces) {
		w.WriteString(spaces)
		n -= len(spaces)
	}
	w.WriteString(spaces[:n])
}
