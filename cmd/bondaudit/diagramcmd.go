package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology/diagram"
)

func (a *app) diagramCmd() *cobra.Command {
	var f pipeline.DiagramRequest
	var useDemo bool
	cmd := &cobra.Command{
		Use:   "diagram SITE",
		Short: "Draw hosts, bonds, LAGs and MLAG pairs with the findings in (DOT, Mermaid, SVG, HTML)",
		Long:  help("diagram"),
		Example: `  bondaudit diagram demo --format svg -o demo.svg
  bondaudit diagram ./site --focus leaf1a --depth 1 -o leaf1a.html
  bondaudit diagram ./site --focus leaf1a:Port-Channel10 --ports --format mermaid`,
		Args: func(cmd *cobra.Command, args []string) error {
			if useDemo {
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
				f.Format = report.Diagrams.ByExt(f.Output)
			}
			return result(false, a.env().Diagram(f, a.opener(args, useDemo)))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Focus, "focus", "", "draw only around a HOST, a SWITCH, an MLAG/stack domain, or SWITCH:LAG (e.g. leaf1a:Port-Channel10)")
	fl.IntVar(&f.Depth, "depth", 1, "with --focus: how many hops from it to draw")
	fl.BoolVar(&f.Ports, "ports", false, "draw every cable (NIC ↔ switch port) instead of one edge per bond and LAG")
	fl.StringVar(&f.Format, "format", "dot", "output format: "+strings.Join(report.Diagrams.Names(), ", ")+" (default from the -o extension, else dot)")
	fl.StringVarP(&f.Output, "output", "o", "", "write to FILE instead of stdout (written atomically)")
	fl.StringVar(&f.Policy, "policy", "", "policy file for the findings drawn; default: the site's policy.yaml")
	fl.IntVar(&f.MaxNodes, "max-nodes", diagram.DefaultMaxNodes, "refuse to draw more hosts plus switches than this (-1: no limit)")
	fl.BoolVar(&useDemo, "demo", false, "draw the built-in example site (the one \"bondaudit demo\" audits; the same as SITE demo)")
	registerFilter(cmd, &f.Filter, "draw only what is")
	return cmd
}
