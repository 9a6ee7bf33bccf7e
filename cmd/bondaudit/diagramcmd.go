package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/diagram"
)

type diagramFlags struct {
	focus    string
	depth    int
	ports    bool
	format   string
	output   string
	policy   string
	maxNodes int
	demo     bool
	filter   rules.Filter
}

func (a *app) diagramCmd() *cobra.Command {
	var f diagramFlags
	cmd := &cobra.Command{
		Use:   "diagram SITE",
		Short: "Draw hosts, bonds, LAGs and MLAG pairs with the findings in (DOT, Mermaid, SVG, HTML)",
		Long:  help("diagram"),
		Example: `  bondaudit diagram demo --format svg -o demo.svg
  bondaudit diagram ./site --focus leaf1a --depth 1 -o leaf1a.html
  bondaudit diagram ./site --focus leaf1a:Port-Channel10 --ports --format mermaid`,
		Args: func(cmd *cobra.Command, args []string) error {
			if f.demo {
				if len(args) > 0 {
					return failed(fmt.Errorf("give a SITE or --demo, not both"))
				}
				return nil
			}
			if len(args) != 1 {
				return failed(fmt.Errorf("diagram needs one SITE: a site folder, or demo for the built-in example site"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") {
				f.format = report.Diagrams.ByExt(f.output)
			}
			return a.diagram(args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.focus, "focus", "", "draw only around a HOST, a SWITCH, an MLAG/stack domain, or SWITCH:LAG (e.g. leaf1a:Port-Channel10)")
	fl.IntVar(&f.depth, "depth", 1, "with --focus: how many hops from it to draw")
	fl.BoolVar(&f.ports, "ports", false, "draw every cable (NIC ↔ switch port) instead of one edge per bond and LAG")
	fl.StringVar(&f.format, "format", "dot", "output format: "+strings.Join(report.Diagrams.Names(), ", ")+" (default from the -o extension, else dot)")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of stdout (written atomically)")
	fl.StringVar(&f.policy, "policy", "", "policy file for the findings drawn; default: the site's policy.yaml")
	fl.IntVar(&f.maxNodes, "max-nodes", diagram.DefaultMaxNodes, "refuse to draw more hosts plus switches than this (-1: no limit)")
	fl.BoolVar(&f.demo, "demo", false, "draw the built-in example site (the one \"bondaudit demo\" audits; the same as SITE demo)")
	registerFilter(cmd, &f.filter, "draw only what is")
	return cmd
}

// diagram reads the site, runs the rules, builds the picture and writes it.
func (a *app) diagram(args []string, f diagramFlags) error {
	render, err := report.Diagrams.Writer(f.format, report.Options{})
	if err != nil {
		return failed(fmt.Errorf("--format: %w", err))
	}
	if f.depth < 1 {
		return failed(fmt.Errorf("--depth %d: want 1 or more", f.depth))
	}
	if f.maxNodes == 0 {
		return failed(fmt.Errorf("--max-nodes 0: want a positive limit, or -1 for none"))
	}
	if err := f.filter.Check(); err != nil {
		return failed(err)
	}
	fsys, name, err := a.site(args, f.demo)
	if err != nil {
		return err
	}
	pol, err := pipeline.Policy(fsys, f.policy)
	if err != nil {
		return failed(err)
	}
	res, err := a.judged(fsys, name, pol)
	if err != nil {
		return err
	}
	hosts, switches := f.filter.Sets(res.Model, res.Findings)
	d, err := diagram.Build(res.Model, diagram.Options{Focus: f.focus, Depth: f.depth, Ports: f.ports,
		Marks: report.Marks(f.filter.Apply(res.Findings)), MaxNodes: f.maxNodes, Title: name,
		Hosts: topology.InSet(hosts), Switches: topology.InSet(switches)})
	if err != nil {
		return failed(err)
	}
	if err := a.writeOutput(f.output, func(w io.Writer) error { return render(w, d) }); err != nil {
		return failed(err)
	}
	return nil
}
