package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
)

func (a *app) diffCmd() *cobra.Command {
	var format, output, failOn, policy string
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Topology and findings drift between two versions of a site",
		Long:  help("diff"),
		Example: "  bondaudit diff /var/lib/bondaudit/history/2026-11-24 /var/lib/bondaudit/history/2026-11-25\n" +
			"  bondaudit diff site-before site-after --format markdown -o CHG-4711-drift.md\n" +
			"  bondaudit diff old new --format json | jq '.changes.links_moved[]'",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			write, err := report.Diffs.Writer(format, report.Options{})
			if err != nil {
				return failed(fmt.Errorf("--format: %w", err))
			}
			threshold, err := parseFailOn(failOn)
			if err != nil {
				return failed(err)
			}
			names := diffLabels(args[0], args[1])
			var sides [2]*report.DiffSide
			// NEW's previous run is OLD: a host or switch OLD had and NEW
			// lacks is a map.host-missing / map.switch-missing finding of NEW.
			var prev *topology.Inventory
			for i, arg := range args {
				if sides[i], err = a.diffLoad(arg, names[i], policy, prev); err != nil {
					return err
				}
				prev = sides[i].Model.Inventory()
				prev.Source = names[i]
			}
			d := report.NewDiff(sides[0], sides[1], a.now())
			if err := a.writeOutput(output, func(w io.Writer) error { return write(w, d) }); err != nil {
				return failed(err)
			}
			if threshold.Fails(d.Delta.New) {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", formatList(report.Diffs.Names()))
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	cmd.Flags().StringVar(&failOn, "fail-on", "error", "exit 1 when a NEW finding at or above this severity appears: error, warning, info, never")
	cmd.Flags().StringVar(&policy, "policy", "", "policy file for both sides; default: each site's own policy.yaml")
	return cmd
}

// diffLabels names the two sides: each site's folder name, or the paths
// as given when the names are the same (two dated copies of "site").
func diffLabels(old, new string) [2]string {
	a, b := pipeline.SiteName(old), pipeline.SiteName(new)
	if a == b {
		a, b = filepath.Clean(old), filepath.Clean(new)
	}
	return [2]string{a, b}
}

// diffLoad reads, joins and judges one side, with its own policy.yaml
// unless --policy names one for both, and prev as its previous run (nil
// for OLD).
func (a *app) diffLoad(arg, name, policy string, prev *topology.Inventory) (*report.DiffSide, error) {
	fsys, _, err := a.site([]string{arg}, false)
	if err != nil {
		return nil, err
	}
	pol, err := pipeline.Policy(fsys, policy)
	if err != nil {
		return nil, failed(fmt.Errorf("site %s: %w", arg, err))
	}
	res, err := a.judgedWith(fsys, name, pol, pipeline.Options{Previous: prev})
	if err != nil {
		return nil, err
	}
	return &report.DiffSide{Name: name, Model: res.Model, Findings: res.Findings, Problems: res.Problems()}, nil
}
