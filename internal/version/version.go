// Package version names the running build from the build information Go
// records in every binary (bondaudit --version).
package version

import "runtime/debug"

// String says which build this is, from the build information Go records:
// the module version (a tag, or "(devel)" for a build from a checkout),
// the commit and its time when the build had them, and the Go version.
func String() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown build)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+changes"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	out := v
	if rev != "" {
		out += " commit " + rev + dirty
	}
	if when != "" {
		out += " " + when
	}
	return out + " " + bi.GoVersion
}
