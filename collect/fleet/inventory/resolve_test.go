package inventory

import (
	"slices"
	"testing"

	"github.com/bondaudit/bondaudit/collect/fleet/sshconfig"
)

// TestResolvePrecedence: inventory variables, then ssh_config for the name
// ssh is given (ansible_host when set), then the caller's defaults, then 22.
func TestResolvePrecedence(t *testing.T) {
	inv, err := ParseFormat("inv", []byte(`
[web]
web01
web02 ansible_user=deploy ansible_port=2200
web03 ansible_host=10.0.0.3
web04 ansible_become=false
db01 ansible_host=db01.mgmt
plain
nokey
`), FormatINI)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := sshconfig.Parse("ssh_config", []byte(`
Host web*
  HostName %h.dc1.example.com
  User sshuser
  Port 2022
  IdentityFile ~/.ssh/web_%r_%p
  ProxyJump jump@bastion:2222
Host db01.mgmt
  User dba
  IdentityFile /keys/db
  IdentityFile /keys/db
Host nokey
  IdentityFile none
  ProxyJump none
Host nokey two
  IdentityFile /keys/two
`), sshconfig.Options{Home: "/home/op", LocalUser: "op"})
	if err != nil {
		t.Fatal(err)
	}
	d := Defaults{User: "op", Become: true, IdentityFiles: []string{"/home/op/.ssh/id_ed25519"}, ProxyJump: "defjump"}
	got := Resolve(inv.Hosts, cfg, d)
	want := []Target{
		// ssh_config fills in everything the inventory leaves out
		{Name: "web01", Addr: "web01.dc1.example.com", Port: 2022, User: "sshuser", Become: true,
			IdentityFiles: []string{"/home/op/.ssh/web_sshuser_2022"}, ProxyJump: "jump@bastion:2222"},
		// inventory user and port beat ssh_config's (and reach its tokens)
		{Name: "web02", Addr: "web02.dc1.example.com", Port: 2200, User: "deploy", Become: true,
			IdentityFiles: []string{"/home/op/.ssh/web_deploy_2200"}, ProxyJump: "jump@bastion:2222"},
		// ansible_host is what ssh is given: Host web* does not match 10.0.0.3
		{Name: "web03", Addr: "10.0.0.3", Port: 22, User: "op", Become: true,
			IdentityFiles: []string{"/home/op/.ssh/id_ed25519"}, ProxyJump: "defjump"},
		// ansible_become=false beats the default true
		{Name: "web04", Addr: "web04.dc1.example.com", Port: 2022, User: "sshuser", Become: false,
			IdentityFiles: []string{"/home/op/.ssh/web_sshuser_2022"}, ProxyJump: "jump@bastion:2222"},
		{Name: "db01", Addr: "db01.mgmt", Port: 22, User: "dba", Become: true,
			IdentityFiles: []string{"/keys/db"}, ProxyJump: "defjump"},
		{Name: "plain", Addr: "plain", Port: 22, User: "op", Become: true,
			IdentityFiles: []string{"/home/op/.ssh/id_ed25519"}, ProxyJump: "defjump"},
		// none: ssh skips the entry, defaults stay out; no jump at all
		{Name: "nokey", Addr: "nokey", Port: 22, User: "op", Become: true, IdentityFiles: []string{"/keys/two"}},
	}
	if len(got) != len(want) {
		t.Fatalf("%d targets", len(got))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || g.Addr != w.Addr || g.Port != w.Port || g.User != w.User || g.Become != w.Become ||
			!slices.Equal(g.IdentityFiles, w.IdentityFiles) || g.ProxyJump != w.ProxyJump {
			t.Errorf("\n got %+v\nwant %+v", g, w)
		}
	}
	// No ssh_config, no defaults: the inventory, then port 22.
	ts := Resolve(inv.Hosts[:2], nil, Defaults{})
	if t0 := ts[0]; t0.Name != "web01" || t0.Addr != "web01" || t0.Port != 22 || t0.User != "" || t0.Become ||
		t0.IdentityFiles != nil || t0.ProxyJump != "" || ts[1].Port != 2200 || ts[1].User != "deploy" {
		t.Errorf("bare: %+v", ts)
	}
}
