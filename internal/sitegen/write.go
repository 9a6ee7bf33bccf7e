package sitegen

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

// WriteSite writes the resolved site s as a site folder under dir
// (DESIGN.md "Inputs"): switches/<name>.snmprec and, per host, a raw
// capture folder hosts/<name>/ with hostname, ip-link.json,
// bonding/<bond> and lldp.json. Files are written in parallel; their
// content does not depend on the order. It returns the bytes written.
func WriteSite(dir string, s *Site) (int64, error) {
	if !s.resolved {
		return 0, errors.New("sitegen: WriteSite needs a resolved site (call Resolve)")
	}
	for _, sub := range []string{"hosts", "switches"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return 0, err
		}
	}
	var (
		total   atomic.Int64
		errOnce sync.Once
		first   error
		failed  atomic.Bool
		wg      sync.WaitGroup
	)
	fail := func(err error) {
		errOnce.Do(func() { first = err })
		failed.Store(true)
	}
	jobs := make(chan int, 256)
	nsw := len(s.Switches)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 0, 256<<10)
			for j := range jobs {
				if failed.Load() {
					continue
				}
				var n int64
				var err error
				if j < nsw {
					n, err = writeSwitch(dir, s.Switches[j], &buf)
				} else {
					n, err = writeHost(dir, s.Hosts[j-nsw], &buf)
				}
				if err != nil {
					fail(err)
				}
				total.Add(n)
			}
		}()
	}
	for j := 0; j < nsw+len(s.Hosts); j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	return total.Load(), first
}

func writeFile(path string, data []byte) (int64, error) {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return 0, fmt.Errorf("sitegen: %w", err)
	}
	return int64(len(data)), nil
}

func writeSwitch(dir string, sw *Switch, buf *[]byte) (int64, error) {
	*buf = AppendSnmprec((*buf)[:0], sw)
	return writeFile(filepath.Join(dir, "switches", sw.Name+".snmprec"), *buf)
}

func writeHost(dir string, h *Host, buf *[]byte) (int64, error) {
	hd := filepath.Join(dir, "hosts", h.Name)
	if err := os.Mkdir(hd, 0o755); err != nil && !os.IsExist(err) {
		return 0, err
	}
	if len(h.Bonds) > 0 {
		if err := os.Mkdir(filepath.Join(hd, "bonding"), 0o755); err != nil && !os.IsExist(err) {
			return 0, err
		}
	}
	var total int64
	put := func(name string, data []byte) error {
		n, err := writeFile(filepath.Join(hd, name), data)
		total += n
		return err
	}
	*buf = append(append((*buf)[:0], h.Name...), '\n')
	if err := put("hostname", *buf); err != nil {
		return total, err
	}
	*buf = append(AppendIPLinkJSON((*buf)[:0], h), '\n')
	if err := put("ip-link.json", *buf); err != nil {
		return total, err
	}
	for _, b := range h.Bonds {
		*buf = AppendProcBonding((*buf)[:0], b)
		if err := put(filepath.Join("bonding", b.Name), *buf); err != nil {
			return total, err
		}
	}
	if !h.NoLLDP {
		*buf = AppendLLDPJSON0((*buf)[:0], h)
		if err := put("lldp.json", *buf); err != nil {
			return total, err
		}
	}
	return total, nil
}
