package fleet

import (
	"strconv"
	"strings"
)

// Command is one stock command of a raw host capture: the one list the
// SSH collector, the Ansible playbook and the docs share.
type Command struct {
	// File is where the output goes in the capture folder; <bond>, <nic>
	// and <team> stand for each bond, bond/team/OVS slave and team.
	File string
	// Run is the command as run on the host.
	Run string
	// Root is set for commands that need root: run through `sudo -n` when
	// the host's become is set, as the login user otherwise.
	Root bool
	// When says when it runs; "" always.
	When string
}

// StockCommands are the read-only commands run on each host, nothing
// installed. The capture recipe in DESIGN.md ("raw host capture") is the
// same list.
var StockCommands = []Command{
	{File: "hostname", Run: "hostname"},
	{File: "ip-link.json", Run: "ip -details -json link show"},
	{File: "bonding/<bond>", Run: "cat /proc/net/bonding/<bond>", When: "for each file in /proc/net/bonding (none: the kernel has no bonds)"},
	{File: "lldp.json", Run: "lldpcli -f json0 show neighbors details", Root: true, When: "when lldpd runs (its socket exists)"},
	{File: "ethtool/<nic>", Run: "ethtool <nic>; ethtool -i <nic>", When: "for each NIC enslaved to a bond, team or OVS (not a bridge port)"},
	{File: "ovs-bonds.txt", Run: "ovs-appctl bond/show", Root: true, When: "when ovs-appctl is installed"},
	{File: "teamd/<team>.json", Run: "teamdctl <team> state dump", Root: true, When: "for each team device, when teamdctl is installed"},
}

// The remote script: POSIX sh, no single quote or double backslash in it
// (it is passed as `sh -c '…'` through whatever login shell the user has). Each
// command's output is captured whole (capped by head -c), its exit status
// appended after the run's nonce, and printed as a section:
//
//	NONCE FILE STATUS LENGTH\n<LENGTH bytes>
//
// STATUS is the exit status, "cut" (output over the cap), "absent" (the
// tool or file does not exist), "denied" (the tool is there but the login
// user may not run it, and there is no --become: Debian's lldpcli is
// setuid _lldpd, for root and group adm only) or "off" (the daemon does
// not run). A tool that needs root counts as there, with --become, when it
// is in a system folder even if the user cannot run it: sudo can. The
// stream ends with "NONCE end 0 0". LC_ALL=C makes ${#o} count bytes.
const scriptTemplate = `LC_ALL=C; export LC_ALL
PATH=@PATH@; export PATH
N=@NONCE@; C=@CAP@; S="@SUDO@"
emit() {
 f=$1; shift
 o=$( { "$@" </dev/null; printf "%s%s" "$N" "$?"; } | head -c "$C" )
 case $o in
 *"$N"*) r=${o##*"$N"}; o=${o%"$N"*} ;;
 *) r=cut ;;
 esac
 printf "%s %s %s %s\n" "$N" "$f" "$r" "${#o}"
 printf "%s" "$o"
}
note() { printf "%s %s %s 0\n" "$N" "$1" "$2"; }
has() {
 command -v "$1" >/dev/null 2>&1 && return 0
 for d in @DIRS@; do
  if [ -e "$d/$1" ]; then [ -n "$S" ] && return 0; return 2; fi
 done
 return 1
}
gone() { if [ "$2" = 2 ]; then note "$1" denied; else note "$1" absent; fi; }
eth() { ethtool "$1"; ethtool -i "$1"; }
emit hostname hostname
emit ip-link.json ip -details -json link show
if [ -d /proc/net/bonding ]; then
 for b in /proc/net/bonding/*; do [ -f "$b" ] && emit "bonding/${b##*/}" cat "$b"; done
else note bonding absent; fi
has lldpcli; h=$?
if [ $h != 0 ]; then gone lldp.json $h
elif [ -S /run/lldpd.socket ] || [ -S /var/run/lldpd.socket ]; then emit lldp.json $S lldpcli -f json0 show neighbors details
else note lldp.json off; fi
if command -v ethtool >/dev/null 2>&1; then
 for m in /sys/class/net/*/master; do
  [ -e "$m" ] || continue
  [ -d "$m/bridge" ] && continue
  n=${m%/master}; n=${n##*/}
  emit "ethtool/$n" eth "$n"
 done
else note ethtool absent; fi
has ovs-appctl; h=$?
if [ $h = 0 ]; then emit ovs-bonds.txt $S ovs-appctl bond/show
else gone ovs-bonds.txt $h; fi
if has teamdctl; then
 ip -o link show type team 2>/dev/null | while read -r _ t _; do t=${t%:}; t=${t%%@*}; emit "teamd/$t.json" $S teamdctl "$t" state dump; done
fi
printf "%s end 0 0\n" "$N"
`

// scriptDirs are the remote script's PATH, in order: also where it looks
// for a tool the login user may not run (has).
var scriptDirs = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// script is the remote script for one run.
func script(nonce string, capBytes int64, become bool) string {
	sudo := ""
	if become {
		sudo = "sudo -n"
	}
	return strings.NewReplacer("@NONCE@", nonce, "@CAP@", strconv.FormatInt(capBytes, 10), "@SUDO@", sudo,
		"@PATH@", strings.Join(scriptDirs, ":"), "@DIRS@", strings.Join(scriptDirs, " ")).Replace(scriptTemplate)
}

// shellQuote single-quotes s for a POSIX shell (and for any login shell:
// the script holds no single quote).
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// runOf names the command that fills file, for notes and errors.
func runOf(file string) string {
	dir, base, nested := strings.Cut(file, "/")
	for _, c := range StockCommands {
		cd, _, cn := strings.Cut(c.File, "/")
		if c.File == file || (nested && cn && cd == dir) {
			if nested {
				name := strings.TrimSuffix(base, ".json")
				return strings.NewReplacer("<bond>", name, "<nic>", name, "<team>", name).Replace(c.Run)
			}
			return c.Run
		}
	}
	return file
}
