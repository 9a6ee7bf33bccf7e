//go:build gendocs

// The release's man pages and shell completions, made from the commands
// themselves. Only a build with -tags gendocs has this (packaging/release.sh
// builds one): the bondaudit people run links no man page renderer
// (cobra/doc, go-md2man, blackfriday), and app.go needs no hook for it.
//
//	go run -tags gendocs ./cmd/bondaudit gen-docs DIR
//
// writes DIR/man1/bondaudit*.1 (one page per command, dated from
// SOURCE_DATE_EPOCH when set, so a release rebuilt from the same commit
// has the same pages) and DIR/completions/{bondaudit.bash,_bondaudit,bondaudit.fish},
// exactly what "bondaudit completion SHELL" prints.

package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/bondaudit/bondaudit/internal/clidocs"
)

func init() {
	if len(os.Args) < 2 || os.Args[1] != "gen-docs" {
		return
	}
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: bondaudit gen-docs DIR")
		os.Exit(exitFailed)
	}
	if err := genDocs(os.Args[2]); err != nil {
		fmt.Fprintf(os.Stderr, "bondaudit gen-docs: %v\n", err)
		os.Exit(exitFailed)
	}
	os.Exit(exitOK)
}

func genDocs(dir string) error {
	when := time.Now().UTC()
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("SOURCE_DATE_EPOCH %q: %w", s, err)
		}
		when = time.Unix(sec, 0).UTC()
	}
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	root := (&app{stdout: os.Stdout, stderr: os.Stderr, now: time.Now}).rootCmd()
	return clidocs.Write(root, dir, when, v)
}
