# Sourced by the test harnesses below: overlay_root W makes $W/root a
# throw-away copy of this machine's root (overlayfs: the real / read-only
# below, every write lands in a tmpfs at $W), with fresh /dev, /run and /tmp.
# The caller runs inside "unshare --mount --propagation private", so every
# mount, and so everything written, is gone when it exits: nothing the tests
# install or start persists on the machine.
overlay_root() {
	W=$1
	mkdir -p "$W"
	mount -t tmpfs -o mode=0755 bondaudit-test "$W"
	mkdir "$W/upper" "$W/work" "$W/root"
	mount -t overlay overlay -o "lowerdir=/,upperdir=$W/upper,workdir=$W/work" "$W/root"
	R=$W/root
	# A /dev of its own: the basic nodes, a new devpts and shm, and
	# /dev/console a file ($W/console), so nothing writes to this machine's
	# console or virtual terminals (systemd as PID 1 logs to /dev/console).
	mount -t tmpfs -o mode=0755,nosuid dev "$R/dev"
	for n in null zero full random urandom tty; do
		: >"$R/dev/$n"
		mount --bind "/dev/$n" "$R/dev/$n"
	done
	mkdir "$R/dev/pts" "$R/dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$R/dev/pts"
	ln -s pts/ptmx "$R/dev/ptmx"
	mount -t tmpfs -o mode=1777,nosuid,nodev shm "$R/dev/shm"
	: >"$W/console"
	: >"$R/dev/console"
	mount --bind "$W/console" "$R/dev/console"
	mount --rbind /sys "$R/sys"
	mount -o remount,bind,ro "$R/sys"
	mount -t tmpfs -o mode=0755 run "$R/run"
	mount -t tmpfs -o mode=1777 tmp "$R/tmp"
}
