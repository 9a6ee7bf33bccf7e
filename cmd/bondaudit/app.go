package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/internal/memlimit"
	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/internal/version"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// Exit codes (DESIGN.md "CLI contract").
const (
	exitOK       = 0
	exitFindings = 1
	exitFailed   = 2
)

// app carries what commands need from the outside world, so tests can run
// the whole CLI in-process with buffers and a fixed clock.
type app struct {
	stdout, stderr   io.Writer
	now              func() time.Time
	stderrIsTerminal bool
	logLevel         string
	log              *slog.Logger
	// limits cap what reading one site may cost (--max-file-size,
	// --max-site-size); sites are every site folder opened by this run.
	limits  collect.Limits
	maxFile string
	maxSite string
	sites   []*collect.SiteDir
	gc      memlimit.GCSetting // how main tuned the collector (logged at debug)
	// demoNoted: the note that "demo" is not the folder demo was printed.
	demoNoted bool
}

// demoSite is the SITE argument that names the built-in example site in
// every command that takes a SITE (a folder of that name is "./demo").
const demoSite = "demo"

// site opens a command's SITE argument: the built-in demo site when the
// argument is exactly "demo" (or useDemo, the older --demo flag; no
// argument then), else the folder args[0], read as untrusted input
// (beneath the folder only, regular files only, within the size caps).
// A folder named demo is reached as ./demo; when one exists and "demo" was
// given, a note on stderr says so.
func (a *app) site(args []string, useDemo bool) (fs.FS, string, error) {
	if useDemo {
		return demo.FS(), demoSite, nil
	}
	arg := args[0]
	if arg == demoSite {
		if st, err := os.Stat(arg); err == nil && st.IsDir() && !a.demoNoted {
			a.demoNoted = true
			fmt.Fprintf(a.stderr, "bondaudit: \"demo\" is the built-in example site; the folder demo here is ./demo\n")
		}
		return demo.FS(), demoSite, nil
	}
	s, err := collect.OpenSiteDir(arg, a.limits)
	if err != nil {
		return nil, "", failed(err)
	}
	a.sites = append(a.sites, s)
	return s, pipeline.SiteName(arg), nil
}

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

func failed(err error) error { return &exitError{code: exitFailed, err: err} }

func (a *app) run(ctx context.Context, args []string) int {
	// stderr is shared by the logger and progress lines written from
	// several goroutines (the SNMP worker pool): one lock for both.
	if _, ok := a.stderr.(*pipeline.SyncWriter); !ok {
		a.stderr = &pipeline.SyncWriter{W: a.stderr}
	}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	err := root.ExecuteContext(ctx)
	for _, s := range a.sites {
		s.Close()
	}
	a.sites = nil
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			a.printError(ee.err)
		}
		return ee.code
	}
	// cobra's own usage errors (unknown flag, wrong args)
	a.printError(err)
	return exitFailed
}

// printError writes err on stderr: one line per line of its text (an
// operator file's errors, joined, are one per line), each escaped, the
// lines after the first indented so none can pass for a line of its own.
func (a *app) printError(err error) {
	for i, line := range strings.Split(err.Error(), "\n") {
		if i == 0 {
			fmt.Fprintf(a.stderr, "bondaudit: %s\n", escape.Text(line))
		} else {
			fmt.Fprintf(a.stderr, "  %s\n", escape.Text(line))
		}
	}
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Version:       version.String(),
		Use:           "bondaudit",
		Short:         "Audit Linux bonds against the switch ports they are cabled to",
		Long:          help("root"),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(a.logLevel)); err != nil {
				return failed(fmt.Errorf("--log-level %q: want debug, info, warn or error", a.logLevel))
			}
			a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: lvl}))
			a.log.Debug("memory", "gogc", a.gc.GOGC, "headroom", a.gc.Headroom, "soft_limit", a.gc.SoftLimit, "limit_from", a.gc.LimitSource)
			var err error
			if a.limits.MaxFileBytes, err = collect.ParseByteSize(a.maxFile); err != nil {
				return failed(fmt.Errorf("--max-file-size %q: %w", a.maxFile, err))
			}
			if a.limits.MaxSiteBytes, err = collect.ParseByteSize(a.maxSite); err != nil {
				return failed(fmt.Errorf("--max-site-size %q: %w", a.maxSite, err))
			}
			return nil
		},
	}
	root.SetVersionTemplate("bondaudit {{.Version}}\n")
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "warn", "log detail on stderr: debug, info, warn, error")
	root.PersistentFlags().StringVar(&a.maxFile, "max-file-size", "256MiB", "largest site input file read (hosts/, switches/); larger ones are NOT READ")
	root.PersistentFlags().StringVar(&a.maxSite, "max-site-size", "64GiB", "most bytes read from one site's files together")
	root.AddCommand(a.demoCmd(), a.auditCmd(), a.collectCmd(), a.topologyCmd(), a.whatifCmd(), a.fixCmd(), a.diagramCmd(), a.diffCmd(), a.runCmd(), a.rulesCmd(), a.explainCmd())
	return root
}

// auditFlags registers audit's (and demo's) flags into q.
func auditFlags(cmd *cobra.Command, q *pipeline.AuditRequest, failOnDefault string) {
	cmd.Flags().StringVar(&q.Format, "format", "text", "report format: "+strings.Join(report.Formats(), ", ")+" (default from the -o extension, else text)")
	cmd.Flags().StringVarP(&q.Output, "output", "o", "", "write the report to FILE instead of stdout (written atomically)")
	cmd.Flags().StringVar(&q.FailOn, "fail-on", failOnDefault, "exit 1 when a finding at or above this severity remains: error, warning, info, never")
	cmd.Flags().StringVar(&q.Policy, "policy", "", "policy file (severity overrides, disabled rules, thresholds, waivers); default: the site's policy.yaml")
	cmd.Flags().StringVar(&q.Targets, "targets", "", "also poll the switches of this targets file now (see \"collect switches --help\") and audit them with the site")
	cmd.Flags().IntVar(&q.Concurrency, "concurrency", 16, "with --targets: switches polled at once")
	cmd.Flags().BoolVar(&q.ShowSuppressed, "show-suppressed", false, "list findings waived by the policy in the text report (JSON always has them, with status suppressed)")
	cmd.Flags().StringVar(&q.Baseline, "baseline", "", "compare with an earlier JSON report (--format json or --save-baseline): report only new findings, totals on stderr")
	cmd.Flags().StringVar(&q.SaveBaseline, "save-baseline", "", "write the full JSON report to FILE (atomically) for the next run's --baseline")
	cmd.Flags().StringVar(&q.SiteLabel, "site-label", "", "name the site `NAME` in the report (Prometheus site label, JSON site, titles); default: the policy's site:, else the folder's name")
	registerFilter(cmd, &q.Filter, "report only findings")
}

// auditFormat picks the report format from -o's extension (.json, .md,
// .html, .xml, .sarif, .prom, .txt; none: text) when --format is not
// given, as diagram does.
func auditFormat(cmd *cobra.Command, q *pipeline.AuditRequest) {
	if !cmd.Flags().Changed("format") {
		q.Format = report.Audit.ByExt(q.Output)
	}
}

func (a *app) demoCmd() *cobra.Command {
	var q pipeline.AuditRequest
	var export string
	var force bool
	cmd := &cobra.Command{
		Use:     "demo [--export DIR]",
		Short:   "Audit the built-in example site and print the report (or write it out as a folder)",
		Long:    help("demo"),
		Example: "  bondaudit demo\n  bondaudit demo --format json | jq '.findings[].rule'\n  bondaudit demo --export site && bondaudit audit ./site",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if export != "" {
				return result(false, a.env().ExportDemo(export, force))
			}
			if force {
				return failed(fmt.Errorf("--force goes with --export DIR"))
			}
			auditFormat(cmd, &q)
			return result(a.env().Audit(cmd.Context(), demo.FS(), demoSite, q))
		},
	}
	auditFlags(cmd, &q, "never")
	cmd.Flags().StringVar(&export, "export", "", "write the example site into folder DIR (hosts/, switches/, README.md) instead of auditing it")
	cmd.Flags().BoolVar(&force, "force", false, "with --export: write into DIR even when it is not empty (files of the same name are replaced)")
	return cmd
}

func (a *app) auditCmd() *cobra.Command {
	var q pipeline.AuditRequest
	cmd := &cobra.Command{
		Use:     "audit SITE",
		Short:   "Join a site's host and switch data, check every bond, report",
		Long:    help("audit"),
		Example: "  bondaudit audit ./site\n  bondaudit audit ./site --format json -o report.json --fail-on warning\n  bondaudit audit demo --host 'web*' --rule 'lacp.*'",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			auditFormat(cmd, &q)
			fsys, name, err := a.site(args, false)
			if err != nil {
				return err
			}
			return result(a.env().Audit(cmd.Context(), fsys, name, q))
		},
	}
	auditFlags(cmd, &q, "error")
	return cmd
}

// env is what the pipeline's runs take from the app, as it is now (the
// log is set up before a command runs).
func (a *app) env() *pipeline.Env {
	return &pipeline.Env{Stdout: a.stdout, Stderr: a.stderr, Now: a.now, Log: a.log, Terminal: a.stderrIsTerminal}
}

// opener is the pipeline's Opener for a command's SITE argument (site).
func (a *app) opener(args []string, useDemo bool) pipeline.Opener {
	return func() (fs.FS, string, error) { return a.site(args, useDemo) }
}

// result maps a pipeline run's outcome to the exit code: an error is 2,
// fails (findings at or above --fail-on, inputs not collected) is 1.
func result(fails bool, err error) error {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return err
	case err != nil:
		return failed(err)
	case fails:
		return &exitError{code: exitFindings}
	}
	return nil
}

func (a *app) topologyCmd() *cobra.Command {
	var q pipeline.TopologyRequest
	cmd := &cobra.Command{
		Use:     "topology SITE",
		Short:   "Show what was understood of a site: every slave's switch port, LAGs, MLAG domains",
		Long:    help("topology"),
		Example: "  bondaudit topology ./site\n  bondaudit topology ./site --format json | jq '.links[]'",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return result(false, a.env().Topology(q, a.opener(args, false)))
		},
	}
	cmd.Flags().StringVar(&q.Format, "format", "text", pipeline.FormatList(report.Topology.Names()))
	cmd.Flags().StringVarP(&q.Output, "output", "o", "", "write to FILE instead of stdout")
	registerFilter(cmd, &q.Filter, "show only what is")
	return cmd
}
