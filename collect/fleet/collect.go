package fleet

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/bondaudit/bondaudit/internal/atomicfile"
	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

// Options tune Collect. Zero values take the defaults named.
type Options struct {
	// Out is the folder the captures go to (a site's hosts/).
	Out string
	// Concurrency is the number of hosts collected at once; 0: 64.
	Concurrency int
	// User logs in where the target names none; "": $USER.
	User string
	// Home is where ~/.ssh is; "": os.UserHomeDir.
	Home string
	// AgentSocket is the ssh-agent's socket ("": $SSH_AUTH_SOCK; "-": no agent).
	AgentSocket string
	// KnownHosts are the known_hosts files; none: ~/.ssh/known_hosts and
	// /etc/ssh/ssh_known_hosts. --accept-new appends to the first.
	KnownHosts []string
	// AcceptNew records the key of a host no known_hosts file knows; a
	// changed key is always refused.
	AcceptNew bool
	// Become runs the commands that need root through sudo -n on every
	// host (a target's own Become also does).
	Become bool
	// RemoteBondaudit, when set, is the path of bondaudit on the hosts:
	// `PATH collect host -o -` runs there instead of the stock commands
	// and its snapshot is stored as <name>.json.
	RemoteBondaudit string
	// ConnectTimeout bounds each TCP connect and SSH handshake; 0: 10s.
	ConnectTimeout time.Duration
	// Timeout bounds a whole host (connects, retries, commands); 0: 2m.
	Timeout time.Duration
	// Retries are further connects after a refused or timed-out one
	// (never after an auth or host key failure); Backoff the first wait,
	// doubled each time. 0: 2 retries, 1s.
	Retries int
	Backoff time.Duration
	// CommandCap caps one command's output, HostCap a host's total;
	// 0: 16 MiB and 64 MiB.
	CommandCap, HostCap int64
	// Now is the clock of the unreachable snapshots; nil: time.Now.
	Now func() time.Time
	// Progress is called after each host, from one goroutine at a time.
	Progress func(Progress)
}

func (o *Options) defaults() error {
	if o.Out == "" {
		return errors.New("no output folder")
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 64
	}
	if o.Home == "" {
		o.Home, _ = os.UserHomeDir()
	}
	if o.User == "" {
		o.User = os.Getenv("USER")
		if o.User == "" {
			o.User = "root"
		}
	}
	switch o.AgentSocket {
	case "":
		o.AgentSocket = os.Getenv("SSH_AUTH_SOCK")
	case "-":
		o.AgentSocket = ""
	}
	if len(o.KnownHosts) == 0 {
		if o.Home != "" {
			o.KnownHosts = append(o.KnownHosts, filepath.Join(o.Home, ".ssh", "known_hosts"))
		}
		o.KnownHosts = append(o.KnownHosts, "/etc/ssh/ssh_known_hosts")
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.Retries == 0 {
		o.Retries = 2
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.CommandCap <= 0 {
		o.CommandCap = 16 << 20
	}
	if o.HostCap <= 0 {
		o.HostCap = 64 << 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if p := o.RemoteBondaudit; p != "" && !safePath(p) {
		return fmt.Errorf("remote bondaudit path %s: want letters, digits and / . _ - + only", quote.Q(p))
	}
	return nil
}

func safePath(p string) bool {
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/._-+", c)) {
			return false
		}
	}
	return p != ""
}

// Check fills in opt's defaults and reads the known_hosts files, so a
// command can refuse a wrong setup before any host is dialled.
func Check(opt Options) error {
	_, err := newCollector(opt)
	return err
}

type collector struct {
	opt      Options
	keys     *keys
	hostKeys *hostKeys
}

func newCollector(opt Options) (*collector, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	hk, err := newHostKeys(opt.KnownHosts, opt.KnownHosts[0], opt.AcceptNew)
	if err != nil {
		return nil, err
	}
	return &collector{opt: opt, keys: &keys{agentSock: opt.AgentSocket, files: map[string]*keyFile{}}, hostKeys: hk}, nil
}

// CheckName reports whether name can be a capture folder's name: one path
// element, not hidden, printable.
func CheckName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return fmt.Errorf("host name %s: empty or a dot name", quote.Q(name))
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("host name %s: starts with a dot (hidden in a site)", quote.Q(name))
	case strings.ContainsAny(name, "/\\\x00"):
		return fmt.Errorf("host name %s: contains a path separator", quote.Q(name))
	case len(name) > 255:
		return fmt.Errorf("host name %s: too long", quote.Q(name))
	}
	for _, r := range name {
		if r < ' ' || r == 0x7f {
			return fmt.Errorf("host name %s: contains a control character", quote.Q(name))
		}
	}
	return nil
}

// Collect collects every target with a bounded pool of workers and
// returns one Result per target, in the targets' order. Each host ends as
// Out/<name>/ (its capture), Out/<name>.json (a --remote-bondaudit
// snapshot, or an unreachable snapshot saying why), replacing what that
// host had there only once the new one is complete.
func Collect(ctx context.Context, targets []Target, opt Options) []Result {
	results := make([]Result, len(targets))
	col, err := newCollector(opt)
	if err == nil {
		err = os.MkdirAll(col.opt.Out, 0o755)
	}
	if err != nil {
		for i, t := range targets {
			results[i] = Result{Target: t, Err: &Error{Class: ClassConnect, Err: err}}
		}
		return results
	}
	opt = col.opt
	removeStale(opt.Out, time.Now().Add(-staleAfter))
	seen := map[string]int{}
	var (
		mu       sync.Mutex
		prog     = Progress{Total: len(targets), Started: time.Now()}
		next     = make(chan int)
		wg       sync.WaitGroup
		progress = func(r *Result, start bool) {
			mu.Lock()
			defer mu.Unlock()
			if start {
				prog.InFlight++
				return
			}
			prog.InFlight--
			prog.Done++
			if r.Err != nil {
				prog.Failed++
			}
			if opt.Progress != nil {
				p := prog
				p.Result = r
				opt.Progress(p)
			}
		}
	)
	for range min(opt.Concurrency, max(len(targets), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				progress(nil, true)
				r := &results[i]
				if r.Err == nil && ctx.Err() != nil {
					r.Err = &Error{Class: ClassTimeout, Err: fmt.Errorf("%s: not collected: collection stopped: %v", r.Target.Name, context.Cause(ctx))}
				}
				if r.Err == nil {
					start := time.Now()
					col.host(ctx, r)
					r.Duration = time.Since(start)
				}
				progress(r, false)
			}
		}()
	}
	for i, t := range targets {
		results[i].Target = t
		if err := CheckName(t.Name); err != nil {
			results[i].Err = &Error{Class: ClassConnect, Err: err}
		} else if j, dup := seen[t.Name]; dup {
			results[i].Err = &Error{Class: ClassConnect, Err: fmt.Errorf("host %s listed twice (also target %d)", quote.Q(t.Name), j+1)}
		} else {
			seen[t.Name] = i
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// host collects one target into r.
func (col *collector) host(ctx context.Context, r *Result) {
	hctx, cancel := context.WithTimeout(ctx, col.opt.Timeout)
	defer cancel()
	t := r.Target
	c, err := col.dialRetry(hctx, r)
	if err == nil {
		stop := context.AfterFunc(hctx, c.Close)
		if col.opt.RemoteBondaudit != "" {
			err = col.remote(hctx, c, r)
		} else {
			err = col.stock(hctx, c, r)
		}
		stop()
		c.Close()
		if err != nil && hctx.Err() != nil && ClassOf(err) != ClassSave {
			err = &Error{Class: ClassTimeout, Err: fmt.Errorf("%s: not done within %s: %v", t.Name, col.opt.Timeout, err)}
		}
	}
	if err == nil {
		return
	}
	r.Err = err
	if ctx.Err() != nil {
		// Stopped (interrupted), not unreachable: the host's old capture
		// stays as it was.
		r.Err = &Error{Class: ClassTimeout, Err: fmt.Errorf("%s: collection stopped: %v", t.Name, context.Cause(ctx))}
		return
	}
	if ClassOf(err) == ClassSave {
		return
	}
	r.Path, r.SaveErr = col.saveUnreachable(t.Name, err)
}

// dialRetry dials, again after a refused or timed-out connect, waiting
// Backoff, then twice that, …, within the host's deadline.
func (col *collector) dialRetry(ctx context.Context, r *Result) (*conn, error) {
	wait := col.opt.Backoff
	for {
		r.Attempts++
		c, err := col.dial(ctx, r.Target)
		if err == nil {
			return c, nil
		}
		cl := ClassOf(err)
		if (cl != ClassRefused && cl != ClassTimeout) || r.Attempts > col.opt.Retries || ctx.Err() != nil {
			if r.Attempts > 1 {
				err = &Error{Class: cl, Err: fmt.Errorf("%w (%d attempts)", err, r.Attempts)}
			}
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, &Error{Class: cl, Err: fmt.Errorf("%w (%d attempts)", err, r.Attempts)}
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (col *collector) become(t Target) bool { return col.opt.Become || t.Become }

// capped keeps the first max bytes written and counts the rest.
type capped struct {
	buf  bytes.Buffer
	max  int
	lost int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(room, len(p))])
		c.lost += max(0, len(p)-room)
	} else {
		c.lost += len(p)
	}
	return len(p), nil
}

func (c *capped) String() string {
	s := strings.TrimSpace(c.buf.String())
	if c.lost > 0 {
		s += fmt.Sprintf(" (+%d bytes)", c.lost)
	}
	return quote.Message(s)
}

// stock runs the stock commands in one session and writes the capture.
func (col *collector) stock(ctx context.Context, c *conn, r *Result) error {
	t := r.Target
	var nb [8]byte
	rand.Read(nb[:])
	nonce := "bondaudit-" + hex.EncodeToString(nb[:])
	sess, stdout, stderr, err := startSession(c, t, "sh -c "+shellQuote(script(nonce, col.opt.CommandCap, col.become(t))), "the commands")
	if err != nil {
		return err
	}
	defer sess.Close()
	tmp, err := os.MkdirTemp(col.opt.Out, ".fleet-"+t.Name+"-")
	if err != nil {
		return &Error{Class: ClassSave, Err: err}
	}
	defer os.RemoveAll(tmp)
	limited := &io.LimitedReader{R: stdout, N: col.opt.HostCap + 1}
	capt, rerr := readSections(limited, tmp, nonce, col.opt.CommandCap)
	if rerr != nil {
		// Stop the host: closing the session ends the script.
		sess.Close()
	}
	werr := sess.Wait()
	if limited.N <= 0 {
		return fail(ClassCommand, "%s: output over the host cap of %d bytes", t.Name, col.opt.HostCap)
	}
	if rerr != nil {
		if ClassOf(rerr) == ClassSave {
			return rerr
		}
		return fail(ClassCommand, "%s: %v%s", t.Name, rerr, stderrNote(stderr))
	}
	if werr != nil {
		var ee *ssh.ExitError
		if !errors.As(werr, &ee) {
			return fail(ClassCommand, "%s: %v%s", t.Name, werr, stderrNote(stderr))
		}
		return fail(ClassCommand, "%s: the commands' shell exited %d%s", t.Name, ee.ExitStatus(), stderrNote(stderr))
	}
	if st, ok := capt.failed["ip-link.json"]; ok {
		return fail(ClassCommand, "%s: ip -details -json link show failed (%s): without it there is no capture%s", t.Name, st, stderrNote(stderr))
	}
	if _, err := os.Stat(filepath.Join(tmp, "ip-link.json")); err != nil {
		return fail(ClassCommand, "%s: no ip-link.json in the output", t.Name)
	}
	r.Notes, r.Files, r.Bytes = capt.notes, capt.files, capt.bytes
	dst := filepath.Join(col.opt.Out, t.Name)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return &Error{Class: ClassSave, Err: err}
	}
	if err := replaceDir(tmp, dst); err != nil {
		return &Error{Class: ClassSave, Err: fmt.Errorf("%s: saving the capture as %s: %w", t.Name, dst, err)}
	}
	r.Path = dst
	removeQuietly(filepath.Join(col.opt.Out, t.Name+".json"))
	return nil
}

func stderrNote(s *capped) string {
	if s.buf.Len() == 0 {
		return ""
	}
	return " (stderr: " + s.String() + ")"
}

// startSession opens a session on c and starts cmd in it (what names it
// in errors), its stderr kept (capped) for the error message.
func startSession(c *conn, t Target, cmd, what string) (*ssh.Session, io.Reader, *capped, error) {
	sess, err := c.client.NewSession()
	if err != nil {
		return nil, nil, nil, fail(ClassCommand, "%s: opening a session: %v", t.Name, err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		sess.Close()
		return nil, nil, nil, fail(ClassCommand, "%s: %v", t.Name, err)
	}
	stderr := &capped{max: 2048}
	sess.Stderr = stderr
	if err := sess.Start(cmd); err != nil {
		sess.Close()
		return nil, nil, nil, fail(ClassCommand, "%s: starting %s: %v", t.Name, what, err)
	}
	return sess, stdout, stderr, nil
}

// remote runs bondaudit on the host and stores its snapshot.
func (col *collector) remote(ctx context.Context, c *conn, r *Result) error {
	t := r.Target
	cmd := col.opt.RemoteBondaudit + " collect host -o -"
	if col.become(t) {
		cmd = "sudo -n " + cmd
	}
	sess, stdout, stderr, err := startSession(c, t, cmd, cmd)
	if err != nil {
		return err
	}
	defer sess.Close()
	limited := &io.LimitedReader{R: stdout, N: col.opt.HostCap + 1}
	b, rerr := io.ReadAll(limited)
	werr := sess.Wait()
	switch {
	case limited.N <= 0:
		return fail(ClassCommand, "%s: %s: output over the host cap of %d bytes", t.Name, cmd, col.opt.HostCap)
	case rerr != nil:
		return fail(ClassCommand, "%s: %s: %v%s", t.Name, cmd, rerr, stderrNote(stderr))
	case werr != nil:
		return fail(ClassCommand, "%s: %s: %v%s", t.Name, cmd, werr, stderrNote(stderr))
	}
	if _, err := topology.LoadHost(bytes.NewReader(b), t.Name+".json"); err != nil {
		return fail(ClassCommand, "%s: %s printed no host snapshot: %v", t.Name, cmd, err)
	}
	dst := filepath.Join(col.opt.Out, t.Name+".json")
	if err := atomicfile.WriteFile(dst, b); err != nil {
		return &Error{Class: ClassSave, Err: err}
	}
	r.Path, r.Files, r.Bytes = dst, 1, int64(len(b))
	removeDir(filepath.Join(col.opt.Out, t.Name))
	return nil
}

// saveUnreachable writes Out/<name>.json saying why the host could not be
// read, then removes the host's old capture folder (the snapshot now
// speaks for the host).
func (col *collector) saveUnreachable(name string, why error) (string, error) {
	h := &topology.Host{Name: name, Source: "collect hosts", Collected: col.opt.Now().UTC().Format(time.RFC3339),
		Unreachable: true, Error: why.Error()}
	dst := filepath.Join(col.opt.Out, name+".json")
	if err := topology.SaveSnapshot(dst, h); err != nil {
		return "", err
	}
	removeDir(filepath.Join(col.opt.Out, name))
	return dst, nil
}

func removeQuietly(p string) {
	if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() {
		os.Remove(p)
	}
}

// removeDir removes a host's old capture folder: renamed aside first (a
// hidden name the site loader skips), then removed.
func removeDir(p string) {
	st, err := os.Lstat(p)
	if err != nil || !st.IsDir() {
		return
	}
	aside, err := os.MkdirTemp(filepath.Dir(p), ".fleet-old-")
	if err != nil {
		return
	}
	if err := os.Rename(p, filepath.Join(aside, "x")); err != nil {
		os.Remove(aside)
		return
	}
	os.RemoveAll(aside)
}

// staleAfter is the age after which a hidden temp folder a killed run left
// in Out (.fleet-…) is removed (a run in progress renames or removes its
// own long before: a host has Timeout).
const staleAfter = 6 * time.Hour

func removeStale(out string, before time.Time) {
	ents, err := os.ReadDir(out)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".fleet-") || !e.IsDir() {
			continue
		}
		if st, err := e.Info(); err == nil && st.ModTime().Before(before) {
			os.RemoveAll(filepath.Join(out, e.Name()))
		}
	}
}
