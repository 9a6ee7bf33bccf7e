#!/bin/sh
# deb-install.sh W DEB OUT: install DEB with dpkg -i on a throw-away copy of
# this machine's root (overlay.sh), use what it installed, remove and purge
# it, and leave what each step printed in OUT (one file a step, *.rc its exit
# status) for deb_test.go to judge. Nothing persists on the machine.
set -eu
W=$1 DEB=$2 OUT=$3
. "$(dirname "$0")/overlay.sh"
overlay_root "$W"
cp "$DEB" "$R/tmp/bondaudit.deb"
mkdir "$R/tmp/out"

# Each step: NAME COMMAND..., run in the new root, output in out/NAME.
cat >"$R/tmp/steps.sh" <<'STEPS'
cd /tmp/out
step() {
	name=$1
	shift
	rc=0
	"$@" >"$name" 2>&1 || rc=$?
	echo "$rc" >"$name.rc"
}
listed() { # the package's files and folders that still exist
	while read -r f; do
		[ ! -e "$f" ] && [ ! -L "$f" ] || echo "$f"
	done <files
}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin MANWIDTH=100
step install dpkg -i /tmp/bondaudit.deb
step reinstall dpkg -i /tmp/bondaudit.deb
step version bondaudit --version
step help bondaudit --help
step man man --nh --nj -P cat bondaudit
step man-audit man --nh --nj -P cat bondaudit-audit
step which sh -c 'command -v bondaudit'
step passwd getent passwd bondaudit
step state stat -c '%U:%G %a' /var/lib/bondaudit
step files dpkg -L bondaudit
step conffiles dpkg-query -W -f '${Conffiles}\n' bondaudit
step verify systemd-analyze verify /usr/lib/systemd/system/bondaudit.service /usr/lib/systemd/system/bondaudit.timer
step bash-completion bash -c '. /usr/share/bash-completion/completions/bondaudit && complete -p bondaudit'
step enable systemctl enable bondaudit.timer
step enabled sh -c 'ls /etc/systemd/system/timers.target.wants/'
step remove dpkg -r bondaudit
step after-remove listed
step enabled-after-remove sh -c 'ls /etc/systemd/system/timers.target.wants/ 2>/dev/null || true'
step status-after-remove dpkg-query -W -f '${db:Status-Status}\n' bondaudit
step purge dpkg --purge bondaudit
step after-purge listed
step state-after-purge sh -c 'ls -d /var/lib/bondaudit 2>/dev/null || true'
step status-after-purge sh -c "dpkg-query -W -f '\${db:Status-Status}\n' bondaudit 2>/dev/null || echo not-installed"
STEPS
unshare --pid --fork --mount-proc="$R/proc" chroot "$R" /bin/sh /tmp/steps.sh
cp -a "$R/tmp/out/." "$OUT/"
