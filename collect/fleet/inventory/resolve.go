package inventory

import (
	"slices"

	"github.com/bondaudit/bondaudit/collect/fleet/sshconfig"
)

// Target is one host to connect to, every setting decided.
type Target struct {
	Name          string // the inventory name: the capture is saved under it
	Addr          string // what to dial (host name or IP address)
	Port          int
	User          string
	Become        bool
	IdentityFiles []string // key files, ~ and tokens expanded; empty: the agent only
	ProxyJump     string   // [user@]host[:port][,…]; "" for none
}

// Defaults are the caller's settings, used where neither the inventory nor
// ssh_config says anything (command-line flags, the local user).
type Defaults struct {
	User          string
	Port          int // 0: 22
	Become        bool
	IdentityFiles []string
	ProxyJump     string
}

// Resolve decides each host's connection settings, in Ansible's order with
// its ssh connection plugin:
//
//  1. the inventory's variables (ansible_host, ansible_port, ansible_user,
//     ansible_become) win, as Ansible passes them to ssh on its command
//     line;
//  2. then ssh_config (cfg, nil for none), looked up for the name ssh is
//     given: ansible_host when set, else the inventory name (so a Host block
//     for web01 does not apply when the inventory gives web01 an
//     ansible_host address). Its HostName becomes the address, and its User,
//     Port, IdentityFile and ProxyJump apply where the inventory is silent;
//  3. then d, the caller's defaults; then port 22.
//
// Become comes from the inventory when it sets ansible_become (true or
// false), else from d. Any IdentityFile in ssh_config keeps
// d.IdentityFiles out (`IdentityFile none` alone: no key files, as ssh),
// and ProxyJump none cancels d.ProxyJump.
func Resolve(hosts []Host, cfg *sshconfig.Config, d Defaults) []Target {
	out := make([]Target, 0, len(hosts))
	for _, h := range hosts {
		alias := h.Address
		if alias == "" {
			alias = h.Name
		}
		var e sshconfig.Entry
		if cfg != nil {
			e = cfg.Resolve(alias)
		}
		t := Target{Name: h.Name, Addr: alias, Port: h.Port, User: h.User, Become: d.Become, ProxyJump: e.ProxyJump}
		if e.HostName != "" {
			t.Addr = e.HostName
		}
		if t.User == "" {
			t.User = e.User
		}
		if t.User == "" {
			t.User = d.User
		}
		if t.Port == 0 {
			t.Port = e.Port
		}
		if t.Port == 0 {
			t.Port = d.Port
		}
		if t.Port == 0 {
			t.Port = 22
		}
		if h.BecomeSet() {
			t.Become = h.Become
		}
		switch t.ProxyJump {
		case "none":
			t.ProxyJump = ""
		case "":
			t.ProxyJump = d.ProxyJump
		}
		if len(e.IdentityFiles) > 0 {
			// ssh skips "none" entries; any entry, none included, keeps
			// the defaults out.
			tok := sshconfig.Tokens{Alias: alias, Host: t.Addr, User: t.User, Port: t.Port}
			for _, p := range e.IdentityFiles {
				if p == "none" {
					continue
				}
				if x := cfg.ExpandPath(p, tok); !slices.Contains(t.IdentityFiles, x) {
					t.IdentityFiles = append(t.IdentityFiles, x)
				}
			}
		} else {
			t.IdentityFiles = slices.Clone(d.IdentityFiles)
		}
		out = append(out, t)
	}
	return out
}
