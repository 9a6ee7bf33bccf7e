package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology/diagram"
)

// diagramFormats are the --format values, each with its renderer, in the
// order help lists them.
var diagramFormats = []struct {
	name   string
	exts   []string // -o extensions that pick the format when --format is not given
	render func(*diagram.Diagram, io.Writer) error
}{
	{"dot", []string{".dot", ".gv"}, (*diagram.Diagram).DOT},
	{"mermaid", []string{".mmd", ".mermaid"}, (*diagram.Diagram).Mermaid},
	{"svg", []string{".svg"}, (*diagram.Diagram).SVG},
	{"html", []string{".html", ".htm"}, (*diagram.Diagram).HTML},
}

type diagramFlags struct {
	focus    string
	depth    int
	ports    bool
	format   string
	output   string
	policy   string
	maxNodes int
	demo     bool
}

func (a *app) diagramCmd() *cobra.Command {
	var f diagramFlags
	cmd := &cobra.Command{
		Use:   "diagram SITE",
		Short: "Draw hosts, bonds, LAGs and MLAG pairs with the findings in (DOT, Mermaid, SVG, HTML)",
		Long: `Draw a site: hosts (grouped by the switches they hang off), switches (an MLAG/vPC
pair or stack drawn as one box), and between them one edge per bond and LAG,
labelled with the bond mode, the LACP state and the summed speed
("802.3ad · LACP bundled · 2×25G"); --ports draws every cable instead.

A finding colours its edge or node by severity (error red, warning orange, info
blue) and puts its rule ID in the label; a bond whose slaves all land on one
switch is drawn dashed and labelled single-homed. The site's policy.yaml (or
--policy) applies: waived findings are not drawn.

--focus draws part of a site: a host (its switches and their MLAG peers), a
switch (its hosts and neighbours), an MLAG/stack domain, or a LAG or port as
SWITCH:LAG; --depth N reaches N hops further. Without --focus a site bigger
than --max-nodes is refused with advice on how to narrow it.

Formats: dot (Graphviz source), mermaid (renders in GitHub and GitLab
Markdown in a mermaid code block), svg (laid out by Graphviz's dot, which
must be installed: apt install graphviz), html (one self-contained page: the
SVG, a legend and the findings, each linking to its spot). Without
--format, -o FILE picks it by extension (.dot .gv .mmd .svg .html), else dot.

Exit status: 0 the diagram was written, 2 it could not be (bad input, unknown
focus, too big).`,
		Example: `  bondaudit diagram --demo --format svg -o demo.svg
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
				return failed(fmt.Errorf("diagram needs one SITE folder (or --demo for the built-in example site)"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") {
				f.format = formatFromExt(f.output)
			}
			return a.diagram(args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.focus, "focus", "", "draw only around a HOST, a SWITCH, an MLAG/stack domain, or SWITCH:LAG (e.g. leaf1a:Port-Channel10)")
	fl.IntVar(&f.depth, "depth", 1, "with --focus: how many hops from it to draw")
	fl.BoolVar(&f.ports, "ports", false, "draw every cable (NIC ↔ switch port) instead of one edge per bond and LAG")
	fl.StringVar(&f.format, "format", "dot", "output format: "+strings.Join(diagramFormatNames(), ", ")+" (default from the -o extension, else dot)")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of stdout (written atomically)")
	fl.StringVar(&f.policy, "policy", "", "policy file for the findings drawn; default: the site's policy.yaml")
	fl.IntVar(&f.maxNodes, "max-nodes", diagram.DefaultMaxNodes, "refuse to draw more hosts plus switches than this (-1: no limit)")
	fl.BoolVar(&f.demo, "demo", false, "draw the built-in example site (the one \"bondaudit demo\" audits)")
	return cmd
}

func diagramFormatNames() []string {
	var names []string
	for _, df := range diagramFormats {
		names = append(names, df.name)
	}
	return names
}

// formatFromExt picks the format an -o file's extension names; dot otherwise.
func formatFromExt(path string) string {
	ext := strings.ToLower(filepath.Ext(path))
	for _, df := range diagramFormats {
		for _, e := range df.exts {
			if e == ext {
				return df.name
			}
		}
	}
	return "dot"
}

// diagram reads the site, runs the rules, builds the picture and writes it.
func (a *app) diagram(args []string, f diagramFlags) error {
	render, err := diagramRenderer(f.format)
	if err != nil {
		return failed(err)
	}
	if f.depth < 1 {
		return failed(fmt.Errorf("--depth %d: want 1 or more", f.depth))
	}
	if f.maxNodes == 0 {
		return failed(fmt.Errorf("--max-nodes 0: want a positive limit, or -1 for none"))
	}
	fsys, name, err := a.diagramSite(args, f.demo)
	if err != nil {
		return failed(err)
	}
	pol, err := loadPolicy(fsys, f.policy)
	if err != nil {
		return failed(err)
	}
	_, m, err := a.loadAndBuild(fsys, name)
	if err != nil {
		return err
	}
	findings := pol.Apply(rules.Run(m, pol.Params(), pol.Enabled), a.now())
	d, err := diagram.Build(m, diagram.Options{Focus: f.focus, Depth: f.depth, Ports: f.ports,
		Marks: marksOf(findings), MaxNodes: f.maxNodes, Title: name})
	if err != nil {
		return failed(err)
	}
	if err := a.writeOutput(f.output, func(w io.Writer) error { return render(d, w) }); err != nil {
		return failed(err)
	}
	return nil
}

func diagramRenderer(format string) (func(*diagram.Diagram, io.Writer) error, error) {
	for _, df := range diagramFormats {
		if df.name == format {
			return df.render, nil
		}
	}
	return nil, fmt.Errorf("--format %q: want %s", format, strings.Join(diagramFormatNames(), ", "))
}

// diagramSite opens the site folder, or the built-in demo site.
func (a *app) diagramSite(args []string, useDemo bool) (fs.FS, string, error) {
	if useDemo {
		return demo.FS(), "demo", nil
	}
	dir := args[0]
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && dir == "demo" {
			return nil, "", fmt.Errorf("site %s: %w (the built-in example site is --demo)", dir, err)
		}
		return nil, "", fmt.Errorf("site %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, "", fmt.Errorf("site %s: not a folder (want a folder with hosts/ and switches/)", dir)
	}
	fsys, err := a.openSite(dir)
	if err != nil {
		return nil, "", err
	}
	return fsys, siteName(dir), nil
}

// marksOf reduces findings to what the diagram draws; waived (suppressed)
// findings are left out.
func marksOf(findings []rules.Finding) []diagram.Mark {
	var marks []diagram.Mark
	for _, f := range findings {
		if f.Status == rules.StatusSuppressed {
			continue
		}
		marks = append(marks, diagram.Mark{Rule: f.Rule, Severity: diagram.Severity(f.Severity.String()),
			Host: f.Host, Bond: f.Bond, NIC: f.NIC, Switch: f.Switch, Port: f.Port})
	}
	return marks
}
