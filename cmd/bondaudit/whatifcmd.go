package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/rules/report"
)

func (a *app) whatifCmd() *cobra.Command {
	var downs, peers, modules []string
	var format, output, planFile, policyFile string
	var useDemo bool
	cmd := &cobra.Command{
		Use:   "whatif SITE --down SWITCH[:PORT[,PORT…]]",
		Short: "Before a change: what breaks if a switch, port or module goes down",
		Long:  help("whatif"),
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
			write, err := report.WhatIfs.Writer(format, report.Options{})
			if err != nil {
				return failed(fmt.Errorf("--format: %w", err))
			}
			if len(downs)+len(peers)+len(modules) == 0 && planFile == "" {
				return failed(fmt.Errorf("nothing to judge: give --down, --down-mlag-peer, --down-module or --plan"))
			}
			fsys, name, err := a.site(args, useDemo)
			if err != nil {
				return err
			}
			res, err := a.load(fsys, name)
			if err != nil {
				return err
			}
			out := &report.WhatIf{}
			if planFile != "" {
				if out.Plan, err = a.plan(res, fsys, planFile, policyFile); err != nil {
					return err
				}
			}
			ds, err := pipeline.Downs(res.Model, downs, peers, modules)
			if err != nil {
				return failed(err)
			}
			if out.Impact, err = res.Model.WhatIf(ds); err != nil {
				return failed(err)
			}
			if err := a.writeOutput(output, func(w io.Writer) error { return write(w, out) }); err != nil {
				return failed(err)
			}
			if out.Breaks() {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&downs, "down", nil, "take down SWITCH, or SWITCH:PORT[,PORT…] (a port-channel takes its members); repeatable")
	cmd.Flags().StringArrayVar(&peers, "down-mlag-peer", nil, "take down the MLAG/vPC/stack peer(s) of SWITCH; repeatable")
	cmd.Flags().StringArrayVar(&modules, "down-module", nil, "take down stack member or line card N of SWITCH (SWITCH:N); repeatable")
	cmd.Flags().StringVar(&format, "format", "text", formatList(report.WhatIfs.Names()))
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	cmd.Flags().BoolVar(&useDemo, "demo", false, "use the embedded demo site")
	cmd.Flags().StringVar(&planFile, "plan", "", "a YAML list of planned changes (move_cable, bond_mode, lag_add, lag_remove, vlans, bond_params, lag_kind, mlag, mtu; bondaudit fix writes one) applied before judging; the report shows the findings the plan adds and removes")
	cmd.Flags().StringVar(&policyFile, "policy", "", "policy file for judging the plan (default: the site's policy.yaml)")
	return cmd
}

// plan judges the site, applies the plan file's changes to it and judges
// again.
func (a *app) plan(res *pipeline.Result, fsys fs.FS, planFile, policyFile string) (*report.Plan, error) {
	changes, err := collect.LoadPlan(planFile)
	if err != nil {
		return nil, failed(fmt.Errorf("--plan: %w", err))
	}
	pol, err := pipeline.Policy(fsys, policyFile)
	if err != nil {
		return nil, failed(err)
	}
	res.Judge(pol, a.now())
	d, err := res.PlanOnce(changes) // the site is held once: nothing reads it as it was
	var pe *pipeline.PlanError
	if errors.As(err, &pe) {
		return nil, failed(fmt.Errorf("--plan %s: %w", planFile, pe.Err))
	}
	if err != nil {
		return nil, failed(err)
	}
	return &report.Plan{File: planFile, Changes: len(changes), Delta: d}, nil
}
