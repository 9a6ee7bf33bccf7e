package fleet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// HostKeyError is a host key that is not accepted.
type HostKeyError struct {
	Host        string // as known_hosts names it: host or [host]:port
	Fingerprint string // the key the host sent: type and SHA256 fingerprint
	// Known are the known_hosts lines that name the host with another
	// key (FILE:LINE); none: the host is not known.
	Known []string
	Files []string // the known_hosts files read
}

func (e *HostKeyError) Error() string {
	if len(e.Known) > 0 {
		return fmt.Sprintf("host key for %s CHANGED: the host sent %s, known_hosts has another key at %s; not accepted (possible man-in-the-middle; if the host was reinstalled: ssh-keygen -R %s, then collect again)",
			e.Host, e.Fingerprint, strings.Join(e.Known, ", "), e.Host)
	}
	files := "no known_hosts file"
	if len(e.Files) > 0 {
		files = strings.Join(e.Files, ", ")
	}
	return fmt.Sprintf("host key for %s is not known (the host sent %s; not in %s): check it and add it (ssh %s once, or ssh-keyscan), or collect with --accept-new to record first-seen keys",
		e.Host, e.Fingerprint, files, e.Host)
}

func fingerprint(k ssh.PublicKey) string {
	return k.Type() + " " + ssh.FingerprintSHA256(k)
}

// hostKeys checks host keys against known_hosts files; with acceptNew, a
// host no file knows has its key appended to write (under an flock, so
// concurrent runs do not interleave lines).
type hostKeys struct {
	files     []string // existing files, read once
	write     string
	acceptNew bool

	db ssh.HostKeyCallback
	// ca are the @cert-authority lines (FILE:LINE): x/crypto's knownhosts
	// lists them among a host's keys (KeyError.Want) and would accept a
	// host that presents the CA key itself as its plain key.
	ca    map[string]bool
	mu    sync.Mutex
	added map[string]ssh.PublicKey // normalised host → key recorded in this run
}

func newHostKeys(files []string, write string, acceptNew bool) (*hostKeys, error) {
	h := &hostKeys{write: write, acceptNew: acceptNew, added: map[string]ssh.PublicKey{}, ca: map[string]bool{}}
	for _, f := range files {
		st, err := os.Stat(f)
		switch {
		case errors.Is(err, os.ErrNotExist):
			continue
		case err != nil:
			return nil, fmt.Errorf("known_hosts %s: %w", f, err)
		case st.IsDir():
			return nil, fmt.Errorf("known_hosts %s: a folder, want a file", f)
		}
		h.files = append(h.files, f)
		if err := h.readCALines(f); err != nil {
			return nil, err
		}
	}
	if len(h.files) > 0 {
		db, err := knownhosts.New(h.files...)
		if err != nil {
			return nil, err
		}
		h.db = db
	}
	return h, nil
}

// lookup checks key for host (host:port) against the files. It returns
// nil (known), a KeyError with no Want (unknown) or with Want (changed).
func (h *hostKeys) lookup(host string, remote net.Addr, key ssh.PublicKey) error {
	if h.db == nil {
		return &knownhosts.KeyError{}
	}
	return h.db(host, remote, key)
}

// algorithms are the host key algorithms of the keys known for host, so
// that the host is asked for a key known_hosts can confirm (a host with
// ed25519 and RSA keys, known by one, must not send the other); nil when
// none is known.
func (h *hostKeys) algorithms(host string) []string {
	plain, cas := h.known(host)
	var algos []string
	add := func(a ...string) {
		for _, x := range a {
			if !contains(algos, x) {
				algos = append(algos, x)
			}
		}
	}
	if len(cas) > 0 {
		// A CA vouches for the host: ask for its certificate first.
		add(certAlgos...)
	}
	for _, k := range plain {
		switch t := k.Key.Type(); t {
		case ssh.KeyAlgoRSA:
			add(ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA)
		default:
			add(t)
		}
	}
	h.mu.Lock()
	if k, ok := h.added[knownhosts.Normalize(host)]; ok {
		add(k.Type())
	}
	h.mu.Unlock()
	if len(cas) > 0 && len(plain) == 0 {
		// No plain key known: a host without a certificate may still
		// send one (refused as unknown, or recorded with --accept-new).
		for _, a := range ssh.SupportedAlgorithms().HostKeys {
			if !strings.Contains(a, "-cert-") {
				add(a)
			}
		}
	}
	return algos
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// probeKey is a key no host has, to list what known_hosts holds for one.
type probeKey struct{}

func (probeKey) Type() string                        { return "bondaudit-probe" }
func (probeKey) Marshal() []byte                     { return []byte("bondaudit-probe") }
func (probeKey) Verify([]byte, *ssh.Signature) error { return errors.New("probe key") }

// check is the ssh.HostKeyCallback.
func (h *hostKeys) check(host string, remote net.Addr, key ssh.PublicKey) error {
	if cert, ok := key.(*ssh.Certificate); ok {
		return h.checkCert(host, remote, cert)
	}
	err := h.lookup(host, remote, key)
	var ke *knownhosts.KeyError
	if err == nil || errors.As(err, &ke) {
		// Only plain lines confirm or contradict a plain key; a CA
		// line's key is no host key.
		plain, _ := h.known(host)
		ke = &knownhosts.KeyError{Want: plain}
		err = ke
		for _, w := range plain {
			if bytes.Equal(w.Key.Marshal(), key.Marshal()) {
				return nil
			}
		}
	}
	var re *knownhosts.RevokedError
	switch {
	case errors.As(err, &re):
		return &Error{Class: ClassHostKeyChanged, Err: fmt.Errorf("host key for %s (%s) is revoked at %s:%d", knownhosts.Normalize(host), fingerprint(key), re.Revoked.Filename, re.Revoked.Line)}
	case !errors.As(err, &ke):
		return &Error{Class: ClassHostKeyUnknown, Err: fmt.Errorf("host key for %s: %w", knownhosts.Normalize(host), err)}
	case len(ke.Want) > 0:
		e := &HostKeyError{Host: knownhosts.Normalize(host), Fingerprint: fingerprint(key), Files: h.files}
		for _, w := range ke.Want {
			e.Known = append(e.Known, fmt.Sprintf("%s:%d", w.Filename, w.Line))
		}
		return &Error{Class: ClassHostKeyChanged, Err: e}
	}
	// Unknown to the files: known from this run, or recorded now.
	norm := knownhosts.Normalize(host)
	h.mu.Lock()
	defer h.mu.Unlock()
	if k, ok := h.added[norm]; ok {
		if bytes.Equal(k.Marshal(), key.Marshal()) {
			return nil
		}
		return &Error{Class: ClassHostKeyChanged, Err: &HostKeyError{Host: norm, Fingerprint: fingerprint(key),
			Known: []string{fmt.Sprintf("%s (recorded in this run: %s)", h.write, fingerprint(k))}, Files: h.files}}
	}
	if !h.acceptNew {
		return &Error{Class: ClassHostKeyUnknown, Err: &HostKeyError{Host: norm, Fingerprint: fingerprint(key), Files: h.files}}
	}
	if err := h.record(host, remote, key); err != nil {
		return err
	}
	h.added[norm] = key
	return nil
}

// record appends host's key to the write file under an exclusive flock,
// after reading the file again under the lock: another run may have
// recorded the host meanwhile (same key: nothing to add; another key: a
// change, refused).
func (h *hostKeys) record(host string, remote net.Addr, key ssh.PublicKey) error {
	if err := os.MkdirAll(filepath.Dir(h.write), 0o700); err != nil {
		return &Error{Class: ClassHostKeyUnknown, Err: fmt.Errorf("recording the host key of %s: %w", host, err)}
	}
	f, err := os.OpenFile(h.write, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return &Error{Class: ClassHostKeyUnknown, Err: fmt.Errorf("recording the host key of %s: %w", host, err)}
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return &Error{Class: ClassHostKeyUnknown, Err: fmt.Errorf("recording the host key of %s: locking %s: %w", host, h.write, err)}
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	cur, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<40))
	if err != nil {
		return &Error{Class: ClassHostKeyUnknown, Err: fmt.Errorf("recording the host key of %s: %w", host, err)}
	}
	if db, err := knownhosts.New(h.write); err == nil {
		var ke *knownhosts.KeyError
		switch err := db(host, remote, key); {
		case err == nil:
			return nil
		case errors.As(err, &ke):
			// The write file's @cert-authority lines are those of cur
			// (another run may have added some) as well as those read
			// at the start.
			ca := make(map[string]bool, len(h.ca))
			maps.Copy(ca, h.ca)
			markCALines(ca, h.write, cur)
			plain, _ := splitCA(ke.Want, ca)
			if len(plain) == 0 {
				break
			}
			e := &HostKeyError{Host: knownhosts.Normalize(host), Fingerprint: fingerprint(key), Files: []string{h.write}}
			for _, w := range plain {
				e.Known = append(e.Known, fmt.Sprintf("%s:%d", w.Filename, w.Line))
			}
			return &Error{Class: ClassHostKeyChanged, Err: e}
		}
	}
	line := knownhosts.Line([]string{host}, key) + "\n"
	if len(cur) > 0 && cur[len(cur)-1] != '\n' {
		line = "\n" + line
	}
	if _, err := f.WriteString(line); err != nil {
		return &Error{Class: ClassHostKeyUnknown, Err: fmt.Errorf("recording the host key of %s in %s: %w", host, h.write, err)}
	}
	if err := f.Sync(); err != nil {
		return &Error{Class: ClassHostKeyUnknown, Err: fmt.Errorf("recording the host key of %s in %s: %w", host, h.write, err)}
	}
	return nil
}

// certAlgos are the host certificate algorithms offered when a
// @cert-authority line names the host.
var certAlgos = []string{ssh.CertAlgoED25519v01, ssh.CertAlgoECDSA256v01, ssh.CertAlgoECDSA384v01,
	ssh.CertAlgoECDSA521v01, ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01, ssh.CertAlgoRSAv01}

// readCALines notes where file has @cert-authority lines, numbering lines
// as x/crypto's knownhosts does (every line counts).
func (h *hostKeys) readCALines(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("known_hosts %s: %w", file, err)
	}
	markCALines(h.ca, file, b)
	return nil
}

// markCALines sets ca["FILE:LINE"] for each @cert-authority line of b,
// file's text.
func markCALines(ca map[string]bool, file string, b []byte) {
	for i, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "@cert-authority" {
			ca[fmt.Sprintf("%s:%d", file, i+1)] = true
		}
	}
}

// splitCA splits want into plain host keys and the keys of the
// @cert-authority lines ca marks.
func splitCA(want []knownhosts.KnownKey, ca map[string]bool) (plain, cas []knownhosts.KnownKey) {
	for _, w := range want {
		if ca[fmt.Sprintf("%s:%d", w.Filename, w.Line)] {
			cas = append(cas, w)
		} else {
			plain = append(plain, w)
		}
	}
	return plain, cas
}

// known splits the known_hosts lines that match host (host:port; wildcard,
// negated and hashed patterns as OpenSSH matches them) into plain host
// keys and @cert-authority keys.
func (h *hostKeys) known(host string) (plain, cas []knownhosts.KnownKey) {
	err := h.lookup(host, &net.TCPAddr{IP: net.IPv4zero}, probeKey{})
	var ke *knownhosts.KeyError
	if !errors.As(err, &ke) {
		return nil, nil
	}
	return splitCA(ke.Want, h.ca)
}

// revoked reports the @revoked line that lists key, if any.
func (h *hostKeys) revoked(host string, remote net.Addr, key ssh.PublicKey) *knownhosts.RevokedError {
	var re *knownhosts.RevokedError
	if errors.As(h.lookup(host, remote, key), &re) {
		return re
	}
	return nil
}

// checkCert accepts a host certificate as OpenSSH does: a host certificate,
// neither it nor its CA revoked, signed by a CA that a @cert-authority line
// lists for host, naming host among its principals (none: refused), valid
// now, its signature good. No certificate is recorded by --accept-new.
func (h *hostKeys) checkCert(host string, remote net.Addr, cert *ssh.Certificate) error {
	norm := knownhosts.Normalize(host)
	refuse := func(class Class, why string, a ...any) error {
		return &Error{Class: class, Err: fmt.Errorf("host certificate for %s (%s, signed by CA %s) refused: %s",
			norm, fingerprint(cert.Key), fingerprint(cert.SignatureKey), fmt.Sprintf(why, a...))}
	}
	if cert.CertType != ssh.HostCert {
		return refuse(ClassHostKeyUnknown, "a user certificate, not a host certificate")
	}
	if re := h.revoked(host, remote, cert.SignatureKey); re != nil {
		return refuse(ClassHostKeyChanged, "its CA is revoked at %s:%d", re.Revoked.Filename, re.Revoked.Line)
	}
	if re := h.revoked(host, remote, cert.Key); re != nil {
		return refuse(ClassHostKeyChanged, "its host key is revoked at %s:%d", re.Revoked.Filename, re.Revoked.Line)
	}
	_, cas := h.known(host)
	trusted := false
	for _, ca := range cas {
		if bytes.Equal(ca.Key.Marshal(), cert.SignatureKey.Marshal()) {
			trusted = true
		}
	}
	if !trusted {
		files := "no known_hosts file"
		if len(h.files) > 0 {
			files = strings.Join(h.files, ", ")
		}
		return refuse(ClassHostKeyUnknown, "no @cert-authority line for %s lists that CA (in %s)", norm, files)
	}
	name, _, err := net.SplitHostPort(host)
	if err != nil {
		name = host
	}
	if len(cert.ValidPrincipals) == 0 {
		return refuse(ClassHostKeyUnknown, "the certificate names no principals (OpenSSH requires the host name among them)")
	}
	if !contains(cert.ValidPrincipals, name) {
		return refuse(ClassHostKeyUnknown, "the certificate is for %s, not %s", strings.Join(cert.ValidPrincipals, ", "), name)
	}
	now := time.Now()
	if after := time.Unix(int64(cert.ValidAfter), 0); cert.ValidAfter != 0 && now.Before(after) {
		return refuse(ClassHostKeyUnknown, "the certificate is not valid before %s", after.UTC().Format(time.RFC3339))
	}
	if cert.ValidBefore != ssh.CertTimeInfinity {
		if before := time.Unix(int64(cert.ValidBefore), 0); !now.Before(before) {
			return refuse(ClassHostKeyUnknown, "the certificate expired at %s", before.UTC().Format(time.RFC3339))
		}
	}
	// The signature, critical options and the checks above once more.
	cc := &ssh.CertChecker{IsHostAuthority: func(auth ssh.PublicKey, _ string) bool {
		return bytes.Equal(auth.Marshal(), cert.SignatureKey.Marshal())
	}}
	if err := cc.CheckHostKey(host, remote, cert); err != nil {
		return refuse(ClassHostKeyUnknown, "%v", err)
	}
	return nil
}
