//go:build linux

package sshlab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Collector collects hosts of l into out/<host name>/ (raw host captures),
// workers at a time. It returns an error naming every host it could not
// collect; one host's failure must not stop the others.
type Collector func(ctx context.Context, l *Lab, hosts []Host, out string, workers int) error

// Measurement is one timed fleet collection, to check the README's goal:
// the fleet within 1.5 × the slowest single host's time × hosts / workers.
type Measurement struct {
	Hosts, Workers int
	Wall           time.Duration // collecting every host, workers at a time
	Singles        int           // hosts timed alone
	SlowestSingle  time.Duration // the slowest of them
	Goal           time.Duration // 1.5 × SlowestSingle × Hosts / Workers
	PeakRSS        int64         // the test process's peak resident memory during Wall (bytes)
	RSSBefore      int64         // its resident memory just before (the lab's bookkeeping, the Go runtime)
	ChildMaxRSS    int64         // the largest child process waited for so far (bytes), e.g. one ssh
	LabPss         int64         // what the lab's processes use (bytes)
	// CPU time during Wall: the collector's (the test process and the
	// children it waited for, such as ssh clients) and the hosts' (every
	// sshd and what it ran). The lab's hosts share the machine's cores
	// with the collector, unlike a real fleet's: when the two together
	// fill the cores, Wall is bound by (CollectorCPU+HostsCPU)/Cores, not
	// by the goal.
	CollectorCPU, HostsCPU time.Duration
	Cores                  int
}

// CPUBound is the shortest Wall the machine's cores allow.
func (m Measurement) CPUBound() time.Duration {
	return (m.CollectorCPU + m.HostsCPU) / time.Duration(max(m.Cores, 1))
}

// Ratio is Wall / Goal: at most 1 meets the goal.
func (m Measurement) Ratio() float64 { return float64(m.Wall) / float64(m.Goal) }

func (m Measurement) String() string {
	return fmt.Sprintf("%d hosts, %d workers: wall %v; slowest single host %v (of %d timed alone); goal 1.5 × %v × %d/%d = %v; wall/goal %.2f; "+
		"CPU: collector %v, hosts %v, on %d cores at least %v; peak RSS %.1f MiB (%.1f MiB before; largest child %.1f MiB); lab Pss %.1f MiB",
		m.Hosts, m.Workers, m.Wall.Round(time.Millisecond), m.SlowestSingle.Round(time.Millisecond), m.Singles,
		m.SlowestSingle.Round(time.Millisecond), m.Hosts, m.Workers, m.Goal.Round(time.Millisecond), m.Ratio(),
		m.CollectorCPU.Round(time.Millisecond), m.HostsCPU.Round(time.Millisecond), m.Cores, m.CPUBound().Round(time.Millisecond),
		mib(m.PeakRSS), mib(m.RSSBefore), mib(m.ChildMaxRSS), mib(m.LabPss))
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// Measure times c: first `singles` hosts spread over hosts, each collected
// alone (one worker, nothing else running), then all of hosts with workers
// at a time. Every collection writes into a fresh folder under l.Dir.
func Measure(ctx context.Context, l *Lab, c Collector, hosts []Host, workers, singles int) (Measurement, error) {
	m := Measurement{Hosts: len(hosts), Workers: workers}
	if len(hosts) == 0 || workers < 1 {
		return m, fmt.Errorf("want hosts and workers, got %d and %d", len(hosts), workers)
	}
	singles = min(max(singles, 1), len(hosts))
	for i := range singles {
		h := hosts[i*len(hosts)/singles]
		out, err := os.MkdirTemp(l.Dir, "single-")
		if err != nil {
			return m, err
		}
		begin := time.Now()
		if err := c(ctx, l, []Host{h}, out, 1); err != nil {
			return m, fmt.Errorf("%s alone: %w", h.Name, err)
		}
		m.SlowestSingle = max(m.SlowestSingle, time.Since(begin))
		m.Singles++
	}
	m.Goal = time.Duration(1.5 * float64(m.SlowestSingle) * float64(len(hosts)) / float64(workers))
	out, err := os.MkdirTemp(l.Dir, "fleet-")
	if err != nil {
		return m, err
	}
	// Peak resident memory from here on: writing 5 to clear_refs resets
	// VmHWM.
	runtime.GC()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	m.RSSBefore = statusKB("VmRSS") * 1024
	collector0, hosts0 := collectorCPU(), l.hostsCPU()
	begin := time.Now()
	err = c(ctx, l, hosts, out, workers)
	m.Wall = time.Since(begin)
	// Let the listeners reap their last sessions.
	time.Sleep(100 * time.Millisecond)
	m.CollectorCPU, m.HostsCPU, m.Cores = collectorCPU()-collector0, l.hostsCPU()-hosts0, runtime.NumCPU()
	m.PeakRSS = statusKB("VmHWM") * 1024
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru) == nil {
		m.ChildMaxRSS = ru.Maxrss * 1024
	}
	_, m.LabPss = l.Memory()
	return m, err
}

func collectorCPU() time.Duration {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(children.Utime) + tv(children.Stime)
}

// hostsCPU sums the CPU time of every host's sshd and of the sessions it
// has reaped (utime, stime, cutime, cstime of /proc/PID/stat).
func (l *Lab) hostsCPU() time.Duration {
	var ticks int64
	for _, h := range l.Hosts {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", h.PID))
		if err != nil {
			continue
		}
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		// After "pid (comm)": state is field 3; utime..cstime are 14..17.
		f := strings.Fields(string(b[i+1:]))
		for _, k := range []int{14, 15, 16, 17} {
			if k-3 < len(f) {
				n, _ := strconv.ParseInt(f[k-3], 10, 64)
				ticks += n
			}
		}
	}
	// USER_HZ is 100 on Linux.
	return time.Duration(ticks) * 10 * time.Millisecond
}

func statusKB(field string) int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// OpenSSHCollector is the baseline Collector: the system OpenSSH client
// runs the stock commands on each host, one master connection per host and
// one session per command, and writes each host's raw capture (hostname,
// ip-link.json, bonding/*, lldp.json when lldpcli answers, ethtool/<slave>,
// ovs-bonds.txt when ovs-appctl answers) into out/.<name>.partial, renamed
// to out/<name> once complete.
func OpenSSHCollector(ctx context.Context, l *Lab, hosts []Host, out string, workers int) error {
	// Control sockets need a short path.
	cm, err := os.MkdirTemp("", "sshlab-cm-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cm)
	work := make(chan Host)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for range min(workers, len(hosts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for h := range work {
				if err := collectOne(ctx, l, h, out, filepath.Join(cm, h.Name)); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s: %w", h.Name, err))
					mu.Unlock()
				}
			}
		}()
	}
	for _, h := range hosts {
		work <- h
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}

func collectOne(ctx context.Context, l *Lab, h Host, out, controlPath string) error {
	master := []string{"-o", "ControlMaster=auto", "-o", "ControlPath=" + controlPath, "-o", "ControlPersist=yes"}
	defer exec.Command("ssh", append(append([]string{"-O", "exit"}, master...), h.Addr)...).Run()
	run := func(command string) ([]byte, int, error) {
		cmd := l.Command(ctx, h, command, master...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee) && ee.ExitCode() == 255:
			return nil, 255, fmt.Errorf("%s: ssh: %s", command, strings.TrimSpace(stderr.String()))
		case errors.As(err, &ee):
			return stdout.Bytes(), ee.ExitCode(), nil
		case err != nil:
			return nil, -1, fmt.Errorf("%s: %v", command, err)
		}
		return stdout.Bytes(), 0, nil
	}
	tmp := filepath.Join(out, "."+h.Name+".partial")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	write := func(name string, b []byte) error {
		p := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, b, 0o644)
	}
	for _, c := range []struct{ command, file string }{{"hostname", "hostname"}, {"ip -details -json link show", "ip-link.json"}} {
		b, code, err := run(c.command)
		if err != nil {
			return err
		}
		if code != 0 {
			return fmt.Errorf("%s: exit %d", c.command, code)
		}
		if err := write(c.file, b); err != nil {
			return err
		}
	}
	list, code, err := run("ls /proc/net/bonding")
	if err != nil {
		return err
	}
	var slaves []string
	if code == 0 {
		for _, bond := range strings.Fields(string(list)) {
			b, code, err := run("cat /proc/net/bonding/" + bond)
			if err != nil {
				return err
			}
			if code != 0 {
				continue
			}
			if err := write("bonding/"+bond, b); err != nil {
				return err
			}
			for _, line := range strings.Split(string(b), "\n") {
				if s, ok := strings.CutPrefix(line, "Slave Interface: "); ok {
					slaves = append(slaves, strings.TrimSpace(s))
				}
			}
		}
	}
	for _, s := range slaves {
		if b, code, err := run("ethtool " + s + "; ethtool -i " + s); err == nil && code == 0 {
			write("ethtool/"+s, b)
		} else if err != nil {
			return err
		}
	}
	for _, c := range []struct{ command, file string }{{"lldpcli -f json0 show neighbors details", "lldp.json"}, {"ovs-appctl bond/show", "ovs-bonds.txt"}} {
		b, code, err := run(c.command)
		if err != nil {
			return err
		}
		if code == 0 && len(b) > 0 {
			if err := write(c.file, b); err != nil {
				return err
			}
		}
	}
	dest := filepath.Join(out, h.Name)
	os.RemoveAll(dest)
	return os.Rename(tmp, dest)
}
