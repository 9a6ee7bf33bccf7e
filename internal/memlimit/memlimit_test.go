package memlimit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func lay(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, body := range files {
		full := filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const meminfo = "MemTotal:       24576000 kB\nMemFree:        1000 kB\n"

func TestFind(t *testing.T) {
	cases := []struct {
		name   string
		files  map[string]string
		bytes  int64
		source string
	}{{
		name: "cgroup v2 under systemd (MemoryMax=384M on the service)",
		files: map[string]string{
			"proc/self/cgroup":    "0::/system.slice/bondaudit.service\n",
			"proc/self/mountinfo": "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n",
			"proc/meminfo":        meminfo,
			"sys/fs/cgroup/system.slice/bondaudit.service/memory.max": "402653184\n",
			"sys/fs/cgroup/system.slice/memory.max":                   "max\n",
		},
		bytes: 402653184, source: "cgroup v2 /sys/fs/cgroup/system.slice/bondaudit.service/memory.max",
	}, {
		name: "cgroup v2: a parent's tighter limit binds",
		files: map[string]string{
			"proc/self/cgroup":                          "0::/kubepods/pod1/c1\n",
			"proc/self/mountinfo":                       "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			"proc/meminfo":                              meminfo,
			"sys/fs/cgroup/kubepods/pod1/c1/memory.max": "max\n",
			"sys/fs/cgroup/kubepods/pod1/memory.max":    "268435456\n",
		},
		bytes: 268435456, source: "cgroup v2 /sys/fs/cgroup/kubepods/pod1/memory.max",
	}, {
		name: "cgroup v2 in a container: the process's cgroup is the mount's root",
		files: map[string]string{
			"proc/self/cgroup":         "0::/\n",
			"proc/self/mountinfo":      "30 23 0:26 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n",
			"proc/meminfo":             meminfo,
			"sys/fs/cgroup/memory.max": "536870912\n",
		},
		bytes: 536870912, source: "cgroup v2 /sys/fs/cgroup/memory.max",
	}, {
		name: "cgroup v1 with the memory controller beside others",
		files: map[string]string{
			"proc/self/cgroup": "4:memory:/process_api/x1\n3:cpu,cpuacct:/\n1:name=systemd:/\n",
			"proc/self/mountinfo": "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n" +
				"32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n",
			"proc/meminfo": meminfo,
			"sys/fs/cgroup/memory/process_api/x1/memory.limit_in_bytes": "9223372036854771712\n",
			"sys/fs/cgroup/memory/process_api/memory.limit_in_bytes":    "1073741824\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes":                "9223372036854771712\n",
		},
		bytes: 1073741824, source: "cgroup v1 /sys/fs/cgroup/memory/process_api/memory.limit_in_bytes",
	}, {
		name: "no cgroup limit: the machine's memory",
		files: map[string]string{
			"proc/self/cgroup":         "0::/user.slice\n",
			"proc/self/mountinfo":      "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			"proc/meminfo":             meminfo,
			"sys/fs/cgroup/memory.max": "max\n",
		},
		bytes: 24576000 << 10, source: "MemTotal in /proc/meminfo",
	}, {
		name:  "nothing readable",
		files: map[string]string{"proc/self/cgroup": "garbage"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Find(lay(t, c.files))
			if got.Bytes != c.bytes || got.Source != c.source {
				t.Errorf("Find = %d from %q, want %d from %q", got.Bytes, got.Source, c.bytes, c.source)
			}
		})
	}
}

func TestUnescapeMount(t *testing.T) {
	if got := unescapeMount(`/sys/fs/cgroup\040x/a\`); got != `/sys/fs/cgroup x/a\` {
		t.Errorf("unescapeMount = %q", got)
	}
}

// On the machine itself: whatever it finds is a positive size from a file
// it names, or nothing.
func TestFindHere(t *testing.T) {
	l := Find("/")
	if l.Bytes < 0 || (l.Bytes > 0) != (l.Source != "") {
		t.Errorf("Find(/) = %+v", l)
	}
	if l.Bytes > 0 && !strings.Contains(l.Source, "/") {
		t.Errorf("source %q names no file", l.Source)
	}
}
