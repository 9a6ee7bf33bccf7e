package fleet

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/collect/host"
)

// localRecipe takes a raw capture of this machine into dir the way the
// README and DESIGN.md describe it (the commands typed on the host), to
// compare with what collect hosts writes over SSH.
const localRecipe = `set -e
D=$1
export LC_ALL=C
mkdir -p "$D"
hostname > "$D/hostname"
ip -details -json link show > "$D/ip-link.json"
if [ -d /proc/net/bonding ] && [ -n "$(ls /proc/net/bonding)" ]; then mkdir "$D/bonding"; cp /proc/net/bonding/* "$D/bonding/"; fi
if [ -S /run/lldpd.socket ] && command -v lldpcli >/dev/null; then lldpcli -f json0 show neighbors details > "$D/lldp.json" || rm -f "$D/lldp.json"; fi
for m in /sys/class/net/*/master; do
  [ -e "$m" ] || continue; [ -d "$m/bridge" ] && continue
  n=$(basename "$(dirname "$m")"); mkdir -p "$D/ethtool"; { ethtool "$n"; ethtool -i "$n"; } > "$D/ethtool/$n" 2>/dev/null || true
done
if command -v ovs-appctl >/dev/null; then ovs-appctl bond/show > "$D/ovs-bonds.txt" 2>/dev/null || rm -f "$D/ovs-bonds.txt"; fi
`

// tree reads every file under dir: relative path → content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCaptureOverSSHEqualsLocalCapture(t *testing.T) {
	s := startSSHD(t)
	dir := t.TempDir()
	kh := writeFile(t, filepath.Join(dir, "known_hosts"), s.knownLine())
	out := filepath.Join(dir, "hosts")
	rs := Collect(context.Background(), []Target{s.target("web01")}, Options{Out: out, KnownHosts: []string{kh}, AgentSocket: "-", Timeout: 30 * time.Second})
	if rs[0].Err != nil {
		t.Fatalf("collect: %v", rs[0].Err)
	}
	// The machine is shared (other tests add and remove links): the SSH
	// capture must equal a local one taken just before or just after it,
	// bridge timers (which tick) aside.
	got := normalise(tree(t, filepath.Join(out, "web01")))
	var want map[string]string
	for _, when := range []string{"after", "before"} {
		local := filepath.Join(dir, "local-"+when)
		if b, err := exec.Command("sh", "-c", localRecipe, "sh", local).CombinedOutput(); err != nil {
			t.Fatalf("local recipe: %v: %s", err, b)
		}
		want = normalise(tree(t, local))
		if cmp.Equal(want, got) {
			break
		}
		if when == "after" {
			// take the SSH capture again, then compare with a local one after it
			rs = Collect(context.Background(), []Target{s.target("web01")}, Options{Out: out, KnownHosts: []string{kh}, AgentSocket: "-", Timeout: 30 * time.Second})
			if rs[0].Err != nil {
				t.Fatalf("collect: %v", rs[0].Err)
			}
			got = normalise(tree(t, filepath.Join(out, "web01")))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("capture over SSH differs from the local capture (-local +ssh):\n%s", diff)
	}
	if len(want) < 2 {
		t.Errorf("local capture has %d files, want at least hostname and ip-link.json", len(want))
	}
	if _, err := os.Stat("/proc/net/bonding"); err != nil && !hasNote(rs[0].Notes, "no /proc/net/bonding") {
		t.Errorf("no /proc/net/bonding here, and the notes do not say so: %q", rs[0].Notes)
	}
	// The capture reads as a host.
	h, problems, err := host.ReadCaptureFS(os.DirFS(out), "web01")
	if err != nil {
		t.Fatalf("reading the capture: %v (%q)", err, problems)
	}
	if len(h.NICs) == 0 {
		t.Errorf("capture read with no NICs: %+v", h)
	}
	// Nothing left behind: only the capture.
	ents, _ := os.ReadDir(out)
	if len(ents) != 1 || ents[0].Name() != "web01" {
		t.Errorf("output folder holds %v, want only web01", names(ents))
	}
}

var bridgeTimer = regexp.MustCompile(`"([a-z_]+)_timer":[0-9.]+`)

// normalise blanks what changes by itself between two captures: bridge
// timers.
func normalise(m map[string]string) map[string]string {
	for k, v := range m {
		m[k] = bridgeTimer.ReplaceAllString(v, `"${1}_timer":0`)
	}
	return m
}

func hasNote(notes []string, s string) bool {
	for _, n := range notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

func names(ents []os.DirEntry) []string {
	var n []string
	for _, e := range ents {
		n = append(n, e.Name())
	}
	return n
}
