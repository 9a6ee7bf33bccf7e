// Package clidocs writes a command tree's man pages and shell completions
// for a release: one page per command (cobra/doc) and exactly what
// "bondaudit completion SHELL" prints. Only the release's gen-docs build
// (cmd/bondaudit, -tags gendocs) imports it, so the binary people run
// links no man page renderer.
package clidocs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/bondaudit/bondaudit/internal/atomicfile"
)

// Write writes DIR/man1/NAME*.1, dated when (a release rebuilt from the
// same commit passes the same date), and DIR/completions/{NAME.bash,
// _NAME, NAME.fish} for root, the way Execute would present it (help and
// completion commands included).
func Write(root *cobra.Command, dir string, when time.Time, version string) error {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	root.DisableAutoGenTag = true // the tag carries today's date

	man := filepath.Join(dir, "man1")
	if err := os.MkdirAll(man, 0o755); err != nil {
		return err
	}
	name := root.Name()
	header := &doc.GenManHeader{Title: strings.ToUpper(name), Section: "1", Date: &when, Source: name + " " + version, Manual: name + " manual"}
	if err := doc.GenManTree(root, header, man); err != nil {
		return err
	}

	comp := filepath.Join(dir, "completions")
	if err := os.MkdirAll(comp, 0o755); err != nil {
		return err
	}
	for file, gen := range map[string]func(*bytes.Buffer) error{
		name + ".bash": func(b *bytes.Buffer) error { return root.GenBashCompletionV2(b, true) },
		"_" + name:     func(b *bytes.Buffer) error { return root.GenZshCompletion(b) },
		name + ".fish": func(b *bytes.Buffer) error { return root.GenFishCompletion(b, true) },
	} {
		var b bytes.Buffer
		if err := gen(&b); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if err := atomicfile.WriteFile(filepath.Join(comp, file), b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}
