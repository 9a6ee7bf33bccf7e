// Command bondaudit audits how Linux bonds are cabled to switches and whether
// each bond's mode fits what its switch ports are configured to do.
//
// It is the only package that calls os.Exit: everything below returns errors,
// and exit codes are decided here (0 clean, 1 findings at or above --fail-on,
// 2 the run itself failed).
package main

import (
	"context"
	"embed"
	"os"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/internal/memlimit"
)

func main() {
	gc := memlimit.TuneGC("/", os.Getenv)
	a := &app{stdout: os.Stdout, stderr: os.Stderr, now: time.Now, stderrIsTerminal: isTerminal(os.Stderr), gc: gc}
	os.Exit(a.run(context.Background(), os.Args[1:]))
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// helpTexts are the commands' long help, one text file per command.
//
//go:embed help/*.txt
var helpTexts embed.FS

// help is the long help of the command named (help/NAME.txt); a missing
// file is a build mistake that TestHelpTexts catches.
func help(name string) string {
	b, err := helpTexts.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic(err)
	}
	return strings.TrimSuffix(string(b), "\n")
}
