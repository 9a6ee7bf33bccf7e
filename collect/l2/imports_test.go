package l2_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the package doc's promise: the standard library,
// topology and the protocol libraries only.
func TestImports(t *testing.T) {
	allowed := []string{
		"github.com/bondaudit/bondaudit/topology",
		"github.com/gopacket/gopacket",
		"github.com/mdlayher/lldp",
		"github.com/mdlayher/packet",
		"golang.org/x/net/bpf",
		"golang.org/x/sys/unix",
	}
	files, _ := filepath.Glob("*.go")
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
	imports:
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if !strings.Contains(strings.Split(path, "/")[0], ".") {
				continue // standard library
			}
			for _, a := range allowed {
				if path == a || strings.HasPrefix(path, a+"/") {
					continue imports
				}
			}
			t.Errorf("%s imports %s", file, path)
		}
	}
}
