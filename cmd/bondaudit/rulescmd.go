package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
)

func (a *app) rulesCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "rules",
		Short:   "List every rule with its ID, default severity and title",
		Long:    help("rules"),
		Example: "  bondaudit rules\n  bondaudit rules --format markdown > docs/rules.md",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := report.RuleList(a.stdout, format, rules.Registry()); err != nil {
				return failed(fmt.Errorf("--format: %w", err))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text (a table) or markdown (the reference page)")
	return cmd
}

func (a *app) explainCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "explain RULE-ID",
		Short:   "Explain a rule: what it checks, why, how to fix it, what evidence it reads",
		Example: "  bondaudit explain lacp.switch-not-aggregated",
		Args:    cobra.ExactArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			var ids []string
			for _, r := range rules.Registry() {
				ids = append(ids, r.ID)
			}
			return ids, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			r, ok := rules.Lookup(args[0])
			if !ok {
				near := rules.Similar(args[0])
				msg := fmt.Sprintf("no rule %q; \"bondaudit rules\" lists them", args[0])
				if len(near) > 0 && len(near) <= 20 {
					msg += "; did you mean: " + strings.Join(near, ", ")
				}
				return failed(fmt.Errorf("%s", msg))
			}
			return report.Explain(a.stdout, r)
		},
	}
}
