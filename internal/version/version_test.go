package version

import (
	"runtime"
	"strings"
	"testing"
)

// A test binary has build information: the module version ("(devel)" or
// a tag) and the Go version come from it.
func TestString(t *testing.T) {
	s := String()
	if !strings.HasSuffix(s, runtime.Version()) || strings.HasPrefix(s, " ") || strings.HasPrefix(s, "(unknown") {
		t.Errorf("String() = %q", s)
	}
}
