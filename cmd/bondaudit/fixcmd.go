package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/internal/fixreport"
	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/fix"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// planFix is fix.Plan (a test replaces it to check what happens to a plan
// that would add an error).
var planFix = fix.Plan

// fixFormats are bondaudit fix's output formats.
var fixFormats = []string{"yaml", "markdown", "json"}

func (a *app) fixCmd() *cobra.Command {
	var format, output, prefer, policyFile string
	var force bool
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
				switch strings.ToLower(filepath.Ext(output)) {
				case ".md":
					format = "markdown"
				case ".json":
					format = "json"
				}
			}
			if !slices.Contains(fixFormats, format) {
				return failed(fmt.Errorf("--format: unknown format %q: want %s", format, formatList(fixFormats)))
			}
			if prefer != "" && prefer != "hosts" && prefer != "switches" {
				return failed(fmt.Errorf("--prefer %q: want hosts or switches", prefer))
			}
			fsys, name, err := a.site(args, false)
			if err != nil {
				return err
			}
			pol, err := pipeline.Policy(fsys, policyFile)
			if err != nil {
				return failed(err)
			}
			res, err := a.load(fsys, name)
			if err != nil {
				return err
			}
			res.Judge(pol, a.now())
			opt := fix.Options{Prefer: prefer, Policy: pol, Now: res.Now}
			if opt.Prefer == "" && pol != nil {
				opt.Prefer = pol.FixPrefer
			}
			r := planFix(res.Model, res.Findings, opt)
			if r.Err != nil {
				return failed(fmt.Errorf("the plan does not apply to the site: %w", r.Err))
			}
			fr := &fixreport.Report{Site: name, Result: r, Model: res.Model}
			fmt.Fprintf(a.stderr, "bondaudit fix: %d change(s); check: %s\n", len(r.Changes), fr.Summary())
			if r.AddsError() && !force {
				for _, f := range r.Added {
					if f.Severity >= rules.Error {
						fmt.Fprintf(a.stderr, "  would add: %s %s: %s\n", f.Rule, escape.Text(fixreport.Subject(f)), escape.Text(f.Message))
					}
				}
				return failed(fmt.Errorf("the plan would add an error: not written (--force writes it anyway)"))
			}
			write := map[string]func(io.Writer) error{"yaml": fr.YAML, "markdown": fr.Markdown, "json": fr.JSON}[format]
			if err := a.writeOutput(output, write); err != nil {
				return failed(err)
			}
			if r.ErrorsLeft() > 0 {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "yaml", "yaml (the plan for whatif --plan), markdown (a change ticket) or json (default from the -o extension: .md, .json; else yaml)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	cmd.Flags().StringVar(&prefer, "prefer", "", "change hosts or switches first (default: the policy's fix_prefer, else the side that needs fewer changes)")
	cmd.Flags().BoolVar(&force, "force", false, "write the plan even when its check finds it would add an error")
	cmd.Flags().StringVar(&policyFile, "policy", "", "policy file (default: the site's policy.yaml)")
	return cmd
}
