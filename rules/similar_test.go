package rules

import (
	"slices"
	"testing"
)

func TestSimilar(t *testing.T) {
	near := Similar("lacp.nope")
	if !slices.Contains(near, "lacp.no-partner") || slices.ContainsFunc(near, func(id string) bool { return id[:5] != "lacp." }) {
		t.Errorf("Similar(lacp.nope) = %v, want the lacp rules", near)
	}
	if near := Similar("no-partner"); !slices.Equal(near, []string{"lacp.no-partner"}) {
		t.Errorf("Similar(no-partner) = %v", near)
	}
	if near := Similar("zzz"); len(near) != 0 {
		t.Errorf("Similar(zzz) = %v, want none", near)
	}
}
