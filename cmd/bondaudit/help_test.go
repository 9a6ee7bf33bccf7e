package main

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestHelpTexts: every help/*.txt is some command's long help (none is
// left behind when a command goes), and every command but the groups has
// one.
func TestHelpTexts(t *testing.T) {
	longs := map[string]string{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Long == "" && c.Runnable() && c.Name() != "explain" && c.Name() != "help" && c.Name() != "completion" {
			t.Errorf("%q has no long help", c.CommandPath())
		}
		longs[c.Long] = c.CommandPath()
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk((&app{}).rootCmd())
	files, err := fs.Glob(helpTexts, "help/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no help texts embedded: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "help/"), ".txt")
		if _, ok := longs[help(name)]; !ok {
			t.Errorf("%s is no command's help", f)
		}
	}
}
