package pipeline

import (
	"path/filepath"
	"testing"

	"github.com/bondaudit/bondaudit/rules"
)

func TestSiteLabel(t *testing.T) {
	pol := &rules.Policy{Site: "prod"}
	for _, c := range []struct {
		flag   string
		pol    *rules.Policy
		folder string
		want   string
	}{
		{"", nil, "site-2026-01-01", "site-2026-01-01"},
		{"", pol, "site-2026-01-01", "prod"},
		{"label", pol, "site-2026-01-01", "label"},
		{"label", nil, "site-2026-01-01", "label"},
		{"", &rules.Policy{}, "folder", "folder"},
	} {
		if got := SiteLabel(c.flag, c.pol, c.folder); got != c.want {
			t.Errorf("SiteLabel(%q, %v, %q) = %q, want %q", c.flag, c.pol, c.folder, got, c.want)
		}
	}
}

func TestOpenBaselineMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.json")
	if prev, first, err := OpenBaseline("", false); prev != nil || first || err != nil {
		t.Errorf("no path: %v %v %v, want nothing", prev, first, err)
	}
	if _, first, err := OpenBaseline(missing, true); !first || err != nil {
		t.Errorf("missing with --save-baseline: first %v, err %v; want the first run", first, err)
	}
	if _, first, err := OpenBaseline(missing, false); first || err == nil {
		t.Errorf("missing without --save-baseline: first %v, err %v; want an error", first, err)
	}
}
