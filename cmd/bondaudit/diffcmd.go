package main

import (
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/rules/report"
)

func (a *app) diffCmd() *cobra.Command {
	var q pipeline.DiffRequest
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Topology and findings drift between two versions of a site",
		Long:  help("diff"),
		Example: "  bondaudit diff /var/lib/bondaudit/history/2026-11-24 /var/lib/bondaudit/history/2026-11-25\n" +
			"  bondaudit diff site-before site-after --format markdown -o CHG-4711-drift.md\n" +
			"  bondaudit diff old new --format json | jq '.changes.links_moved[]'",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			open := func(arg string) (fs.FS, error) {
				fsys, _, err := a.site([]string{arg}, false)
				return fsys, err
			}
			return result(a.env().Diff(q, [2]string{args[0], args[1]}, open))
		},
	}
	cmd.Flags().StringVar(&q.Format, "format", "text", pipeline.FormatList(report.Diffs.Names()))
	cmd.Flags().StringVarP(&q.Output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	cmd.Flags().StringVar(&q.FailOn, "fail-on", "error", "exit 1 when a NEW finding at or above this severity appears: error, warning, info, never")
	cmd.Flags().StringVar(&q.Policy, "policy", "", "policy file for both sides; default: each site's own policy.yaml")
	return cmd
}
