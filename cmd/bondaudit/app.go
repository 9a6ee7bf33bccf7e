package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/atomicfile"
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
	gc      gcSetting // how main tuned the collector (logged at debug)
}

// openSite opens a site folder for reading as untrusted input: beneath
// the folder only, regular files only, within the size caps.
func (a *app) openSite(dir string) (fs.FS, error) {
	s, err := collect.OpenSiteDir(dir, a.limits)
	if err != nil {
		return nil, err
	}
	a.sites = append(a.sites, s)
	return s, nil
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
			fmt.Fprintf(a.stderr, "bondaudit: %s\n", escape.Text(ee.err.Error()))
		}
		return ee.code
	}
	// cobra's own usage errors (unknown flag, wrong args)
	fmt.Fprintf(a.stderr, "bondaudit: %s\n", escape.Text(err.Error()))
	return exitFailed
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "bondaudit",
		Short: "Audit Linux bonds against the switch ports they are cabled to",
		Long: `bondaudit joins what Linux hosts know about their bonds (mode, slaves, LACP
partner) with what switches know about their ports (port-channels, LACP state,
LLDP neighbours), maps every bond slave to its switch port, and checks the
pair against what each bond mode needs from the switch:

  802.3ad                   an LACP port-channel on one switch or one MLAG/vPC pair
  balance-rr, balance-xor   a static port-channel ("mode on")
  active-backup, tlb, alb   plain ports, not aggregated, ideally on two switches

Start with "bondaudit demo" to see a report for the built-in example site.
A site is a folder with hosts/ (capture folders or snapshots) and switches/
(.snmprec, snmpwalk -On output, or snapshots); see "bondaudit audit --help".`,
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
			if a.limits.MaxFileBytes, err = parseByteSize(a.maxFile); err != nil {
				return failed(fmt.Errorf("--max-file-size %q: %w", a.maxFile, err))
			}
			if a.limits.MaxSiteBytes, err = parseByteSize(a.maxSite); err != nil {
				return failed(fmt.Errorf("--max-site-size %q: %w", a.maxSite, err))
			}
			return nil
		},
	}
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "warn", "log detail on stderr: debug, info, warn, error")
	root.PersistentFlags().StringVar(&a.maxFile, "max-file-size", "256MiB", "largest site input file read (hosts/, switches/); larger ones are NOT READ")
	root.PersistentFlags().StringVar(&a.maxSite, "max-site-size", "64GiB", "most bytes read from one site's files together")
	root.AddCommand(a.demoCmd(), a.auditCmd(), a.collectCmd(), a.topologyCmd(), a.whatifCmd(), a.diagramCmd(), a.diffCmd(), a.rulesCmd(), a.explainCmd())
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
}

func (f *auditFlags) register(cmd *cobra.Command, failOnDefault string) {
	cmd.Flags().StringVar(&f.format, "format", "text", "report format: "+strings.Join(report.Formats(), ", "))
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of stdout (written atomically)")
	cmd.Flags().StringVar(&f.failOn, "fail-on", failOnDefault, "exit 1 when a finding at or above this severity remains: error, warning, info, never")
	cmd.Flags().StringVar(&f.policy, "policy", "", "policy file (severity overrides, disabled rules, thresholds, waivers); default: the site's policy.yaml")
	cmd.Flags().StringVar(&f.targets, "targets", "", "also poll the switches of this targets file now (see \"collect switches --help\") and audit them with the site")
	cmd.Flags().IntVar(&f.concurrency, "concurrency", 16, "with --targets: switches polled at once")
	cmd.Flags().BoolVar(&f.showSuppressed, "show-suppressed", false, "list findings waived by the policy in the text report (JSON always has them, with status suppressed)")
	cmd.Flags().StringVar(&f.baseline, "baseline", "", "compare with an earlier JSON report (--format json or --save-baseline): report only new findings, totals on stderr")
	cmd.Flags().StringVar(&f.saveBaseline, "save-baseline", "", "write the full JSON report to FILE (atomically) for the next run's --baseline")
}

func (a *app) demoCmd() *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Audit the built-in example site and print the report",
		Long: `Audit the example site embedded in bondaudit: 8 hosts and 4 switches (one MLAG
pair) with correctly built bonds next to the common mistakes: 802.3ad on
ports with no port-channel, active-backup into an LACP port-channel, a static
bond on plain ports, a bond split across two switches that are not an MLAG
pair, balance-alb inside a bridge, no link monitoring.

The demo exits 0 unless --fail-on is given, so it can be run anywhere.`,
		Example: "  bondaudit demo\n  bondaudit demo --format json | jq '.findings[].rule'",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.audit(cmd.Context(), demo.FS(), "demo", f)
		},
	}
	f.register(cmd, "never")
	return cmd
}

func (a *app) auditCmd() *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:   "audit SITE",
		Short: "Join a site's host and switch data, check every bond, report",
		Long: `Read a site folder, map every bond slave to its switch port, run every rule
and report the findings.

A site folder holds:
  hosts/<name>/              a raw capture taken with stock tools on the host:
                               hostname, ip-link.json (ip -details -json link show),
                               bonding/<bond> (copies of /proc/net/bonding/*),
                               lldp.json (lldpcli -f json0 show neighbors details)
  hosts/<name>.json          or a snapshot written by "bondaudit collect host"
  switches/<name>.snmprec    a recorded walk (snmpsim format), or
  switches/<name>.walk       snmpwalk -On / snmpbulkwalk -On output, or
  switches/<name>.json       a switch snapshot

Inputs that cannot be read are reported with file and line and the rest of the
site is still audited. Exit status: 0 no finding at or above --fail-on,
1 findings at or above it, 2 the run failed (nothing could be read).`,
		Example: "  bondaudit audit ./site\n  bondaudit audit ./site --format json -o report.json --fail-on warning",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			fsys, err := a.openSite(dir)
			if err != nil {
				return failed(err)
			}
			return a.audit(cmd.Context(), fsys, siteName(dir), f)
		},
	}
	f.register(cmd, "error")
	return cmd
}

func siteName(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return filepath.Base(abs)
}

// loadAndBuild reads a site and joins it; live, when set, adds switches
// polled now (replacing the site's files of the same name).
func (a *app) loadAndBuild(fsys fs.FS, name string, live ...snmp.Result) (*collect.Site, *topology.Model, error) {
	start := time.Now()
	opt := collect.LoadOptions{}
	if a.stderrIsTerminal {
		last := time.Time{}
		opt.Progress = func(done, total int) {
			if total < 200 {
				return
			}
			if now := time.Now(); now.Sub(last) > 200*time.Millisecond || done == total {
				last = now
				fmt.Fprintf(a.stderr, "\rreading %s: %d/%d inputs", name, done, total)
				if done == total {
					fmt.Fprintf(a.stderr, "\n")
				}
			}
		}
	}
	site, err := collect.LoadSite(fsys, name, opt)
	if err != nil {
		for _, p := range site.Problems {
			fmt.Fprintf(a.stderr, "  %s\n", escape.Text(p.String()))
		}
		return nil, nil, failed(err)
	}
	if len(live) > 0 {
		site.Switches = mergeSwitches(site.Switches, live)
	}
	a.log.Info("site read", "site", name, "hosts", len(site.Hosts), "switches", len(site.Switches),
		"problems", len(site.Problems), "elapsed", time.Since(start))
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		return nil, nil, failed(fmt.Errorf("site %s: %w", name, err))
	}
	return site, m, nil
}

func (a *app) audit(ctx context.Context, fsys fs.FS, name string, f auditFlags) error {
	w, err := report.New(f.format)
	if err != nil {
		return failed(fmt.Errorf("--format: %w", err))
	}
	threshold, never, err := parseFailOn(f.failOn)
	if err != nil {
		return failed(err)
	}
	if t, ok := w.(report.Text); ok {
		t.ShowSuppressed = f.showSuppressed
		w = t
	}
	start := time.Now()
	pol, err := loadPolicy(fsys, f.policy)
	if err != nil {
		return failed(err)
	}
	var live []snmp.Result
	if f.targets != "" {
		if live, err = a.pollTargets(ctx, f.targets, f.concurrency); err != nil {
			return failed(err)
		}
	}
	site, m, err := a.loadAndBuild(fsys, name, live...)
	if err != nil {
		return err
	}
	now := a.now()
	findings := pol.Apply(rules.Run(m, pol.Params(), pol.Enabled), now)
	r := &report.Report{Site: name, Generated: now, Model: m, Findings: findings,
		Problems: append(topology.ProblemTexts(site.Problems), m.Problems...), Duration: time.Since(start)}
	saveBaseline, err := a.applyBaseline(f, r) // keeps only findings not in --baseline
	if err != nil {
		return failed(err)
	}
	if err := a.writeOutput(f.output, func(out io.Writer) error { return w.Write(out, r) }); err != nil {
		return failed(err)
	}
	if err := saveBaseline(); err != nil {
		return failed(err)
	}
	if never {
		return nil
	}
	for _, fd := range r.Findings {
		if fd.Status != rules.StatusSuppressed && fd.Severity >= threshold {
			return &exitError{code: exitFindings}
		}
	}
	return nil
}

func parseFailOn(s string) (rules.Severity, bool, error) {
	if s == "never" {
		return 0, true, nil
	}
	sev, err := rules.ParseSeverity(s)
	if err != nil {
		return 0, false, fmt.Errorf("--fail-on %q: want error, warning, info or never", s)
	}
	return sev, false, nil
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
	cmd := &cobra.Command{
		Use:   "topology SITE",
		Short: "Show what was understood of a site: every slave's switch port, LAGs, MLAG domains",
		Long: `Read a site and print the joined model before any rule runs: each bond slave
with the switch port it is cabled to and the evidence for it (lldp-host,
lldp-switch, cdp, lacp, fdb), each switch's LAGs with their kind and members,
MLAG/stack domains with the reason they were recognised, switch-to-switch
links, and conflicts between sources.`,
		Example: "  bondaudit topology ./site\n  bondaudit topology ./site --format json | jq '.links[]'",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return failed(fmt.Errorf("--format %q: want text or json", format))
			}
			var fsys fs.FS
			name := args[0]
			if name == "demo" {
				if _, err := os.Stat(name); err != nil {
					fsys = demo.FS()
				}
			}
			if fsys == nil {
				var err error
				if fsys, err = a.openSite(name); err != nil {
					return failed(err)
				}
				name = siteName(name)
			}
			_, m, err := a.loadAndBuild(fsys, name)
			if err != nil {
				return err
			}
			v := topology.NewView(m)
			return a.writeOutput(output, func(w io.Writer) error {
				if format == "json" {
					return v.WriteJSON(w)
				}
				return v.WriteText(w)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE instead of stdout")
	return cmd
}

// loadPolicy reads --policy FILE, else the site's policy.yaml when there
// is one; nil (no policy) otherwise. A policy that does not parse stops
// the run: auditing without the waivers someone wrote would cry wolf.
func loadPolicy(fsys fs.FS, flag string) (*rules.Policy, error) {
	if flag != "" {
		p, err := rules.LoadPolicy(flag)
		if err != nil {
			return nil, fmt.Errorf("--policy: %w", err)
		}
		return p, nil
	}
	b, err := fs.ReadFile(fsys, "policy.yaml")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("policy.yaml: %w", err)
	}
	return rules.ParsePolicy(b, "policy.yaml")
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

// parseByteSize reads a size such as 256MiB, 1GiB, 500MB or 1048576
// (bytes). Binary and decimal units are both accepted, case-insensitive.
func parseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	units := []struct {
		suffix string
		mult   int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
		{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, errors.New("want a positive size such as 256MiB, 2GiB or 1048576")
	}
	return n * mult, nil
}
