package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A read floor and an audit only compare when both read from memory. Some
// machines reclaim page cache that has not been used for a while even with
// memory free: DAMON's proactive reclaim (a kdamond "pageout" scheme) on this
// project's VMs pages out file pages idle for about a minute, and a 100k
// site (2 GB in 400,000 files) read once per run is "idle" to its sampling.
// Then both the floor and the commands partly read from disk and the 100k
// figures measure the disk. The benchmark says so, and how much of the site
// stayed in memory, so that nobody reads such a run as the program's
// scaling. Sites on tmpfs (TMPDIR=/dev/shm) cannot be paged out without
// swap.

// pageCacheNote is a warning when the site can be paged out behind the
// benchmark's back, or "" when it cannot (tmpfs) or nothing reclaims.
func pageCacheNote(dir string) string {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err == nil && st.Type == unix.TMPFS_MAGIC {
		return ""
	}
	states, _ := filepath.Glob("/sys/kernel/mm/damon/admin/kdamonds/*/state")
	for _, s := range states {
		if b, err := os.ReadFile(s); err == nil && strings.TrimSpace(string(b)) == "on" {
			return fmt.Sprintf("DAMON proactive reclaim is on (%s) and %s is not on tmpfs: idle page cache is paged out, "+
				"so large sites are partly read from disk; run with TMPDIR=/dev/shm to measure the program", s, dir)
		}
	}
	return ""
}

// residentPages samples the site's files (every switch walk and every
// step-th host folder's files) and counts their pages and those in the
// page cache (mincore over a read-only mapping: nothing is read).
func residentPages(dir string, step int) (resident, total int, err error) {
	var files []string
	sw, err := os.ReadDir(filepath.Join(dir, "switches"))
	if err != nil {
		return 0, 0, err
	}
	for _, e := range sw {
		files = append(files, filepath.Join(dir, "switches", e.Name()))
	}
	hosts, err := os.ReadDir(filepath.Join(dir, "hosts"))
	if err != nil {
		return 0, 0, err
	}
	for i := 0; i < len(hosts); i += step {
		h := filepath.Join(dir, "hosts", hosts[i].Name())
		for _, f := range []string{"hostname", "ip-link.json", "lldp.json"} {
			files = append(files, filepath.Join(h, f))
		}
	}
	page := os.Getpagesize()
	for _, p := range files {
		r, n, err := residentOf(p, page)
		if err != nil {
			return 0, 0, err
		}
		resident += r
		total += n
	}
	return resident, total, nil
}

func residentOf(p string, page int) (resident, total int, err error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return 0, 0, err
	}
	m, err := unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: mmap: %w", p, err)
	}
	defer unix.Munmap(m)
	vec := make([]byte, (len(m)+page-1)/page)
	// x/sys/unix has no Mincore wrapper.
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		return 0, 0, fmt.Errorf("%s: mincore: %w", p, e)
	}
	for _, v := range vec {
		resident += int(v & 1)
	}
	return resident, len(vec), nil
}
