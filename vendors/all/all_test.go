package all

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// familyProfiles finds, in the source of every vendors/<family> package,
// the package-level vendors.Profile values and their Name: what the
// families define, whether or not this package lists them.
func familyProfiles(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{} // name -> package.Var
	dirs, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "all" || d.Name() == "testdata" {
			continue
		}
		files, _ := filepath.Glob(filepath.Join("..", d.Name(), "*.go"))
		for _, f := range files {
			if filepath.Ext(f) != ".go" || len(f) > 8 && f[len(f)-8:] == "_test.go" {
				continue
			}
			af, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(af, func(n ast.Node) bool {
				vs, ok := n.(*ast.ValueSpec)
				if !ok || len(vs.Values) != len(vs.Names) {
					return true
				}
				for i, v := range vs.Values {
					cl, ok := v.(*ast.CompositeLit)
					if !ok {
						continue
					}
					if sel, ok := cl.Type.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Profile" {
						continue
					}
					for _, e := range cl.Elts {
						kv, ok := e.(*ast.KeyValueExpr)
						if k, _ := kv.Key.(*ast.Ident); ok && k != nil && k.Name == "Name" {
							if lit, ok := kv.Value.(*ast.BasicLit); ok {
								name, _ := strconv.Unquote(lit.Value)
								found[name] = d.Name() + "." + vs.Names[i].Name
							}
						}
					}
				}
				return true
			})
		}
	}
	return found
}

// TestEveryFamilyIsListedAndRecognised: every profile a family package
// defines is listed here (a family left out, or renamed, would silently
// lose its decoder), names are unique, and each listed family is the one
// recognised for its own enterprise number and sysDescr word: no family
// before it in the list shadows it.
func TestEveryFamilyIsListedAndRecognised(t *testing.T) {
	listed := map[string]bool{}
	for _, p := range families {
		if p.Name == "" || listed[p.Name] {
			t.Errorf("profile name %q empty or listed twice", p.Name)
		}
		listed[p.Name] = true
		if len(p.Enterprises) == 0 {
			t.Errorf("%s: no enterprise number: never recognised", p.Name)
			continue
		}
		descr := ""
		if len(p.DescrAny) > 0 {
			descr = "Vendor " + p.DescrAny[0] + " 1.0"
		}
		if got := Identify("1.3.6.1.4.1."+strconv.Itoa(p.Enterprises[0])+".1.1", descr); got.Name != p.Name {
			t.Errorf("%s (enterprise %d, sysDescr %q) is recognised as %s: an earlier family shadows it", p.Name, p.Enterprises[0], descr, got.Name)
		}
	}
	defined := familyProfiles(t)
	if len(defined) < 20 {
		t.Fatalf("found only %d family profiles in the source: %v", len(defined), defined)
	}
	for name, where := range defined {
		if !listed[name] {
			t.Errorf("%s (%s) is not listed in families: it is never recognised and its decoder never runs", where, name)
		}
	}
	for name := range listed {
		if defined[name] == "" {
			t.Errorf("listed %s not found in a family package's source", name)
		}
	}
	if got := Identify("1.3.6.1.4.1.9.12.3.1.3.1812", "Cisco NX-OS(tm) n3000"); got.Name != "cisco-nxos" {
		t.Errorf("NX-OS identified as %s", got.Name)
	}
	if got := Identify("1.3.6.1.4.1.9.1.1208", "Cisco IOS Software, C2960X"); got.Name != "cisco-ios" || !got.PerVLANFDB {
		t.Errorf("IOS identified as %s (per-VLAN FDB %v)", got.Name, got.PerVLANFDB)
	}
	if got := Identify("1.3.6.1.4.1.99999.1", "homebrew"); got.Name != "standard" {
		t.Errorf("unknown device identified as %s", got.Name)
	}
	if p := Profiles(); p[len(p)-1].Name != "standard" {
		t.Errorf("standard profile not last")
	}
}
