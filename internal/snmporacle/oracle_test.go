package snmporacle_test

import (
	"bufio"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/atomicfile"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"github.com/bondaudit/bondaudit/internal/snmporacle"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors/all"
)

var shrink = flag.Bool("shrink-gaps", false, "rewrite testdata/known-gaps.txt without the gaps that are fixed (never adds one)")

const gapsFile = "testdata/known-gaps.txt"

// gap is one known disagreement: in a recording, a line only the oracle
// ("-") or only the product ("+") has, and the issue item that covers it.
type gap struct {
	recording, item, line string
}

func (g gap) key() string { return g.recording + "\t" + g.line }

// readGaps reads testdata/known-gaps.txt: "recording<TAB>item<TAB>line",
// '#' comments.
func readGaps(t *testing.T) ([]gap, []string) {
	t.Helper()
	f, err := os.Open(gapsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var gaps []gap
	var header []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			if len(gaps) == 0 {
				header = append(header, l)
			}
			continue
		}
		p := strings.SplitN(l, "\t", 3)
		if len(p) != 3 {
			t.Fatalf("%s: bad line %q", gapsFile, l)
		}
		gaps = append(gaps, gap{p[0], p[1], p[2]})
	}
	return gaps, header
}

// productLines renders the product's LAGs and neighbours in the oracle's
// line format.
func productLines(s *topology.Switch) []string {
	var out []string
	for _, l := range s.LAGs {
		ms := slices.Clone(l.Members)
		slices.Sort(ms)
		out = append(out, snmporacle.LAG{Name: l.Name, Members: ms}.String())
	}
	for _, n := range s.Neighbours {
		if n.Protocol != topology.ProtoLLDP && n.Protocol != topology.ProtoCDP {
			continue
		}
		out = append(out, snmporacle.Neighbour{Protocol: string(n.Protocol), Local: n.LocalPort,
			Chassis: n.ChassisID, SystemName: n.SystemName, Port: n.PortID}.String())
	}
	slices.Sort(out)
	return out
}

// diff is the lines only in a ("-") and only in b ("+"), as multisets.
func diff(a, b []string) []string {
	count := map[string]int{}
	for _, l := range a {
		count[l]++
	}
	for _, l := range b {
		count[l]--
	}
	var out []string
	for l, n := range count {
		for ; n > 0; n-- {
			out = append(out, "- "+l)
		}
		for ; n < 0; n++ {
			out = append(out, "+ "+l)
		}
	}
	slices.Sort(out)
	return out
}

// TestRecordingsAgainstOracle: for every shared recording, the product
// (collect/snmp's reader and vendors/all's decoder, as collect.LoadSite
// runs them) and the independent oracle agree on every LLDP/CDP neighbour's
// local port and remote identity and on every LAG's members, except the
// disagreements listed in testdata/known-gaps.txt with the issue item that
// covers them. A new disagreement fails; so does a listed gap that is gone
// (remove it, or run with -shrink-gaps), so the list only shrinks.
func TestRecordingsAgainstOracle(t *testing.T) {
	files := fixtures.Glob(t, "snmp", "*.snmprec")
	gaps, header := readGaps(t)
	// A line listed n times stands for n identical rows (a neighbour the
	// device lists twice).
	known := map[string]int{}
	for _, g := range gaps {
		known[g.key()]++
	}
	seen := map[string]int{}
	recorded := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".snmprec")
		recorded[name] = true
		raw, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		w, err := snmporacle.Read(raw)
		raw.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := snmporacle.Decode(w).Lines()
		pw, _, err := snmp.ReadWalkFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := all.Decode(pw, name)
		got := productLines(s)
		var fresh []string
		nGap := 0
		for _, d := range diff(want, got) {
			k := name + "\t" + d
			if seen[k] < known[k] {
				seen[k]++
				nGap++
				continue
			}
			fresh = append(fresh, name+"\t?\t"+d)
		}
		nn, nl, dn, dl := 0, 0, 0, 0
		for _, l := range want {
			if strings.HasPrefix(l, "lag ") {
				nl++
			} else {
				nn++
			}
		}
		for _, d := range diff(want, got) {
			if strings.HasPrefix(d, "- lag ") {
				dl++
			} else if strings.HasPrefix(d, "- ") {
				dn++
			}
		}
		t.Logf("%s: neighbours %d/%d agree, LAGs %d/%d agree (%d known gaps)", name, nn-dn, nn, nl-dl, nl, nGap)
		if len(fresh) > 0 {
			t.Errorf("%s: product and oracle disagree (- oracle only, + product only), not in %s:\n%s",
				name, gapsFile, strings.Join(fresh, "\n"))
		}
	}
	var kept []gap
	for _, g := range gaps {
		switch {
		case seen[g.key()] > 0:
			seen[g.key()]--
			kept = append(kept, g)
		case !recorded[g.recording]:
			kept = append(kept, g) // recording absent here: cannot tell
		default:
			if !*shrink {
				t.Errorf("%s: gap fixed, remove it from %s (or run -shrink-gaps): %s\t%s", g.recording, gapsFile, g.item, g.line)
			}
		}
	}
	if *shrink && len(kept) != len(gaps) {
		var b strings.Builder
		for _, l := range header {
			b.WriteString(l + "\n")
		}
		for _, g := range kept {
			fmt.Fprintf(&b, "%s\t%s\t%s\n", g.recording, g.item, g.line)
		}
		if err := atomicfile.WriteFile(gapsFile, []byte(b.String())); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOracleImportsNoProductCode: the oracle is independent: its
// non-test files import the standard library only.
func TestOracleImportsNoProductCode(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
				t.Errorf("%s imports %s: the oracle must not use product or outside code", f, p)
			}
		}
	}
}
