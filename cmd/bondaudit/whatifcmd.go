package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/topology"
)

func (a *app) whatifCmd() *cobra.Command {
	var downs, peers, modules []string
	var format, output string
	var useDemo bool
	cmd := &cobra.Command{
		Use:   "whatif SITE --down SWITCH[:PORT[,PORT…]]",
		Short: "Before a change: what breaks if a switch, port or module goes down",
		Long: `Compute on the joined topology, for every bond with a slave on the elements
taken down, whether it keeps working, fails over (naming the slave that takes
over and whether its switch port carries the same VLANs), loses redundancy (one
link left) or loses connectivity (no link left), and which hosts lose the fabric
(the largest group of switches still joined by switch-to-switch links).

Do it on paper before anyone touches a cable. Exit status: 0 no bond loses
connectivity, 1 some bond does, 2 the run failed.`,
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
			if len(downs)+len(peers)+len(modules) == 0 {
				return failed(fmt.Errorf("nothing taken down: give --down, --down-mlag-peer or --down-module"))
			}
			var m *topology.Model
			var err error
			if useDemo {
				_, m, err = a.loadAndBuild(demo.FS(), "demo")
			} else {
				st, serr := os.Stat(args[0])
				if serr != nil || !st.IsDir() {
					return failed(fmt.Errorf("site %s: not a folder", args[0]))
				}
				_, m, err = a.loadAndBuild(os.DirFS(args[0]), siteName(args[0]))
			}
			if err != nil {
				return err
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
			if err := a.writeOutput(output, func(w io.Writer) error { return writeImpact(w, im, format) }); err != nil {
				return failed(err)
			}
			if im.Isolated() {
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
	return cmd
}

var outcomeWords = map[string]string{
	topology.OutcomeIsolated:   "LOSES CONNECTIVITY",
	topology.OutcomeRedundancy: "loses redundancy",
	topology.OutcomeFailover:   "fails over",
	topology.OutcomeDegraded:   "degraded, still redundant",
}

func links(ls []topology.SlaveLink) string {
	if len(ls) == 0 {
		return "none"
	}
	var out []string
	for _, l := range ls {
		if l.Switch == "" {
			out = append(out, l.NIC+"→?")
		} else {
			out = append(out, fmt.Sprintf("%s→%s:%s", l.NIC, l.Switch, l.Port))
		}
	}
	return strings.Join(out, " ")
}

func writeImpact(w io.Writer, im *topology.Impact, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Schema string `json:"schema"`
			*topology.Impact
		}{"bondaudit.whatif/v1", im})
	case "markdown":
		fmt.Fprintf(w, "## What if %s goes down\n\n", strings.Join(im.Down, " + "))
		if len(im.Bonds) == 0 {
			fmt.Fprintf(w, "No bond has a slave on it.\n")
		} else {
			fmt.Fprintf(w, "| host | bond | mode | outcome | lost | remaining | takes over | notes |\n|---|---|---|---|---|---|---|---|\n")
			for _, b := range im.Bonds {
				fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", b.Host, b.Bond, b.Mode, outcomeWords[b.Outcome],
					links(b.Lost), links(b.Remaining), b.TakesOver, strings.ReplaceAll(strings.Join(b.Notes, "; "), "|", `\|`))
			}
		}
		if len(im.Unreachable) > 0 {
			fmt.Fprintf(w, "\n**Hosts cut off from the fabric:** %s\n", strings.Join(im.Unreachable, ", "))
		}
		return nil
	}
	fmt.Fprintf(w, "what if %s goes down\n\n", strings.Join(im.Down, " + "))
	if len(im.Bonds) == 0 {
		fmt.Fprintf(w, "no bond has a slave on it\n")
	}
	for _, b := range im.Bonds {
		fmt.Fprintf(w, "%-20s %s %s (%s)\n", outcomeWords[b.Outcome], b.Host, b.Bond, b.Mode)
		fmt.Fprintf(w, "    lost:      %s\n    remaining: %s\n", links(b.Lost), links(b.Remaining))
		if b.TakesOver != "" {
			fmt.Fprintf(w, "    takes over: %s\n", b.TakesOver)
		}
		for _, n := range b.Notes {
			fmt.Fprintf(w, "    note: %s\n", n)
		}
	}
	if len(im.Unreachable) > 0 {
		fmt.Fprintf(w, "\nhosts cut off from the fabric: %s\n", strings.Join(im.Unreachable, ", "))
	}
	return nil
}
