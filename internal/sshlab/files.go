//go:build linux

package sshlab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// keys makes the client key, a stranger's key (authorised on WrongClientKey
// hosts instead), every host's key and, for ChangedHostKey hosts, the key
// known_hosts wrongly holds for them: ssh-keygen, a few at a time.
func (l *Lab) keys(ctx context.Context) error {
	l.Key = filepath.Join(l.Dir, "id_ed25519")
	type job struct{ path, comment string }
	jobs := []job{{l.Key, "bondaudit-sshlab client"}, {filepath.Join(l.Dir, "stranger_ed25519"), "bondaudit-sshlab stranger"}}
	for _, h := range l.Hosts {
		jobs = append(jobs, job{filepath.Join(h.Dir, "ssh_host_ed25519_key"), h.Name})
		if h.Fault == ChangedHostKey {
			jobs = append(jobs, job{filepath.Join(h.Dir, "known_ed25519_key"), h.Name + " as known before"})
		}
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	work := make(chan job)
	for range max(2, runtime.NumCPU()*2) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				out, err := exec.CommandContext(ctx, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", j.comment, "-f", j.path).CombinedOutput()
				if err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("ssh-keygen %s: %v: %s", j.path, err, out))
					mu.Unlock()
				}
			}
		}()
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}

// writeClientFiles writes known_hosts, the Ansible inventory, the plain
// host list and an ssh_config for the lab.
func (l *Lab) writeClientFiles() error {
	l.KnownHosts = filepath.Join(l.Dir, "known_hosts")
	l.Inventory = filepath.Join(l.Dir, "inventory.ini")
	l.HostList = filepath.Join(l.Dir, "hosts.txt")
	l.SSHConfig = filepath.Join(l.Dir, "ssh_config")
	var kh, list, cfg strings.Builder
	groups := map[string][]string{}
	var inv strings.Builder
	fmt.Fprintf(&inv, "# bondaudit sshlab: %d hosts, user %s, key %s, known_hosts %s\n[lab]\n", len(l.Hosts), l.User, l.Key, l.KnownHosts)
	for _, h := range l.Hosts {
		key := filepath.Join(h.Dir, "ssh_host_ed25519_key.pub")
		if h.Fault == ChangedHostKey {
			key = filepath.Join(h.Dir, "known_ed25519_key.pub")
		}
		pub, err := os.ReadFile(key)
		if err != nil {
			return err
		}
		// "type base64 comment": known_hosts wants the first two.
		f := strings.Fields(string(pub))
		if len(f) < 2 {
			return fmt.Errorf("%s: not a public key", key)
		}
		fmt.Fprintf(&kh, "%s,%s %s %s\n", h.Name, h.Addr, f[0], f[1])
		fmt.Fprintf(&list, "%s\n", h.Addr)
		fmt.Fprintf(&inv, "%s ansible_host=%s ansible_port=%d ansible_user=%s\n", h.Name, h.Addr, h.Port, l.User)
		fmt.Fprintf(&cfg, "Host %s\n  HostName %s\n  Port %d\n\n", h.Name, h.Addr, h.Port)
		if h.Fault == Healthy {
			groups["healthy"] = append(groups["healthy"], h.Name)
		} else {
			groups["faulty"] = append(groups["faulty"], h.Name)
			groups["fault_"+h.Fault.String()] = append(groups["fault_"+h.Fault.String()], h.Name)
		}
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	slices.Sort(names)
	for _, g := range names {
		fmt.Fprintf(&inv, "\n[%s]\n%s\n", g, strings.Join(groups[g], "\n"))
	}
	fmt.Fprintf(&cfg, "Host *\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  BatchMode yes\n  ConnectTimeout 5\n",
		l.User, l.Key, l.KnownHosts)
	for _, f := range []struct{ path, text string }{
		{l.KnownHosts, kh.String()}, {l.Inventory, inv.String()}, {l.HostList, list.String()}, {l.SSHConfig, cfg.String()},
	} {
		if err := os.WriteFile(f.path, []byte(f.text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// binDirs are the folders a program is looked for in; /bin and /sbin are
// links to /usr's on Debian.
var binDirs = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin"}

// shadow prepares a host's own view of the program folders holding any of
// progs: a folder of links to every program of the real one but those,
// where a program with text is replaced by that script and one without is
// missing. mounts.sh, run in the host's mount namespace, binds the real
// folder aside and the shadow over it.
func shadow(dir string, progs map[string]string) error {
	var mounts strings.Builder
	for i, bin := range binDirs {
		ents, err := os.ReadDir(bin)
		if err != nil {
			continue
		}
		touched := slices.ContainsFunc(ents, func(e os.DirEntry) bool { _, ok := progs[e.Name()]; return ok })
		if !touched {
			continue
		}
		real := filepath.Join(dir, "real", fmt.Sprint(i))
		farm := filepath.Join(dir, "shadow", fmt.Sprint(i))
		if err := os.MkdirAll(real, 0o755); err != nil {
			return err
		}
		if err := os.MkdirAll(farm, 0o755); err != nil {
			return err
		}
		for _, e := range ents {
			text, ok := progs[e.Name()]
			switch {
			case ok && text == "":
				continue
			case ok:
				err = os.WriteFile(filepath.Join(farm, e.Name()), []byte(text), 0o755)
			default:
				err = os.Symlink(filepath.Join(real, e.Name()), filepath.Join(farm, e.Name()))
			}
			if err != nil {
				return err
			}
		}
		fmt.Fprintf(&mounts, "mount --bind %s %s\nmount --bind %s %s\n", bin, real, farm, bin)
	}
	return os.WriteFile(filepath.Join(dir, "mounts.sh"), []byte(mounts.String()), 0o644)
}

// writeUser gives a host its own /etc/passwd, /etc/group and /etc/shadow:
// the machine's with Options.User added (uid and gid LabUID, home
// HOST/home, /bin/sh, no password: keys only), and with Options.Sudo a
// sudoers.d letting it run anything as root without a password.
// user-mounts.sh, run in the host's mount namespace, binds them over the
// machine's.
func (l *Lab) writeUser(h *Host) error {
	etc := filepath.Join(h.Dir, "etc")
	home := filepath.Join(h.Dir, "home")
	for _, d := range []string{etc, home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := os.Chown(home, LabUID, LabUID); err != nil {
		return err
	}
	var mounts strings.Builder
	for _, f := range []struct {
		name, line string
		mode       os.FileMode
	}{
		{"passwd", fmt.Sprintf("%s:x:%d:%d:bondaudit sshlab:%s:/bin/sh\n", l.User, LabUID, LabUID, home), 0o644},
		{"group", fmt.Sprintf("%s:x:%d:\n", l.User, LabUID), 0o644},
		{"shadow", l.User + ":*:19000:0:99999:7:::\n", 0o600},
	} {
		old, err := os.ReadFile(filepath.Join("/etc", f.name))
		if err != nil {
			return err
		}
		if len(old) > 0 && old[len(old)-1] != '\n' {
			old = append(old, '\n')
		}
		path := filepath.Join(etc, f.name)
		if err := os.WriteFile(path, append(old, f.line...), f.mode); err != nil {
			return err
		}
		fmt.Fprintf(&mounts, "mount --bind %s /etc/%s\n", path, f.name)
	}
	if l.sudo {
		dir := filepath.Join(etc, "sudoers.d")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		rule := fmt.Sprintf("%s ALL=(root) NOPASSWD: ALL\n", l.User)
		if err := os.WriteFile(filepath.Join(dir, "sshlab"), []byte(rule), 0o440); err != nil {
			return err
		}
		fmt.Fprintf(&mounts, "mount --bind %s /etc/sudoers.d\n", dir)
	}
	return os.WriteFile(filepath.Join(h.Dir, "user-mounts.sh"), []byte(mounts.String()), 0o644)
}

// openPath makes dir and the folders above it, up to the temporary
// folder, traversable by every user (t.TempDir makes them 0700), so that
// a lab user can reach its host's files.
func openPath(dir string) error {
	stop := filepath.Clean(os.TempDir())
	for d := filepath.Clean(dir); d != stop && d != "/" && d != "."; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return err
		}
		if err := os.Chmod(d, st.Mode().Perm()|0o111); err != nil {
			return err
		}
	}
	return nil
}
