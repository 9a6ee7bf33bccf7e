package snmp_test

import (
	"os"
	"testing"

	"github.com/bondaudit/bondaudit/internal/snmplab"
)

func TestMain(m *testing.M) {
	snmplab.MaybeServePassPersist()
	os.Exit(m.Run())
}
