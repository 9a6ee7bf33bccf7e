//go:build !linux

package fleet

func replaceDir(tmp, dst string) error { return replaceDirAside(tmp, dst) }
