package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/atomicfile"
	"github.com/bondaudit/bondaudit/internal/memlimit"
	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/internal/version"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
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
	if _, ok := a.stderr.(*syncWriter); !ok {
		a.stderr = &syncWriter{w: a.stderr}
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
			a.log.Debug("memory", "gogc", a.gc.GOGC, "soft_limit", a.gc.SoftLimit, "limit_from", a.gc.LimitSource)
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

type auditFlags struct {
	format         string
	output         string
	failOn         string
	policy         string
	showSuppressed bool
	targets        string
	concurrency    int
	baseline       string // --baseline FILE: report only findings not in this earlier JSON report
	saveBaseline   string // --save-baseline FILE: write the full JSON report here for the next run
	siteLabel      string // --site-label NAME: the site's name in the report (wins over the policy's site:)
	filter         rules.Filter
}

// formatFromOutput picks the report format from -o's extension (.json,
// .md, .html, .xml, .sarif, .prom, .txt; none: text) when --format is not
// given, as diagram does.
func (f *auditFlags) formatFromOutput(cmd *cobra.Command) {
	if !cmd.Flags().Changed("format") {
		f.format = report.Audit.ByExt(f.output)
	}
}

func (f *auditFlags) register(cmd *cobra.Command, failOnDefault string) {
	cmd.Flags().StringVar(&f.format, "format", "text", "report format: "+strings.Join(report.Formats(), ", ")+" (default from the -o extension, else text)")
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of stdout (written atomically)")
	cmd.Flags().StringVar(&f.failOn, "fail-on", failOnDefault, "exit 1 when a finding at or above this severity remains: error, warning, info, never")
	cmd.Flags().StringVar(&f.policy, "policy", "", "policy file (severity overrides, disabled rules, thresholds, waivers); default: the site's policy.yaml")
	cmd.Flags().StringVar(&f.targets, "targets", "", "also poll the switches of this targets file now (see \"collect switches --help\") and audit them with the site")
	cmd.Flags().IntVar(&f.concurrency, "concurrency", 16, "with --targets: switches polled at once")
	cmd.Flags().BoolVar(&f.showSuppressed, "show-suppressed", false, "list findings waived by the policy in the text report (JSON always has them, with status suppressed)")
	cmd.Flags().StringVar(&f.baseline, "baseline", "", "compare with an earlier JSON report (--format json or --save-baseline): report only new findings, totals on stderr")
	cmd.Flags().StringVar(&f.saveBaseline, "save-baseline", "", "write the full JSON report to FILE (atomically) for the next run's --baseline")
	cmd.Flags().StringVar(&f.siteLabel, "site-label", "", "name the site `NAME` in the report (Prometheus site label, JSON site, titles); default: the policy's site:, else the folder's name")
	registerFilter(cmd, &f.filter, "report only findings")
}

func (a *app) demoCmd() *cobra.Command {
	var f auditFlags
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
				return a.exportDemo(export, force)
			}
			if force {
				return failed(fmt.Errorf("--force goes with --export DIR"))
			}
			f.formatFromOutput(cmd)
			return a.audit(cmd.Context(), demo.FS(), demoSite, f)
		},
	}
	f.register(cmd, "never")
	cmd.Flags().StringVar(&export, "export", "", "write the example site into folder DIR (hosts/, switches/, README.md) instead of auditing it")
	cmd.Flags().BoolVar(&force, "force", false, "with --export: write into DIR even when it is not empty (files of the same name are replaced)")
	return cmd
}

func (a *app) auditCmd() *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:     "audit SITE",
		Short:   "Join a site's host and switch data, check every bond, report",
		Long:    help("audit"),
		Example: "  bondaudit audit ./site\n  bondaudit audit ./site --format json -o report.json --fail-on warning\n  bondaudit audit demo --host 'web*' --rule 'lacp.*'",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.formatFromOutput(cmd)
			fsys, name, err := a.site(args, false)
			if err != nil {
				return err
			}
			return a.audit(cmd.Context(), fsys, name, f)
		},
	}
	f.register(cmd, "error")
	return cmd
}

// load runs the pipeline's load and join on a site, with progress on a
// terminal; a site that cannot be read at all lists its problems on stderr.
func (a *app) load(fsys fs.FS, name string, live ...snmp.Result) (*pipeline.Result, error) {
	return a.loadWith(fsys, name, pipeline.Options{Live: live})
}

// loadWith is load with the pipeline's options (switches polled now, the
// previous run's inventory).
func (a *app) loadWith(fsys fs.FS, name string, opt pipeline.Options) (*pipeline.Result, error) {
	opt.Log = a.log
	if a.stderrIsTerminal {
		opt.Progress = pipeline.ProgressLine(a.stderr, name)
	}
	r, err := pipeline.Load(fsys, name, opt)
	var le *pipeline.LoadError
	if errors.As(err, &le) {
		for _, p := range le.Problems {
			fmt.Fprintf(a.stderr, "  %s\n", escape.Text(p))
		}
	}
	if err != nil {
		return nil, failed(err)
	}
	return r, nil
}

// judged is load, then the rules and the policy.
func (a *app) judged(fsys fs.FS, name string, pol *rules.Policy, live ...snmp.Result) (*pipeline.Result, error) {
	return a.judgedWith(fsys, name, pol, pipeline.Options{Live: live})
}

// judgedWith is judged with the pipeline's options.
func (a *app) judgedWith(fsys fs.FS, name string, pol *rules.Policy, opt pipeline.Options) (*pipeline.Result, error) {
	r, err := a.loadWith(fsys, name, opt)
	if err != nil {
		return nil, err
	}
	r.Judge(pol, a.now())
	return r, nil
}

func (a *app) audit(ctx context.Context, fsys fs.FS, name string, f auditFlags) error {
	w, err := report.Audit.Writer(cmp.Or(f.format, "text"), report.Options{ShowSuppressed: f.showSuppressed})
	if err != nil {
		return failed(fmt.Errorf("--format: %w", err))
	}
	failOn, err := parseFailOn(f.failOn)
	if err != nil {
		return failed(err)
	}
	if err := f.filter.Check(); err != nil {
		return failed(err)
	}
	start := time.Now()
	pol, err := pipeline.Policy(fsys, f.policy)
	if err != nil {
		return failed(err)
	}
	// The baseline is read before the site (and before polling): the hosts
	// and switches it audited are the previous run's, and those gone since
	// are findings of this one.
	baseline, first, err := pipeline.OpenBaseline(f.baseline, f.saveBaseline != "")
	if first {
		fmt.Fprintf(a.stderr, "baseline %s does not exist yet: first run, reporting every finding\n", f.baseline)
	}
	if err != nil {
		return failed(fmt.Errorf("--baseline %s: %w", f.baseline, err))
	}
	var live []snmp.Result
	if f.targets != "" {
		if live, err = a.pollTargets(ctx, f.targets, f.concurrency); err != nil {
			return failed(err)
		}
	}
	opt := pipeline.Options{Live: live}
	if baseline != nil {
		opt.Previous = baseline.Inventory
	}
	res, err := a.judgedWith(fsys, name, pol, opt)
	if err != nil {
		return err
	}
	au := pipeline.Audit(res, pipeline.AuditOptions{Site: pipeline.SiteLabel(f.siteLabel, pol, name),
		Baseline: baseline, Filter: f.filter, Duration: time.Since(start)})
	if b := au.Baseline; b != nil {
		if b.Site != au.Report.Site && a.log != nil {
			a.log.Info("baseline is a report of another site (or folder name)", "baseline", f.baseline, "baseline_site", b.Site, "site", au.Report.Site)
		}
		fmt.Fprintf(a.stderr, "compared with baseline %s: %s\n", f.baseline, b.Summary())
	}
	if err := a.writeOutput(f.output, func(out io.Writer) error { return w(out, au.Report) }); err != nil {
		return failed(err)
	}
	if f.saveBaseline != "" {
		if err := a.writeFile("--save-baseline", f.saveBaseline, func(w io.Writer) error { return report.JSON{}.Write(w, au.Full) }); err != nil {
			return failed(err)
		}
	}
	if au.Fails(failOn) {
		return &exitError{code: exitFindings}
	}
	return nil
}

func parseFailOn(s string) (rules.FailOn, error) {
	f, err := rules.ParseFailOn(s)
	if err != nil {
		return f, fmt.Errorf("--fail-on %w", err)
	}
	return f, nil
}

// writeOutput writes to stdout ("" or "-"), or to the file -o names
// through atomicfile, bondaudit's one output writer: a device, FIFO or
// /dev/stdout is written in place, a regular file (or a symlink's target)
// replaced atomically keeping its mode.
func (a *app) writeOutput(path string, write func(io.Writer) error) error {
	return a.writeFile("-o", path, write)
}

// writeFile is writeOutput for the output flag named flag.
func (a *app) writeFile(flag, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(a.stdout)
	}
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	return nil
}

func (a *app) topologyCmd() *cobra.Command {
	var format, output string
	var filter rules.Filter
	cmd := &cobra.Command{
		Use:     "topology SITE",
		Short:   "Show what was understood of a site: every slave's switch port, LAGs, MLAG domains",
		Long:    help("topology"),
		Example: "  bondaudit topology ./site\n  bondaudit topology ./site --format json | jq '.links[]'",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			write, err := report.Topology.Writer(format, report.Options{})
			if err != nil {
				return failed(fmt.Errorf("--format: %w", err))
			}
			if err := filter.Check(); err != nil {
				return failed(err)
			}
			fsys, name, err := a.site(args, false)
			if err != nil {
				return err
			}
			res, err := a.load(fsys, name)
			if err != nil {
				return err
			}
			if len(filter.Rules) > 0 { // --rule: where the rules find something
				pol, err := pipeline.Policy(fsys, "")
				if err != nil {
					return failed(err)
				}
				res.Judge(pol, a.now())
			}
			v := topology.NewView(res.Model)
			hosts, switches := filter.Sets(res.Model, res.Findings)
			v.Keep(topology.InSet(hosts), topology.InSet(switches))
			return a.writeOutput(output, func(w io.Writer) error { return write(w, v) })
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", formatList(report.Topology.Names()))
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE instead of stdout")
	registerFilter(cmd, &filter, "show only what is")
	return cmd
}

// syncWriter serialises writes to one writer.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// formatList is "a, b or c", for --format help.
func formatList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
