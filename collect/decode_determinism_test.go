package collect_test

import (
	"encoding/json"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"path/filepath"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// TestDecodeIsDeterministic: decoding a recording twice (standard MIBs and
// vendor family decoders) gives byte-identical snapshots; map order must
// never leak into what an audit or a diff sees.
func TestDecodeIsDeterministic(t *testing.T) {
	files, _ := filepath.Glob(fixtures.Path("snmp", "*.snmprec"))
	if len(files) == 0 {
		t.Skip("shared fixtures not present")
	}
	for _, f := range files {
		w, _, err := snmp.ReadWalkFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var first []byte
		for i := 0; i < 8; i++ {
			s, _ := all.Decode(w, "x")
			b, _ := json.Marshal(s)
			if i == 0 {
				first = b
			} else if string(b) != string(first) {
				t.Errorf("%s: decoding again gives a different snapshot", filepath.Base(f))
				break
			}
		}
	}
}
