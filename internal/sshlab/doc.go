// Package sshlab runs a fleet of real SSH hosts for tests: each host is
// Debian's openssh-server (`sshd -D -e -f CONFIG`) in a network and UTS
// namespace of its own, with its own host key, its own IPv4 address on a
// bridge in the test's namespace, and a veth pair beyond lo and its uplink,
// so `hostname` and `ip -details -json link show` answer for that host.
// There is no bonding on the test machine's kernel, so /proc/net/bonding is
// absent on every host.
//
// Start also writes what a collector needs: a client key authorised on every
// host, a known_hosts file, an Ansible INI inventory, a plain host list and
// an ssh_config. Hosts can be given faults (never answers, drops the
// connection mid-command, changed host key, wrong client key, lldpcli
// missing, garbage output).
//
// The namespaces are unnamed: each belongs to its sshd, started by the test
// process with Pdeathsig, so they go away with their processes; Stop (run by
// t.Cleanup) kills every process left in them and removes the bridge. A lab
// left behind by a killed test binary is swept by the next Start. To look
// inside a host: nsenter -t PID -n -u -m (Host.PID).
//
// Linux only; needs root (skips, or fails when BONDAUDIT_REQUIRE_TOOLS=1).
package sshlab
