package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/internal/runjob"
	"github.com/bondaudit/bondaudit/topology/escape"
)

func (a *app) runCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "run CONFIG",
		Short:   "The scheduled job: collect, keep a dated snapshot, audit, diff with the last run, write outputs, prune",
		Long:    help("run"),
		Example: "  bondaudit run /etc/bondaudit/run.yaml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Errors are "bondaudit run: …" lines, printed here.
			fail := func(err error) error {
				fmt.Fprintf(a.stderr, "bondaudit run: %s\n", escape.Text(err.Error()))
				return &exitError{code: exitFailed}
			}
			cfg, err := runjob.Load(args[0])
			if err != nil {
				return fail(err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			out, err := runjob.Run(ctx, cfg, runjob.Options{Now: a.now, Stderr: a.stderr, Log: a.log, Limits: a.limits,
				Poll: a.env().PollTargets, CollectHosts: a.runCollectHosts})
			var re *runjob.Error
			if errors.As(err, &re) {
				for _, p := range re.Problems {
					fmt.Fprintf(a.stderr, "  %s\n", escape.Text(p))
				}
			}
			if err != nil {
				return fail(err)
			}
			if cfg.FailOn.Fails(out.Report.Findings) {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
}
