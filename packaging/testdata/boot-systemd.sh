#!/bin/sh
# boot-systemd.sh W FILES UNITS OUT TIMEOUT: boot the real systemd as PID 1 of
# new PID, mount, cgroup, UTS, IPC and network namespaces, on a throw-away copy
# of this machine's root (overlay.sh), and let it start bondaudit.service.
#
#   FILES  a tree copied onto that root first (/etc/bondaudit/bondaudit.env,
#          the program standing in for /usr/bin/bondaudit, the postinst,
#          run there as "postinst configure", and setup.sh, run after it)
#   UNITS  the only units systemd sees (SYSTEMD_UNIT_PATH; no generators): the
#          units under test, stub targets, and a drop-in that makes systemd
#          exit when bondaudit.service ends (SuccessAction=/FailureAction=)
#   OUT    receives /var/lib/bondaudit (the service's StateDirectory) as OUT/state
#          and the textfile folder as OUT/textfile
#
# systemd runs in container mode (container=bondaudit-test) and sees /sys
# read-only; the host's units are never loaded, so nothing else starts.
set -eu
W=$1 FILES=$2 UNITS=$3 OUT=$4 TIMEOUT=$5
. "$(dirname "$0")/overlay.sh"
overlay_root "$W"

cp -a "$FILES/." "$R/"
mkdir -p "$R/etc/bondaudit-test/units" "$R/etc/bondaudit-test/none"
cp -a "$UNITS/." "$R/etc/bondaudit-test/units/"
chroot "$R" /bin/sh /postinst configure
[ ! -f "$R/setup.sh" ] || chroot "$R" /bin/sh /setup.sh

# A cgroup of its own for systemd: a cgroup2 hierarchy mounted here (whatever
# the machine mounted at /sys/fs/cgroup), a child group this shell moves into,
# and a cgroup namespace rooted there.
mkdir "$W/cgroup"
mount -t cgroup2 cgroup2 "$W/cgroup"
CG=$W/cgroup/bondaudit-test-$$
mkdir "$CG"

rc=0
# shellcheck disable=SC2016
sh -c 'echo $$ >"$1/cgroup.procs" && exec timeout -s KILL "$3" unshare --cgroup --mount --pid --fork --kill-child --uts --ipc --net sh -c "$4" sh "$2"' \
	sh "$CG" "$R" "$TIMEOUT" '
	set -eu
	R=$1
	mount -t proc proc "$R/proc"
	mount -t cgroup2 cgroup2 "$R/sys/fs/cgroup"
	cd "$R"
	mkdir .oldroot
	pivot_root . .oldroot
	umount -l /.oldroot
	rmdir /.oldroot
	exec env -i container=bondaudit-test \
		SYSTEMD_UNIT_PATH=/etc/bondaudit-test/units \
		SYSTEMD_GENERATOR_PATH=/etc/bondaudit-test/none \
		SYSTEMD_ENVIRONMENT_GENERATOR_PATH=/etc/bondaudit-test/none \
		/lib/systemd/systemd --unit=bondaudit-test.target --show-status=no
	' || rc=$?

cp -a "$W/upper/var/lib/bondaudit" "$OUT/state" 2>/dev/null || true
cp -a "$W/upper/var/lib/prometheus/node-exporter" "$OUT/textfile" 2>/dev/null || true
for _ in 1 2 3 4 5; do
	find "$CG" -depth -type d -exec rmdir {} + 2>/dev/null && break
	sleep 0.2
done
echo "systemd exited $rc"
