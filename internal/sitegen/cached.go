package sitegen

import (
	"fmt"
	"os"
	"path/filepath"
)

// BenchOptions are the benchmarks' generated site at a size: 2–4 slaves
// per bond, about one host in ten with a planted fault, seed 1.
func BenchOptions(hosts, switches int) Options {
	return Options{Hosts: hosts, Switches: switches, Seed: 1, MinSlaves: 2, MaxSlaves: 4, FaultRate: 0.1}
}

// CachedDir is where Cached keeps the benchmark site of a size.
func CachedDir(hosts, switches int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("bondaudit-bench-%d-%d-v1", hosts, switches))
}

// Cached returns the benchmark site of a size (BenchOptions), generating
// it once into CachedDir. It is written beside its final name and renamed
// into place when complete, so an interrupted or concurrent generation
// never leaves a half site behind the name. st is zero when the site was
// already there.
func Cached(hosts, switches int) (dir string, st Stats, err error) {
	dir = CachedDir(hosts, switches)
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return dir, st, nil
	}
	tmp, err := os.MkdirTemp(os.TempDir(), filepath.Base(dir)+".gen-")
	if err != nil {
		return "", st, err
	}
	st, err = Write(tmp, BenchOptions(hosts, switches))
	if err == nil {
		err = os.WriteFile(filepath.Join(tmp, ".complete"), nil, 0o644)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return "", st, fmt.Errorf("generating the %d-host site: %w", hosts, err)
	}
	os.RemoveAll(dir) // an incomplete one
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(dir, ".complete")); serr == nil {
			return dir, Stats{}, nil // another run finished first
		}
		return "", st, err
	}
	return dir, st, nil
}
