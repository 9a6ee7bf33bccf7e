//go:build linux

package sshlab_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/fleet"
	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/internal/sshlab"
)

// collectors are the fleet collectors the benchmark times: bondaudit's
// own (collect/fleet, what `collect hosts` runs) and the OpenSSH client
// baseline.
var collectors = map[string]sshlab.Collector{
	"openssh": sshlab.OpenSSHCollector,
	"fleet": func(ctx context.Context, l *sshlab.Lab, hosts []sshlab.Host, out string, workers int) error {
		targets := make([]fleet.Target, len(hosts))
		for i, h := range hosts {
			targets[i] = fleet.Target{Name: h.Name, Addr: h.Addr, Port: h.Port, User: l.User, IdentityFiles: []string{l.Key}}
		}
		var errs []error
		for _, r := range fleet.Collect(ctx, targets, fleet.Options{Out: out, Concurrency: workers, AgentSocket: "-",
			KnownHosts: []string{l.KnownHosts}, ConnectTimeout: 2 * time.Second, Retries: 1, Backoff: 100 * time.Millisecond}) {
			if r.Err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", r.Target.Name, r.Err))
			}
		}
		return errors.Join(errs...)
	},
}

// TestMeasure: the harness times each collector on a small lab; every
// healthy host's capture is complete, and the faulty hosts are each
// named in the error without stopping the others.
func TestMeasure(t *testing.T) {
	needtool.Need(t, "openssh-client", "ssh")
	faults := append([]sshlab.Fault{sshlab.Healthy, sshlab.Healthy, sshlab.Healthy}, sshlab.AllFaults...)
	l := sshlab.Start(t, len(faults), sshlab.Options{Faults: faults})
	for name, c := range collectors {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			m, err := sshlab.Measure(ctx, l, c, l.Healthy(), 2, 2)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(m)
			if m.Wall <= 0 || m.SlowestSingle <= 0 || m.Singles != 2 || m.Goal <= 0 || m.PeakRSS <= 0 || m.LabPss <= 0 {
				t.Errorf("incomplete measurement: %+v", m)
			}
			out := t.TempDir()
			err = c(ctx, l, l.Hosts, out, 4)
			for _, h := range l.Hosts {
				named := err != nil && strings.Contains(err.Error(), h.Name+":")
				files := captured(t, filepath.Join(out, h.Name))
				switch h.Fault {
				case sshlab.Healthy, sshlab.NoLLDPCLI:
					// No lldpd runs in the lab: a missing lldpcli only
					// means no lldp.json, as on every other host.
					if named || !slices.Equal(files, []string{"hostname", "ip-link.json"}) {
						t.Errorf("%s (%s): files %v, error named it: %v", h.Name, h.Fault, files, named)
					}
				case sshlab.Garbage:
					// The baseline stores what ip printed; a reader says
					// what is wrong with it.
					b, _ := os.ReadFile(filepath.Join(out, h.Name, "ip-link.json"))
					if named || !strings.Contains(string(b), "not json") {
						t.Errorf("%s (garbage): ip-link.json %q, error named it: %v", h.Name, b, named)
					}
				default:
					if !named || files != nil {
						t.Errorf("%s (%s): want it named in the error and no folder; files %v, error %v", h.Name, h.Fault, files, err)
					}
				}
			}
			if ents, _ := os.ReadDir(out); slices.ContainsFunc(ents, func(e os.DirEntry) bool { return strings.HasPrefix(e.Name(), ".") }) {
				t.Errorf("partial folders left in %s: %v", out, ents)
			}
		})
	}
}

func captured(t *testing.T, dir string) []string {
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return nil
	})
	slices.Sort(files)
	return files
}

// BenchmarkFleetCollect: 200 lab hosts (SSHLAB_BENCH_HOSTS) collected 64
// at a time by each collector; reports wall time, the slowest single
// host's time, the README's goal (1.5 × slowest single × hosts / workers),
// CPU and memory.
//
//	go test -run '^$' -bench FleetCollect -benchtime 1x ./internal/sshlab/
func BenchmarkFleetCollect(b *testing.B) {
	needtool.Need(b, "openssh-client", "ssh")
	const workers, singles = 64, 5
	hosts := 200
	if n, err := strconv.Atoi(os.Getenv("SSHLAB_BENCH_HOSTS")); err == nil && n > 0 {
		hosts = n // to see memory stay flat in the number of hosts
	}
	l := sshlab.Start(b, hosts, sshlab.Options{})
	procs, pss := l.Memory()
	b.Logf("lab: %d hosts started in %v; %d processes, Pss %.1f MiB", hosts, l.Started.Round(time.Millisecond), procs, float64(pss)/(1<<20))
	for name, c := range collectors {
		b.Run(name, func(b *testing.B) {
			var m sshlab.Measurement
			for b.Loop() {
				var err error
				m, err = sshlab.Measure(context.Background(), l, c, l.Hosts, workers, singles)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.Log(m)
			b.ReportMetric(m.Wall.Seconds(), "wall-s")
			b.ReportMetric(m.SlowestSingle.Seconds(), "slowest-single-s")
			b.ReportMetric(m.Goal.Seconds(), "goal-s")
			b.ReportMetric(m.Ratio(), "wall/goal")
			b.ReportMetric(m.CollectorCPU.Seconds(), "collector-cpu-s")
			b.ReportMetric(m.HostsCPU.Seconds(), "hosts-cpu-s")
			b.ReportMetric(m.CPUBound().Seconds(), "cpu-bound-s")
			b.ReportMetric(float64(m.PeakRSS)/(1<<20), "peak-rss-MiB")
			b.ReportMetric(float64(m.PeakRSS-m.RSSBefore)/(1<<20), "rss-growth-MiB")
			b.ReportMetric(float64(m.LabPss)/(1<<20), "lab-pss-MiB")
		})
	}
}
