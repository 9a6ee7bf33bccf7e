package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect/fleet"
	"github.com/bondaudit/bondaudit/collect/fleet/inventory"
	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/internal/runjob"
)

// hostFlags are collect hosts' flags (collect site has them too).
type hostFlags struct {
	inventory, limit, remote, user string
	sshConfigFile                  string
	knownHosts                     []string
	concurrency                    int
	acceptNew, become              bool
	timeout, connectTimeout        time.Duration
}

func (f *hostFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVarP(&f.inventory, "inventory", "i", "", "inventory: Ansible INI or YAML, or a plain list of [user@]host[:port], one per line")
	fl.StringVar(&f.limit, "limit", "", "only the hosts PATTERN selects (Ansible patterns: names, groups, globs, ~regex; a,b or a:b unions, a:&b intersections, a:!b exclusions)")
	fl.StringVarP(&f.sshConfigFile, "ssh-config", "F", "", "ssh_config FILE for HostName, User, Port, IdentityFile, ProxyJump (default ~/.ssh/config when it exists; none: no file)")
	fl.IntVar(&f.concurrency, "concurrency", 64, "hosts collected at once")
	fl.StringArrayVar(&f.knownHosts, "known-hosts", nil, "known_hosts FILE (repeatable; default ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts); --accept-new appends to the first")
	fl.BoolVar(&f.acceptNew, "accept-new", false, "record the key of a host known_hosts does not know (a changed key is always refused)")
	fl.BoolVar(&f.become, "become", false, "run the commands that need root (lldpcli, ovs-appctl, teamdctl) through sudo -n")
	fl.StringVar(&f.remote, "remote-bondaudit", "", "run PATH collect host -o - on each host (bondaudit installed there) and store its snapshot")
	fl.StringVarP(&f.user, "user", "u", "", "log in as USER where the inventory names none (default: $USER)")
	fl.DurationVar(&f.timeout, "timeout", 2*time.Minute, "deadline of one host: connects, retries and commands")
	fl.DurationVar(&f.connectTimeout, "connect-timeout", 10*time.Second, "deadline of one TCP connect and SSH handshake")
}

func (f *hostFlags) options(out string) fleet.Options {
	return fleet.Options{Out: out, Concurrency: f.concurrency, User: f.user, KnownHosts: f.knownHosts,
		AcceptNew: f.acceptNew, Become: f.become, RemoteBondaudit: f.remote, Timeout: f.timeout,
		ConnectTimeout: f.connectTimeout}
}

func (a *app) collectHostsCmd() *cobra.Command {
	var f hostFlags
	var out string
	cmd := &cobra.Command{
		Use:   "hosts -i INVENTORY -o DIR",
		Short: "Collect raw captures from Linux hosts over SSH, one folder per host",
		Long:  help("collect-hosts"),
		Example: "  bondaudit collect hosts -i hosts.txt -o site/hosts\n" +
			"  bondaudit collect hosts -i hosts.txt -o site/hosts --limit 'web*' --accept-new --become",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.inventory == "" || out == "" {
				return failed(fmt.Errorf("collect hosts needs -i INVENTORY and -o DIR"))
			}
			// Interrupted: hosts in flight stop, none is marked
			// unreachable, old captures stay.
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			ok, total, err := a.collectHosts(ctx, &f, out, a.stderrIsTerminal)
			return hostsExit(ok, total, err)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "", "folder for the captures (a site's hosts/ folder)")
	return cmd
}

func hostsExit(ok, total int, err error) error {
	switch {
	case err != nil:
		return failed(err)
	case ok == 0:
		return failed(fmt.Errorf("no host could be collected"))
	case ok < total:
		return &exitError{code: exitFindings}
	}
	return nil
}

// collectHosts reads the inventory and collects every host into out, with
// progress and a summary on stderr. err is set when nothing could start or
// a capture could not be saved.
func (a *app) collectHosts(ctx context.Context, f *hostFlags, out string, terminal bool) (ok, total int, err error) {
	if f.concurrency < 1 {
		return 0, 0, fmt.Errorf("--concurrency %d: want 1 or more", f.concurrency)
	}
	targets, warnings, err := fleet.LoadTargets(f.inventory, f.limit, f.sshConfigFile, inventory.Defaults{User: f.user, Become: f.become})
	for _, w := range warnings {
		fmt.Fprintf(a.stderr, "warning: %s\n", w)
	}
	if err != nil {
		return 0, 0, err
	}
	if len(targets) == 0 {
		return 0, 0, fmt.Errorf("inventory %s: no host (after --limit %s)", f.inventory, quote.Q(f.limit))
	}
	opt := f.options(out)
	if err := fleet.Check(opt); err != nil {
		return 0, 0, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, 0, fmt.Errorf("-o %s: %w", out, err)
	}
	pr := &fleet.ProgressLine{W: a.stderr, Terminal: terminal, Every: 10 * time.Second}
	opt.Progress = pr.Report
	start := time.Now()
	results := fleet.Collect(ctx, targets, opt)
	ok, unsaved := fleet.Summary(a.stderr, results, out, time.Since(start))
	if unsaved > 0 {
		return ok, len(results), fmt.Errorf("%d of %d hosts could not be saved in %s", unsaved, len(results), out)
	}
	return ok, len(results), nil
}

func (a *app) collectSiteCmd() *cobra.Command {
	var f hostFlags
	var targets, out string
	var swConcurrency int
	cmd := &cobra.Command{
		Use:     "site -i INVENTORY -t TARGETS.yaml -o SITE",
		Short:   "Collect hosts over SSH and poll switches over SNMP at once, into one site",
		Long:    help("collect-site"),
		Example: "  bondaudit collect site -i hosts.txt -t targets.yaml -o site && bondaudit audit site",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.inventory == "" || targets == "" || out == "" {
				return failed(fmt.Errorf("collect site needs -i INVENTORY, -t TARGETS.yaml and -o SITE"))
			}
			swDir := filepath.Join(out, "switches")
			if err := os.MkdirAll(swDir, 0o755); err != nil {
				return failed(fmt.Errorf("-o %s: %w", out, err))
			}
			// Two pools at once: plain progress lines, never two lines
			// redrawn over each other.
			term, stderr := a.stderrIsTerminal, a.stderr
			a.stderrIsTerminal, a.stderr = false, &syncWriter{w: stderr}
			defer func() { a.stderrIsTerminal, a.stderr = term, stderr }()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			var wg sync.WaitGroup
			var hostsOK, hostsTotal int
			var hostsErr error
			wg.Add(1)
			go func() {
				defer wg.Done()
				hostsOK, hostsTotal, hostsErr = a.collectHosts(ctx, &f, filepath.Join(out, "hosts"), false)
			}()
			results, swErr := a.pollTargets(ctx, targets, swConcurrency)
			swOK, unsaved := 0, 0
			if swErr == nil {
				swOK, unsaved = snmp.SaveReport(a.stderr, swDir, results)
			}
			wg.Wait()
			var errs []error
			if hostsErr != nil {
				errs = append(errs, fmt.Errorf("hosts: %w", hostsErr))
			}
			if swErr != nil {
				errs = append(errs, fmt.Errorf("switches: %w", swErr))
			} else if unsaved > 0 {
				errs = append(errs, fmt.Errorf("%d of %d switch snapshots could not be saved in %s", unsaved, len(results), swDir))
			}
			switch {
			case len(errs) > 0:
				return failed(errors.Join(errs...))
			case hostsOK == 0 && swOK == 0:
				return failed(fmt.Errorf("no host and no switch could be collected"))
			case hostsOK < hostsTotal || swOK < len(results):
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVarP(&targets, "targets", "t", "", "targets file (YAML) of the switches, as collect switches")
	cmd.Flags().StringVarP(&out, "output", "o", "", "the site folder: hosts/ and switches/ are filled")
	cmd.Flags().IntVar(&swConcurrency, "switch-concurrency", 16, "switches polled at once")
	return cmd
}

// runCollectHosts is bondaudit run's collect step for hosts: {inventory: …}.
func (a *app) runCollectHosts(ctx context.Context, h *runjob.Hosts, dir string) (int, int, error) {
	f := &hostFlags{inventory: h.Inventory, limit: h.Limit, concurrency: h.Concurrency, become: h.Become,
		timeout: 2 * time.Minute, connectTimeout: 10 * time.Second}
	if h.KnownHosts != "" {
		f.knownHosts = []string{h.KnownHosts}
	}
	return a.collectHosts(ctx, f, dir, false)
}
