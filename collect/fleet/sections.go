package fleet

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/internal/quote"
)

// errStream is a stream that breaks the section format: the host sent
// something the script cannot print.
var errStream = errors.New("output not in the capture format")

// capture is what readSections wrote into a folder.
type capture struct {
	files int
	bytes int64
	notes []string
	// failed: sections whose command exited non-zero (file → status).
	failed map[string]string
}

// readSections reads the script's output from r into dir (a fresh temp
// folder) and checks it strictly: every header is "NONCE FILE STATUS
// LENGTH", FILE one the capture layout allows and seen once, LENGTH at
// most cmdCap, and the stream ends with the end marker (a stream that
// stops before it was cut: a dropped connection, a killed shell). r is
// already capped at the host's total.
func readSections(r io.Reader, dir, nonce string, cmdCap int64) (*capture, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	c := &capture{failed: map[string]string{}}
	seen := map[string]bool{}
	for n := 0; ; n++ {
		line, err := readHeader(br)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return c, fmt.Errorf("output ends after %d sections without the end marker: connection dropped or the shell was killed", n)
			}
			return c, err
		}
		f := strings.Split(line, " ")
		if len(f) != 4 || f[0] != nonce {
			return c, fmt.Errorf("%w: section %d: header %s", errStream, n+1, quote.Q(line))
		}
		file, status := f[1], f[2]
		size, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil || size < 0 || f[3] != strconv.FormatInt(size, 10) {
			return c, fmt.Errorf("%w: section %d: length %s", errStream, n+1, quote.Q(f[3]))
		}
		if size > cmdCap {
			return c, fmt.Errorf("%w: %s: %d bytes, over the cap of %d", errStream, quote.Q(file), size, cmdCap)
		}
		if file == "end" {
			if _, err := br.ReadByte(); err != io.EOF {
				return c, fmt.Errorf("%w: bytes after the end marker", errStream)
			}
			return c, nil
		}
		if err := checkFile(file); err != nil {
			return c, fmt.Errorf("%w: section %d: %v", errStream, n+1, err)
		}
		if seen[file] {
			return c, fmt.Errorf("%w: %s sent twice", errStream, quote.Q(file))
		}
		seen[file] = true
		switch {
		case status == "0":
			if file == "bonding" || file == "ethtool" {
				return c, fmt.Errorf("%w: %s is a folder, not a file", errStream, quote.Q(file))
			}
			if err := writeSection(br, dir, file, size); err != nil {
				return c, err
			}
			c.files++
			c.bytes += size
			continue
		case status == "absent" || status == "off" || status == "denied":
			if size != 0 {
				return c, fmt.Errorf("%w: %s %s with %d bytes", errStream, quote.Q(file), status, size)
			}
			c.notes = append(c.notes, absentNote(file, status))
			continue
		case status == "cut":
			c.failed[file] = status
			c.notes = append(c.notes, fmt.Sprintf("%s: output over %d bytes: not written", runOf(file), cmdCap))
		default:
			rc, err := strconv.Atoi(status)
			if err != nil || rc < 0 || rc > 255 {
				return c, fmt.Errorf("%w: %s: status %s", errStream, quote.Q(file), quote.Q(status))
			}
			c.failed[file] = status
			c.notes = append(c.notes, fmt.Sprintf("%s exited %d: %s not written", runOf(file), rc, file))
		}
		if _, err := io.CopyN(io.Discard, br, size); err != nil {
			return c, truncated(file, err)
		}
	}
}

func absentNote(file, status string) string {
	switch {
	case file == "bonding":
		return "no /proc/net/bonding: the kernel has no bonds (bonding module not loaded)"
	case status == "off":
		return fmt.Sprintf("%s: lldpd does not run: no LLDP neighbours from lldpd", file)
	}
	tool, _, _ := strings.Cut(runOf(file), " ")
	if status == "denied" {
		return fmt.Sprintf("%s is installed but the login user may not run it: no %s (--become runs it through sudo -n)", tool, file)
	}
	return fmt.Sprintf("%s is not installed: no %s", tool, file)
}

func truncated(file string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("output of %s cut short: connection dropped or the host's output cap reached", runOf(file))
	}
	return err
}

// readHeader reads one header line (at most 512 bytes, ending in \n).
func readHeader(br *bufio.Reader) (string, error) {
	var b []byte
	for {
		chunk, err := br.ReadSlice('\n')
		b = append(b, chunk...)
		if len(b) > 512 {
			return "", fmt.Errorf("%w: header over 512 bytes: %s", errStream, quote.QBytes(b[:64]))
		}
		switch {
		case err == nil:
			return string(b[:len(b)-1]), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(b) > 0:
			return "", fmt.Errorf("%w: output ends inside a header: %s", errStream, quote.QBytes(b))
		}
		return "", err
	}
}

// checkFile accepts the file names the capture layout has: the fixed
// files, and bonding/<bond>, ethtool/<nic>, teamd/<team>.json where the
// name is an interface name as Linux allows it (1-15 bytes, no /, :,
// white space or control bytes), not starting with a dot; and the notes'
// names.
func checkFile(file string) error {
	switch file {
	case "hostname", "ip-link.json", "lldp.json", "ovs-bonds.txt", "bonding", "ethtool":
		return nil
	}
	dir, name, ok := strings.Cut(file, "/")
	if !ok {
		return fmt.Errorf("file %s is not part of a capture", quote.Q(file))
	}
	switch dir {
	case "teamd":
		n, ok := strings.CutSuffix(name, ".json")
		if !ok {
			return fmt.Errorf("file %s is not part of a capture", quote.Q(file))
		}
		name = n
	case "bonding", "ethtool":
	default:
		return fmt.Errorf("file %s is not part of a capture", quote.Q(file))
	}
	if !ifName(name) {
		return fmt.Errorf("file %s: %s is not an interface name", quote.Q(file), quote.Q(name))
	}
	return nil
}

func ifName(s string) bool {
	if s == "" || len(s) > 15 || s[0] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || c == '/' || c == ':' || c == '\\' {
			return false
		}
	}
	return true
}

// writeSection copies size bytes from br to dir/file.
func writeSection(br *bufio.Reader, dir, file string, size int64) error {
	p := filepath.Join(dir, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return &Error{Class: ClassSave, Err: err}
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return &Error{Class: ClassSave, Err: err}
	}
	_, err = io.CopyN(f, br, size)
	if cerr := f.Close(); err == nil && cerr != nil {
		return &Error{Class: ClassSave, Err: cerr}
	}
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return truncated(file, err)
		}
		return err
	}
	return nil
}
