# Sourced by the test harnesses below: overlay_root W makes $W/root a
# throw-away copy of this machine's root (overlayfs: the real / read-only
# below, every write lands in a tmpfs at $W), with fresh /run and /tmp.
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
	mount --rbind /dev "$R/dev"
	mount --rbind /sys "$R/sys"
	mount -o remount,bind,ro "$R/sys"
	mount -t tmpfs -o mode=0755 run "$R/run"
	mount -t tmpfs -o mode=1777 tmp "$R/tmp"
}
