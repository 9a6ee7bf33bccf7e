//go:build linux

package sshlab

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

// Fault is what is wrong with a host.
type Fault int

const (
	// Healthy answers every command.
	Healthy Fault = iota
	// NoAnswer has its address and its sshd, but its replies to the test's
	// address go to a blackhole route: a connection times out.
	NoAnswer
	// DropMidCommand runs every command under a ForceCommand wrapper: an
	// output of at most DropAfter bytes is passed on whole (hostname), a
	// longer one (ip -details -json link show) is cut after DropAfter bytes
	// and the connection is killed before the command's exit status is sent.
	DropMidCommand
	// ChangedHostKey serves a host key other than the one known_hosts holds.
	ChangedHostKey
	// WrongClientKey authorises a key other than Lab.Key.
	WrongClientKey
	// NoLLDPCLI has no lldpcli (nor lldpctl) anywhere: the host's mount
	// namespace shows /usr/sbin and /usr/bin without them.
	NoLLDPCLI
	// Garbage has an ip (/usr/sbin/ip and /usr/bin/ip) that prints garbage
	// and exits 0.
	Garbage
)

// DropAfter is how many bytes of a command's output a DropMidCommand host
// passes on before it drops the connection.
const DropAfter = 256

var faultNames = [...]string{"healthy", "noanswer", "drop", "hostkey", "wrongkey", "nolldpcli", "garbage"}

func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "fault" + strconv.Itoa(int(f))
}

// AllFaults lists every fault once.
var AllFaults = []Fault{NoAnswer, DropMidCommand, ChangedHostKey, WrongClientKey, NoLLDPCLI, Garbage}

// Options shape a lab.
type Options struct {
	// Faults[i] is host i's fault; hosts past its end are healthy.
	Faults []Fault
	// Prefix names the hosts Prefix001, Prefix002, … (default "lab").
	Prefix string
	// LLDPD runs Debian's lldpd on every host, on its veth pair
	// ens1f0/ens1f1, so lldpcli shows each end as the other's neighbour.
	// NoLLDPCLI hosts run lldpd whenever it is installed: lldpd runs,
	// lldpcli is missing.
	LLDPD bool
	// StartTimeout bounds Start (default 2 minutes).
	StartTimeout time.Duration
	// User, when set, is the login user instead of root: an unprivileged
	// user (uid and gid LabUID) that exists only inside the hosts, in their
	// own /etc/passwd, /etc/group and /etc/shadow bound over the machine's.
	// Its home is the host's folder home/.
	User string
	// Sudo lets User run any command as root with `sudo -n` (no password),
	// through a sudoers.d of the hosts' own; it needs Debian's sudo.
	Sudo bool
}

// LabUID is the uid and gid of Options.User inside the hosts.
const LabUID = 61234

// Host is one lab host.
type Host struct {
	Name  string // inventory name; `hostname` prints it
	Addr  string // IPv4 address (sshd on port 22)
	Port  int
	Fault Fault
	PID   int    // the sshd listener: nsenter -t PID -n -u -m
	Dir   string // sshd_config, host key, authorized_keys, sshd.log
	veth  string // its uplink's end in the test's namespace
	netns string // readlink /proc/PID/ns/net
	cmd   *exec.Cmd
	exit  chan struct{} // closed when the sshd has exited and been waited for
	ready chan struct{} // closed when sshd said it listens
}

// Lab is a running set of hosts.
type Lab struct {
	Dir        string // everything the lab wrote
	User       string // the login user: "root", or Options.User
	Key        string // client private key, authorised on every host but WrongClientKey ones
	KnownHosts string // "name,addr key" for every host (ChangedHostKey hosts: another key)
	Inventory  string // Ansible INI inventory: group lab, healthy, faulty and fault_<name>
	HostList   string // plain list: one address per line
	SSHConfig  string // ssh_config: Host <name> → HostName, User, IdentityFile, known_hosts
	Bridge     string // the bridge in the test's namespace
	Gateway    string // the test namespace's address on it
	Hosts      []Host
	// Started is how long Start took.
	Started time.Duration

	id       string
	lldpd    bool
	sudo     bool
	stopOnce sync.Once
	stopErr  error
}

const stdPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// Start runs n hosts and stops them on t.Cleanup (also after a failed
// test). It skips the test (fails it in CI) when not root or when sshd,
// ssh-keygen or ip is missing.
func Start(t testing.TB, n int, opt Options) *Lab {
	t.Helper()
	if os.Geteuid() != 0 {
		needtool.Missing(t, "sshlab needs root to create network namespaces")
	}
	needtool.Need(t, "openssh-server", "sshd")
	needtool.Need(t, "openssh-client", "ssh-keygen")
	needtool.Need(t, "iproute2", "ip")
	needtool.Need(t, "util-linux", "mount")
	if opt.LLDPD {
		needtool.Need(t, "lldpd", "lldpd")
	}
	if opt.Sudo {
		needtool.Need(t, "sudo", "sudo")
	}
	l, err := start(t.TempDir(), n, opt)
	if l != nil {
		t.Cleanup(func() {
			if err := l.Stop(); err != nil {
				t.Errorf("sshlab: stop: %v", err)
			}
		})
	}
	if err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	return l
}

func start(dir string, n int, opt Options) (l *Lab, err error) {
	begin := time.Now()
	if n < 1 {
		return nil, fmt.Errorf("want at least one host, not %d", n)
	}
	if opt.Prefix == "" {
		opt.Prefix = "lab"
	}
	if opt.StartTimeout == 0 {
		opt.StartTimeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), opt.StartTimeout)
	defer cancel()
	l = &Lab{Dir: dir, User: cmp.Or(opt.User, "root"), lldpd: opt.LLDPD, sudo: opt.Sudo}
	nw, err := allocate(ctx, n)
	if err != nil {
		return nil, err
	}
	l.id, l.Bridge, l.Gateway = nw.id, nw.bridge, nw.gateway.String()
	width := len(strconv.Itoa(n))
	if width < 3 {
		width = 3
	}
	addr := nw.gateway
	l.Hosts = make([]Host, n)
	for i := range l.Hosts {
		addr = addr.Next()
		f := Healthy
		if i < len(opt.Faults) {
			f = opt.Faults[i]
		}
		name := fmt.Sprintf("%s%0*d", opt.Prefix, width, i+1)
		l.Hosts[i] = Host{Name: name, Addr: addr.String(), Port: 22, Fault: f,
			Dir: filepath.Join(dir, "hosts", name), veth: fmt.Sprintf("sl%sv%d", l.id, i+1)}
	}
	for _, h := range l.Hosts {
		if err := os.MkdirAll(h.Dir, 0o700); err != nil {
			return l, err
		}
		// A lab user reads its authorized_keys there (sshd drops to it
		// for that): the folders down to the host's are made traversable.
		if l.User != "root" {
			if err := openPath(h.Dir); err != nil {
				return l, err
			}
		}
	}
	if err := l.keys(ctx); err != nil {
		return l, err
	}
	for i := range l.Hosts {
		if err := l.writeHost(&l.Hosts[i], nw.prefixLen); err != nil {
			return l, err
		}
	}
	for i := range l.Hosts {
		if err := l.launch(&l.Hosts[i]); err != nil {
			return l, err
		}
	}
	for i := range l.Hosts {
		h := &l.Hosts[i]
		select {
		case <-h.ready:
		case <-h.exit:
			return l, fmt.Errorf("%s: sshd exited before it listened:\n%s", h.Name, tail(filepath.Join(h.Dir, "sshd.log")))
		case <-ctx.Done():
			return l, fmt.Errorf("%s: sshd not listening after %v:\n%s", h.Name, opt.StartTimeout, tail(filepath.Join(h.Dir, "sshd.log")))
		}
		link, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/net", h.PID))
		if err != nil {
			return l, fmt.Errorf("%s: %v", h.Name, err)
		}
		h.netns = link
	}
	// Every uplink joins the bridge: one ip run for all of them.
	var batch strings.Builder
	for _, h := range l.Hosts {
		fmt.Fprintf(&batch, "link set %s master %s\nlink set %s up\n", h.veth, l.Bridge, h.veth)
	}
	if err := ipBatch(ctx, filepath.Join(dir, "bridge.batch"), batch.String()); err != nil {
		return l, err
	}
	if err := l.writeClientFiles(); err != nil {
		return l, err
	}
	if err := l.waitReachable(ctx); err != nil {
		return l, err
	}
	if err := l.waitLLDP(ctx); err != nil {
		return l, err
	}
	l.Started = time.Since(begin)
	return l, nil
}

// writeHost writes a host's sshd_config, authorized_keys, network batch and
// fault files.
func (l *Lab) writeHost(h *Host, prefixLen int) error {
	var cfg strings.Builder
	fmt.Fprintf(&cfg, `# bondaudit sshlab host %s (%s)
AddressFamily inet
Port 22
HostKey %s
PidFile none
UsePAM no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile %s
StrictModes no
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 200:30:400
Subsystem sftp internal-sftp
`, h.Name, h.Fault, filepath.Join(h.Dir, "ssh_host_ed25519_key"), filepath.Join(h.Dir, "authorized_keys"))
	if h.Fault == DropMidCommand {
		drop := filepath.Join(h.Dir, "drop")
		if err := os.WriteFile(drop, []byte(dropScript), 0o755); err != nil {
			return err
		}
		fmt.Fprintf(&cfg, "ForceCommand %s\n", drop)
	}
	if err := os.WriteFile(filepath.Join(h.Dir, "sshd_config"), []byte(cfg.String()), 0o600); err != nil {
		return err
	}
	authorised := l.Key + ".pub"
	if h.Fault == WrongClientKey {
		authorised = filepath.Join(l.Dir, "stranger_ed25519.pub")
	}
	pub, err := os.ReadFile(authorised)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(h.Dir, "authorized_keys"), pub, 0o644); err != nil {
		return err
	}
	if l.User != "root" {
		if err := l.writeUser(h); err != nil {
			return err
		}
	}
	// The host's own links: lo, its uplink eth0 (the other end joins the
	// bridge) and a veth pair ens1f0/ens1f1, so ip has NICs to show.
	batch := fmt.Sprintf(`link set lo up
link add eth0 type veth peer name %s netns %d
addr add %s/%d dev eth0
link set eth0 up
link add ens1f0 type veth peer name ens1f1
link set ens1f0 up
link set ens1f1 up
`, h.veth, os.Getpid(), h.Addr, prefixLen)
	if h.Fault == NoAnswer {
		batch += fmt.Sprintf("route add blackhole %s/32\n", l.Gateway)
	}
	if err := os.Mkdir(filepath.Join(h.Dir, "root"), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(h.Dir, "net.batch"), []byte(batch), 0o644); err != nil {
		return err
	}
	switch h.Fault {
	case NoLLDPCLI:
		return shadow(h.Dir, map[string]string{"lldpcli": "", "lldpctl": ""})
	case Garbage:
		return shadow(h.Dir, map[string]string{"ip": garbageIP})
	}
	return nil
}

// launch starts a host's sshd in new network, UTS and mount namespaces:
// a shell names the host, sets up its links, hides or replaces programs
// for its fault, and becomes sshd.
func (l *Lab) launch(h *Host) error {
	script := fmt.Sprintf("set -e\necho %s > /proc/sys/kernel/hostname\nip -b %s\n", h.Name, filepath.Join(h.Dir, "net.batch"))
	// Root's home is the host's own (empty) folder: no dotfiles of the
	// machine running the test (a slow .bashrc costs every command). /run
	// is the host's own: sshd's privilege separation folder, lldpd's
	// socket and chroot.
	script += fmt.Sprintf("mount --bind %s /root\numask 022\nmount -t tmpfs -o mode=0755,size=8m sshlab-run /run\nmkdir /run/sshd /run/lldpd\n", filepath.Join(h.Dir, "root"))
	if h.runsLLDPD(l.lldpd) {
		// lldpd forks into the background; Stop finds it in the namespace.
		script += "lldpd -I ens1f0,ens1f1\n"
	}
	for _, f := range []string{"mounts.sh", "user-mounts.sh"} {
		if b, err := os.ReadFile(filepath.Join(h.Dir, f)); err == nil {
			script += string(b)
		}
	}
	script += fmt.Sprintf("exec /usr/sbin/sshd -D -e -f %s\n", filepath.Join(h.Dir, "sshd_config"))
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.Env = []string{"PATH=" + stdPath, "LANG=C.UTF-8"}
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{
		// Go makes the new mount namespace's mounts private.
		Unshareflags: syscall.CLONE_NEWNET | syscall.CLONE_NEWUTS | syscall.CLONE_NEWNS,
		Pdeathsig:    syscall.SIGKILL,
		Setpgid:      true,
	}
	log, err := os.Create(filepath.Join(h.Dir, "sshd.log"))
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		log.Close()
		return err
	}
	cmd.Stdout = log
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("%s: %v", h.Name, err)
	}
	h.cmd, h.PID = cmd, cmd.Process.Pid
	h.ready, h.exit = make(chan struct{}), make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		ready := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(log, line)
			if !ready && strings.HasPrefix(line, "Server listening on ") {
				ready = true
				close(h.ready)
			}
		}
		cmd.Wait()
		log.Close()
		close(h.exit)
	}()
	return nil
}

// waitReachable connects to every host's port 22 (but NoAnswer ones) from
// the test's namespace.
func (l *Lab) waitReachable(ctx context.Context) error {
	sem := make(chan struct{}, 32)
	errs := make(chan error, len(l.Hosts))
	var wg sync.WaitGroup
	for _, h := range l.Hosts {
		if h.Fault == NoAnswer {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var d net.Dialer
			for {
				c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(h.Addr, strconv.Itoa(h.Port)))
				if err == nil {
					c.Close()
					return
				}
				if ctx.Err() != nil {
					errs <- fmt.Errorf("%s (%s) unreachable: %v", h.Name, h.Addr, err)
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	close(errs)
	return errors.Join(collect(errs)...)
}

func (h *Host) runsLLDPD(all bool) bool {
	return all || h.Fault == NoLLDPCLI && needtool.Find("lldpd") != ""
}

// waitLLDP waits until every host that runs lldpd and has lldpcli lists
// both ends of its veth pair as neighbours, so that captures taken now
// all hold them.
func (l *Lab) waitLLDP(ctx context.Context) error {
	sem := make(chan struct{}, 8)
	errs := make(chan error, len(l.Hosts))
	var wg sync.WaitGroup
	for _, h := range l.Hosts {
		if !h.runsLLDPD(l.lldpd) || h.Fault == NoLLDPCLI {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			for {
				out, _ := exec.CommandContext(ctx, "nsenter", "-t", strconv.Itoa(h.PID), "-n", "-m", "-u",
					"lldpcli", "-f", "keyvalue", "show", "neighbors").Output()
				if strings.Count(string(out), ".chassis.name=") >= 2 {
					return
				}
				if ctx.Err() != nil {
					errs <- fmt.Errorf("%s: lldpd heard no neighbours on its veth pair: %s", h.Name, out)
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	close(errs)
	return errors.Join(collect(errs)...)
}

func collect(c chan error) []error {
	var out []error
	for err := range c {
		out = append(out, err)
	}
	return out
}

// SSHArgs are the OpenSSH client options that reach the lab's hosts:
// no user config, the lab's key and known_hosts, strict host key checking,
// no prompts.
func (l *Lab) SSHArgs() []string {
	return []string{"-F", "none", "-i", l.Key, "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=" + l.KnownHosts,
		"-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
		"-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR", "-l", l.User}
}

// Command is the system ssh client running command on h; extra are more
// client options (they win over SSHArgs).
func (l *Lab) Command(ctx context.Context, h Host, command string, extra ...string) *exec.Cmd {
	// ssh keeps the first value of an option: extra goes first.
	args := append(slices.Clip(extra), l.SSHArgs()...)
	args = append(args, "-p", strconv.Itoa(h.Port), h.Addr, command)
	return exec.CommandContext(ctx, "ssh", args...)
}

// Healthy lists the hosts without a fault.
func (l *Lab) Healthy() []Host {
	var out []Host
	for _, h := range l.Hosts {
		if h.Fault == Healthy {
			out = append(out, h)
		}
	}
	return out
}

// Stop kills every process in the lab's namespaces and removes its links.
// t.Cleanup calls it; calling it again does nothing.
func (l *Lab) Stop() error {
	l.stopOnce.Do(func() { l.stopErr = l.stop() })
	return l.stopErr
}

func (l *Lab) stop() error {
	var errs []error
	nets := map[string]bool{}
	for _, h := range l.Hosts {
		if h.cmd == nil {
			continue
		}
		if h.netns != "" {
			nets[h.netns] = true
		}
		syscall.Kill(-h.PID, syscall.SIGKILL)
	}
	// Sessions and their commands may have left the listener's process
	// group: kill whatever still lives in a lab namespace.
	for range 50 {
		if killIn(nets) == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	deadline := time.After(10 * time.Second)
	for _, h := range l.Hosts {
		if h.cmd == nil {
			continue
		}
		select {
		case <-h.exit:
		case <-deadline:
			errs = append(errs, fmt.Errorf("%s: sshd %d did not exit", h.Name, h.PID))
		}
	}
	if left := killIn(nets); left > 0 {
		errs = append(errs, fmt.Errorf("%d processes left in the lab's namespaces", left))
	}
	if l.Bridge != "" {
		var batch strings.Builder
		for _, h := range l.Hosts {
			fmt.Fprintf(&batch, "link del %s\n", h.veth)
		}
		// The uplinks go with their namespaces anyway; deleting them here
		// makes it synchronous. Those already gone are no error.
		ipBatchForce(filepath.Join(l.Dir, "stop.batch"), batch.String())
		if out, err := exec.Command("ip", "link", "del", l.Bridge).CombinedOutput(); err != nil {
			errs = append(errs, fmt.Errorf("ip link del %s: %v: %s", l.Bridge, err, out))
		}
	}
	return errors.Join(errs...)
}

// killIn sends SIGKILL to every process whose network namespace is one of
// nets and returns how many it found.
func killIn(nets map[string]bool) int {
	if len(nets) == 0 {
		return 0
	}
	n := 0
	for _, pid := range inNamespaces(nets) {
		syscall.Kill(pid, syscall.SIGKILL)
		n++
	}
	return n
}

// inNamespaces lists the processes whose network namespace is one of nets.
func inNamespaces(nets map[string]bool) []int {
	ents, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		link, err := os.Readlink("/proc/" + e.Name() + "/ns/net")
		if err != nil || !nets[link] {
			continue
		}
		// A zombie has nothing left to kill.
		if st, err := os.ReadFile("/proc/" + e.Name() + "/stat"); err == nil {
			if i := strings.LastIndexByte(string(st), ')'); i > 0 && strings.HasPrefix(string(st[i:]), ") Z") {
				continue
			}
		}
		pids = append(pids, pid)
	}
	return pids
}

// Memory sums the proportional set size (Pss) of every process in the
// lab's namespaces: what the lab's sshds cost the machine.
func (l *Lab) Memory() (procs int, pssBytes int64) {
	nets := map[string]bool{}
	for _, h := range l.Hosts {
		if h.netns != "" {
			nets[h.netns] = true
		}
	}
	for _, pid := range inNamespaces(nets) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
		if err != nil {
			continue
		}
		procs++
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "Pss:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				pssBytes += kb * 1024
			}
		}
	}
	return procs, pssBytes
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// dropScript is DropMidCommand's ForceCommand: it runs the command, passes
// a short output on whole and a long one cut after DropAfter bytes, and
// then kills the connection (every sshd between it and the listener).
var dropScript = `#!/bin/sh
# bondaudit sshlab fault "drop": the connection dies in the middle of a long output.
limit=` + strconv.Itoa(DropAfter) + `
tmp=$(mktemp -d) || exit 1
sh -c "$SSH_ORIGINAL_COMMAND" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$(wc -c <"$tmp/out")" -le "$limit" ]; then
  cat "$tmp/out"; cat "$tmp/err" >&2; rm -rf "$tmp"; exit "$rc"
fi
head -c "$limit" "$tmp/out"
rm -rf "$tmp"
sleep 0.2
victims=
p=$PPID
while [ "$p" -gt 1 ]; do
  case "$(tr '\0' ' ' </proc/$p/cmdline)" in *listener*) break ;; esac
  [ "$(cat /proc/$p/comm)" = sshd ] && victims="$victims $p"
  p=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$p/status)
done
kill -9 $victims
sleep 5
`

// garbageIP is Garbage's ip: bytes no JSON reader should accept, exit 0.
var garbageIP = "#!/bin/sh\n# bondaudit sshlab fault \"garbage\": an ip that prints garbage.\n" +
	`printf '\033[1;31mip: \377\376 {"ifindex": [[[ <<not json>>\n'` + "\n" +
	`printf '}}}{{{ %s\n' "$*"` + "\n" +
	"exit 0\n"
