//go:build linux

// Package netnstest runs a test again inside a network namespace of its
// own (`unshare -n`), where it may create interfaces: test support only.
package netnstest

import (
	"os"
	"os/exec"
	"testing"
)

const env = "BONDAUDIT_IN_NETNS"

// InNetns runs the calling test again inside a new network namespace and
// returns false in the parent (having reported the child's result), true
// in the child, where the test body runs. It skips without root, unshare
// or ip.
func InNetns(t *testing.T) bool {
	t.Helper()
	if os.Getenv(env) != "" {
		return true
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace and veth pairs")
	}
	for _, tool := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (util-linux, iproute2)", tool)
		}
	}
	cmd := exec.Command("unshare", "-n", os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("in a new network namespace:\n%s", out)
	if err != nil {
		t.Fatalf("the test failed inside its network namespace: %v", err)
	}
	return false
}
