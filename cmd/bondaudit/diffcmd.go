package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// DiffSchema is the version of `diff --format json`.
const DiffSchema = "bondaudit.diff/v1"

func (a *app) diffCmd() *cobra.Command {
	var format, output, failOn, policy string
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Topology and findings drift between two versions of a site",
		Long: `Read two versions of a site (two site folders, or two dated snapshot folders
of one site), join each, and list what changed from OLD to NEW:

  cabling     host NICs moved to another switch port, links gained or lost
  hosts       hosts and switches that came or went
  bonds       bonds added or removed; mode, parameter (miimon, updelay,
              downdelay, arp_interval, lacp_rate, xmit_hash_policy,
              min_links, …) and slave changes
  LAGs        port-channels added or removed; kind and member changes
  VLANs       PVID, tagged and untagged VLANs of the switch ports hosts are
              cabled to (and of their port-channels)

then runs every rule on both (each with its own policy.yaml, or --policy)
and sorts the findings into new, resolved and unchanged, matched by rule
and subject (host, bond, NIC, switch, port). Findings waived by the policy
are left out.

"demo" names the built-in example site when there is no folder of that name.
Exit status: 0 no new finding at or above --fail-on, 1 new findings at or
above it, 2 the run failed.`,
		Example: "  bondaudit diff /var/lib/bondaudit/history/2026-11-24 /var/lib/bondaudit/history/2026-11-25\n" +
			"  bondaudit diff site-before site-after --format markdown -o CHG-4711-drift.md\n" +
			"  bondaudit diff old new --format json | jq '.changes.links_moved[]'",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" && format != "markdown" {
				return failed(fmt.Errorf("--format %q: want text, json or markdown", format))
			}
			threshold, never, err := parseFailOn(failOn)
			if err != nil {
				return failed(err)
			}
			names := diffLabels(args[0], args[1])
			var sides [2]*diffSide
			for i, arg := range args {
				if sides[i], err = a.diffLoad(arg, names[i], policy); err != nil {
					return err
				}
			}
			res := &diffResult{Generated: a.now(), Old: sides[0], New: sides[1],
				Drift: topology.Diff(sides[0].model, sides[1].model)}
			res.Added, res.Resolved, res.Unchanged = classifyFindings(sides[0].findings, sides[1].findings)
			if err := a.writeOutput(output, func(w io.Writer) error { return writeDiff(w, res, format) }); err != nil {
				return failed(err)
			}
			if never {
				return nil
			}
			for _, f := range res.Added {
				if f.Severity >= threshold {
					return &exitError{code: exitFindings}
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text, json or markdown")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	cmd.Flags().StringVar(&failOn, "fail-on", "error", "exit 1 when a NEW finding at or above this severity appears: error, warning, info, never")
	cmd.Flags().StringVar(&policy, "policy", "", "policy file for both sides; default: each site's own policy.yaml")
	return cmd
}

// diffLabels names the two sides: each site's folder name, or the paths
// as given when the names are the same (two dated copies of "site").
func diffLabels(old, new string) [2]string {
	a, b := siteName(old), siteName(new)
	if a == b {
		a, b = filepath.Clean(old), filepath.Clean(new)
	}
	return [2]string{a, b}
}

// diffSide is one version of the site, joined and judged.
type diffSide struct {
	name     string
	model    *topology.Model
	findings []rules.Finding
	problems []string
}

func (a *app) diffLoad(arg, name, policy string) (*diffSide, error) {
	var fsys fs.FS
	if arg == "demo" {
		if _, err := os.Stat(arg); err != nil {
			fsys = demo.FS()
		}
	}
	if fsys == nil {
		var err error
		if fsys, err = a.openSite(arg); err != nil {
			return nil, failed(err)
		}
	}
	pol, err := loadPolicy(fsys, policy)
	if err != nil {
		return nil, failed(fmt.Errorf("site %s: %w", arg, err))
	}
	site, m, err := a.loadAndBuild(fsys, name)
	if err != nil {
		return nil, err
	}
	found := pol.Apply(rules.Run(m, pol.Params(), pol.Enabled), a.now())
	return &diffSide{name: name, model: m, findings: found,
		problems: append(append([]string(nil), site.Problems...), m.Problems...)}, nil
}

// diffResult is what diff reports.
type diffResult struct {
	Generated time.Time
	Old, New  *diffSide
	Drift     *topology.Drift
	// Added are findings of NEW not in OLD, Resolved of OLD not in NEW,
	// Unchanged of NEW also in OLD; waived findings are in none.
	Added, Resolved, Unchanged []rules.Finding
}

// classifyFindings sorts findings into new, resolved and unchanged by
// findingKey (rule and subject); waived (suppressed) findings count on
// neither side. Each list keeps report order.
func classifyFindings(old, new []rules.Finding) (added, resolved, unchanged []rules.Finding) {
	keys := func(fs []rules.Finding) map[string]bool {
		m := map[string]bool{}
		for _, f := range fs {
			if f.Status != rules.StatusSuppressed {
				m[findingKey(f)] = true
			}
		}
		return m
	}
	ok, nk := keys(old), keys(new)
	for _, f := range new {
		switch {
		case f.Status == rules.StatusSuppressed:
		case ok[findingKey(f)]:
			unchanged = append(unchanged, f)
		default:
			added = append(added, f)
		}
	}
	for _, f := range old {
		if f.Status != rules.StatusSuppressed && !nk[findingKey(f)] {
			resolved = append(resolved, f)
		}
	}
	return added, resolved, unchanged
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
	for _, h := range d.HostsAdded {
		add("host", "added", h, "")
	}
	for _, h := range d.HostsRemoved {
		add("host", "removed", h, "")
	}
	for _, s := range d.SwitchesAdded {
		add("switch", "added", s, "")
	}
	for _, s := range d.SwitchesRemoved {
		add("switch", "removed", s, "")
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
		add("bond", "added", b.Host+" "+b.Bond, fmt.Sprintf("%s, slaves %s", b.Mode, orNone(strings.Join(b.Slaves, " "))))
	}
	for _, b := range d.BondsRemoved {
		add("bond", "removed", b.Host+" "+b.Bond, fmt.Sprintf("%s, slaves %s", b.Mode, orNone(strings.Join(b.Slaves, " "))))
	}
	for _, b := range d.BondsChanged {
		parts := fieldChanges(b.Changes)
		if s := plusMinus(b.SlavesAdded, b.SlavesRemoved); s != "" {
			parts = append(parts, "slaves "+s)
		}
		add("bond", "changed", b.Host+" "+b.Bond, strings.Join(parts, "; "))
	}
	for _, l := range d.LAGsAdded {
		add("LAG", "added", l.Switch+" "+l.LAG, fmt.Sprintf("%s, members %s", l.Kind, orNone(strings.Join(l.Members, " "))))
	}
	for _, l := range d.LAGsRemoved {
		add("LAG", "removed", l.Switch+" "+l.LAG, fmt.Sprintf("%s, members %s", l.Kind, orNone(strings.Join(l.Members, " "))))
	}
	for _, l := range d.LAGsChanged {
		parts := fieldChanges(l.Changes)
		if s := plusMinus(l.MembersAdded, l.MembersRemoved); s != "" {
			parts = append(parts, "members "+s)
		}
		add("LAG", "changed", l.Switch+" "+l.LAG, strings.Join(parts, "; "))
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

// findingSubject is "host: bond NIC → switch port", leaving out what is not set.
func findingSubject(f rules.Finding) string {
	hostSide := strings.Join(slices.DeleteFunc([]string{f.Bond, f.NIC}, func(s string) bool { return s == "" }), " ")
	switchSide := strings.Join(slices.DeleteFunc([]string{f.Switch, f.Port}, func(s string) bool { return s == "" }), " ")
	s := hostSide
	switch {
	case hostSide != "" && switchSide != "":
		s = hostSide + " → " + switchSide
	case hostSide == "":
		s = switchSide
	}
	if f.Host != "" {
		if s == "" {
			return f.Host
		}
		return f.Host + ": " + s
	}
	return s
}

func siteCounts(s *diffSide) report.Summary {
	return report.Summarize(&report.Report{Model: s.model, Findings: s.findings})
}

func writeDiff(w io.Writer, r *diffResult, format string) error {
	switch format {
	case "json":
		return writeDiffJSON(w, r)
	case "markdown":
		return writeDiffMarkdown(w, r)
	}
	return writeDiffText(w, r)
}

func writeDiffText(w io.Writer, r *diffResult) error {
	ew := &diffWriter{w: w}
	t := escape.Text
	ew.printf("bondaudit diff: %s → %s, %s\n", t(r.Old.name), t(r.New.name), r.Generated.UTC().Format("2006-01-02 15:04 UTC"))
	for _, s := range []*diffSide{r.Old, r.New} {
		c := siteCounts(s)
		ew.printf("  %s: %d hosts, %d bonds, %d switches, %d links; findings: %d error, %d warning, %d info\n",
			t(s.name), c.Hosts, c.Bonds, c.Switches, c.Links, c.Findings[rules.Error], c.Findings[rules.Warning], c.Findings[rules.Info])
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
	ew.printf("\nFINDINGS: %d new, %d resolved, %d unchanged\n", len(r.Added), len(r.Resolved), len(r.Unchanged))
	for _, set := range []struct {
		mark string
		fs   []rules.Finding
	}{{"+", r.Added}, {"-", r.Resolved}} {
		for _, f := range set.fs {
			ew.printf("  %s %-8s %-30s %s: %s\n", set.mark, strings.ToUpper(f.Severity.String()), t(f.Rule), t(findingSubject(f)), t(f.Message))
		}
	}
	for _, s := range []*diffSide{r.Old, r.New} {
		if len(s.problems) > 0 {
			ew.printf("\nNOT READ in %s (%d)\n", t(s.name), len(s.problems))
			for _, p := range slices.Sorted(slices.Values(s.problems)) {
				ew.printf("  %s\n", t(p))
			}
		}
	}
	return ew.err
}

// mdCellText escapes a Markdown table cell or text (escape.Markdown: the
// names in it come from the hosts and the wire).
func mdCellText(s string) string { return escape.Markdown(s) }

func writeDiffMarkdown(w io.Writer, r *diffResult) error {
	ew := &diffWriter{w: w}
	ew.printf("# bondaudit diff: %s → %s\n\n", mdCellText(r.Old.name), mdCellText(r.New.name))
	ew.printf("Generated %s.\n\n", r.Generated.UTC().Format("2006-01-02T15:04Z07:00"))
	ew.printf("| site | hosts | bonds | switches | links | errors | warnings | info |\n")
	ew.printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, s := range []*diffSide{r.Old, r.New} {
		c := siteCounts(s)
		ew.printf("| %s | %d | %d | %d | %d | %d | %d | %d |\n", mdCellText(s.name), c.Hosts, c.Bonds, c.Switches, c.Links,
			c.Findings[rules.Error], c.Findings[rules.Warning], c.Findings[rules.Info])
	}
	lines := driftLines(r.Drift)
	ew.printf("\n## Changes (%d)\n\n", len(lines))
	if len(lines) == 0 {
		ew.printf("No changes.\n")
	} else {
		ew.printf("| area | change | subject | detail |\n| --- | --- | --- | --- |\n")
		for _, l := range lines {
			ew.printf("| %s | %s | %s | %s |\n", l.area, l.change, mdCellText(l.subject), mdCellText(l.detail))
		}
	}
	ew.printf("\n## Findings: %d new, %d resolved, %d unchanged\n", len(r.Added), len(r.Resolved), len(r.Unchanged))
	for _, set := range []struct {
		title string
		fs    []rules.Finding
	}{{"New", r.Added}, {"Resolved", r.Resolved}} {
		if len(set.fs) == 0 {
			continue
		}
		ew.printf("\n### %s\n\n| severity | rule | subject | message |\n| --- | --- | --- | --- |\n", set.title)
		for _, f := range set.fs {
			ew.printf("| %s | %s | %s | %s |\n", f.Severity, escape.MarkdownCode(f.Rule), mdCellText(findingSubject(f)), mdCellText(f.Message))
		}
	}
	for _, s := range []*diffSide{r.Old, r.New} {
		if len(s.problems) > 0 {
			ew.printf("\n### Not read in %s\n\n", mdCellText(s.name))
			for _, p := range slices.Sorted(slices.Values(s.problems)) {
				ew.printf("- %s\n", mdCellText(p))
			}
		}
	}
	return ew.err
}

type diffFindingJSON struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Host     string   `json:"host,omitempty"`
	Bond     string   `json:"bond,omitempty"`
	NIC      string   `json:"nic,omitempty"`
	Switch   string   `json:"switch,omitempty"`
	Port     string   `json:"port,omitempty"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}

type diffSiteJSON struct {
	Site     string         `json:"site"`
	Summary  report.Summary `json:"summary"`
	Problems []string       `json:"problems,omitempty"`
}

func diffFindingsJSON(fs []rules.Finding) []diffFindingJSON {
	out := []diffFindingJSON{}
	for _, f := range fs {
		out = append(out, diffFindingJSON{Rule: f.Rule, Severity: f.Severity.String(), Host: f.Host, Bond: f.Bond, NIC: f.NIC,
			Switch: f.Switch, Port: f.Port, Message: f.Message, Fix: f.Fix, Evidence: f.Evidence})
	}
	return out
}

func writeDiffJSON(w io.Writer, r *diffResult) error {
	type findings struct {
		New       []diffFindingJSON `json:"new"`
		Resolved  []diffFindingJSON `json:"resolved"`
		Unchanged []diffFindingJSON `json:"unchanged"`
	}
	type summary struct {
		Changes   int            `json:"changes"`
		New       map[string]int `json:"new"`
		Resolved  int            `json:"resolved"`
		Unchanged int            `json:"unchanged"`
	}
	side := func(s *diffSide) diffSiteJSON {
		return diffSiteJSON{Site: s.name, Summary: siteCounts(s), Problems: slices.Sorted(slices.Values(s.problems))}
	}
	out := struct {
		Schema    string          `json:"schema"`
		Generated string          `json:"generated"`
		Old       diffSiteJSON    `json:"old"`
		New       diffSiteJSON    `json:"new"`
		Summary   summary         `json:"summary"`
		Changes   *topology.Drift `json:"changes"`
		Findings  findings        `json:"findings"`
	}{
		Schema: DiffSchema, Generated: r.Generated.UTC().Format(time.RFC3339),
		Old: side(r.Old), New: side(r.New),
		Summary: summary{Changes: r.Drift.Count(), New: map[string]int{"error": 0, "warning": 0, "info": 0},
			Resolved: len(r.Resolved), Unchanged: len(r.Unchanged)},
		Changes:  r.Drift,
		Findings: findings{diffFindingsJSON(r.Added), diffFindingsJSON(r.Resolved), diffFindingsJSON(r.Unchanged)},
	}
	for _, f := range r.Added {
		out.Summary.New[f.Severity.String()]++
	}
	return escape.JSON(w).Encode(out)
}

// diffWriter keeps the first write error.
type diffWriter struct {
	w   io.Writer
	err error
}

func (d *diffWriter) printf(format string, args ...any) {
	if d.err == nil {
		_, d.err = fmt.Fprintf(d.w, format, args...)
	}
}

// ---- audit --baseline / --save-baseline ----

// baselineFinding is what a baseline keeps of a finding: its key and
// enough to name it.
type baselineFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Status   string `json:"status"`
	Host     string `json:"host"`
	Bond     string `json:"bond"`
	NIC      string `json:"nic"`
	Switch   string `json:"switch"`
	Port     string `json:"port"`
	Message  string `json:"message"`
}

// readBaseline reads a previous `audit --format json` report.
func readBaseline(path string) (site string, findings []baselineFinding, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	var doc struct {
		Schema   string            `json:"schema"`
		Site     string            `json:"site"`
		Findings []baselineFinding `json:"findings"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", nil, fmt.Errorf("not a bondaudit JSON report: %w", err)
	}
	if doc.Schema != report.JSONSchema {
		return "", nil, fmt.Errorf("not a bondaudit JSON report (schema %q, want %q); write one with --save-baseline or --format json", doc.Schema, report.JSONSchema)
	}
	return doc.Site, doc.Findings, nil
}

// applyBaseline implements audit's --baseline and --save-baseline on a
// finished report. With --baseline FILE (a previous JSON report) it keeps
// in r.Findings only the findings whose rule and subject are not among
// the baseline's active (not waived) findings, and says on stderr how many
// are new, still present and resolved. The returned func writes the full,
// unfiltered report as JSON to --save-baseline (atomically), for the next
// run; call it once the report is out. A missing baseline is an error,
// except with --save-baseline, where it means the first run.
func (a *app) applyBaseline(f auditFlags, r *report.Report) (save func() error, err error) {
	full := *r
	full.Findings = slices.Clone(r.Findings)
	save = func() error {
		if f.saveBaseline == "" {
			return nil
		}
		return a.writeFile("--save-baseline", f.saveBaseline, func(w io.Writer) error { return report.JSON{}.Write(w, &full) })
	}
	if f.baseline == "" {
		return save, nil
	}
	site, prev, err := readBaseline(f.baseline)
	if errors.Is(err, fs.ErrNotExist) && f.saveBaseline != "" {
		fmt.Fprintf(a.stderr, "baseline %s does not exist yet: first run, reporting every finding\n", f.baseline)
		return save, nil
	}
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: %w", f.baseline, err)
	}
	if site != r.Site && a.log != nil {
		a.log.Info("baseline is a report of another site (or folder name)", "baseline", f.baseline, "baseline_site", site, "site", r.Site)
	}
	before := map[string]bool{}
	for _, p := range prev {
		if p.Status != string(rules.StatusSuppressed) {
			before[strings.Join([]string{p.Rule, p.Host, p.Bond, p.NIC, p.Switch, p.Port}, "\x00")] = true
		}
	}
	now := map[string]bool{}
	var kept []rules.Finding
	added, still := 0, 0
	for _, fd := range r.Findings {
		k := findingKey(fd)
		active := fd.Status != rules.StatusSuppressed
		if active {
			now[k] = true
		}
		switch {
		case !before[k]:
			kept = append(kept, fd)
			if active {
				added++
			}
		case active:
			still++
		}
	}
	resolved := 0
	for k := range before {
		if !now[k] {
			resolved++
		}
	}
	r.Findings = kept
	fmt.Fprintf(a.stderr, "compared with baseline %s: %d new, %d still present, %d resolved\n", f.baseline, added, still, resolved)
	return save, nil
}
