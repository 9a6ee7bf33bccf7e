package rules

import "strings"

// The FixHost recipes that re-create bond0 (slaves eth0 and eth1) in
// another mode, with iproute2, NetworkManager and netplan. Rules that
// advise a mode change share them, so every rule says it the same way.
var (
	fixModeActiveBackup = modeChange("active-backup", "", "")
	fixMode8023AD       = modeChange("802.3ad", "lacp_rate fast", "lacp-rate: fast")
	fixModeBalanceXOR   = modeChange("balance-xor", "xmit_hash_policy layer3+4", "transmit-hash-policy: layer3+4")
)

// modeChange is the recipe for mode with miimon 100 and, when opt is not
// "", one more option: opt as iproute2 writes it ("lacp_rate fast") and
// netplanOpt as netplan does ("lacp-rate: fast").
func modeChange(mode, opt, netplanOpt string) string {
	ip, nm, np := "", "", ""
	if opt != "" {
		k, v, _ := strings.Cut(opt, " ")
		ip, nm, np = " "+opt, ","+k+"="+v, ", "+netplanOpt
	}
	return "iproute2: ip link set bond0 down; ip link set eth0 nomaster; ip link set eth1 nomaster; ip link set bond0 type bond mode " + mode + " miimon 100" + ip + "\n" +
		"iproute2: ip link set eth0 master bond0; ip link set eth1 master bond0; ip link set bond0 up (a short outage: use the console; re-add routes via bond0)\n" +
		`NetworkManager: nmcli connection modify bond0 bond.options "mode=` + mode + ",miimon=100" + nm + `"; nmcli connection up bond0` + "\n" +
		"netplan: bonds.bond0.parameters: {mode: " + mode + ", mii-monitor-interval: 100" + np + "}, then netplan apply (networkd: reboot to apply)"
}
