package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/rules"
)

func (a *app) rulesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List every rule with its ID, default severity and what it checks",
		Long: `List the rule catalogue. IDs are stable: use them in --fail-on decisions,
waivers and dashboards. "bondaudit explain ID" tells what a rule checks, why
it matters, how to fix it on the host and on the switch, and which evidence it reads.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "ID\tSEVERITY\tCHECKS\n")
			for _, r := range rules.Registry() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Summary)
			}
			return tw.Flush()
		},
	}
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
				var near []string
				for _, x := range rules.Registry() {
					if strings.Contains(x.ID, args[0]) || strings.HasPrefix(args[0], strings.SplitN(x.ID, ".", 2)[0]+".") {
						near = append(near, x.ID)
					}
				}
				msg := fmt.Sprintf("no rule %q; \"bondaudit rules\" lists them", args[0])
				if len(near) > 0 && len(near) <= 20 {
					msg += "; did you mean: " + strings.Join(near, ", ")
				}
				return failed(fmt.Errorf("%s", msg))
			}
			w := a.stdout
			fmt.Fprintf(w, "%s  (%s)\n%s\n\n", r.ID, r.Severity, r.Title)
			section := func(title, body string) {
				if strings.TrimSpace(body) == "" {
					return
				}
				fmt.Fprintf(w, "%s\n", title)
				for _, line := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
					fmt.Fprintf(w, "  %s\n", line)
				}
				fmt.Fprintln(w)
			}
			section("What it checks", r.Summary)
			section("Why it matters", r.Why)
			section("Fix on the host", r.FixHost)
			section("Fix on the switch", r.FixSwitch)
			section("Evidence it reads", r.Evidence)
			if len(r.References) > 0 {
				section("References", strings.Join(r.References, "\n"))
			}
			return nil
		},
	}
}
