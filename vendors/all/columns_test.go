package all_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// access is one read a decoder made of a walk (vendors.Walk.Traced).
type access struct {
	oid string
	any bool // HasSubtree
}

// reads collects what each decoder read: "standard" for the standard
// decoder, a profile's name for its Decode, "vlanfdb" for VLANFDB.
type reads map[string]map[access]bool

func (r reads) tracer(tag *string) func(string, bool) {
	return func(oid string, any bool) {
		m := r[*tag]
		if m == nil {
			m = map[access]bool{}
			r[*tag] = m
		}
		m[access{oid, any}] = true
	}
}

// columnWalks are the walks the decoders are traced over: every shared
// recording, the hand-written CDP walks, and for every profile a walk
// holding two rows (or the one instance of a scalar) in each column it
// declares, which takes decoders down the paths that only data present
// opens (a VSX or M-LAG group, a vPC domain) that no recording has.
func columnWalks(t *testing.T) map[string]*vendors.Walk {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(vendortest.FixtureDir(), "*.snmprec"))
	if len(files) == 0 {
		t.Log("shared recordings absent: tracing hand-written and synthetic walks only")
	}
	more, _ := filepath.Glob("../testdata/cdp/*.snmprec")
	out := map[string]*vendors.Walk{}
	for _, f := range append(files, more...) {
		w, _, err := snmp.ReadWalkFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = w
	}
	synthetic := func(cols []string) *vendors.Walk {
		var vbs []vendors.VarBind
		for _, c := range cols {
			if strings.HasSuffix(c, ".0") {
				vbs = append(vbs, vendors.VarBind{OID: c, Value: vendors.Value{Kind: vendors.KindInteger, Int: 1}})
				continue
			}
			// index shapes: one integer (an ifIndex), two, four
			for _, ix := range []string{".1", ".2", ".1.2", ".0.1.2.3"} {
				vbs = append(vbs, vendors.VarBind{OID: c + ix, Value: vendors.Value{Kind: vendors.KindInteger, Int: 2}})
			}
		}
		return vendors.NewWalk(vbs)
	}
	for _, p := range all.Profiles() {
		out["synthetic "+p.Name] = synthetic(slices.Concat(vendors.StandardColumns, p.Columns))
		// and one per subtree of the family, with and without the
		// standard MIBs: a walk with only VSX or only M-LAG rows, one
		// whose neighbours are only in a vendor MIB
		for _, root := range p.OIDs {
			var cols []string
			for _, c := range p.Columns {
				if vendors.Covers([]string{root}, c, false) {
					cols = append(cols, c)
				}
			}
			out["synthetic "+p.Name+" "+root] = synthetic(cols)
			out["synthetic "+p.Name+" "+root+" and standard"] = synthetic(slices.Concat(vendors.StandardColumns, cols))
		}
	}
	return out
}

var traced struct {
	once sync.Once
	r    reads
}

// traceDecoders runs the standard decoder, then every profile's decoder
// (whichever family the walk is: forcing each takes it down more paths),
// then VLANFDB, over every walk; once for both tests.
func traceDecoders(t *testing.T) reads {
	t.Helper()
	traced.once.Do(func() { traced.r = traceAll(t) })
	if traced.r == nil {
		t.Fatal("tracing the decoders failed")
	}
	return traced.r
}

func traceAll(t *testing.T) reads {
	t.Helper()
	r := reads{}
	tag := ""
	for _, w := range columnWalks(t) {
		tw := w.Traced(r.tracer(&tag))
		tag = "standard"
		s, _ := vendors.DecodeWith(tw, "x", nil)
		for _, p := range all.Profiles() {
			if p.Decode == nil {
				continue
			}
			tag = p.Name
			c := *s
			c.Ports, c.LAGs = slices.Clone(s.Ports), slices.Clone(s.LAGs)
			var probs []topology.Problem
			p.Decode(tw, &c, &probs)
		}
		tag = "vlanfdb"
		vendors.VLANFDB(tw, 10, s)
	}
	return r
}

func sortedAccesses(m map[access]bool) []access {
	out := make([]access, 0, len(m))
	for a := range m {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b access) int { return vendors.CompareOID(a.oid, b.oid) })
	return out
}

// TestColumnsCoverDecoders: every OID the standard decoder reads is in
// vendors.StandardColumns, every OID a profile's decoder reads is in
// StandardColumns or its Columns, and every OID VLANFDB reads of the
// subtrees a per-VLAN context serves is in VLANFDBColumns: a lean walk
// (collect/snmp) reads all a decoder needs.
func TestColumnsCoverDecoders(t *testing.T) {
	r := traceDecoders(t)
	profs := map[string]vendors.Profile{}
	for _, p := range all.Profiles() {
		profs[p.Name] = p
	}
	for tag, m := range r {
		var cols []string
		switch tag {
		case "standard":
			cols = vendors.StandardColumns
		case "vlanfdb":
			cols = vendors.VLANFDBColumns
		default:
			cols = slices.Concat(vendors.StandardColumns, profs[tag].Columns)
		}
		for _, a := range sortedAccesses(m) {
			if tag == "vlanfdb" && !vendors.Covers(vendors.VLANFDBOIDs, a.oid, a.any) {
				continue // not served in a VLAN context: nothing to walk
			}
			if !vendors.Covers(cols, a.oid, a.any) {
				what := "reads"
				if a.any {
					what = "asks whether anything lies below"
				}
				where := "the profile's Columns"
				switch tag {
				case "standard":
					where = "vendors.StandardColumns"
				case "vlanfdb":
					where = "vendors.VLANFDBColumns"
				}
				t.Errorf("%s decoder %s %s, which no declared column covers (add it to %s)", tag, what, a.oid, where)
			}
		}
	}
}

// TestColumnsAreRead: every declared column is read by its decoder on
// some walk (a column never read is walked for nothing), and no profile
// declares a column StandardColumns already has. The per-VLAN FDB's VLAN
// list (collect/snmp VTPVlanState) is read by the poller, not a decoder.
func TestColumnsAreRead(t *testing.T) {
	r := traceDecoders(t)
	used := func(tag, col string) bool {
		for a := range r[tag] {
			if !a.any && vendors.Covers([]string{col}, a.oid, false) {
				return true
			}
		}
		return false
	}
	check := func(tag string, cols []string) {
		seen := map[string]bool{}
		for _, c := range cols {
			if seen[c] {
				t.Errorf("%s: column %s declared twice", tag, c)
			}
			seen[c] = true
			if !used(tag, c) {
				t.Errorf("%s: column %s is declared but its decoder never reads it", tag, c)
			}
		}
	}
	check("standard", vendors.StandardColumns)
	check("vlanfdb", vendors.VLANFDBColumns)
	for _, p := range all.Profiles() {
		var cols []string
		for _, c := range p.Columns {
			if vendors.Covers(vendors.StandardColumns, c, false) {
				t.Errorf("%s: column %s is already in vendors.StandardColumns", p.Name, c)
			}
			if p.PerVLANFDB && c == snmp.VTPVlanState {
				continue
			}
			cols = append(cols, c)
		}
		if p.PerVLANFDB && !slices.Contains(p.Columns, snmp.VTPVlanState) {
			t.Errorf("%s: PerVLANFDB, but Columns lack the VLAN list %s the poller reads", p.Name, snmp.VTPVlanState)
		}
		check(p.Name, cols)
	}
	if testing.Verbose() {
		var b strings.Builder
		for tag, m := range r {
			fmt.Fprintf(&b, "%s: %d distinct reads\n", tag, len(m))
		}
		t.Log(b.String())
	}
}

// TestFullWalkHoldsColumns: every declared column lies within the
// subtrees a full walk reads (StandardOIDs and the profile's OIDs), so
// the full walk a lean one is compared with (collect/snmp
// TestPollMatchesFile) reads everything the lean one does. One known
// exception: the Cisco channel decoder, shared by IOS and NX-OS, reads
// CISCO-PAGP-MIB, which NX-OS does not implement and its full walk never
// read; the lean walk asks for those columns (an empty column costs no
// request of its own).
func TestFullWalkHoldsColumns(t *testing.T) {
	known := map[string]bool{
		"cisco-nxos 1.3.6.1.4.1.9.9.98.1.1.1.1.1": true, "cisco-nxos 1.3.6.1.4.1.9.9.98.1.1.1.1.8": true,
		"cisco-nxos 1.3.6.1.4.1.9.9.98.1.2.1.1.1": true,
	}
	check := func(name string, cols, roots []string) {
		for _, c := range cols {
			if !vendors.Covers(roots, c, false) && !known[name+" "+c] {
				t.Errorf("%s: column %s lies outside the subtrees of a full walk %v", name, c, roots)
			}
		}
	}
	check("standard", vendors.StandardColumns, vendors.StandardOIDs)
	check("vlanfdb", vendors.VLANFDBColumns, vendors.VLANFDBOIDs)
	for _, p := range all.Profiles() {
		check(p.Name, p.Columns, slices.Concat(vendors.StandardOIDs, p.OIDs))
	}
}
