package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/memlimit"
)

// memoryCgroup makes a child memory cgroup limited to limit bytes, in the
// v2 hierarchy when it has the memory controller, else in v1's, and
// returns the file a process's PID is written to to join it. It skips
// when neither can be made (not root, no writable cgroupfs).
func memoryCgroup(t *testing.T, limit int64) (procs string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a cgroup")
	}
	name := fmt.Sprintf("bondaudit-test-%d", os.Getpid())
	try := func(parent, limitFile string) string {
		dir := filepath.Join(parent, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return ""
		}
		t.Cleanup(func() { os.Remove(dir) })
		if err := os.WriteFile(filepath.Join(dir, limitFile), []byte(strconv.FormatInt(limit, 10)), 0o644); err != nil {
			t.Logf("%s: %v", dir, err)
			return ""
		}
		return filepath.Join(dir, "cgroup.procs")
	}
	for _, v2 := range []string{"/sys/fs/cgroup", "/sys/fs/cgroup/unified"} {
		b, err := os.ReadFile(filepath.Join(v2, "cgroup.subtree_control"))
		if err == nil && strings.Contains(string(b), "memory") {
			if p := try(v2, "memory.max"); p != "" {
				return p
			}
		}
	}
	if p := try("/sys/fs/cgroup/memory", "memory.limit_in_bytes"); p != "" {
		return p
	}
	t.Skip("no writable memory cgroup here")
	return ""
}

// In a cgroup with a 384 MiB limit (a container, or a systemd service with
// MemoryMax=), the soft memory limit follows the cgroup, so that the heap
// does not grow into the OOM killer; GOMEMLIMIT and GOGC in the environment
// win. Outside a limited cgroup (TestMemoryDefaultsOutsideCgroup) the
// runtime's defaults stay.
func TestMemoryLimitFollowsCgroup(t *testing.T) {
	const limit = 384 << 20
	procs := memoryCgroup(t, limit)
	bin := sharedBinary(t)
	run := func(env ...string) string {
		// The shell joins the cgroup, then becomes bondaudit.
		cmd := exec.Command("sh", "-c", `echo $$ > "$1" && shift && exec "$@"`, "sh", procs, bin, "demo", "--log-level", "debug")
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return string(out)
	}
	line := regexp.MustCompile(`msg=memory gogc=(\S+) headroom=\d+ soft_limit=(\d+) limit_from="?([^"\n]*)`)
	m := line.FindStringSubmatch(run())
	if m == nil {
		t.Fatal("no memory line at --log-level debug")
	}
	share := memlimit.MemLimitShare
	want := int64(float64(limit) * share)
	if got, _ := strconv.ParseInt(m[2], 10, 64); got != want || !strings.HasPrefix(m[3], "cgroup") {
		t.Errorf("soft limit %s from %q, want %d from the cgroup", m[2], m[3], want)
	}
	m = line.FindStringSubmatch(run("GOMEMLIMIT=200MiB", "GOGC=100"))
	if m == nil || m[1] != "env" || m[2] != "0" || m[3] != "GOMEMLIMIT" {
		t.Errorf("with GOMEMLIMIT and GOGC set: %q, want both left to the environment", m)
	}
}

// Without a cgroup limit there is no soft limit (a fixed one below the live
// heap made the 100,000-host audit spend most of its time collecting
// garbage), and GOGC follows the live heap (memlimit.GCPercentFor).
func TestMemoryDefaultsOutsideCgroup(t *testing.T) {
	if l := memlimit.Find("/"); strings.HasPrefix(l.Source, "cgroup") {
		t.Skipf("this process runs under a cgroup memory limit (%s)", l.Source)
	}
	cmd := exec.Command(sharedBinary(t), "demo", "--log-level", "debug")
	cmd.Env = append(os.Environ(), "GOGC=", "GOMEMLIMIT=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := fmt.Sprintf("msg=memory gogc=curve headroom=%d soft_limit=0 limit_from=none", memlimit.HeadroomFor(memlimit.Find("/").Bytes))
	if !strings.Contains(string(out), want) {
		t.Errorf("want no soft limit and GOGC on the curve logged (%s), got:\n%s", want, out)
	}
}
