package fleet

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"golang.org/x/crypto/ssh"
)

func newSigner(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hostCert signs hostKey's public key as a host certificate for principals,
// valid from after to before.
func hostCert(t *testing.T, ca ssh.Signer, hostKey ssh.PublicKey, principals []string, after, before time.Time) *ssh.Certificate {
	t.Helper()
	c := &ssh.Certificate{Key: hostKey, Serial: 7, CertType: ssh.HostCert, KeyId: "test",
		ValidPrincipals: principals, ValidAfter: uint64(after.Unix()), ValidBefore: uint64(before.Unix())}
	if err := c.SignCert(rand.Reader, ca); err != nil {
		t.Fatal(err)
	}
	return c
}

func authLine(marker, patterns string, k ssh.PublicKey) string {
	return marker + " " + patterns + " " + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + "\n"
}

func TestHostCertificates(t *testing.T) {
	ca, otherCA, hostKey, plainKey := newSigner(t), newSigner(t), newSigner(t), newSigner(t)
	now := time.Now()
	good := hostCert(t, ca, hostKey.PublicKey(), []string{"web01.example.net"}, now.Add(-time.Hour), now.Add(time.Hour))
	remote := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 22}
	const host = "web01.example.net:22"

	load := func(t *testing.T, content string, acceptNew bool) *hostKeys {
		t.Helper()
		kh := filepath.Join(t.TempDir(), "known_hosts")
		writeFile(t, kh, content)
		hk, err := newHostKeys([]string{kh}, kh, acceptNew)
		if err != nil {
			t.Fatal(err)
		}
		return hk
	}
	caLine := authLine("@cert-authority", "*.example.net,!bad.example.net", ca.PublicKey())
	refused := func(t *testing.T, err error, class Class, want ...string) {
		t.Helper()
		var fe *Error
		if err == nil {
			t.Fatalf("accepted, want refused (%v)", want)
		}
		if !errors.As(err, &fe) || fe.Class != class {
			t.Errorf("class of %v: want %s", err, class)
		}
		for _, w := range append(want, "web01.example.net") {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error lacks %q: %v", w, err)
			}
		}
	}

	t.Run("accept", func(t *testing.T) {
		hk := load(t, "# fleet CA\n"+caLine, false)
		if err := hk.check(host, remote, good); err != nil {
			t.Fatal(err)
		}
		algos := hk.algorithms(host)
		if len(algos) == 0 || algos[0] != ssh.CertAlgoED25519v01 {
			t.Errorf("algorithms %v: want the certificate algorithms first", algos)
		}
		if !contains(algos, ssh.KeyAlgoED25519) {
			t.Errorf("algorithms %v: want plain ones after them (no plain key known)", algos)
		}
	})
	t.Run("wrong CA", func(t *testing.T) {
		hk := load(t, caLine, true)
		c := hostCert(t, otherCA, hostKey.PublicKey(), []string{"web01.example.net"}, now.Add(-time.Hour), now.Add(time.Hour))
		refused(t, hk.check(host, remote, c), ClassHostKeyUnknown, "no @cert-authority line")
	})
	t.Run("expired", func(t *testing.T) {
		hk := load(t, caLine, false)
		c := hostCert(t, ca, hostKey.PublicKey(), []string{"web01.example.net"}, now.Add(-2*time.Hour), now.Add(-time.Hour))
		refused(t, hk.check(host, remote, c), ClassHostKeyUnknown, "expired")
	})
	t.Run("not yet valid", func(t *testing.T) {
		hk := load(t, caLine, false)
		c := hostCert(t, ca, hostKey.PublicKey(), []string{"web01.example.net"}, now.Add(time.Hour), now.Add(2*time.Hour))
		refused(t, hk.check(host, remote, c), ClassHostKeyUnknown, "not valid before")
	})
	t.Run("wrong principal", func(t *testing.T) {
		hk := load(t, caLine, false)
		c := hostCert(t, ca, hostKey.PublicKey(), []string{"web02.example.net"}, now.Add(-time.Hour), now.Add(time.Hour))
		refused(t, hk.check(host, remote, c), ClassHostKeyUnknown, "is for web02.example.net")
	})
	t.Run("no principals", func(t *testing.T) {
		hk := load(t, caLine, false)
		c := hostCert(t, ca, hostKey.PublicKey(), nil, now.Add(-time.Hour), now.Add(time.Hour))
		refused(t, hk.check(host, remote, c), ClassHostKeyUnknown, "no principals")
	})
	t.Run("user certificate", func(t *testing.T) {
		hk := load(t, caLine, false)
		c := hostCert(t, ca, hostKey.PublicKey(), []string{"web01.example.net"}, now.Add(-time.Hour), now.Add(time.Hour))
		c.CertType = ssh.UserCert
		if err := c.SignCert(rand.Reader, ca); err != nil {
			t.Fatal(err)
		}
		refused(t, hk.check(host, remote, c), ClassHostKeyUnknown, "user certificate")
	})
	t.Run("revoked CA", func(t *testing.T) {
		hk := load(t, caLine+authLine("@revoked", "*", ca.PublicKey()), false)
		refused(t, hk.check(host, remote, good), ClassHostKeyChanged, "CA is revoked", "known_hosts:2")
	})
	t.Run("revoked host key", func(t *testing.T) {
		hk := load(t, caLine+authLine("@revoked", "*", hostKey.PublicKey()), false)
		refused(t, hk.check(host, remote, good), ClassHostKeyChanged, "host key is revoked")
	})
	t.Run("pattern not matching", func(t *testing.T) {
		hk := load(t, authLine("@cert-authority", "*.example.org", ca.PublicKey()), false)
		refused(t, hk.check(host, remote, good), ClassHostKeyUnknown, "no @cert-authority line")
		if algos := hk.algorithms(host); algos != nil {
			t.Errorf("algorithms %v for a host no line names: want the defaults (nil)", algos)
		}
		// A negated pattern excludes the host.
		hk = load(t, caLine, false)
		c := hostCert(t, ca, hostKey.PublicKey(), []string{"bad.example.net"}, now.Add(-time.Hour), now.Add(time.Hour))
		if err := hk.check("bad.example.net:22", remote, c); err == nil || !strings.Contains(err.Error(), "no @cert-authority line for bad.example.net") {
			t.Errorf("negated pattern: %v", err)
		}
	})
	t.Run("port", func(t *testing.T) {
		hk := load(t, authLine("@cert-authority", "[web01.example.net]:2222", ca.PublicKey()), false)
		if err := hk.check("web01.example.net:2222", remote, good); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("plain keys unaffected", func(t *testing.T) {
		plainLine := "web01.example.net " + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(plainKey.PublicKey()))) + "\n"
		hk := load(t, caLine+plainLine, false)
		if err := hk.check(host, remote, plainKey.PublicKey()); err != nil {
			t.Fatalf("known plain key: %v", err)
		}
		if algos := hk.algorithms(host); !contains(algos, ssh.KeyAlgoED25519) || !contains(algos, ssh.CertAlgoED25519v01) {
			t.Errorf("algorithms %v", algos)
		}
		// Another plain key: changed, naming the plain line only.
		err := hk.check(host, remote, hostKey.PublicKey())
		refused(t, err, ClassHostKeyChanged, "CHANGED", "known_hosts:2")
		// (the file's line, not the fingerprint's "SHA256:1…", which a
		// random key starts with one time in 64)
		if strings.Contains(err.Error(), "known_hosts:1") {
			t.Errorf("the CA line is named as a known key: %v", err)
		}
		// The CA key presented as a plain host key is no host key.
		hk = load(t, caLine, false)
		refused(t, hk.check(host, remote, ca.PublicKey()), ClassHostKeyUnknown, "not known")
		// With --accept-new, a plain key of a host known only by a CA is
		// recorded, as for any unknown host.
		hk = load(t, caLine, true)
		if err := hk.check(host, remote, plainKey.PublicKey()); err != nil {
			t.Fatalf("accept-new: %v", err)
		}
		if err := hk.check(host, remote, good); err != nil {
			t.Fatalf("certificate after accept-new: %v", err)
		}
	})
}

// startSSHDCert starts sshd with a host certificate for principals, signed
// by a CA made here; it returns the sshd and the CA's public line.
func startSSHDCert(t *testing.T, principals string) (*sshd, string) {
	t.Helper()
	bin := needtool.Need(t, "openssh-server", "sshd")
	kg := needtool.Need(t, "openssh-client", "ssh-keygen")
	if os.Geteuid() == 0 {
		os.MkdirAll("/run/sshd", 0o755)
	}
	s := &sshd{dir: t.TempDir()}
	s.hostKey = filepath.Join(s.dir, "hostkey")
	s.hostPub = keygen(t, s.hostKey, "")
	caPub := keygen(t, filepath.Join(s.dir, "ca"), "")
	out, err := exec.Command(kg, "-q", "-s", filepath.Join(s.dir, "ca"), "-I", "bondaudit-test", "-h", "-n", principals,
		"-V", "-5m:+1h", s.hostKey+".pub").CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen -s: %v: %s", err, out)
	}
	s.extraCfg = "HostCertificate " + s.hostKey + "-cert.pub"
	s.client = filepath.Join(s.dir, "client")
	if err := os.WriteFile(filepath.Join(s.dir, "authorized_keys"), []byte(keygen(t, s.client, "")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.start(t, bin)
	return s, caPub
}

// TestHostCertificateSSHD collects from a real OpenSSH sshd that presents
// a host certificate, through a known_hosts with only a @cert-authority line.
func TestHostCertificateSSHD(t *testing.T) {
	s, caPub := startSSHDCert(t, "127.0.0.1")
	dir := t.TempDir()
	kh := writeFile(t, filepath.Join(dir, "known_hosts"), "@cert-authority [127.0.0.1]:"+itoa(s.port)+" "+caPub+"\n")
	r := collectOne(t, s.target("web01"), Options{Out: filepath.Join(dir, "hosts"), KnownHosts: []string{kh}})
	if r.Err != nil {
		t.Fatalf("host certificate from a known CA: %v", r.Err)
	}
	if b, _ := os.ReadFile(kh); strings.Count(string(b), "\n") != 1 {
		t.Errorf("known_hosts changed: %s", b)
	}

	// A certificate for another host: refused, even with --accept-new.
	s2, caPub2 := startSSHDCert(t, "web02.example.net")
	kh2 := writeFile(t, filepath.Join(dir, "known_hosts2"), "@cert-authority [127.0.0.1]:"+itoa(s2.port)+" "+caPub2+"\n")
	r = collectOne(t, s2.target("web02"), Options{Out: filepath.Join(dir, "hosts2"), KnownHosts: []string{kh2}, AcceptNew: true})
	if r.Class() != ClassHostKeyUnknown || !strings.Contains(r.Err.Error(), "is for web02.example.net, not 127.0.0.1") {
		t.Fatalf("certificate for another principal: class %q err %v", r.Class(), r.Err)
	}
}
