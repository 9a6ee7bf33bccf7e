// Package needtool finds the external programs integration tests use
// (snmpd, xmllint, qemu, lldpd, chromium, …). When one is missing the test
// is skipped with the Debian package to install, except in CI, where
// BONDAUDIT_REQUIRE_TOOLS=1 (set by .ci/run, which installs them all)
// makes it a failure: a skip there would hide a broken check.
package needtool

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Find returns the first of names found in PATH (or /usr/sbin, /sbin,
// where daemons live but a non-root PATH may not look), or "".
func Find(names ...string) string {
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		for _, dir := range []string{"/usr/sbin", "/sbin"} {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
				return p
			}
		}
	}
	return ""
}

// Need returns the path of the first of names installed, or skips (fails
// in CI) naming the Debian package pkg.
func Need(t testing.TB, pkg string, names ...string) string {
	t.Helper()
	if p := Find(names...); p != "" {
		return p
	}
	Missing(t, fmt.Sprintf("%s not installed (Debian package %s; .ci/run installs it)", names[0], pkg))
	return ""
}

// Missing skips the test with msg, or fails it when BONDAUDIT_REQUIRE_TOOLS=1.
func Missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("BONDAUDIT_REQUIRE_TOOLS") == "1" {
		t.Fatal(msg + " and BONDAUDIT_REQUIRE_TOOLS=1")
	}
	t.Skip(msg)
}
