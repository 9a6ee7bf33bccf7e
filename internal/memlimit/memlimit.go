// Package memlimit finds how much memory this process may use, from the
// cgroup it runs in (v1 or v2, the tightest limit on the way to the
// hierarchy's root) or else the machine's memory, and sets the Go runtime's
// soft memory limit from a cgroup's limit only (TuneGC).
package memlimit

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// unlimited is the smallest value taken as "no limit": cgroup v1 writes
// 9223372036854771712 (a page-rounded MaxInt64) for none.
const unlimited = 1 << 62

// Limit is where a memory limit came from.
type Limit struct {
	Bytes  int64  // 0: none found
	Source string // "cgroup v2 /sys/fs/cgroup/x/memory.max", "MemTotal in /proc/meminfo", …
}

// Find reads the limit under root ("/" on a real system; a test passes a
// folder laid out like one). A cgroup limit wins over the machine's memory.
func Find(root string) Limit {
	if l := cgroupLimit(root); l.Bytes > 0 {
		return l
	}
	return memTotal(root)
}

type mount struct {
	root, point, fstype, opts string
}

func mounts(root string) []mount {
	b, err := os.ReadFile(filepath.Join(root, "proc/self/mountinfo"))
	if err != nil {
		return nil
	}
	var ms []mount
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		// id parent major:minor root mountpoint options [optional…] - fstype source superoptions
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		if !ok {
			continue
		}
		f, g := strings.Fields(pre), strings.Fields(post)
		if len(f) < 5 || len(g) < 1 {
			continue
		}
		m := mount{root: unescapeMount(f[3]), point: unescapeMount(f[4]), fstype: g[0]}
		if len(g) >= 3 {
			m.opts = g[2]
		}
		ms = append(ms, m)
	}
	return ms
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func cgroupLimit(root string) Limit {
	b, err := os.ReadFile(filepath.Join(root, "proc/self/cgroup"))
	if err != nil {
		return Limit{}
	}
	ms := mounts(root)
	best := Limit{}
	take := func(l Limit) {
		if l.Bytes > 0 && (best.Bytes == 0 || l.Bytes < best.Bytes) {
			best = l
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		// hierarchy-ID:controllers:path
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		ctrls, cg := parts[1], parts[2]
		switch {
		case parts[0] == "0" && ctrls == "":
			for _, m := range ms {
				if m.fstype == "cgroup2" {
					take(walkUp(root, m, cg, "memory.max", "cgroup v2"))
				}
			}
		case hasController(ctrls, "memory"):
			for _, m := range ms {
				if m.fstype == "cgroup" && hasController(m.opts, "memory") {
					take(walkUp(root, m, cg, "memory.limit_in_bytes", "cgroup v1"))
				}
			}
		}
	}
	return best
}

func hasController(list, name string) bool {
	for _, c := range strings.Split(list, ",") {
		if c == name {
			return true
		}
	}
	return false
}

// walkUp reads file in the process's cgroup folder and in each parent up
// to the mount's root, returning the smallest limit: a parent's limit
// binds its children.
func walkUp(root string, m mount, cg, file, kind string) Limit {
	// The mount shows the hierarchy from m.root down; inside a container
	// the process's path may be the mount's root itself.
	rel := cg
	if m.root != "/" {
		if r, ok := strings.CutPrefix(cg, m.root); ok && (r == "" || strings.HasPrefix(r, "/")) {
			rel = r
		}
	}
	rel = path.Clean("/" + rel)
	best := Limit{}
	for {
		p := filepath.Join(root, m.point, filepath.FromSlash(rel), file)
		if b, err := os.ReadFile(p); err == nil {
			s := strings.TrimSpace(string(b))
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && n < unlimited {
				if best.Bytes == 0 || n < best.Bytes {
					best = Limit{Bytes: n, Source: fmt.Sprintf("%s %s", kind, filepath.Join(m.point, filepath.FromSlash(rel), file))}
				}
			}
		}
		if rel == "/" {
			return best
		}
		rel = path.Dir(rel)
	}
}

func memTotal(root string) Limit {
	b, err := os.ReadFile(filepath.Join(root, "proc/meminfo"))
	if err != nil {
		return Limit{}
	}
	for _, line := range strings.Split(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, "MemTotal:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 2 && f[1] == "kB" {
			if n, err := strconv.ParseInt(f[0], 10, 64); err == nil && n > 0 {
				return Limit{Bytes: n << 10, Source: "MemTotal in /proc/meminfo"}
			}
		}
	}
	return Limit{}
}
