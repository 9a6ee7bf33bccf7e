package fleet

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/topology"
)

func collectOne(t *testing.T, tg Target, opt Options) Result {
	t.Helper()
	if opt.Out == "" {
		opt.Out = filepath.Join(t.TempDir(), "hosts")
	}
	if opt.AgentSocket == "" {
		opt.AgentSocket = "-"
	}
	if opt.Timeout == 0 {
		opt.Timeout = 30 * time.Second
	}
	return Collect(context.Background(), []Target{tg}, opt)[0]
}

// unreachableSnapshot reads out/<name>.json, which must say unreachable.
func unreachableSnapshot(t *testing.T, out, name string) *topology.Host {
	t.Helper()
	f, err := os.Open(filepath.Join(out, name+".json"))
	if err != nil {
		t.Fatalf("no unreachable snapshot: %v", err)
	}
	defer f.Close()
	h, err := topology.LoadHost(f, name+".json")
	if err != nil {
		t.Fatal(err)
	}
	if !h.Unreachable || h.Error == "" || h.Name != name {
		t.Errorf("snapshot %+v: want unreachable with an error, named %s", h, name)
	}
	return h
}

func TestKnownHostsStrictAcceptNewChanged(t *testing.T) {
	s := startSSHD(t)
	dir := t.TempDir()
	kh := filepath.Join(dir, "known_hosts")
	writeFile(t, kh, "# empty\n")

	// Strict: an unknown host is refused, nothing recorded.
	out := filepath.Join(dir, "hosts")
	r := collectOne(t, s.target("web01"), Options{Out: out, KnownHosts: []string{kh}})
	if r.Class() != ClassHostKeyUnknown || !strings.Contains(r.Err.Error(), "--accept-new") || r.Attempts != 1 {
		t.Fatalf("strict, unknown host: class %q attempts %d err %v", r.Class(), r.Attempts, r.Err)
	}
	unreachableSnapshot(t, out, "web01")
	if b, _ := os.ReadFile(kh); string(b) != "# empty\n" {
		t.Errorf("strict mode changed known_hosts: %q", b)
	}

	// --accept-new: recorded (appended, the comment kept), collected.
	r = collectOne(t, s.target("web01"), Options{Out: out, KnownHosts: []string{kh}, AcceptNew: true})
	if r.Err != nil {
		t.Fatalf("accept-new: %v", r.Err)
	}
	if _, err := os.Stat(filepath.Join(out, "web01.json")); err == nil {
		t.Errorf("the unreachable snapshot stayed beside the new capture")
	}
	b, _ := os.ReadFile(kh)
	if want := "# empty\n" + s.knownLine(); string(b) != want {
		t.Errorf("known_hosts after accept-new:\n%s\nwant:\n%s", b, want)
	}
	// Strict again: now known.
	if r := collectOne(t, s.target("web01"), Options{Out: out, KnownHosts: []string{kh}}); r.Err != nil {
		t.Fatalf("strict, recorded host: %v", r.Err)
	}

	// The host's key changes: refused even with --accept-new, naming the
	// host, the key seen and the known_hosts line.
	other := keygen(t, filepath.Join(dir, "otherkey"), "")
	writeFile(t, kh, "# line 1\n[127.0.0.1]:"+itoa(s.port)+" "+other+"\n")
	r = collectOne(t, s.target("web01"), Options{Out: out, KnownHosts: []string{kh}, AcceptNew: true})
	if r.Class() != ClassHostKeyChanged {
		t.Fatalf("changed key: class %q, err %v", r.Class(), r.Err)
	}
	msg := r.Err.Error()
	for _, want := range []string{"[127.0.0.1]:" + itoa(s.port), "CHANGED", "SHA256:", kh + ":2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("changed-key error lacks %q: %s", want, msg)
		}
	}
	if b, _ := os.ReadFile(kh); strings.Count(string(b), "\n") != 2 {
		t.Errorf("a changed key was recorded: %s", b)
	}
	h := unreachableSnapshot(t, out, "web01")
	if !strings.Contains(h.Error, "CHANGED") {
		t.Errorf("snapshot error %q", h.Error)
	}
	if _, err := os.Stat(filepath.Join(out, "web01")); err == nil {
		t.Errorf("the old capture stayed beside the unreachable snapshot")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// startAgent runs ssh-agent in the foreground on a socket in a temp dir.
func startAgent(t *testing.T) string {
	t.Helper()
	bin := needtool.Need(t, "openssh-client", "ssh-agent")
	sock := filepath.Join(t.TempDir(), "agent.sock")
	cmd := exec.Command(bin, "-D", "-a", sock)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return sock
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("ssh-agent did not listen")
	return ""
}

const passphrase = "s3cret-Passphrase-nobody-may-see"

func TestAgentAuthEncryptedKeyAndSecrets(t *testing.T) {
	dir := t.TempDir()
	enc := filepath.Join(dir, "id_enc")
	pub := keygen(t, enc, passphrase)
	s := startSSHD(t, pub)
	kh := writeFile(t, filepath.Join(dir, "known_hosts"), s.knownLine())
	tg := s.target("db01")
	tg.IdentityFiles = []string{enc}
	out := filepath.Join(dir, "hosts")

	// Without an agent: a clear auth error naming the key and ssh-add,
	// never a prompt, no retry.
	r := collectOne(t, tg, Options{Out: out, KnownHosts: []string{kh}})
	if r.Class() != ClassAuth || r.Attempts != 1 {
		t.Fatalf("encrypted key, no agent: class %q attempts %d err %v", r.Class(), r.Attempts, r.Err)
	}
	for _, want := range []string{enc, "encrypted", "ssh-add", "authentication failed"} {
		if !strings.Contains(r.Err.Error(), want) {
			t.Errorf("auth error lacks %q: %v", want, r.Err)
		}
	}

	// With the key in ssh-agent: collected through the agent.
	sock := startAgent(t)
	askpass := writeFile(t, filepath.Join(dir, "askpass"), "#!/bin/sh\necho '"+passphrase+"'\n")
	os.Chmod(askpass, 0o700)
	add := exec.Command(needtool.Need(t, "openssh-client", "ssh-add"), enc)
	add.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock, "SSH_ASKPASS="+askpass, "SSH_ASKPASS_REQUIRE=force", "DISPLAY=:0")
	if b, err := add.CombinedOutput(); err != nil {
		t.Fatalf("ssh-add: %v: %s", err, b)
	}
	r = collectOne(t, tg, Options{Out: out, KnownHosts: []string{kh}, AgentSocket: sock})
	if r.Err != nil {
		t.Fatalf("agent auth: %v", r.Err)
	}

	// Secrets: neither the passphrase nor any private key's material is in
	// an error, a note, or any file written.
	key, _ := os.ReadFile(enc)
	clientKey, _ := os.ReadFile(s.client)
	secrets := []string{passphrase, keyBody(string(key)), keyBody(string(clientKey))}
	var texts []string
	texts = append(texts, errString(r.Err))
	texts = append(texts, r.Notes...)
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() && p != enc && p != s.client && p != askpass {
			b, _ := os.ReadFile(p)
			texts = append(texts, string(b))
		}
		return nil
	})
	r2 := collectOne(t, tg, Options{Out: out, KnownHosts: []string{kh}})
	texts = append(texts, errString(r2.Err))
	for _, txt := range texts {
		for _, sec := range secrets {
			if sec != "" && strings.Contains(txt, sec) {
				t.Errorf("a secret (%.12s…) appears in output: %.200s", sec, txt)
			}
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// keyBody is a long piece of a private key file's base64 body.
func keyBody(pem string) string {
	lines := strings.Split(pem, "\n")
	if len(lines) < 3 {
		return ""
	}
	return lines[2]
}

func TestProxyJump(t *testing.T) {
	jump := startSSHDWith(t, true)
	s := startSSHD(t)
	dir := t.TempDir()
	kh := writeFile(t, filepath.Join(dir, "known_hosts"), s.knownLine()+jump.knownLine())
	tg := s.target("app01")
	tg.IdentityFiles = append(tg.IdentityFiles, jump.client)
	tg.ProxyJump = currentUser() + "@127.0.0.1:" + itoa(jump.port)
	out := filepath.Join(dir, "hosts")
	r := collectOne(t, tg, Options{Out: out, KnownHosts: []string{kh}})
	if r.Err != nil {
		t.Fatalf("through the jump host: %v", r.Err)
	}
	if !strings.Contains(jump.log(), "port "+itoa(s.port)) {
		t.Errorf("the jump host's log shows no forwarding to port %d:\n%.2000s", s.port, jump.log())
	}
	// The jump host's key is checked too.
	kh2 := writeFile(t, filepath.Join(dir, "known_hosts2"), s.knownLine())
	r = collectOne(t, tg, Options{Out: out, KnownHosts: []string{kh2}})
	if r.Class() != ClassHostKeyUnknown || !strings.Contains(r.Err.Error(), "jump host") {
		t.Errorf("unknown jump host key: class %q err %v", r.Class(), r.Err)
	}
}

func TestRefusedAndSilentHostsReportedOthersCollected(t *testing.T) {
	s := startSSHD(t)
	dir := t.TempDir()
	kh := writeFile(t, filepath.Join(dir, "known_hosts"), s.knownLine())
	// A host that accepts TCP and never says a word (a black hole at the
	// SSH level) and a port nobody listens on.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	refused := freePort(t)
	hole := blackHole(t)
	targets := []Target{
		{Name: "refused01", Addr: "127.0.0.1", Port: refused},
		{Name: "hole01", Addr: "127.0.0.1", Port: hole},
		s.target("good01"),
		{Name: "silent01", Addr: "127.0.0.1", Port: silent.Addr().(*net.TCPAddr).Port},
		s.target("good02"),
	}
	out := filepath.Join(dir, "hosts")
	var progress []Progress
	start := time.Now()
	rs := Collect(context.Background(), targets, Options{Out: out, KnownHosts: []string{kh}, AgentSocket: "-",
		ConnectTimeout: 500 * time.Millisecond, Timeout: 10 * time.Second, Retries: 1, Backoff: 100 * time.Millisecond,
		Concurrency: 2, Progress: func(p Progress) { progress = append(progress, p) }})
	if el := time.Since(start); el > 8*time.Second {
		t.Errorf("took %s: the connect timeout is not applied", el)
	}
	want := map[string]Class{"refused01": ClassRefused, "hole01": ClassTimeout, "good01": "", "silent01": ClassTimeout, "good02": ""}
	why := map[string]string{"refused01": "connection refused", "hole01": "connect timed out", "silent01": "handshake timed out"}
	for _, r := range rs {
		if r.Class() != want[r.Target.Name] {
			t.Errorf("%s: class %q (%v), want %q", r.Target.Name, r.Class(), r.Err, want[r.Target.Name])
		}
		if r.Err != nil {
			if !strings.Contains(r.Err.Error(), why[r.Target.Name]) {
				t.Errorf("%s: %v, want %q", r.Target.Name, r.Err, why[r.Target.Name])
			}
			if r.Attempts != 2 {
				t.Errorf("%s: %d attempts, want 2 (one retry)", r.Target.Name, r.Attempts)
			}
			unreachableSnapshot(t, out, r.Target.Name)
		} else if _, err := os.Stat(filepath.Join(out, r.Target.Name, "ip-link.json")); err != nil {
			t.Errorf("%s: no capture: %v", r.Target.Name, err)
		}
	}
	if len(progress) != 5 || progress[4].Done != 5 || progress[4].Failed != 3 || progress[4].InFlight != 0 {
		t.Errorf("progress: %+v", progress)
	}
}

// blackHole is a loopback port where a TCP connect never completes: a
// listener with a backlog of 0 whose one queue slot is taken, so the
// kernel drops every further SYN, as a firewall that drops packets does.
func blackHole(t *testing.T) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	port := sa.(*syscall.SockaddrInet4).Port
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		t.Fatalf("filling the black hole's queue: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return port
}
