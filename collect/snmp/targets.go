package snmp

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Target is one switch to poll, with its settings resolved (defaults, then
// its group, then its own) and its credentials read.
type Target struct {
	Name    string
	Address string
	Group   string
	Options Options
	// Deadline bounds the whole collection of this switch.
	Deadline time.Duration
	// Line is where the target is defined in the targets file.
	Line int
}

// maxMaxVarBinds bounds max_varbinds: a typo of a few zeros should not
// lift the cap altogether.
const maxMaxVarBinds = 50_000_000

// Settings keys a targets file accepts in defaults, groups and targets.
var settingKeys = []string{"version", "port", "timeout", "retries", "max_repetitions", MaxVarBindsKey, "deadline", "no_bulk", "community", "context", "v3"}
var v3Keys = []string{"user", "auth_protocol", "auth_key", "priv_protocol", "priv_key"}
var targetsKeys = []string{"defaults", "groups", "targets"}
var targetKeys = append([]string{"name", "address", "group"}, settingKeys...)
var secretKeys = []string{"env", "file"}

// settings is one layer of settings; nil fields are not set at that layer.
type settings struct {
	version, community, context  *string
	communityRef                 string // where the community came from, for messages
	port                         *uint16
	timeout, deadline            *time.Duration
	retries                      *int
	maxRep                       *uint32
	maxVarBinds                  *int
	noBulk                       *bool
	v3User, authProto, privProto *string
	authKey, privKey             *Secret
	communitySecret              *Secret
}

// LoadTargets reads a targets file (YAML): defaults, named groups and the
// targets, each target inheriting defaults < group < its own settings.
// Credentials are references ({env: VAR} or {file: PATH}), never inline;
// unknown keys are errors naming the allowed ones; every error names the
// file and line.
func LoadTargets(path string) ([]Target, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseTargets(b, path, os.LookupEnv, os.ReadFile)
}

// ParseTargets is LoadTargets on bytes, with the environment and file
// reader injected (tests).
func ParseTargets(b []byte, source string, env func(string) (string, bool), readFile func(string) ([]byte, error)) ([]Target, error) {
	p := &targetParser{source: source, env: env, readFile: readFile}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: a targets file is a mapping of %s", source, strings.Join(targetsKeys, ", "))
	}
	root := doc.Content[0]
	var defaults settings
	groups := map[string]settings{}
	var targetNodes *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "defaults":
			defaults = p.settings(v, "defaults", nil)
		case "groups":
			if v.Kind != yaml.MappingNode {
				p.errf(v, "groups: want a mapping of group name to settings")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				groups[v.Content[j].Value] = p.settings(v.Content[j+1], "group "+v.Content[j].Value, nil)
			}
		case "targets":
			targetNodes = v
		default:
			p.errf(k, "unknown key %q; allowed: %s", k.Value, strings.Join(targetsKeys, ", "))
		}
	}
	if targetNodes == nil || targetNodes.Kind != yaml.SequenceNode || len(targetNodes.Content) == 0 {
		p.errf(root, "targets: want a list of switches (name, address, settings)")
		return nil, p.err()
	}
	var out []Target
	names := map[string]int{}
	for _, n := range targetNodes.Content {
		if n.Kind != yaml.MappingNode {
			p.errf(n, "target: want a mapping of %s", strings.Join(targetKeys, ", "))
			continue
		}
		t := Target{Line: n.Line}
		own := p.settings(n, "", func(k, v *yaml.Node) bool {
			switch k.Value {
			case "name":
				t.Name = v.Value
			case "address":
				t.Address = v.Value
			case "group":
				t.Group = v.Value
			default:
				return false
			}
			return true
		})
		if t.Name == "" {
			p.errf(n, "target: name is required")
			continue
		}
		if strings.ContainsAny(t.Name, `/\`) || strings.HasPrefix(t.Name, ".") {
			p.errf(n, "target %s: the name becomes a file name: no slashes, no leading dot", t.Name)
			continue
		}
		if prev, dup := names[t.Name]; dup {
			p.errf(n, "target %s: defined twice (first at line %d)", t.Name, prev)
			continue
		}
		names[t.Name] = n.Line
		if t.Address == "" {
			t.Address = t.Name
		}
		layers := []settings{defaults}
		if t.Group != "" {
			g, ok := groups[t.Group]
			if !ok {
				p.errf(n, "target %s: no group %q", t.Name, t.Group)
				continue
			}
			layers = append(layers, g)
		}
		layers = append(layers, own)
		if err := resolve(&t, layers); err != nil {
			p.errs = append(p.errs, fmt.Errorf("%s:%d: target %s: %w", p.source, n.Line, t.Name, err))
			continue
		}
		out = append(out, t)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return out, nil
}

type targetParser struct {
	source   string
	env      func(string) (string, bool)
	readFile func(string) ([]byte, error)
	errs     []error
}

func (p *targetParser) errf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s:%d: %s", p.source, n.Line, fmt.Sprintf(format, args...)))
}

func (p *targetParser) err() error { return errors.Join(p.errs...) }

// settings reads one layer. extra handles keys beyond the settings (a
// target's name, address, group) and reports whether it took the key.
func (p *targetParser) settings(n *yaml.Node, where string, extra func(k, v *yaml.Node) bool) settings {
	var s settings
	if n.Kind != yaml.MappingNode {
		p.errf(n, "%s: want a mapping of %s", where, strings.Join(settingKeys, ", "))
		return s
	}
	allowed := settingKeys
	if extra != nil {
		allowed = targetKeys
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if extra != nil && extra(k, v) {
			continue
		}
		label := k.Value
		if where != "" {
			label = where + ": " + k.Value
		}
		switch k.Value {
		case "version":
			x := strings.TrimPrefix(strings.ToLower(v.Value), "v")
			if x != "1" && x != "2c" && x != "2" && x != "3" {
				p.errf(v, "%s: want 1, 2c or 3, got %q", label, v.Value)
				continue
			}
			if x == "2" {
				x = "2c"
			}
			s.version = &x
		case "port":
			x, err := strconv.ParseUint(v.Value, 10, 16)
			if err != nil || x == 0 {
				p.errf(v, "%s: want a UDP port number, got %q", label, v.Value)
				continue
			}
			u := uint16(x)
			s.port = &u
		case "timeout", "deadline":
			d, err := time.ParseDuration(v.Value)
			if err != nil || d <= 0 {
				p.errf(v, "%s: want a duration like 2s or 500ms, got %q", label, v.Value)
				continue
			}
			if k.Value == "timeout" {
				s.timeout = &d
			} else {
				s.deadline = &d
			}
		case "retries":
			x, err := strconv.Atoi(v.Value)
			if err != nil || x < 0 || x > 10 {
				p.errf(v, "%s: want 0 to 10, got %q", label, v.Value)
				continue
			}
			s.retries = &x
		case "max_repetitions":
			x, err := strconv.ParseUint(v.Value, 10, 32)
			if err != nil || x == 0 || x > 1000 {
				p.errf(v, "%s: want 1 to 1000, got %q", label, v.Value)
				continue
			}
			u := uint32(x)
			s.maxRep = &u
		case MaxVarBindsKey:
			x, err := strconv.Atoi(v.Value)
			if err != nil || x < 1 || x > maxMaxVarBinds {
				p.errf(v, "%s: want a varbind count from 1 to %d (default %d), got %q", label, maxMaxVarBinds, DefaultMaxVarBinds, v.Value)
				continue
			}
			s.maxVarBinds = &x
		case "no_bulk":
			if v.Value != "true" && v.Value != "false" {
				p.errf(v, "%s: want true or false, got %q", label, v.Value)
				continue
			}
			b := v.Value == "true"
			s.noBulk = &b
		case "community":
			if sec, ok := p.secret(v, label); ok {
				s.communitySecret = &sec
			}
		case "context":
			x := v.Value
			s.context = &x
		case "v3":
			p.v3(v, label, &s)
		default:
			p.errf(k, "unknown key %q in %s; allowed: %s", k.Value, cmp.Or(where, "target"), strings.Join(allowed, ", "))
		}
	}
	return s
}

func (p *targetParser) v3(n *yaml.Node, label string, s *settings) {
	if n.Kind != yaml.MappingNode {
		p.errf(n, "%s: want a mapping of %s", label, strings.Join(v3Keys, ", "))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "user":
			x := v.Value
			s.v3User = &x
		case "auth_protocol", "priv_protocol":
			x := strings.ToUpper(strings.ReplaceAll(v.Value, "-", ""))
			var ok bool
			if k.Value == "auth_protocol" {
				_, ok = authProtocols[x]
			} else {
				_, ok = privProtocols[x]
			}
			if !ok {
				allowed := AuthProtocols()
				if k.Value == "priv_protocol" {
					allowed = PrivProtocols()
				}
				p.errf(v, "%s.%s: want one of %s, got %q", label, k.Value, strings.Join(allowed, ", "), v.Value)
				continue
			}
			if k.Value == "auth_protocol" {
				s.authProto = &x
			} else {
				s.privProto = &x
			}
		case "auth_key", "priv_key":
			if sec, ok := p.secret(v, label+"."+k.Value); ok {
				if k.Value == "auth_key" {
					s.authKey = &sec
				} else {
					s.privKey = &sec
				}
			}
		default:
			p.errf(k, "unknown key %q in %s; allowed: %s", k.Value, label, strings.Join(v3Keys, ", "))
		}
	}
}

// secret resolves a credential reference: {env: VAR} or {file: PATH}.
// Inline values are refused so that targets files can be shared and
// committed; messages name the reference, never the value.
func (p *targetParser) secret(n *yaml.Node, label string) (Secret, bool) {
	if n.Kind != yaml.MappingNode {
		p.errf(n, "%s: inline secrets are not allowed; use {env: VARIABLE} or {file: /path/to/file}", label)
		return Secret{}, false
	}
	var env, file string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "env":
			env = v.Value
		case "file":
			file = v.Value
		default:
			p.errf(k, "unknown key %q in %s; allowed: %s", k.Value, label, strings.Join(secretKeys, ", "))
			return Secret{}, false
		}
	}
	switch {
	case env != "" && file == "":
		v, ok := p.env(env)
		if !ok || v == "" {
			p.errf(n, "%s: environment variable %s is not set", label, env)
			return Secret{}, false
		}
		return NewSecret(v), true
	case file != "" && env == "":
		b, err := p.readFile(file)
		if err != nil {
			p.errf(n, "%s: %v", label, err)
			return Secret{}, false
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			p.errf(n, "%s: %s is empty", label, file)
			return Secret{}, false
		}
		return NewSecret(v), true
	}
	p.errf(n, "%s: want exactly one of env or file", label)
	return Secret{}, false
}

// resolve merges settings layers (later wins) into a target's options.
func resolve(t *Target, layers []settings) error {
	o := Options{Address: t.Address, Port: 161, Version: V2c, Timeout: 2 * time.Second, Retries: 1, MaxRepetitions: 25, MaxVarBinds: DefaultMaxVarBinds}
	t.Deadline = 2 * time.Minute
	var v3 V3Options
	for _, s := range layers {
		if s.version != nil {
			o.Version = Version(*s.version)
		}
		if s.port != nil {
			o.Port = *s.port
		}
		if s.timeout != nil {
			o.Timeout = *s.timeout
		}
		if s.retries != nil {
			o.Retries = *s.retries
		}
		if s.maxRep != nil {
			o.MaxRepetitions = *s.maxRep
		}
		if s.maxVarBinds != nil {
			o.MaxVarBinds = *s.maxVarBinds
		}
		if s.noBulk != nil {
			o.NoBulk = *s.noBulk
		}
		if s.deadline != nil {
			t.Deadline = *s.deadline
		}
		if s.communitySecret != nil {
			o.Community = *s.communitySecret
		}
		if s.context != nil {
			o.Context = *s.context
		}
		if s.v3User != nil {
			v3.User = *s.v3User
		}
		if s.authProto != nil {
			v3.AuthProtocol = *s.authProto
		}
		if s.privProto != nil {
			v3.PrivProtocol = *s.privProto
		}
		if s.authKey != nil {
			v3.AuthKey = *s.authKey
		}
		if s.privKey != nil {
			v3.PrivKey = *s.privKey
		}
	}
	switch o.Version {
	case V1, V2c:
		if o.Community.IsZero() {
			return errors.New("SNMP " + string(o.Version) + " needs a community: community: {env: VAR} or {file: PATH}")
		}
	case V3:
		if v3.User == "" {
			return errors.New("SNMPv3 needs v3.user")
		}
		if v3.AuthProtocol != "" && v3.AuthKey.IsZero() {
			return errors.New("v3.auth_protocol is set but v3.auth_key is not")
		}
		if v3.PrivProtocol != "" && (v3.PrivKey.IsZero() || v3.AuthProtocol == "") {
			return errors.New("v3.priv_protocol needs v3.priv_key and an auth protocol")
		}
		o.V3 = &v3
	}
	if t.Deadline < o.Timeout {
		return fmt.Errorf("deadline %s is shorter than the timeout %s", t.Deadline, o.Timeout)
	}
	t.Options = o
	return nil
}
