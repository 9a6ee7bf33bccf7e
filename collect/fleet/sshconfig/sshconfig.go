// Package sshconfig reads the subset of OpenSSH's client configuration
// (ssh_config(5), ~/.ssh/config) that bondaudit's fleet collector uses, and
// resolves a host alias the way `ssh -G` does for these keywords:
//
//   - Host lines with patterns (`*`, `?`, `!` negation), matched against the
//     alias as given (case-sensitively, as OpenSSH 9 does; %h is the alias
//     in lower case); for every keyword the first value
//     obtained wins, as in OpenSSH, except IdentityFile, which accumulates
//     (duplicates dropped);
//   - HostName (with the %h and %% tokens), User, Port, IdentityFile (kept as
//     written, several allowed, `none`; ExpandPath expands ~ and the tokens
//     when the final user, address and port are known), ProxyJump
//     (`[user@]host[:port]`, comma-separated chains, ssh:// URIs, `none`),
//     and ProxyCommand (only so that a ProxyCommand given first hides a later
//     ProxyJump, as in OpenSSH; the collector does not run it);
//   - Include (files relative to ~/.ssh, ~ expanded, globs; inside a Host
//     block only when that block applies; at most 16 levels, OpenSSH's
//     limit).
//
// Match blocks are skipped, not refused: a configuration with `Match exec` or
// `Match canonical` is common, and the collector cannot evaluate those. Every
// skipped block is listed in Config.Warnings (file:line), and the keywords in
// it apply to no alias. Every other keyword is accepted and ignored (ssh itself
// validates those); the keywords above are validated strictly, with file:line
// errors.
//
// No library is used: github.com/kevinburke/ssh_config (v1.6.0, served) was
// considered; it applies `Match host` to the alias instead of the HostName
// resolved so far, reads `Match host a user b` as host patterns, reports no
// file name for errors in included files and takes the home directory from
// the password database with no way to set it (relative Include cannot be
// tested without writing to the real ~/.ssh).
package sshconfig

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/internal/opfile"
	"github.com/bondaudit/bondaudit/internal/quote"
)

// Limits for one configuration, included files counted together. The file
// is the operator's own, so these only stop a mistake (an Include of a huge
// or endless file, an Include loop) from using up memory.
const (
	MaxFileBytes = 1 << 20 // one file
	MaxFiles     = 256     // files read through Include
	MaxDepth     = 16      // Include nesting, as OpenSSH's READCONF_MAX_DEPTH
	maxArgs      = 256     // arguments on one line
)

// Options says whose configuration it is.
type Options struct {
	// Home is the home directory: ~ and relative Include paths (~/.ssh/…)
	// are resolved under it. Default: os.UserHomeDir().
	Home string
	// LocalUser is %u in IdentityFile. Default: the current user's name.
	LocalUser string
}

// Entry is what the configuration says for one alias. A zero field was not
// set (the caller applies its defaults: the alias, port 22, the local user).
type Entry struct {
	HostName string // %h expanded; "" when not set
	User     string
	Port     int
	// IdentityFiles as written (~ and %-tokens not expanded, as `ssh -G`
	// prints them), in order, duplicates dropped. A "none" entry names no
	// file (ssh skips it) but still counts as set: a list of only "none"
	// means no key files and no defaults.
	IdentityFiles []string
	// ProxyJump as `ssh -G` prints it (ssh:// URIs rewritten to
	// user@host:port); "none" when ssh_config says none (no jump, whatever
	// the caller's default), "" when unset.
	ProxyJump string
	// ProxyCommand when one applies ("" when unset or none): the collector
	// cannot honour it and should say so.
	ProxyCommand string
}

// Config is a parsed configuration file with its includes.
type Config struct {
	// Warnings lists what was read but not applied (Match blocks), one line
	// each with file:line.
	Warnings []string

	home, localUser string
	top             *file
}

type file struct {
	name  string
	lines []line
}

type kind uint8

const (
	kHost kind = iota + 1
	kMatch
	kKV
	kInclude
)

type line struct {
	kind     kind
	num      int
	patterns []pattern // kHost
	key      string    // kKV: lower-case keyword
	value    string    // kKV
	includes []*file   // kInclude
}

type pattern struct {
	glob   string
	negate bool
}

// Load reads the configuration at path (and what it includes).
func Load(path string, opt Options) (*Config, error) {
	c, err := newConfig(opt)
	if err != nil {
		return nil, err
	}
	st := &loadState{c: c}
	data, err := readCapped(path)
	if err != nil {
		return nil, err
	}
	c.top, err = st.parse(path, data, 0)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Parse reads a configuration from data; name is used in errors. Include
// directives still read files from disk.
func Parse(name string, data []byte, opt Options) (*Config, error) {
	c, err := newConfig(opt)
	if err != nil {
		return nil, err
	}
	st := &loadState{c: c}
	c.top, err = st.parse(name, data, 0)
	if err != nil {
		return nil, err
	}
	return c, nil
}

func newConfig(opt Options) (*Config, error) {
	c := &Config{home: opt.Home, localUser: opt.LocalUser}
	if c.home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("ssh_config: no home directory for ~: %v", err)
		}
		c.home = h
	}
	if c.localUser == "" {
		if u, err := user.Current(); err == nil {
			c.localUser = u.Username
		}
	}
	return c, nil
}

func readCapped(path string) ([]byte, error) {
	data, err := opfile.Read(path, MaxFileBytes)
	var tl *opfile.TooLargeError
	if errors.Is(err, opfile.ErrNotRegular) || errors.As(err, &tl) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, err
}

type loadState struct {
	c     *Config
	files int
}

func (st *loadState) parse(name string, data []byte, depth int) (*file, error) {
	f := &file{name: name}
	inMatch := false
	for i, raw := range strings.Split(string(data), "\n") {
		num := i + 1
		errf := func(format string, a ...any) error {
			return fmt.Errorf("%s:%d: %s", name, num, fmt.Sprintf(format, a...))
		}
		raw = strings.TrimSuffix(raw, "\r")
		key, args, err := splitLine(raw)
		if err != nil {
			return nil, errf("%v", err)
		}
		if key == "" {
			continue
		}
		lkey := strings.ToLower(key)
		switch lkey {
		case "host":
			inMatch = false
			if len(args) == 0 {
				return nil, errf("Host needs at least one pattern")
			}
			l := line{kind: kHost, num: num}
			for _, a := range args {
				p := pattern{glob: a}
				if strings.HasPrefix(p.glob, "!") {
					p.negate, p.glob = true, p.glob[1:]
				}
				if p.glob == "" {
					return nil, errf("empty Host pattern")
				}
				l.patterns = append(l.patterns, p)
			}
			f.lines = append(f.lines, l)
		case "match":
			inMatch = true
			st.c.Warnings = append(st.c.Warnings, fmt.Sprintf("%s:%d: Match block skipped (its keywords apply to no host; use Host patterns)", name, num))
			f.lines = append(f.lines, line{kind: kMatch, num: num})
		case "include":
			if len(args) == 0 {
				return nil, errf("Include needs a file")
			}
			if inMatch {
				// The whole block is skipped; its includes are not read.
				continue
			}
			l := line{kind: kInclude, num: num}
			for _, a := range args {
				files, err := st.include(a, depth)
				if err != nil {
					return nil, errf("Include %s: %v", quote.Q(a), err)
				}
				l.includes = append(l.includes, files...)
			}
			f.lines = append(f.lines, l)
		default:
			v, err := st.c.value(lkey, args)
			if err != nil {
				return nil, errf("%v", err)
			}
			if v == nil {
				continue // a keyword the collector does not use
			}
			f.lines = append(f.lines, line{kind: kKV, num: num, key: lkey, value: *v})
		}
	}
	return f, nil
}

func (st *loadState) include(arg string, depth int) ([]*file, error) {
	if depth+1 > MaxDepth {
		return nil, fmt.Errorf("nested more than %d levels deep", MaxDepth)
	}
	path := arg
	switch {
	case strings.HasPrefix(path, "~/"):
		path = filepath.Join(st.c.home, path[2:])
	case path == "~":
		path = st.c.home
	case strings.HasPrefix(path, "~"):
		return nil, errors.New("~user paths are not supported")
	case !filepath.IsAbs(path):
		path = filepath.Join(st.c.home, ".ssh", path)
	}
	matches, err := filepath.Glob(path)
	if err != nil {
		return nil, err
	}
	sort.Strings(matches) // OpenSSH includes the glob's matches in lexical order
	var out []*file
	for _, m := range matches {
		st.files++
		if st.files > MaxFiles {
			return nil, fmt.Errorf("more than %d files included", MaxFiles)
		}
		data, err := readCapped(m)
		if err != nil {
			return nil, err
		}
		f, err := st.parse(m, data, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// value validates the arguments of a keyword the collector uses and returns
// the value to keep (nil for other keywords).
func (c *Config) value(key string, args []string) (*string, error) {
	one := func() (*string, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("%s takes one argument, got %d", key, len(args))
		}
		return &args[0], nil
	}
	switch key {
	case "hostname":
		v, err := one()
		if err != nil {
			return nil, err
		}
		if err := checkTokens(*v, "h"); err != nil {
			return nil, fmt.Errorf("HostName %s: %v", quote.Q(*v), err)
		}
		return v, nil
	case "user":
		v, err := one()
		if err != nil {
			return nil, err
		}
		if strings.Contains(*v, "%") {
			return nil, fmt.Errorf("User %s: %%-tokens in User are not supported", quote.Q(*v))
		}
		return v, nil
	case "port":
		v, err := one()
		if err != nil {
			return nil, err
		}
		if _, err := ParsePort(*v); err != nil {
			return nil, fmt.Errorf("Port: %v", err)
		}
		return v, nil
	case "identityfile":
		v, err := one()
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(*v, "~") && !strings.HasPrefix(*v, "~/") && *v != "~" {
			return nil, fmt.Errorf("IdentityFile %s: ~user paths are not supported", quote.Q(*v))
		}
		if err := checkTokens(*v, identityTokens); err != nil {
			return nil, fmt.Errorf("IdentityFile %s: %v", quote.Q(*v), err)
		}
		return v, nil
	case "proxyjump":
		v, err := one()
		if err != nil {
			return nil, err
		}
		n, err := normaliseJump(*v)
		if err != nil {
			return nil, fmt.Errorf("ProxyJump %s: %v", quote.Q(*v), err)
		}
		return &n, nil
	case "proxycommand":
		if len(args) == 0 {
			return nil, errors.New("ProxyCommand needs a command")
		}
		v := strings.Join(args, " ")
		return &v, nil
	}
	return nil, nil
}

// identityTokens are the %-tokens ExpandPath knows.
const identityTokens = "dhilnpru"

func checkTokens(s, allowed string) error {
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 == len(s) {
			return errors.New("ends with a lone %")
		}
		i++
		if s[i] != '%' && !strings.ContainsRune(allowed, rune(s[i])) {
			return fmt.Errorf("token %%%c is not supported (known: %%%% and %%%s)", s[i], strings.Join(strings.Split(allowed, ""), " %"))
		}
	}
	return nil
}

// ParsePort reads a TCP port, 1 to 65535.
func ParsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 || s[0] == '+' {
		return 0, fmt.Errorf("bad port %s (1 to 65535)", quote.Q(s))
	}
	return n, nil
}

// normaliseJump checks a ProxyJump value and rewrites ssh:// hops as
// user@host:port, as `ssh -G` prints them.
func normaliseJump(v string) (string, error) {
	if strings.EqualFold(v, "none") {
		return "none", nil
	}
	hops := strings.Split(v, ",")
	for i, h := range hops {
		h = strings.TrimPrefix(h, "ssh://")
		if _, _, _, err := SplitHop(h); err != nil {
			return "", err
		}
		hops[i] = h
	}
	return strings.Join(hops, ","), nil
}

// SplitHop splits one ProxyJump hop, [user@]host[:port] (host may be an
// IPv6 address in brackets), into its parts; port is 0 when not given.
func SplitHop(h string) (userName, host string, port int, err error) {
	if h == "" {
		return "", "", 0, errors.New("empty hop")
	}
	if at := strings.LastIndexByte(h, '@'); at >= 0 {
		userName, h = h[:at], h[at+1:]
		if userName == "" {
			return "", "", 0, errors.New("empty user before @")
		}
	}
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return "", "", 0, fmt.Errorf("unclosed [ in %s", quote.Q(h))
		}
		host, h = h[1:end], h[end+1:]
		if h != "" && !strings.HasPrefix(h, ":") {
			return "", "", 0, fmt.Errorf("garbage after ] in %s", quote.Q(h))
		}
		h = strings.TrimPrefix(h, ":")
		if h == "" {
			h = "-"
		}
	} else if c := strings.IndexByte(h, ':'); c >= 0 {
		host, h = h[:c], h[c+1:]
	} else {
		host, h = h, "-"
	}
	if host == "" {
		return "", "", 0, errors.New("empty host")
	}
	for _, r := range host {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("/\\\"'", r) {
			return "", "", 0, fmt.Errorf("bad host %s", quote.Q(host))
		}
	}
	if h != "-" {
		if port, err = ParsePort(h); err != nil {
			return "", "", 0, err
		}
	}
	return userName, host, port, nil
}

// splitLine splits one line as OpenSSH does: a keyword, then whitespace or
// one '=', then arguments separated by whitespace, "double" or 'single'
// quoted, a '#' at the start of an argument starting a comment.
func splitLine(s string) (key string, args []string, err error) {
	s = strings.TrimLeft(s, " \t\f\v")
	if s == "" || s[0] == '#' {
		return "", nil, nil
	}
	end := strings.IndexAny(s, " \t\f\v=")
	if end < 0 {
		end = len(s)
	}
	key, s = s[:end], s[end:]
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "", nil, fmt.Errorf("bad keyword %s", quote.Q(key))
		}
	}
	if key == "" {
		return "", nil, errors.New("a line starts with =")
	}
	s = strings.TrimLeft(s, " \t\f\v")
	if strings.HasPrefix(s, "=") {
		s = strings.TrimLeft(s[1:], " \t\f\v")
	}
	for s != "" {
		if s[0] == '#' {
			break
		}
		var b strings.Builder
		var q byte
		i := 0
		for ; i < len(s); i++ {
			ch := s[i]
			switch {
			case q != 0 && ch == q:
				q = 0
			case q != 0:
				b.WriteByte(ch)
			case ch == '"' || ch == '\'':
				q = ch
			case ch == '\\' && i+1 < len(s) && strings.IndexByte("\\\"' ", s[i+1]) >= 0:
				i++
				b.WriteByte(s[i])
			case ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v':
				goto done
			default:
				b.WriteByte(ch)
			}
		}
	done:
		if q != 0 {
			return "", nil, errors.New("unterminated quote")
		}
		args = append(args, b.String())
		if len(args) > maxArgs {
			return "", nil, fmt.Errorf("more than %d arguments", maxArgs)
		}
		s = strings.TrimLeft(s[i:], " \t\f\v")
	}
	return key, args, nil
}

// Resolve returns what the configuration says for alias, the name given to
// ssh. As in OpenSSH, Host patterns match the alias as given (case matters)
// while %h in HostName is the alias in lower case (and so is the host name
// ssh connects to when no HostName applies: the caller's default).
func (c *Config) Resolve(alias string) Entry {
	var e Entry
	r := resolver{alias: alias, e: &e, seen: map[string]bool{}}
	if c != nil && c.top != nil {
		r.walk(c.top, true)
	}
	if strings.EqualFold(e.ProxyCommand, "none") {
		e.ProxyCommand = ""
	}
	return e
}

type resolver struct {
	alias      string
	e          *Entry
	seen       map[string]bool
	proxyFixed bool // ProxyJump or ProxyCommand obtained: the other is ignored
	idNone     bool
}

// walk applies one file's lines; active says whether the enclosing block
// applies (an Include inside a Host block that does not apply reads files
// whose blocks never apply, as OpenSSH does).
func (r *resolver) walk(f *file, enclosing bool) {
	active := enclosing
	for _, l := range f.lines {
		switch l.kind {
		case kHost:
			active = enclosing && hostMatches(l.patterns, r.alias)
		case kMatch:
			active = false
		case kInclude:
			if active {
				for _, inc := range l.includes {
					r.walk(inc, true)
				}
			}
		case kKV:
			if active {
				r.set(l.key, l.value)
			}
		}
	}
}

func (r *resolver) set(key, v string) {
	e := r.e
	switch key {
	case "hostname":
		if e.HostName == "" {
			e.HostName = expandHostName(v, strings.ToLower(r.alias))
		}
	case "user":
		if e.User == "" {
			e.User = v
		}
	case "port":
		if e.Port == 0 {
			e.Port, _ = ParsePort(v)
		}
	case "identityfile":
		if r.seen[v] {
			return
		}
		r.seen[v] = true
		e.IdentityFiles = append(e.IdentityFiles, v)
	case "proxyjump":
		if !r.proxyFixed {
			r.proxyFixed = true
			e.ProxyJump = v
		}
	case "proxycommand":
		if !r.proxyFixed {
			r.proxyFixed = true
			e.ProxyCommand = v
		}
	}
}

func expandHostName(v, alias string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '%' && i+1 < len(v) {
			i++
			switch v[i] {
			case 'h':
				b.WriteString(alias)
			default:
				b.WriteByte(v[i])
			}
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

func hostMatches(pats []pattern, alias string) bool {
	matched := false
	for _, p := range pats {
		if Glob(p.glob, alias) {
			if p.negate {
				return false
			}
			matched = true
		}
	}
	return matched
}

// Glob matches name against an OpenSSH pattern with * and ? (no character
// classes), in time proportional to len(pattern)*len(name) at worst.
func Glob(pattern, name string) bool {
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == name[n]):
			p++
			n++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case star >= 0:
			p = star + 1
			mark++
			n = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// Tokens are the remote values ExpandPath substitutes.
type Tokens struct {
	Alias string // %n, the name given to ssh
	Host  string // %h, the address connected to
	User  string // %r
	Port  int    // %p
}

// ExpandPath expands ~ (the configured home) and the %-tokens of an
// IdentityFile path: %% %d (home) %h %i (uid) %l (local host name) %n %p %r
// %u (local user).
func (c *Config) ExpandPath(p string, t Tokens) string {
	if p == "~" {
		p = c.home
	} else if strings.HasPrefix(p, "~/") {
		p = filepath.Join(c.home, p[2:])
	}
	if !strings.Contains(p, "%") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] != '%' || i+1 == len(p) {
			b.WriteByte(p[i])
			continue
		}
		i++
		switch p[i] {
		case 'd':
			b.WriteString(c.home)
		case 'h':
			b.WriteString(t.Host)
		case 'i':
			b.WriteString(strconv.Itoa(os.Getuid()))
		case 'l':
			h, _ := os.Hostname()
			if dot := strings.IndexByte(h, '.'); dot >= 0 {
				h = h[:dot]
			}
			b.WriteString(h)
		case 'n':
			b.WriteString(t.Alias)
		case 'p':
			b.WriteString(strconv.Itoa(t.Port))
		case 'r':
			b.WriteString(t.User)
		case 'u':
			b.WriteString(c.localUser)
		default:
			b.WriteByte(p[i])
		}
	}
	return b.String()
}
