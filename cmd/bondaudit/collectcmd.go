package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect/host"
	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

func (a *app) collectCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Collect snapshots from live switches (SNMP), Linux hosts (SSH) or this host (kernel)",
	}
	cmd.AddCommand(a.collectSwitchesCmd(), a.collectHostCmd(), a.collectHostsCmd(), a.collectSiteCmd())
	return cmd
}

func (a *app) collectSwitchesCmd() *cobra.Command {
	var targets, outDir string
	var concurrency int
	cmd := &cobra.Command{
		Use:   "switches -t TARGETS.yaml -o DIR",
		Short: "Poll switches over SNMP and write one snapshot per switch",
		Long:  help("collect-switches"),
		Example: "  bondaudit collect switches -t targets.yaml -o site/switches\n" +
			"  SNMP_COMMUNITY=… bondaudit collect switches -t targets.yaml -o site/switches --concurrency 50",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if targets == "" || outDir == "" {
				return failed(fmt.Errorf("collect switches needs -t TARGETS.yaml and -o DIR"))
			}
			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return failed(fmt.Errorf("-o %s: %w", outDir, err))
			}
			results, err := a.pollTargets(cmd.Context(), targets, concurrency)
			if err != nil {
				return failed(err)
			}
			ok, unwritten := 0, 0
			for _, sv := range snmp.SaveAll(outDir, results) {
				switch {
				case sv.Err != nil:
					unwritten++
					fmt.Fprintf(a.stderr, "switch %s: snapshot not saved: %s\n", escape.Text(sv.Result.Target.Name), escape.Text(sv.Err.Error()))
				case sv.Result.Err == nil:
					ok++
				}
			}
			fmt.Fprintf(a.stderr, "collected %d of %d switches into %s\n", ok, len(results), outDir)
			switch {
			case unwritten > 0:
				// The folder now holds old snapshots for these switches:
				// the run failed, not the switches.
				return failed(fmt.Errorf("%d of %d snapshots could not be saved in %s", unwritten, len(results), outDir))
			case ok == 0:
				return failed(fmt.Errorf("no switch could be collected"))
			case ok < len(results):
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&targets, "targets", "t", "", "targets file (YAML): switches, settings, credential references")
	cmd.Flags().StringVarP(&outDir, "output", "o", "", "folder for the snapshots (a site's switches/ folder)")
	cmd.Flags().IntVar(&concurrency, "concurrency", 16, "switches polled at once")
	return cmd
}

// pollTargets reads a targets file and polls every switch, with progress
// on a terminal and one stderr line per switch that failed.
func (a *app) pollTargets(ctx context.Context, path string, concurrency int) ([]snmp.Result, error) {
	ts, err := snmp.LoadTargets(path)
	if err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	if concurrency < 1 {
		return nil, fmt.Errorf("--concurrency %d: want 1 or more", concurrency)
	}
	failedN := 0
	start := time.Now()
	opt := snmp.PollOptions{Concurrency: concurrency, Log: a.log, Now: a.now,
		Progress: func(done, total int, r *snmp.Result) {
			if r.Err != nil {
				failedN++
				if a.stderrIsTerminal {
					fmt.Fprintf(a.stderr, "\r\033[K")
				}
				fmt.Fprintf(a.stderr, "switch %s: not collected: %s\n", escape.Text(r.Target.Name), escape.Text(r.Err.Error()))
			}
			if a.stderrIsTerminal {
				fmt.Fprintf(a.stderr, "\rcollecting switches: %d/%d (%d failed, %s)", done, total, failedN, time.Since(start).Round(time.Second))
				if done == total {
					fmt.Fprintln(a.stderr)
				}
			}
		}}
	return snmp.Poll(ctx, ts, opt), nil
}

func (a *app) collectHostCmd() *cobra.Command {
	var out, pcap string
	var listen time.Duration
	cmd := &cobra.Command{
		Use:     "host [-o FILE] [--listen DURATION] [--pcap FILE]",
		Short:   "Snapshot this Linux host: bonds, slaves, bridges, VLANs, neighbours",
		Long:    help("collect-host"),
		Example: "  bondaudit collect host -o site/hosts/$(hostname).json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			h, problems, err := host.Collect(cmd.Context(), host.CollectOptions{Now: a.now, Listen: listen, Pcap: pcap})
			if err != nil {
				return failed(err)
			}
			for _, p := range problems {
				fmt.Fprintf(a.stderr, "collect host: %s\n", escape.Text(p))
			}
			b, err := topology.MarshalSnapshot(h)
			if err != nil {
				return failed(err)
			}
			if err := a.writeOutput(out, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
				return failed(err)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the snapshot to FILE (atomically) instead of stdout")
	cmd.Flags().DurationVar(&listen, "listen", 35*time.Second, "listen this long on every bond slave for LLDP/CDP/LACPDUs (the default hears one LLDP interval, 65s also one CDP interval; 0 skips; needs CAP_NET_RAW)")
	cmd.Flags().StringVar(&pcap, "pcap", "", "read LLDP/CDP/LACPDUs from a capture (tcpdump -i any -w FILE 'ether proto 0x88cc or ether proto 0x8809 or ether dst 01:00:0c:cc:cc:cc')")
	return cmd
}
