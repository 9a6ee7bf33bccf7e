package collect_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/collect"
	sg "github.com/bondaudit/bondaudit/internal/sitegen"
)

// LoadSite reads a site through SiteDir's folders (one listing, one open
// per file, buffers reused from host to host: one worker reads every host
// in turn) exactly as through a plain fs.FS; the sitegen site's hosts
// differ in size and content, so bytes left over in a reused buffer would
// show in a host's facts.
func TestLoadSiteFoldersSameAsPlainFS(t *testing.T) {
	dir := t.TempDir()
	if _, err := sg.Write(dir, sg.Options{Hosts: 60, Switches: 4, Seed: 7, MinSlaves: 1, MaxSlaves: 4, FaultRate: 0.3}); err != nil {
		t.Fatal(err)
	}
	// A host whose files are all shorter than the others'.
	os.MkdirAll(filepath.Join(dir, "hosts", "tiny", "bonding"), 0o755)
	os.WriteFile(filepath.Join(dir, "hosts", "tiny", "hostname"), []byte("tiny\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "hosts", "tiny", "bonding", "bond0"), []byte("Bonding Mode: fault-tolerance (active-backup)\n"), 0o644)
	sd, err := collect.OpenSiteDir(dir, collect.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer sd.Close()
	fast, err := collect.LoadSite(sd, "s", collect.LoadOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := collect.LoadSite(os.DirFS(dir), "s", collect.LoadOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, plain) {
		t.Fatalf("SiteDir and os.DirFS loads differ (-dirfs +sitedir):\n%s", cmp.Diff(plain, fast))
	}
	// Many workers share the kept-open hosts/ folder and the buffer pools
	// (run with -race).
	sd2, err := collect.OpenSiteDir(dir, collect.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer sd2.Close()
	parallel, err := collect.LoadSite(sd2, "s", collect.LoadOptions{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, parallel) {
		t.Fatalf("8 workers and 1 differ (-one +eight):\n%s", cmp.Diff(fast, parallel))
	}
	if len(fast.Hosts) != 61 {
		t.Fatalf("%d hosts", len(fast.Hosts))
	}
}
