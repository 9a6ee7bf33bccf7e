package fleet

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

// sshd is a real OpenSSH server on a loopback port, with its own host key
// and an authorized client key, in a temp folder.
type sshd struct {
	dir      string
	port     int
	hostPub  string // the host key's public line (type base64)
	hostKey  string // the host key file
	client   string // the client's private key file (no passphrase)
	cmd      *exec.Cmd
	extraCfg string
	debug    bool
}

// keygen makes an ed25519 key pair at path (passphrase pass, "" none).
func keygen(t *testing.T, path, pass string) string {
	t.Helper()
	kg := needtool.Need(t, "openssh-client", "ssh-keygen")
	out, err := exec.Command(kg, "-q", "-t", "ed25519", "-N", pass, "-C", "bondaudit-test", "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(pub))
	return f[0] + " " + f[1]
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startSSHD starts sshd authorising the client keys given (public lines).
func startSSHD(t *testing.T, authorized ...string) *sshd {
	t.Helper()
	return startSSHDWith(t, false, authorized...)
}

func startSSHDWith(t *testing.T, debug bool, authorized ...string) *sshd {
	t.Helper()
	return startSSHDCfg(t, debug, "", authorized...)
}

// startSSHDCfg starts sshd with extra configuration lines (ForceCommand
// for a host that misbehaves).
func startSSHDCfg(t *testing.T, debug bool, extra string, authorized ...string) *sshd {
	t.Helper()
	bin := needtool.Need(t, "openssh-server", "sshd")
	if os.Geteuid() == 0 {
		os.MkdirAll("/run/sshd", 0o755) // privilege separation folder
	}
	s := &sshd{dir: t.TempDir(), debug: debug, extraCfg: extra}
	s.hostKey = filepath.Join(s.dir, "hostkey")
	s.hostPub = keygen(t, s.hostKey, "")
	s.client = filepath.Join(s.dir, "client")
	authorized = append(authorized, keygen(t, s.client, ""))
	if err := os.WriteFile(filepath.Join(s.dir, "authorized_keys"), []byte(strings.Join(authorized, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.start(t, bin)
	return s
}

func (s *sshd) start(t *testing.T, bin string) {
	t.Helper()
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		s.port = freePort(t)
		cfg := filepath.Join(s.dir, "sshd_config")
		conf := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
PidFile %s/sshd.pid
AuthorizedKeysFile %s/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin yes
AllowTcpForwarding yes
MaxStartups 200
%s
LogLevel %s`, s.port, s.hostKey, s.dir, s.dir, s.extraCfg, s.logLevel())
		if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		var logb bytes.Buffer
		s.cmd = exec.Command(bin, "-D", "-E", filepath.Join(s.dir, "sshd.log"), "-f", cfg)
		s.cmd.Stderr = &logb
		if err = s.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- s.cmd.Wait() }()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			c, derr := net.DialTimeout("tcp", s.addr(), 200*time.Millisecond)
			if derr == nil {
				c.Close()
				t.Cleanup(func() {
					s.cmd.Process.Kill()
					<-done
				})
				return
			}
			select {
			case err = <-done:
				t.Logf("sshd on port %d exited: %v: %s", s.port, err, s.log()+logb.String())
				deadline = time.Time{}
			case <-time.After(50 * time.Millisecond):
			}
		}
		if deadline.IsZero() {
			continue
		}
		s.cmd.Process.Kill()
		<-done
		t.Fatalf("sshd did not listen on %s: %s", s.addr(), s.log()+logb.String())
	}
	t.Fatalf("sshd would not start: %v", err)
}

func (s *sshd) logLevel() string {
	if s.debug {
		return "DEBUG"
	}
	return "ERROR"
}

func (s *sshd) log() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "sshd.log"))
	return string(b)
}

func (s *sshd) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// knownLine is the known_hosts line for the server.
func (s *sshd) knownLine() string {
	return fmt.Sprintf("[127.0.0.1]:%d %s\n", s.port, s.hostPub)
}

func (s *sshd) target(name string) Target {
	return Target{Name: name, Addr: "127.0.0.1", Port: s.port, User: currentUser(), IdentityFiles: []string{s.client}}
}

func currentUser() string {
	out, err := exec.Command("id", "-un").Output()
	if err != nil {
		return "root"
	}
	return strings.TrimSpace(string(out))
}

func writeFile(t *testing.T, p, s string) string {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
