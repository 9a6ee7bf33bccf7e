package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/bondaudit/bondaudit/collect/fleet"
	"github.com/bondaudit/bondaudit/collect/fleet/inventory"
	"github.com/bondaudit/bondaudit/collect/host"
	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// PollTargets reads a targets file and polls every switch (Poll).
func (e *Env) PollTargets(ctx context.Context, path string, concurrency int) ([]snmp.Result, error) {
	ts, err := snmp.LoadTargets(path)
	if err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	return e.Poll(ctx, ts, concurrency)
}

// Poll polls every switch, with progress on a terminal and one Stderr
// line per switch that failed.
func (e *Env) Poll(ctx context.Context, ts []snmp.Target, concurrency int) ([]snmp.Result, error) {
	if concurrency < 1 {
		return nil, fmt.Errorf("--concurrency %d: want 1 or more", concurrency)
	}
	pr := &snmp.ProgressLine{W: e.Stderr, Terminal: e.Terminal}
	opt := snmp.PollOptions{Concurrency: concurrency, Log: e.Log, Now: e.Now, Progress: pr.Report}
	return snmp.Poll(ctx, ts, opt), nil
}

// CollectSwitches is bondaudit collect switches: the switches of the
// targets file (path), or else adhoc's, polled into outDir, one snapshot
// each, with a summary on Stderr. fails: some switch could not be
// collected; an error: none could, or a snapshot could not be saved.
func (e *Env) CollectSwitches(ctx context.Context, targets string, adhoc snmp.AdHoc, outDir string, concurrency int) (fails bool, err error) {
	var ts []snmp.Target
	if targets != "" {
		if x := adhoc; x.Name+x.Version+x.Community+x.User+x.Level+x.AuthProto+x.AuthPass+x.PrivProto+x.PrivPass != "" {
			return false, fmt.Errorf("-v, -c, -u, -l, -a, -A, -x, -X and --name go with --address; a targets file names its own settings")
		}
		if ts, err = snmp.LoadTargets(targets); err != nil {
			return false, fmt.Errorf("targets: %w", err)
		}
	} else {
		if ts, err = adhoc.Targets(os.LookupEnv, os.ReadFile); err != nil {
			return false, err
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return false, fmt.Errorf("-o %s: %w", outDir, err)
	}
	results, err := e.Poll(ctx, ts, concurrency)
	if err != nil {
		return false, err
	}
	ok, unwritten := snmp.SaveReport(e.Stderr, outDir, results)
	switch {
	case unwritten > 0:
		// The folder now holds old snapshots for these switches:
		// the run failed, not the switches.
		return false, fmt.Errorf("%d of %d snapshots could not be saved in %s", unwritten, len(results), outDir)
	case ok == 0:
		return false, fmt.Errorf("no switch could be collected")
	}
	return ok < len(results), nil
}

// CollectHost is bondaudit collect host: this host's snapshot, written
// to output ("" or "-": Stdout); what could not be read is noted on
// Stderr.
func (e *Env) CollectHost(ctx context.Context, opt host.CollectOptions, output string) error {
	h, problems, err := host.Collect(ctx, opt)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(e.Stderr, "collect host: %s\n", escape.Text(p))
	}
	b, err := topology.MarshalSnapshot(h)
	if err != nil {
		return err
	}
	return e.Output("-o", output, func(w io.Writer) error { _, err := w.Write(b); return err })
}

// HostsRequest is what collect hosts (and collect site) are asked: their
// flags.
type HostsRequest struct {
	Inventory, Limit, Remote, User string
	SSHConfig                      string // ssh_config file; "" is ~/.ssh/config when it exists
	KnownHosts                     []string
	Concurrency                    int
	AcceptNew, Become              bool
	Timeout, ConnectTimeout        time.Duration
}

func (q *HostsRequest) options(out string) fleet.Options {
	return fleet.Options{Out: out, Concurrency: q.Concurrency, User: q.User, KnownHosts: q.KnownHosts,
		AcceptNew: q.AcceptNew, Become: q.Become, RemoteBondaudit: q.Remote, Timeout: q.Timeout,
		ConnectTimeout: q.ConnectTimeout}
}

// CollectHosts reads the inventory and collects every host into out, with
// progress and a summary on Stderr: ok of total hosts collected. err is
// set when nothing could start or a capture could not be saved.
func (e *Env) CollectHosts(ctx context.Context, q *HostsRequest, out string) (ok, total int, err error) {
	if q.Concurrency < 1 {
		return 0, 0, fmt.Errorf("--concurrency %d: want 1 or more", q.Concurrency)
	}
	targets, warnings, err := fleet.LoadTargets(q.Inventory, q.Limit, q.SSHConfig, inventory.Defaults{User: q.User, Become: q.Become})
	for _, w := range warnings {
		fmt.Fprintf(e.Stderr, "warning: %s\n", w)
	}
	if err != nil {
		return 0, 0, err
	}
	if len(targets) == 0 {
		return 0, 0, fmt.Errorf("inventory %s: no host (after --limit %s)", q.Inventory, quote.Q(q.Limit))
	}
	opt := q.options(out)
	if err := fleet.Check(opt); err != nil {
		return 0, 0, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, 0, fmt.Errorf("-o %s: %w", out, err)
	}
	pr := &fleet.ProgressLine{W: e.Stderr, Terminal: e.Terminal, Every: 10 * time.Second}
	opt.Progress = pr.Report
	start := time.Now()
	results := fleet.Collect(ctx, targets, opt)
	ok, unsaved := fleet.Summary(e.Stderr, results, out, time.Since(start))
	if unsaved > 0 {
		return ok, len(results), fmt.Errorf("%d of %d hosts could not be saved in %s", unsaved, len(results), out)
	}
	return ok, len(results), nil
}

// HostsOutcome is collect hosts' verdict on CollectHosts: an error when it
// failed or no host could be collected; fails when some could not.
func HostsOutcome(ok, total int, err error) (fails bool, _ error) {
	switch {
	case err != nil:
		return false, err
	case ok == 0:
		return false, fmt.Errorf("no host could be collected")
	}
	return ok < total, nil
}

// CollectSite is bondaudit collect site: the hosts of q collected into
// out/hosts and the switches of the targets file polled into out/switches,
// both pools at once, their progress as plain lines (never two lines
// redrawn over each other). fails: some host or switch could not be
// collected; an error: either side failed, or nothing could be collected.
func (e *Env) CollectSite(ctx context.Context, q *HostsRequest, targets string, swConcurrency int, out string) (fails bool, err error) {
	swDir := filepath.Join(out, "switches")
	if err := os.MkdirAll(swDir, 0o755); err != nil {
		return false, fmt.Errorf("-o %s: %w", out, err)
	}
	pools := *e
	pools.Terminal, pools.Stderr = false, &SyncWriter{W: e.Stderr}
	var wg sync.WaitGroup
	var hostsOK, hostsTotal int
	var hostsErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		hostsOK, hostsTotal, hostsErr = pools.CollectHosts(ctx, q, filepath.Join(out, "hosts"))
	}()
	results, swErr := pools.PollTargets(ctx, targets, swConcurrency)
	swOK, unsaved := 0, 0
	if swErr == nil {
		swOK, unsaved = snmp.SaveReport(pools.Stderr, swDir, results)
	}
	wg.Wait()
	return siteOutcome(hostsOK, hostsTotal, hostsErr, swOK, len(results), unsaved, swErr, swDir)
}

// siteOutcome is collect site's verdict on its two pools: hosts ok of
// total (or hostsErr), switches ok of total with unsaved snapshots not
// saved in swDir (or swErr).
func siteOutcome(hostsOK, hostsTotal int, hostsErr error, swOK, swTotal, unsaved int, swErr error, swDir string) (fails bool, _ error) {
	var errs []error
	if hostsErr != nil {
		errs = append(errs, fmt.Errorf("hosts: %w", hostsErr))
	}
	if swErr != nil {
		errs = append(errs, fmt.Errorf("switches: %w", swErr))
	} else if unsaved > 0 {
		errs = append(errs, fmt.Errorf("%d of %d switch snapshots could not be saved in %s", unsaved, swTotal, swDir))
	}
	switch {
	case len(errs) > 0:
		return false, errors.Join(errs...)
	case hostsOK == 0 && swOK == 0:
		return false, fmt.Errorf("no host and no switch could be collected")
	}
	return hostsOK < hostsTotal || swOK < swTotal, nil
}
