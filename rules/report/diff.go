package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// DiffSchema is the version of `diff --format json`.
const DiffSchema = "bondaudit.diff/v1"

// DiffSide is one version of the site, joined and judged.
type DiffSide struct {
	Name     string
	Model    *topology.Model
	Findings []rules.Finding
	Problems []string
}

// Diff is what diff reports.
type Diff struct {
	Generated time.Time
	Old, New  *DiffSide
	Drift     *topology.Drift
	// Delta sorts the findings of NEW against OLD (new, resolved,
	// unchanged, and gone with a host or switch NEW no longer has);
	// waived findings are in none.
	Delta rules.Delta
}

// NewDiff compares two sides: the topology drift and the findings. The
// findings of OLD about a host or switch that NEW no longer has are gone
// with it, not resolved.
func NewDiff(old, new *DiffSide, generated time.Time) *Diff {
	drift := topology.Diff(old.Model, new.Model)
	return &Diff{Generated: generated, Old: old, New: new, Drift: drift,
		Delta: rules.Compare(old.Findings, new.Findings).WithGone(drift.HostsRemoved, drift.SwitchesRemoved)}
}

// MissingCount is "1 missing host", "2 missing switches", "1 missing host
// and 2 missing switches": what findings went with.
func MissingCount(hosts, switches int) string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 missing " + one
		}
		return fmt.Sprintf("%d missing %s", n, many)
	}
	switch {
	case hosts > 0 && switches > 0:
		return plural(hosts, "host", "hosts") + " and " + plural(switches, "switch", "switches")
	case switches > 0:
		return plural(switches, "switch", "switches")
	}
	return plural(hosts, "host", "hosts")
}

// goneSummary is ", 3 gone with 1 missing host" when NEW lacks hosts or
// switches OLD had, else "".
func (r *Diff) goneSummary() string {
	h, s := len(r.Drift.HostsRemoved), len(r.Drift.SwitchesRemoved)
	if h == 0 && s == 0 {
		return ""
	}
	return fmt.Sprintf(", %d gone with %s", len(r.Delta.Gone), MissingCount(h, s))
}

// diffSubject is "host: bond NIC → switch port", leaving out what is not set.
func diffSubject(f rules.Finding) string {
	s := where(f)
	switch {
	case f.Host == "":
		return s
	case s == "":
		return f.Host
	}
	return f.Host + ": " + s
}

// driftLine is one change in words, for text and Markdown.
type driftLine struct {
	area, change, subject, detail string
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func fieldChanges(cs []topology.FieldChange) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s → %s", c.Field, orNone(c.Old), orNone(c.New)))
	}
	return out
}

// plusMinus is "+a +b −c" for a set change.
func plusMinus(added, removed []string) string {
	var out []string
	for _, s := range added {
		out = append(out, "+"+s)
	}
	for _, s := range removed {
		out = append(out, "−"+s)
	}
	return strings.Join(out, " ")
}

func intStrings(vs []int) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, strconv.Itoa(v))
	}
	return out
}

func driftLines(d *topology.Drift) []driftLine {
	var out []driftLine
	add := func(area, change, subject, detail string) {
		out = append(out, driftLine{area, change, subject, detail})
	}
	for _, g := range []struct {
		kind, change string
		names        []string
	}{{"host", "added", d.HostsAdded}, {"host", "removed", d.HostsRemoved},
		{"switch", "added", d.SwitchesAdded}, {"switch", "removed", d.SwitchesRemoved}} {
		for _, n := range g.names {
			add(g.kind, g.change, n, "")
		}
	}
	for _, m := range d.LinksMoved {
		add("cabling", "moved", m.Host+" "+m.NIC, fmt.Sprintf("%s %s → %s %s", m.From.Switch, m.From.Port, m.To.Switch, m.To.Port))
	}
	for _, l := range d.LinksGained {
		add("cabling", "gained", l.Host+" "+l.NIC, fmt.Sprintf("now on %s %s", l.Switch, l.Port))
	}
	for _, l := range d.LinksLost {
		add("cabling", "lost", l.Host+" "+l.NIC, fmt.Sprintf("was on %s %s", l.Switch, l.Port))
	}
	for _, b := range d.BondsAdded {
		add("bond", "added", b.Host+" "+b.Bond, refDetail(string(b.Mode), "slaves", b.Slaves))
	}
	for _, b := range d.BondsRemoved {
		add("bond", "removed", b.Host+" "+b.Bond, refDetail(string(b.Mode), "slaves", b.Slaves))
	}
	for _, b := range d.BondsChanged {
		add("bond", "changed", b.Host+" "+b.Bond, changeDetail(b.Changes, "slaves", b.SlavesAdded, b.SlavesRemoved))
	}
	for _, l := range d.LAGsAdded {
		add("LAG", "added", l.Switch+" "+l.LAG, refDetail(string(l.Kind), "members", l.Members))
	}
	for _, l := range d.LAGsRemoved {
		add("LAG", "removed", l.Switch+" "+l.LAG, refDetail(string(l.Kind), "members", l.Members))
	}
	for _, l := range d.LAGsChanged {
		add("LAG", "changed", l.Switch+" "+l.LAG, changeDetail(l.Changes, "members", l.MembersAdded, l.MembersRemoved))
	}
	for _, v := range d.PortVLANs {
		var parts []string
		if v.PVID != nil {
			parts = append(parts, fmt.Sprintf("pvid %d → %d", v.PVID.Old, v.PVID.New))
		}
		if s := plusMinus(intStrings(v.TaggedAdded), intStrings(v.TaggedRemoved)); s != "" {
			parts = append(parts, "tagged "+s)
		}
		if s := plusMinus(intStrings(v.UntaggedAdded), intStrings(v.UntaggedRemoved)); s != "" {
			parts = append(parts, "untagged "+s)
		}
		add("VLANs", "changed", fmt.Sprintf("%s %s (%s)", v.Switch, v.Port, strings.Join(v.Hosts, ", ")), strings.Join(parts, "; "))
	}
	return out
}

func siteCounts(s *DiffSide) Summary {
	return Summarize(&Report{Model: s.Model, Findings: s.Findings})
}

// diffGroups are a diff's new, resolved and gone findings, each set
// grouped into problems as the audit groups them (rules.Group on a copy):
// the copies, each finding's Problem set, and the problems.
type diffGroups struct {
	new, resolved, gone       []rules.Finding
	newPs, resolvedPs, gonePs []rules.Problem
}

func (r *Diff) grouped() diffGroups {
	var g diffGroups
	g.new, g.newPs = grouped(r.Delta.New)
	g.resolved, g.resolvedPs = grouped(r.Delta.Resolved)
	g.gone, g.gonePs = grouped(r.Delta.Gone)
	return g
}

// diffProblemsJSON is the diff's "problems": the new, resolved and gone
// findings' problems (each list never null).
type diffProblemsJSON struct {
	New      []ProblemJSON `json:"new"`
	Resolved []ProblemJSON `json:"resolved"`
	Gone     []ProblemJSON `json:"gone"`
}

func (g diffGroups) json() diffProblemsJSON {
	return diffProblemsJSON{problemsJSON(g.newPs), problemsJSON(g.resolvedPs), problemsJSON(g.gonePs)}
}

func writeDiffText(w io.Writer, r *Diff) error {
	ew := &errWriter{w: w}
	t := escape.Text
	ew.printf("bondaudit diff: %s → %s, %s\n", t(r.Old.Name), t(r.New.Name), r.Generated.UTC().Format("2006-01-02 15:04 UTC"))
	for _, s := range []*DiffSide{r.Old, r.New} {
		c := siteCounts(s)
		ew.printf("  %s: %d hosts, %d bonds, %d switches, %d links; findings: %d error, %d warning, %d info\n",
			t(s.Name), c.Hosts, c.Bonds, c.Switches, c.Links, c.Findings[rules.Error], c.Findings[rules.Warning], c.Findings[rules.Info])
	}
	lines := driftLines(r.Drift)
	ew.printf("\nCHANGES: %d\n", len(lines))
	for _, l := range lines {
		if l.detail == "" {
			ew.printf("  %-8s %-8s %s\n", l.area, l.change, t(l.subject))
		} else {
			ew.printf("  %-8s %-8s %s: %s\n", l.area, l.change, t(l.subject), t(l.detail))
		}
	}
	ew.printf("\nFINDINGS: %d new, %d resolved, %d unchanged%s\n", len(r.Delta.New), len(r.Delta.Resolved), len(r.Delta.Unchanged), r.goneSummary())
	// ~ marks a finding gone with its host or switch: not checked, not fixed.
	// Each set is grouped into problems as the audit groups them: a
	// problem's primary finding, then its other findings under it.
	g := r.grouped()
	for _, set := range []struct {
		mark string
		ps   []rules.Problem
	}{{"+", g.newPs}, {"-", g.resolvedPs}, {"~", g.gonePs}} {
		problemRows(set.ps, func(f rules.Finding, first bool, others int) {
			indent, more := "    ", ""
			if first {
				indent = ""
				if others > 0 {
					more = "  +" + plural(others, "finding", "findings")
				}
			}
			ew.printf("%s  %s %-8s %-30s %s: %s%s\n", indent, set.mark, strings.ToUpper(f.Severity.String()), t(f.Rule), t(diffSubject(f)), t(f.Message), more)
		})
	}
	for _, s := range []*DiffSide{r.Old, r.New} {
		if len(s.Problems) > 0 {
			ew.printf("\nNOT READ in %s (%d)\n", t(s.Name), len(s.Problems))
			for _, p := range slices.Sorted(slices.Values(s.Problems)) {
				ew.printf("  %s\n", t(p))
			}
		}
	}
	return ew.err
}

func writeDiffMarkdown(w io.Writer, r *Diff) error {
	ew := &errWriter{w: w}
	ew.printf("# bondaudit diff: %s → %s\n\n", mdCell(r.Old.Name), mdCell(r.New.Name))
	ew.printf("Generated %s.\n\n", r.Generated.UTC().Format("2006-01-02T15:04Z07:00"))
	ew.printf("| site | hosts | bonds | switches | links | errors | warnings | info |\n")
	ew.printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, s := range []*DiffSide{r.Old, r.New} {
		c := siteCounts(s)
		ew.printf("| %s | %d | %d | %d | %d | %d | %d | %d |\n", mdCell(s.Name), c.Hosts, c.Bonds, c.Switches, c.Links,
			c.Findings[rules.Error], c.Findings[rules.Warning], c.Findings[rules.Info])
	}
	lines := driftLines(r.Drift)
	ew.printf("\n## Changes (%d)\n\n", len(lines))
	if len(lines) == 0 {
		ew.printf("No changes.\n")
	} else {
		ew.printf("| area | change | subject | detail |\n| --- | --- | --- | --- |\n")
		for _, l := range lines {
			ew.printf("| %s | %s | %s | %s |\n", l.area, l.change, mdCell(l.subject), mdCell(l.detail))
		}
	}
	ew.printf("\n## Findings: %d new, %d resolved, %d unchanged%s\n", len(r.Delta.New), len(r.Delta.Resolved), len(r.Delta.Unchanged), r.goneSummary())
	g := r.grouped()
	for _, set := range []struct {
		title string
		ps    []rules.Problem
	}{{"New", g.newPs}, {"Resolved", g.resolvedPs}, {"Gone with a missing host or switch (not checked, not resolved)", g.gonePs}} {
		if len(set.ps) == 0 {
			continue
		}
		// A problem's primary finding, then its other findings (↳).
		ew.printf("\n### %s\n\n| severity | rule | subject | message |\n| --- | --- | --- | --- |\n", set.title)
		problemRows(set.ps, func(f rules.Finding, first bool, others int) {
			rule, more := "↳ "+escape.MarkdownCode(f.Rule), ""
			if first {
				rule = escape.MarkdownCode(f.Rule)
				if others > 0 {
					more = " (+" + plural(others, "finding", "findings") + ")"
				}
			}
			ew.printf("| %s | %s | %s | %s%s |\n", f.Severity, rule, mdCell(diffSubject(f)), mdCell(f.Message), more)
		})
	}
	for _, s := range []*DiffSide{r.Old, r.New} {
		if len(s.Problems) > 0 {
			ew.printf("\n### Not read in %s\n\n", mdCell(s.Name))
			for _, p := range slices.Sorted(slices.Values(s.Problems)) {
				ew.printf("- %s\n", mdCell(p))
			}
		}
	}
	return ew.err
}

// writeDiffJSON writes the diff as one JSON object (DiffSchema), its
// findings lists streamed element by element as the audit's JSON report
// streams its own (jsonObject): a diff of two 100k-host sites lists every
// finding of both, and is never held whole.
func writeDiffJSON(w io.Writer, r *Diff) error {
	type summary struct {
		Changes   int            `json:"changes"`
		New       map[string]int `json:"new"`
		Resolved  int            `json:"resolved"`
		Unchanged int            `json:"unchanged"`
		Gone      int            `json:"gone"`
	}
	type site struct {
		Site     string   `json:"site"`
		Summary  Summary  `json:"summary"`
		Problems []string `json:"problems,omitempty"`
	}
	side := func(s *DiffSide) site {
		return site{Site: s.Name, Summary: siteCounts(s), Problems: slices.Sorted(slices.Values(s.Problems))}
	}
	sum := summary{Changes: r.Drift.Count(), New: map[string]int{"error": 0, "warning": 0, "info": 0},
		Resolved: len(r.Delta.Resolved), Unchanged: len(r.Delta.Unchanged), Gone: len(r.Delta.Gone)}
	for _, f := range r.Delta.New {
		sum.New[f.Severity.String()]++
	}
	list := func(key string, fs []rules.Finding) jsonList {
		return jsonList{key: key, n: len(fs), elem: func(b []byte, i int) []byte {
			f := active(fs[i])
			return f.appendJSON(b, 6)
		}}
	}
	o := newJSONObject(w)
	o.field("schema", DiffSchema)
	o.field("generated", r.Generated.UTC().Format(time.RFC3339))
	o.field("old", side(r.Old))
	o.field("new", side(r.New))
	o.field("summary", sum)
	o.field("changes", r.Drift)
	// Gone: findings of OLD about a host or switch NEW no longer has
	// (changes.hosts_removed, changes.switches_removed); not resolved.
	g := r.grouped()
	o.listsField("findings", list("new", g.new), list("resolved", g.resolved),
		list("unchanged", r.Delta.Unchanged), list("gone", g.gone))
	o.field("problems", g.json())
	return o.close()
}

// refDetail describes a bond or LAG that came or went: its mode or kind,
// then its slaves or members (what).
func refDetail(kind, what string, names []string) string {
	return fmt.Sprintf("%s, %s %s", kind, what, orNone(strings.Join(names, " ")))
}

// changeDetail describes a changed bond or LAG: its settings, then the
// slaves or members (what) that came and went.
func changeDetail(changes []topology.FieldChange, what string, added, removed []string) string {
	parts := fieldChanges(changes)
	if s := plusMinus(added, removed); s != "" {
		parts = append(parts, what+" "+s)
	}
	return strings.Join(parts, "; ")
}
