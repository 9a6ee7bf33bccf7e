package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

func (a *app) whatifCmd() *cobra.Command {
	var downs, peers, modules []string
	var format, output, planFile, policyFile string
	var useDemo bool
	cmd := &cobra.Command{
		Use:   "whatif SITE --down SWITCH[:PORT[,PORT…]]",
		Short: "Before a change: what breaks if a switch, port or module goes down",
		Long: `Compute on the joined topology, for every bond with a slave on the elements
taken down, whether it keeps working, fails over (naming the slave that takes
over and whether its switch port carries the same VLANs), loses redundancy (one
link left) or loses connectivity (no link left), and which hosts lose the fabric
(the largest group of switches still joined by switch-to-switch links).

With --plan FILE, planned changes are applied to the site first and the rules
run before and after: the report lists the findings the plan adds and those it
removes ("is this change right?" before it is made):

  changes:
    - move_cable: {host: web02, nic: ens1f1np1, to: "leaf1a:Ethernet7"}
    - bond_mode: {host: app01, bond: bond0, mode: 802.3ad}
    - lag_add: {switch: leaf2, lag: Port-Channel7, kind: lacp, ports: [Ethernet7, Ethernet8]}
    - lag_remove: {switch: access2, lag: Po9, ports: [Gi1/0/10]}
    - vlans: {switch: leaf2, port: Ethernet11, pvid: 10, tagged: [100, 200]}

Do it on paper before anyone touches a cable. Exit status: 0 no bond loses
connectivity and the plan adds no error, 1 otherwise, 2 the run failed.`,
		Example: "  bondaudit whatif ./site --down leaf1a\n" +
			"  bondaudit whatif ./site --down leaf2:Ethernet7,Ethernet8 --format markdown >> CHG-4711.md\n" +
			"  bondaudit whatif ./site --down-mlag-peer leaf1a      # leaf1a's MLAG peer reloads\n" +
			"  bondaudit whatif ./site --down-module access2:2       # stack member 2",
		Args: func(cmd *cobra.Command, args []string) error {
			if useDemo {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" && format != "markdown" {
				return failed(fmt.Errorf("--format %q: want text, json or markdown", format))
			}
			if len(downs)+len(peers)+len(modules) == 0 && planFile == "" {
				return failed(fmt.Errorf("nothing to judge: give --down, --down-mlag-peer, --down-module or --plan"))
			}
			fsys, name := demo.FS(), "demo"
			if !useDemo {
				var serr error
				if fsys, serr = a.openSite(args[0]); serr != nil {
					return failed(serr)
				}
				name = siteName(args[0])
			}
			_, m, err := a.loadAndBuild(fsys, name)
			if err != nil {
				return err
			}
			var pd *planResult
			if planFile != "" {
				changes, err := loadPlan(planFile)
				if err != nil {
					return failed(fmt.Errorf("--plan: %w", err))
				}
				pol, err := loadPolicy(fsys, policyFile)
				if err != nil {
					return failed(err)
				}
				before := pol.Apply(rules.Run(m, pol.Params(), pol.Enabled), a.now())
				// the site as the plan leaves it: a new Model, m stays as read
				if m, err = m.Plan(changes); err != nil {
					return failed(fmt.Errorf("--plan %s: %w", planFile, err))
				}
				after := pol.Apply(rules.Run(m, pol.Params(), pol.Enabled), a.now())
				pd = &planResult{File: planFile, Changes: len(changes)}
				pd.Added, pd.Removed = planDelta(before, after)
			}
			var ds []topology.Down
			for _, s := range downs {
				d, err := topology.ParseDown(s)
				if err != nil {
					return failed(fmt.Errorf("--down %w", err))
				}
				ds = append(ds, d)
			}
			for _, s := range peers {
				ps, err := m.MLAGPeers(s)
				if err != nil {
					return failed(fmt.Errorf("--down-mlag-peer: %w", err))
				}
				for _, p := range ps {
					ds = append(ds, topology.Down{Switch: p})
				}
			}
			for _, s := range modules {
				d, err := topology.ParseDownModule(s)
				if err != nil {
					return failed(fmt.Errorf("--down-module %w", err))
				}
				ds = append(ds, d)
			}
			im, err := m.WhatIf(ds)
			if err != nil {
				return failed(err)
			}
			if err := a.writeOutput(output, func(w io.Writer) error { return writeImpact(w, im, pd, format) }); err != nil {
				return failed(err)
			}
			if im.Isolated() || pd.addsErrors() {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&downs, "down", nil, "take down SWITCH, or SWITCH:PORT[,PORT…] (a port-channel takes its members); repeatable")
	cmd.Flags().StringArrayVar(&peers, "down-mlag-peer", nil, "take down the MLAG/vPC/stack peer(s) of SWITCH; repeatable")
	cmd.Flags().StringArrayVar(&modules, "down-module", nil, "take down stack member or line card N of SWITCH (SWITCH:N); repeatable")
	cmd.Flags().StringVar(&format, "format", "text", "text, json or markdown")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	cmd.Flags().BoolVar(&useDemo, "demo", false, "use the embedded demo site")
	cmd.Flags().StringVar(&planFile, "plan", "", "a YAML list of planned changes (move_cable, bond_mode, lag_add, lag_remove, vlans) applied before judging; the report shows the findings the plan adds and removes")
	cmd.Flags().StringVar(&policyFile, "policy", "", "policy file for judging the plan (default: the site's policy.yaml)")
	return cmd
}

var outcomeWords = map[topology.Outcome]string{
	topology.OutcomeIsolated:   "LOSES CONNECTIVITY",
	topology.OutcomeRedundancy: "loses redundancy",
	topology.OutcomeFailover:   "fails over",
	topology.OutcomeDegraded:   "degraded, still redundant",
}

// links lists slaves and their switch ports, each name through esc (the
// format's escaping: escape.Text or escape.Markdown).
func links(ls []topology.SlaveLink, esc func(string) string) string {
	if len(ls) == 0 {
		return "none"
	}
	var out []string
	for _, l := range ls {
		if l.Switch == "" {
			out = append(out, esc(l.NIC)+"→?")
		} else {
			out = append(out, fmt.Sprintf("%s→%s:%s", esc(l.NIC), esc(l.Switch), esc(l.Port)))
		}
	}
	return strings.Join(out, " ")
}

// planResult is what a plan changes in the findings.
type planResult struct {
	File           string
	Changes        int
	Added, Removed []rules.Finding
}

func (p *planResult) addsErrors() bool {
	if p == nil {
		return false
	}
	for _, f := range p.Added {
		if f.Severity >= rules.Error {
			return true
		}
	}
	return false
}

type jsonPlanFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Host     string `json:"host,omitempty"`
	Bond     string `json:"bond,omitempty"`
	NIC      string `json:"nic,omitempty"`
	Switch   string `json:"switch,omitempty"`
	Port     string `json:"port,omitempty"`
	Message  string `json:"message"`
}

func planJSON(fs []rules.Finding) []jsonPlanFinding {
	out := []jsonPlanFinding{}
	for _, f := range fs {
		out = append(out, jsonPlanFinding{f.Rule, f.Severity.String(), f.Host, f.Bond, f.NIC, f.Switch, f.Port, f.Message})
	}
	return out
}

func writePlan(w io.Writer, p *planResult, md bool) {
	if p == nil {
		return
	}
	head, item := "\nplan %s (%d changes): adds %d finding(s), removes %d\n", "  %s %-8s %-30s %s: %s\n"
	esc, code := escape.Text, escape.Text
	if md {
		head, item = "\n### Plan %s (%d changes): adds %d finding(s), removes %d\n\n", "- %s **%s** %s %s: %s\n"
		esc, code = escape.Markdown, escape.MarkdownCode
	}
	subject := func(f rules.Finding) string {
		if f.Host != "" {
			return f.Host
		}
		return f.Switch
	}
	fmt.Fprintf(w, head, esc(p.File), p.Changes, len(p.Added), len(p.Removed))
	for _, f := range p.Added {
		fmt.Fprintf(w, item, "+", strings.ToUpper(f.Severity.String()), code(f.Rule), esc(subject(f)), esc(f.Message))
	}
	for _, f := range p.Removed {
		fmt.Fprintf(w, item, "-", strings.ToUpper(f.Severity.String()), code(f.Rule), esc(subject(f)), esc(f.Message))
	}
}

func writeImpact(w io.Writer, im *topology.Impact, p *planResult, format string) error {
	switch format {
	case "json":
		enc := escape.JSON(w)
		out := struct {
			Schema string `json:"schema"`
			*topology.Impact
			Plan *struct {
				File    string            `json:"file"`
				Changes int               `json:"changes"`
				Added   []jsonPlanFinding `json:"added"`
				Removed []jsonPlanFinding `json:"removed"`
			} `json:"plan,omitempty"`
		}{Schema: "bondaudit.whatif/v1", Impact: im}
		if p != nil {
			out.Plan = &struct {
				File    string            `json:"file"`
				Changes int               `json:"changes"`
				Added   []jsonPlanFinding `json:"added"`
				Removed []jsonPlanFinding `json:"removed"`
			}{p.File, p.Changes, planJSON(p.Added), planJSON(p.Removed)}
		}
		return enc.Encode(out)
	case "markdown":
		defer writePlan(w, p, true)
		if len(im.Down) == 0 {
			return nil
		}
		md := escape.Markdown
		fmt.Fprintf(w, "## What if %s goes down\n\n", strings.Join(mapStrings(im.Down, md), " + "))
		if len(im.Bonds) == 0 {
			fmt.Fprintf(w, "No bond has a slave on it.\n")
		} else {
			fmt.Fprintf(w, "| host | bond | mode | outcome | lost | remaining | takes over | notes |\n|---|---|---|---|---|---|---|---|\n")
			for _, b := range im.Bonds {
				fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", md(b.Host), md(b.Bond), md(b.Mode), outcomeWords[b.Outcome],
					links(b.Lost, md), links(b.Remaining, md), md(b.TakesOver), strings.Join(mapStrings(b.Notes, md), "; "))
			}
		}
		if len(im.Unreachable) > 0 {
			fmt.Fprintf(w, "\n**Hosts cut off from the fabric:** %s\n", strings.Join(mapStrings(im.Unreachable, md), ", "))
		}
		return nil
	}
	defer writePlan(w, p, false)
	if len(im.Down) == 0 {
		return nil
	}
	t := escape.Text
	fmt.Fprintf(w, "what if %s goes down\n\n", strings.Join(escape.Texts(im.Down), " + "))
	if len(im.Bonds) == 0 {
		fmt.Fprintf(w, "no bond has a slave on it\n")
	}
	for _, b := range im.Bonds {
		fmt.Fprintf(w, "%-20s %s %s (%s)\n", outcomeWords[b.Outcome], t(b.Host), t(b.Bond), t(b.Mode))
		fmt.Fprintf(w, "    lost:      %s\n    remaining: %s\n", links(b.Lost, t), links(b.Remaining, t))
		if b.TakesOver != "" {
			fmt.Fprintf(w, "    takes over: %s\n", t(b.TakesOver))
		}
		for _, n := range b.Notes {
			fmt.Fprintf(w, "    note: %s\n", t(n))
		}
	}
	if len(im.Unreachable) > 0 {
		fmt.Fprintf(w, "\nhosts cut off from the fabric: %s\n", strings.Join(escape.Texts(im.Unreachable), ", "))
	}
	return nil
}

// mapStrings applies f to each of ss.
func mapStrings(ss []string, f func(string) string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}
