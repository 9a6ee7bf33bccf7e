package main

import (
	"os"
	"testing"

	"github.com/bondaudit/bondaudit/internal/snmplab"
)

// TestMain lets snmpd start this test binary as its pass_persist backend.
func TestMain(m *testing.M) {
	snmplab.MaybeServePassPersist()
	os.Exit(m.Run())
}
