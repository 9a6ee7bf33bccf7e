package snmp

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/bondaudit/bondaudit/internal/yamlfile"
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
	// PerVLANFDBBudget bounds the per-VLAN FDB read (Cisco IOS) within the
	// deadline (0: DefaultPerVLANFDBShare percent of it).
	PerVLANFDBBudget time.Duration
	// Line is where the target is defined in the targets file.
	Line int
}

// maxMaxVarBinds bounds max_varbinds: a typo of a few zeros should not
// lift the cap altogether.
const maxMaxVarBinds = 50_000_000

// targetsFile is a targets file as written; its keys are the yaml tags.
type targetsFile struct {
	Defaults settings    `yaml:"defaults"`
	Groups   groups      `yaml:"groups"`
	Targets  targetNodes `yaml:"targets"`
}

// settings is one layer of settings, the keys a targets file accepts in
// defaults, groups and targets; nil fields are not set at that layer.
type settings struct {
	Version        *snmpVersion `yaml:"version"`
	Port           *udpPort     `yaml:"port"`
	Timeout        *duration    `yaml:"timeout"`
	Retries        *retries     `yaml:"retries"`
	MaxRepetitions *repetitions `yaml:"max_repetitions"`
	MaxVarBinds    *varBinds    `yaml:"max_varbinds"` // MaxVarBindsKey
	Deadline       *duration    `yaml:"deadline"`
	PerVLANBudget  *vlanBudget  `yaml:"per_vlan_fdb_budget"` // PerVLANFDBBudgetKey
	NoBulk         *trueFalse   `yaml:"no_bulk"`
	FullWalk       *trueFalse   `yaml:"full_walk"`
	Community      *secretRef   `yaml:"community"`
	Context        *string      `yaml:"context"`
	V3             v3Settings   `yaml:"v3"`
}

// v3Settings are a layer's SNMPv3 settings.
type v3Settings struct {
	User      *string    `yaml:"user"`
	AuthProto *authProto `yaml:"auth_protocol"`
	AuthKey   *secretRef `yaml:"auth_key"`
	PrivProto *privProto `yaml:"priv_protocol"`
	PrivKey   *secretRef `yaml:"priv_key"`
}

// target is one entry of targets: the switch and its own settings.
type target struct {
	Name     string `yaml:"name"`
	Address  string `yaml:"address"`
	Group    string `yaml:"group"`
	settings `yaml:",inline"`
}

// secretReader is how a targets file's credentials are read (File.With).
type secretReader struct {
	env      func(string) (string, bool)
	readFile func(string) ([]byte, error)
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
	f := &yamlfile.File{Source: source, With: secretReader{env, readFile}}
	root, err := f.Parse(b)
	if err != nil {
		return nil, err
	}
	var tf targetsFile
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: a targets file is a mapping of %s", source, yamlfile.AllowedKeys(tf))
	}
	f.Mapping(root, &tf, yamlfile.Keys{})
	targetList := tf.Targets.n
	if targetList == nil || targetList.Kind != yaml.SequenceNode || len(targetList.Content) == 0 {
		f.Errorf(root, "targets: want a list of switches (name, address, settings)")
		return nil, f.Err()
	}
	var out []Target
	names := map[string]int{}
	for _, n := range targetList.Content {
		if n.Kind != yaml.MappingNode {
			f.Errorf(n, "target: want a mapping of %s", yamlfile.AllowedKeys(target{}))
			continue
		}
		var tg target
		f.Mapping(n, &tg, yamlfile.Keys{In: "target"})
		t := Target{Name: tg.Name, Address: tg.Address, Group: tg.Group, Line: n.Line}
		if t.Name == "" {
			f.Errorf(n, "target: name is required")
			continue
		}
		if strings.ContainsAny(t.Name, `/\`) || strings.HasPrefix(t.Name, ".") {
			f.Errorf(n, "target %s: the name becomes a file name: no slashes, no leading dot", t.Name)
			continue
		}
		if prev, dup := names[t.Name]; dup {
			f.Errorf(n, "target %s: defined twice (first at line %d)", t.Name, prev)
			continue
		}
		names[t.Name] = n.Line
		addrNode, what := valueNode(n, "address"), "address"
		if addrNode == nil {
			t.Address, addrNode, what = t.Name, n, "no address, and the name as one"
		}
		host, addrPort, err := SplitAddress(t.Address)
		if err != nil {
			f.Errorf(addrNode, "target %s: %s %q: %v", t.Name, what, t.Address, err)
			continue
		}
		t.Address = host
		layers := []settings{tf.Defaults}
		if t.Group != "" {
			g, ok := tf.Groups.byName[t.Group]
			if !ok {
				f.Errorf(n, "target %s: no group %q", t.Name, t.Group)
				continue
			}
			layers = append(layers, g)
		}
		layers = append(layers, tg.settings)
		if err := resolve(&t, layers); err != nil {
			f.Errorf(n, "target %s: %v", t.Name, err)
			continue
		}
		if addrPort != 0 {
			if tg.Port != nil && uint16(*tg.Port) != addrPort {
				f.Errorf(addrNode, "target %s: address %s names port %d and port: says %d", t.Name, tg.Address, addrPort, *tg.Port)
				continue
			}
			t.Options.Port = addrPort
		}
		out = append(out, t)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// valueNode is the value of key in mapping n, or nil.
func valueNode(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// DecodeYAML reads one layer (defaults, a group).
func (s *settings) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if n.Kind != yaml.MappingNode {
		f.Errorf(n, "%s: want a mapping of %s", label, yamlfile.AllowedKeys(s))
		return
	}
	f.Mapping(n, s, yamlfile.Keys{In: label, Label: label + ": "})
}

// groups are the named settings layers.
type groups struct{ byName map[string]settings }

func (g *groups) DecodeYAML(f *yamlfile.File, v *yaml.Node, label string) {
	if v.Kind != yaml.MappingNode {
		f.Errorf(v, "%s: want a mapping of group name to settings", label)
		return
	}
	g.byName = map[string]settings{}
	for j := 0; j+1 < len(v.Content); j += 2 {
		var s settings
		s.DecodeYAML(f, v.Content[j+1], "group "+v.Content[j].Value)
		g.byName[v.Content[j].Value] = s
	}
}

// targetNodes keeps the list of targets to read once the defaults and
// groups they inherit from are known.
type targetNodes struct{ n *yaml.Node }

func (t *targetNodes) DecodeYAML(_ *yamlfile.File, n *yaml.Node, _ string) { t.n = n }

// snmpVersion is 1, 2c or 3 (v2, 2 and V3 are read too).
type snmpVersion string

func (v *snmpVersion) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	x := strings.TrimPrefix(strings.ToLower(n.Value), "v")
	if x != "1" && x != "2c" && x != "2" && x != "3" {
		f.Errorf(n, "%s: want 1, 2c or 3, got %q", label, n.Value)
		return
	}
	if x == "2" {
		x = "2c"
	}
	*v = snmpVersion(x)
}

type udpPort uint16

func (p *udpPort) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	x, err := strconv.ParseUint(n.Value, 10, 16)
	if err != nil || x == 0 {
		f.Errorf(n, "%s: want a UDP port number from 1 to 65535, got %q", label, n.Value)
		return
	}
	*p = udpPort(x)
}

type duration time.Duration

func (d *duration) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	x, err := time.ParseDuration(n.Value)
	if err != nil || x <= 0 {
		f.Errorf(n, "%s: want a duration like 2s or 500ms, got %q", label, n.Value)
		return
	}
	*d = duration(x)
}

type retries int

func (r *retries) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	x, err := strconv.Atoi(n.Value)
	if err != nil || x < 0 || x > 10 {
		f.Errorf(n, "%s: want 0 to 10, got %q", label, n.Value)
		return
	}
	*r = retries(x)
}

type repetitions uint32

func (r *repetitions) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	x, err := strconv.ParseUint(n.Value, 10, 32)
	if err != nil || x == 0 || x > 1000 {
		f.Errorf(n, "%s: want 1 to 1000, got %q", label, n.Value)
		return
	}
	*r = repetitions(x)
}

type varBinds int

func (v *varBinds) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	x, err := strconv.Atoi(n.Value)
	if err != nil || x < 1 || x > maxMaxVarBinds {
		f.Errorf(n, "%s: want a varbind count from 1 to %d (default %d), got %q", label, maxMaxVarBinds, DefaultMaxVarBinds, n.Value)
		return
	}
	*v = varBinds(x)
}

// PerVLANFDBBudgetKey is the targets.yaml key that sets
// Target.PerVLANFDBBudget: a share of the deadline ("20%") or a duration.
const PerVLANFDBBudgetKey = "per_vlan_fdb_budget"

// DefaultPerVLANFDBShare is the per-VLAN FDB read's share of the deadline,
// in percent, when targets.yaml sets no per_vlan_fdb_budget.
const DefaultPerVLANFDBShare = 20

// vlanBudget is a per_vlan_fdb_budget: a percentage of the deadline (1% to
// 100%) or a duration, resolved once the deadline is known.
type vlanBudget struct {
	pct int
	d   time.Duration
}

func (b *vlanBudget) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if v, ok := strings.CutSuffix(n.Value, "%"); ok {
		x, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || x < 1 || x > 100 {
			f.Errorf(n, "%s: want a share of the deadline from 1%% to 100%% (default %d%%) or a duration like 20s, got %q", label, DefaultPerVLANFDBShare, n.Value)
			return
		}
		*b = vlanBudget{pct: x}
		return
	}
	x, err := time.ParseDuration(n.Value)
	if err != nil || x <= 0 {
		f.Errorf(n, "%s: want a share of the deadline from 1%% to 100%% (default %d%%) or a duration like 20s, got %q", label, DefaultPerVLANFDBShare, n.Value)
		return
	}
	*b = vlanBudget{d: x}
}

type trueFalse bool

func (b *trueFalse) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if n.Value != "true" && n.Value != "false" {
		f.Errorf(n, "%s: want true or false, got %q", label, n.Value)
		return
	}
	*b = n.Value == "true"
}

func (v *v3Settings) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if n.Kind != yaml.MappingNode {
		f.Errorf(n, "%s: want a mapping of %s", label, yamlfile.AllowedKeys(v))
		return
	}
	f.Mapping(n, v, yamlfile.Keys{In: label, Label: label + "."})
}

// authProto and privProto are protocol names as gosnmp knows them
// (sha-256 is read as SHA256).
type (
	authProto string
	privProto string
)

func protocol(f *yamlfile.File, n *yaml.Node, label string, known map[string]bool, names []string) (string, bool) {
	x := strings.ToUpper(strings.ReplaceAll(n.Value, "-", ""))
	if !known[x] {
		f.Errorf(n, "%s: want one of %s, got %q", label, strings.Join(names, ", "), n.Value)
		return "", false
	}
	return x, true
}

func (p *authProto) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	known := map[string]bool{}
	for k := range authProtocols {
		known[k] = true
	}
	if x, ok := protocol(f, n, label, known, AuthProtocols()); ok {
		*p = authProto(x)
	}
}

func (p *privProto) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	known := map[string]bool{}
	for k := range privProtocols {
		known[k] = true
	}
	if x, ok := protocol(f, n, label, known, PrivProtocols()); ok {
		*p = privProto(x)
	}
}

// secretRef is a credential reference, {env: VAR} or {file: PATH},
// resolved as it is read. Inline values are refused so that targets files
// can be shared and committed; messages name the reference, never the
// value.
type secretRef struct {
	Env  string `yaml:"env"`
	File string `yaml:"file"`
	s    Secret
}

func (r *secretRef) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if n.Kind != yaml.MappingNode {
		f.Errorf(n, "%s: inline secrets are not allowed; use {env: VARIABLE} or {file: /path/to/file}", label)
		return
	}
	if before := f.Count(); !f.Mapping(n, r, yamlfile.Keys{In: label, Label: label + "."}) || f.Count() > before {
		return
	}
	rd := f.With.(secretReader)
	switch {
	case r.Env != "" && r.File == "":
		v, ok := rd.env(r.Env)
		if !ok || v == "" {
			f.Errorf(n, "%s: environment variable %s is not set", label, r.Env)
			return
		}
		r.s = NewSecret(v)
		return
	case r.File != "" && r.Env == "":
		b, err := rd.readFile(r.File)
		if err != nil {
			f.Errorf(n, "%s: %v", label, err)
			return
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			f.Errorf(n, "%s: %s is empty", label, r.File)
			return
		}
		r.s = NewSecret(v)
		return
	}
	f.Errorf(n, "%s: want exactly one of env or file", label)
}

// resolve merges settings layers (later wins) into a target's options.
func resolve(t *Target, layers []settings) error {
	o := Options{Address: t.Address, Port: 161, Version: V2c, Timeout: 2 * time.Second, Retries: 1, MaxRepetitions: 25, MaxVarBinds: DefaultMaxVarBinds}
	t.Deadline = 2 * time.Minute
	budget := vlanBudget{pct: DefaultPerVLANFDBShare}
	var v3 V3Options
	for _, s := range layers {
		if s.Version != nil {
			o.Version = Version(*s.Version)
		}
		if s.Port != nil {
			o.Port = uint16(*s.Port)
		}
		if s.Timeout != nil {
			o.Timeout = time.Duration(*s.Timeout)
		}
		if s.Retries != nil {
			o.Retries = int(*s.Retries)
		}
		if s.MaxRepetitions != nil {
			o.MaxRepetitions = uint32(*s.MaxRepetitions)
		}
		if s.MaxVarBinds != nil {
			o.MaxVarBinds = int(*s.MaxVarBinds)
		}
		if s.NoBulk != nil {
			o.NoBulk = bool(*s.NoBulk)
		}
		if s.FullWalk != nil {
			o.FullWalk = bool(*s.FullWalk)
		}
		if s.Deadline != nil {
			t.Deadline = time.Duration(*s.Deadline)
		}
		if s.PerVLANBudget != nil {
			budget = *s.PerVLANBudget
		}
		if s.Community != nil {
			o.Community = s.Community.s
		}
		if s.Context != nil {
			o.Context = *s.Context
		}
		v := s.V3
		if v.User != nil {
			v3.User = *v.User
		}
		if v.AuthProto != nil {
			v3.AuthProtocol = string(*v.AuthProto)
		}
		if v.PrivProto != nil {
			v3.PrivProtocol = string(*v.PrivProto)
		}
		if v.AuthKey != nil {
			v3.AuthKey = v.AuthKey.s
		}
		if v.PrivKey != nil {
			v3.PrivKey = v.PrivKey.s
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
	t.PerVLANFDBBudget = budget.d
	if budget.pct > 0 {
		t.PerVLANFDBBudget = t.Deadline * time.Duration(budget.pct) / 100
	}
	if t.PerVLANFDBBudget > t.Deadline {
		return fmt.Errorf("%s %s is longer than the deadline %s", PerVLANFDBBudgetKey, t.PerVLANFDBBudget, t.Deadline)
	}
	t.Options = o
	return nil
}
