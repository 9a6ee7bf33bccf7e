package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bondaudit/bondaudit/internal/snmplab"
)

// TestMain lets snmpd start this test binary as its pass_persist backend.
func TestMain(m *testing.M) {
	snmplab.MaybeServePassPersist()
	code := m.Run()
	// The binary sharedBinary built lives outside every test's TempDir
	// (tests change TMPDIR): it goes with the test process, or each run
	// left 22 MB behind in the temp folder.
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}
