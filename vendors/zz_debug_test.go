package vendors_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestZZDebug(t *testing.T) {
	for _, f := range fixtures(t) {
		s, probs := decodeFile(t, f)
		mods := map[int]int{}
		et, ef := 0, 0
		ex := map[int]string{}
		for _, p := range s.Ports {
			mods[p.Module]++
			if _, ok := ex[p.Module]; !ok {
				ex[p.Module] = p.Name
			}
			if p.Edge != nil {
				if *p.Edge {
					et++
				} else {
					ef++
				}
			}
		}
		var ps []string
		for _, p := range probs {
			if strings.Contains(p, "dot1dStp") || strings.Contains(p, "entP") || strings.Contains(p, "entAlias") {
				ps = append(ps, p)
			}
		}
		fmt.Printf("%-45s fd=%d edge t/f=%d/%d mods=%v ex=%v probs=%v\n", filepath.Base(f), s.STPForwardDelay, et, ef, mods, ex, ps)
	}
}
