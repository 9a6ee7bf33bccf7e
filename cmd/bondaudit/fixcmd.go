package main

import (
	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/rules/fix"
)

// planFix is fix.Plan (a test replaces it to check what happens to a plan
// that would add an error).
var planFix = fix.Plan

func (a *app) fixCmd() *cobra.Command {
	var q pipeline.FixRequest
	cmd := &cobra.Command{
		Use:   "fix SITE",
		Short: "A plan of changes that fixes the audit's problems, checked with whatif before it is written",
		Long:  help("fix"),
		Example: "  bondaudit fix ./site -o plan.yaml && bondaudit whatif ./site --plan plan.yaml\n" +
			"  bondaudit fix ./site --format markdown -o CHG-4711.md\n" +
			"  bondaudit fix ./site --prefer hosts --format json | jq '.changes[].yaml'",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") {
				q.Format = pipeline.FixFormatByExt(q.Output, q.Format)
			}
			q.Plan = planFix
			return result(a.env().Fix(q, a.opener(args, false)))
		},
	}
	cmd.Flags().StringVar(&q.Format, "format", "yaml", "yaml (the plan for whatif --plan), markdown (a change ticket) or json (default from the -o extension: .md, .json; else yaml)")
	cmd.Flags().StringVarP(&q.Output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	cmd.Flags().StringVar(&q.Prefer, "prefer", "", "change hosts or switches first (default: the policy's fix_prefer, else the side that needs fewer changes)")
	cmd.Flags().BoolVar(&q.Force, "force", false, "write the plan even when its check finds it would add an error")
	cmd.Flags().StringVar(&q.Policy, "policy", "", "policy file (default: the site's policy.yaml)")
	return cmd
}
