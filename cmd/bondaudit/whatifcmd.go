package main

import (
	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/rules/report"
)

func (a *app) whatifCmd() *cobra.Command {
	var q pipeline.WhatIfRequest
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
			return result(a.env().WhatIf(q, a.opener(args, useDemo)))
		},
	}
	cmd.Flags().StringArrayVar(&q.Downs, "down", nil, "take down SWITCH, or SWITCH:PORT[,PORT…] (a port-channel takes its members); repeatable")
	cmd.Flags().StringArrayVar(&q.Peers, "down-mlag-peer", nil, "take down the MLAG/vPC/stack peer(s) of SWITCH; repeatable")
	cmd.Flags().StringArrayVar(&q.Modules, "down-module", nil, "take down stack member or line card N of SWITCH (SWITCH:N); repeatable")
	cmd.Flags().StringVar(&q.Format, "format", "text", pipeline.FormatList(report.WhatIfs.Names()))
	cmd.Flags().StringVarP(&q.Output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	cmd.Flags().BoolVar(&useDemo, "demo", false, "use the embedded demo site")
	cmd.Flags().StringVar(&q.Plan, "plan", "", "a YAML list of planned changes (move_cable, bond_mode, lag_add, lag_remove, vlans, bond_params, lag_kind, mlag, mtu; bondaudit fix writes one) applied before judging; the report shows the findings the plan adds and removes")
	cmd.Flags().StringVar(&q.Policy, "policy", "", "policy file for judging the plan (default: the site's policy.yaml)")
	return cmd
}
