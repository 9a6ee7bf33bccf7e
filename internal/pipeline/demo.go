package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/internal/atomicfile"
)

// ExportDemo is bondaudit demo --export DIR: the embedded demo site
// written into dir as a real site folder, every file through atomicfile.
// A dir that exists and is not empty is refused unless force; what was
// written is listed on Stdout.
func (e *Env) ExportDemo(dir string, force bool) error {
	ents, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("--export %s: %w", dir, err)
	case len(ents) > 0 && !force:
		return fmt.Errorf("--export %s: the folder is not empty (%d entries); give an empty or new folder, or --force to write into it", dir, len(ents))
	}
	var files int
	hosts, switches := map[string]bool{}, map[string]bool{}
	err = fs.WalkDir(demo.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := fs.ReadFile(demo.FS(), p)
		if err != nil {
			return err
		}
		if err := atomicfile.Write(dst, func(w io.Writer) error { _, err := io.Copy(w, bytes.NewReader(b)); return err }); err != nil {
			return err
		}
		files++
		switch top, rest, _ := strings.Cut(p, "/"); top {
		case "hosts":
			h, _, _ := strings.Cut(rest, "/")
			hosts[h] = true
		case "switches":
			switches[rest] = true
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("--export %s: %w", dir, err)
	}
	fmt.Fprintf(e.Stdout, "wrote the demo site into %s: %d files\n", dir, files)
	fmt.Fprintf(e.Stdout, "  %s  %d host captures\n", filepath.Join(dir, "hosts")+string(filepath.Separator), len(hosts))
	fmt.Fprintf(e.Stdout, "  %s  %d switch walks (.snmprec)\n", filepath.Join(dir, "switches")+string(filepath.Separator), len(switches))
	fmt.Fprintf(e.Stdout, "  %s  what each host shows and the rules expected to fire\n", filepath.Join(dir, "README.md"))
	fmt.Fprintf(e.Stdout, "next: bondaudit audit %s\n", exportArg(dir))
	return nil
}

// exportArg is dir as the README would type it: ./site for a bare name,
// so that it is never read as the built-in "demo".
func exportArg(dir string) string {
	if filepath.IsAbs(dir) || strings.HasPrefix(dir, ".") {
		return dir
	}
	return "." + string(filepath.Separator) + dir
}
