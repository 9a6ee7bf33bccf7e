package fleet

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// keys holds the client's signers: the agent's (asked on every dial, so a
// key added meanwhile counts) and the key files' (read once per path).
type keys struct {
	agentSock string

	mu    sync.Mutex
	files map[string]*keyFile
}

type keyFile struct {
	signer ssh.Signer
	note   string // why it is not used (encrypted, unreadable), for the auth error
}

func (k *keys) file(path string, explicit bool) *keyFile {
	k.mu.Lock()
	defer k.mu.Unlock()
	if f, ok := k.files[path]; ok {
		return f
	}
	f := &keyFile{}
	b, err := os.ReadFile(path)
	switch {
	case err != nil && errors.Is(err, os.ErrNotExist) && !explicit:
		// a default key that does not exist: nothing to say
	case err != nil:
		f.note = fmt.Sprintf("key %s: %v", path, unwrapPathErr(err))
	default:
		s, err := ssh.ParsePrivateKey(b)
		var pm *ssh.PassphraseMissingError
		switch {
		case errors.As(err, &pm):
			f.note = fmt.Sprintf("key %s is encrypted with a passphrase: add it to ssh-agent (ssh-add %s); bondaudit never prompts", path, path)
		case err != nil:
			f.note = fmt.Sprintf("key %s: %v", path, err)
		default:
			f.signer = s
		}
	}
	k.files[path] = f
	return f
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// auth is one dial's authentication: the agent's keys, then the files'.
// tried says what was offered, for the error (never a secret: paths,
// counts and fingerprints only).
type auth struct {
	signers []ssh.Signer
	notes   []string
	closer  func()
}

func (k *keys) auth(files []string, home string) *auth {
	a := &auth{closer: func() {}}
	if k.agentSock != "" {
		conn, err := net.DialTimeout("unix", k.agentSock, 5*time.Second)
		if err != nil {
			a.notes = append(a.notes, fmt.Sprintf("ssh-agent at $SSH_AUTH_SOCK: %v", err))
		} else {
			a.closer = func() { conn.Close() }
			ss, err := agent.NewClient(conn).Signers()
			if err != nil {
				a.notes = append(a.notes, fmt.Sprintf("ssh-agent: %v", err))
			}
			if len(ss) == 0 && err == nil {
				a.notes = append(a.notes, "ssh-agent holds no key")
			}
			a.signers = append(a.signers, ss...)
		}
	}
	explicit := len(files) > 0
	if !explicit && home != "" {
		for _, n := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
			files = append(files, home+"/.ssh/"+n)
		}
	}
	agentHas := len(a.signers) > 0
	for _, p := range files {
		f := k.file(p, explicit)
		if f.signer != nil {
			a.signers = append(a.signers, f.signer)
		} else if f.note != "" && !(agentHas && strings.Contains(f.note, "encrypted")) {
			a.notes = append(a.notes, f.note)
		}
	}
	return a
}

// hop is one SSH server on the way: a jump host or the target.
type hop struct {
	user, host string
	port       int
}

func (h hop) addr() string { return net.JoinHostPort(h.host, strconv.Itoa(h.port)) }

// parseJump reads a ProxyJump chain: [user@]host[:port], comma-separated
// (an IPv6 address in brackets).
func parseJump(s, defaultUser string) ([]hop, error) {
	var hops []hop
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("ProxyJump %q: an empty hop", s)
		}
		h := hop{user: defaultUser, port: 22}
		if u, rest, ok := strings.Cut(part, "@"); ok {
			h.user, part = u, rest
		}
		h.host = part
		if host, port, err := net.SplitHostPort(part); err == nil {
			p, err := strconv.Atoi(port)
			if err != nil || p < 1 || p > 65535 {
				return nil, fmt.Errorf("ProxyJump %q: port %q", s, port)
			}
			h.host, h.port = host, p
		} else if strings.HasPrefix(part, "[") && strings.HasSuffix(part, "]") {
			h.host = part[1 : len(part)-1]
		}
		if h.host == "" || h.user == "" || strings.ContainsAny(h.host, " \t/") {
			return nil, fmt.Errorf("ProxyJump %q: want [user@]host[:port]", s)
		}
		hops = append(hops, h)
	}
	return hops, nil
}

// conn is an open connection to a target: its client and what to close
// (the jump hosts' clients, in order).
type conn struct {
	client  *ssh.Client
	closers []func()
}

func (c *conn) Close() {
	for i := len(c.closers) - 1; i >= 0; i-- {
		c.closers[i]()
	}
}

// dial connects to t through its ProxyJump chain, once.
func (col *collector) dial(ctx context.Context, t Target) (*conn, error) {
	user := t.User
	if user == "" {
		user = col.opt.User
	}
	port := t.Port
	if port == 0 {
		port = 22
	}
	addr := t.Addr
	if addr == "" {
		addr = t.Name
	}
	var hops []hop
	if t.ProxyJump != "" && !strings.EqualFold(t.ProxyJump, "none") {
		h, err := parseJump(t.ProxyJump, col.opt.User)
		if err != nil {
			return nil, &Error{Class: ClassConnect, Err: err}
		}
		hops = h
	}
	hops = append(hops, hop{user: user, host: addr, port: port})
	a := col.keys.auth(t.IdentityFiles, col.opt.Home)
	c := &conn{closers: []func(){a.closer}}
	for i, h := range hops {
		var nc net.Conn
		var err error
		dctx, cancel := context.WithTimeout(ctx, col.opt.ConnectTimeout)
		if c.client == nil {
			var d net.Dialer
			nc, err = d.DialContext(dctx, "tcp", h.addr())
		} else {
			nc, err = c.client.DialContext(dctx, "tcp", h.addr())
		}
		if err != nil {
			cancel()
			c.Close()
			return nil, dialError(h, i < len(hops)-1, err, dctx)
		}
		client, err := col.handshake(dctx, nc, h, a)
		cancel()
		if err != nil {
			nc.Close()
			c.Close()
			if i < len(hops)-1 {
				var fe *Error
				if errors.As(err, &fe) {
					fe.Err = fmt.Errorf("jump host %s: %w", h.addr(), fe.Err)
				}
			}
			return nil, err
		}
		c.client = client
		c.closers = append(c.closers, func() { client.Close() })
	}
	return c, nil
}

// dialError classifies a TCP connect error.
func dialError(h hop, jump bool, err error, ctx context.Context) *Error {
	what := h.addr()
	if jump {
		what = "jump host " + what
	}
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "Connection refused"):
		return &Error{Class: ClassRefused, Err: fmt.Errorf("%s: connection refused", what)}
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || (errors.As(err, &ne) && ne.Timeout()):
		return &Error{Class: ClassTimeout, Err: fmt.Errorf("%s: no answer (connect timed out)", what)}
	}
	return &Error{Class: ClassConnect, Err: fmt.Errorf("%s: %v", what, err)}
}

// handshake runs the SSH handshake on nc within ctx (a channel through a
// jump host has no deadlines: ctx closes it instead).
func (col *collector) handshake(ctx context.Context, nc net.Conn, h hop, a *auth) (*ssh.Client, error) {
	var keyErr error
	cfg := &ssh.ClientConfig{
		User: h.user,
		Auth: []ssh.AuthMethod{ssh.PublicKeysCallback(func() ([]ssh.Signer, error) {
			return a.signers, nil
		})},
		HostKeyCallback: func(host string, remote net.Addr, key ssh.PublicKey) error {
			keyErr = col.hostKeys.check(host, remote, key)
			return keyErr
		},
		HostKeyAlgorithms: col.hostKeys.algorithms(h.addr()),
		Timeout:           col.opt.ConnectTimeout,
	}
	stop := context.AfterFunc(ctx, func() { nc.Close() })
	defer stop()
	cc, chans, reqs, err := ssh.NewClientConn(nc, h.addr(), cfg)
	if err == nil {
		return ssh.NewClient(cc, chans, reqs), nil
	}
	var fe *Error
	switch {
	case keyErr != nil && errors.As(keyErr, &fe):
		return nil, fe
	case strings.Contains(err.Error(), "unable to authenticate"):
		tried := fmt.Sprintf("%d keys offered", len(a.signers))
		if len(a.signers) == 1 {
			tried = "1 key offered"
		}
		msg := fmt.Sprintf("%s@%s: authentication failed (%s", h.user, h.addr(), tried)
		if len(a.notes) > 0 {
			msg += "; " + strings.Join(a.notes, "; ")
		}
		return nil, &Error{Class: ClassAuth, Err: errors.New(msg + ")")}
	case ctx.Err() != nil:
		return nil, &Error{Class: ClassTimeout, Err: fmt.Errorf("%s: SSH handshake timed out", h.addr())}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return nil, &Error{Class: ClassTimeout, Err: fmt.Errorf("%s: SSH handshake timed out", h.addr())}
	}
	return nil, &Error{Class: ClassConnect, Err: fmt.Errorf("%s: %v", h.addr(), err)}
}
