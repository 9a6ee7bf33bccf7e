package packaging

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

// The README's first command, go install github.com/…/cmd/bondaudit@latest,
// run for real against a module proxy: this checkout is published as
// version v0.99.0 on a proxy in a folder (GOPROXY=file://…, the layout
// proxy.golang.org serves), the dependencies come from this machine's
// module cache through the same protocol (its cache/download folder is
// a proxy), and the go command resolves @latest, downloads, verifies,
// builds and installs into an empty GOBIN with an empty module cache, no
// network. The installed bondaudit names v0.99.0 in --version (the README
// says it names the module version it was built from) and runs the demo.
func TestGoInstallLatest(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds bondaudit from a module proxy")
	}
	goBin := needtool.Need(t, "golang", "go")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	modPath := goOutput(t, goBin, root, "list", "-m")
	cache := goOutput(t, goBin, root, "env", "GOMODCACHE")
	const version = "v0.99.0"

	// The module as a proxy serves it: list, info, mod and zip.
	proxy := t.TempDir()
	at := filepath.Join(proxy, filepath.FromSlash(modPath), "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	info := `{"Version":"` + version + `","Time":"2026-12-04T00:00:00Z"}`
	for name, data := range map[string][]byte{"list": []byte(version + "\n"), version + ".info": []byte(info), version + ".mod": goMod} {
		if err := os.WriteFile(filepath.Join(at, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files := moduleFiles(t, goBin, root, modPath)
	writeModuleZip(t, filepath.Join(at, version+".zip"), root, modPath+"@"+version, files)

	work := t.TempDir()
	bin := filepath.Join(work, "bin")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "install", modPath+"/cmd/bondaudit@latest")
	cmd.Dir = work // outside the checkout: no main module
	cmd.Env = append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(cache, "cache", "download")),
		"GOSUMDB=off", // the dependencies are checked against the module's go.sum
		"GOMODCACHE="+filepath.Join(work, "modcache"), // nothing of the checkout's cache is reused as is
		"GOFLAGS=-modcacherw",                         // so that the test can remove it
		"GOBIN="+bin,
		"GOTOOLCHAIN=local",
		"GOWORK=off",
	)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("go install %s/cmd/bondaudit@latest (%d files of the module): %.1fs\n%s", modPath, len(files), time.Since(start).Seconds(), out)
	if err != nil {
		t.Fatalf("go install: %v", err)
	}

	exe := filepath.Join(bin, "bondaudit")
	v, err := exec.Command(exe, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("bondaudit --version: %v\n%s", err, v)
	}
	if !strings.Contains(string(v), version) {
		t.Errorf("bondaudit --version does not name the module version %s:\n%s", version, v)
	}
	demo, err := exec.Command(exe, "demo").CombinedOutput()
	if err != nil {
		t.Fatalf("bondaudit demo: %v\n%s", err, demo)
	}
	if !bytes.Contains(demo, []byte("PROBLEMS")) {
		t.Errorf("bondaudit demo printed no PROBLEMS section:\n%s", demo)
	}
}

// goOutput is what `go ARGS` run in dir prints, trimmed (never empty).
func goOutput(t *testing.T, goBin, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(goBin, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		t.Fatalf("go %s: %q, %v", strings.Join(args, " "), out, err)
	}
	return strings.TrimSpace(string(out))
}

// moduleFiles are the files of the module that building cmd/bondaudit
// reads, relative to root: go.mod, go.sum, LICENSE and each of the
// module's packages' sources and embedded files (go list -deps), not the
// tests and their data (a published module holds those too, but some of
// the test data's names, hostile on purpose, are not valid in a module
// zip).
func moduleFiles(t *testing.T, goBin, root, modPath string) []string {
	t.Helper()
	cmd := exec.Command(goBin, "list", "-deps", "-json=Dir,Module,GoFiles,CgoFiles,SFiles,HFiles,CFiles,EmbedFiles", "./cmd/bondaudit")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	files := []string{"go.mod", "go.sum", "LICENSE"}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			Dir                                                   string
			Module                                                *struct{ Path string }
			GoFiles, CgoFiles, SFiles, HFiles, CFiles, EmbedFiles []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || p.Module.Path != modPath {
			continue
		}
		rel, err := filepath.Rel(root, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, set := range [][]string{p.GoFiles, p.CgoFiles, p.SFiles, p.HFiles, p.CFiles, p.EmbedFiles} {
			for _, f := range set {
				files = append(files, filepath.ToSlash(filepath.Join(rel, f)))
			}
		}
	}
	slices.Sort(files)
	return slices.Compact(files)
}

// writeModuleZip writes files (relative to root) into a module zip whose
// entries are under prefix ("path@version/").
func writeModuleZip(t *testing.T, name, root, prefix string, files []string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(prefix + "/" + rel)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
