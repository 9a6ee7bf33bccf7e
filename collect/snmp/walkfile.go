// Package snmp collects switch facts over SNMP and reads recorded walks (snmprec, snmpwalk -On). It hands OID tables to vendors.
package snmp

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/vendors"
)

// LineError is one unreadable line of a walk file. The reader skips the line
// and carries on; callers can count these with errors.As.
type LineError struct {
	File string
	Line int // 1-based
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

const (
	readBufSize = 64 << 10
	// maxLineLen bounds one line (a long octet string in hex is the usual
	// reason for long lines); longer lines are skipped with a LineError.
	maxLineLen = 16 << 20
	// arenaChunk is the size of the blocks octet-string values are cut from.
	arenaChunk = 64 << 10
)

// ReadSnmprec parses snmpsim's .snmprec format: one "OID|TYPE|VALUE" per line.
//
// TYPE is snmpsim's numeric tag (2 Integer32, 4 OctetString, 5 Null, 6 OID,
// 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 68 Opaque,
// 70 Counter64, 128-130 the noSuchObject/noSuchInstance/endOfMibView
// exceptions), optionally suffixed with x (VALUE is hex) or e (VALUE is a
// Python-escaped string). Like snmpsim, each line is stripped of surrounding
// white space and split on its first two '|' only. Blank lines and lines
// starting with '#' are skipped.
//
// Malformed lines are skipped and reported as *LineError; an error that is
// not a *LineError means the reader failed and the result is incomplete.
// The varbinds are in file order.
func ReadSnmprec(r io.Reader, name string) ([]vendors.VarBind, []error) {
	res := readSnmprec(r, name)
	return res.vbs, res.allErrors()
}

// ReadSnmprecBytes is ReadSnmprec of a file read whole into data; readErr
// is the error that ended reading it (nil when it was read to its end),
// reported as ReadSnmprec reports its reader's. Nothing returned refers
// to data: its buffer may be reused at once.
func ReadSnmprecBytes(data []byte, readErr error, name string) ([]vendors.VarBind, []error) {
	res := readSnmprecFrom(newBytesLineReader(data, readErr), wholeFileBuilder(name, data))
	return res.vbs, res.allErrors()
}

// ReadSnmpwalkBytes is ReadSnmpwalk of a file read whole, as
// ReadSnmprecBytes is ReadSnmprec's.
func ReadSnmpwalkBytes(data []byte, readErr error, name string) ([]vendors.VarBind, []error) {
	res := readSnmpwalkFrom(newBytesLineReader(data, readErr), wholeFileBuilder(name, data))
	return res.vbs, res.allErrors()
}

// WalkReader reads walk files read whole into walks, reusing its buffers
// from one file to the next: the varbinds, the text of their OIDs and the
// bytes of their values live in them. A walk it returns is valid until the
// reader's next read or Release; whatever is kept from it (an OID, a row's
// index, a value's bytes or OID) must be copied. One reader serves one
// goroutine at a time; the zero value is ready to use.
type WalkReader struct {
	vbs     []vendors.VarBind
	text    []byte
	arena   []byte
	scratch []byte
}

// ReadSnmprec is ReadSnmprecBytes into a walk held in r's buffers. The
// walk is empty (never nil) when no varbind could be read.
func (r *WalkReader) ReadSnmprec(data []byte, readErr error, name string) (*vendors.Walk, []error) {
	res := readSnmprecFrom(newBytesLineReader(data, readErr), r.builder(name, data))
	r.adopt(res.vbs)
	return res.walk(), res.allErrors()
}

// ReadSnmpwalk is ReadSnmpwalkBytes into a walk held in r's buffers, as
// ReadSnmprec is ReadSnmprecBytes'.
func (r *WalkReader) ReadSnmpwalk(data []byte, readErr error, name string) (*vendors.Walk, []error) {
	res := readSnmpwalkFrom(newBytesLineReader(data, readErr), r.builder(name, data))
	r.adopt(res.vbs)
	return res.walk(), res.allErrors()
}

// adopt keeps vbs, the varbinds just read, as the buffer the next file's
// are read into when it is larger than the one r has: a file with more
// varbinds than builder guessed was read in chunks and copied into one
// slice, which the next file of that size then needs no more.
func (r *WalkReader) adopt(vbs []vendors.VarBind) {
	if cap(vbs) > cap(r.vbs) {
		r.vbs = vbs[:0]
	}
}

// Pooled readers keep buffers for files up to about this size; Release
// lets go of larger ones, so that a rare huge walk is not held on to (a
// reader then holds at most about 12 MiB).
const maxPooledWalk = 2 << 20

// Release says the walk last read is no longer used, and lets go of any
// buffer grown past what a pooled reader keeps.
func (r *WalkReader) Release() {
	const most = maxPooledWalk + maxPooledWalk/4 // as grown for such a file
	if cap(r.text) > most {
		r.text = nil
	}
	if cap(r.arena) > most {
		r.arena = nil
	}
	if cap(r.vbs) > most/32 { // one varbind a 32-byte line
		r.vbs = nil
	}
	if cap(r.scratch) > most {
		r.scratch = nil
	}
}

// builder is a builder sized for data, a file read whole, on r's buffers,
// grown (with room to spare) when data needs more. Its varbinds are
// guessed from the file's size, not counted (a pass over the file): a
// file of shorter lines is read in more chunks (see adopt).
func (r *WalkReader) builder(name string, data []byte) *builder {
	if n := len(data)/40 + 64; cap(r.vbs) < n {
		r.vbs = make([]vendors.VarBind, 0, n+n/4)
	}
	// The OIDs' text and the values' bytes each take at most the file's
	// size (when more is needed, the builder allocates as it would anyway).
	if cap(r.text) < len(data) {
		r.text = make([]byte, 0, len(data)+len(data)/4)
	}
	if cap(r.arena) < len(data) {
		r.arena = make([]byte, 0, len(data)+len(data)/4)
	}
	return &builder{name: name, cur: r.vbs[:0], text: r.text[:0], direct: true,
		arena: r.arena[:0], scratch: r.scratch[:0], keep: &r.scratch}
}

// wholeFileBuilder is a builder sized for data, a file read whole: its
// OIDs' text takes at most the file's size.
func wholeFileBuilder(name string, data []byte) *builder {
	return &builder{name: name, hint: varbindHint(data), text: make([]byte, 0, len(data)), direct: true}
}

// varbindHint is about how many varbinds data holds: its lines, but no
// more than one per 8 bytes (a file of blank lines must not make a large
// allocation).
func varbindHint(data []byte) int {
	return min(bytes.Count(data, []byte{'\n'})+1, len(data)/8+1)
}

// ReadSnmpwalk parses net-snmp `snmpwalk -On` / `snmpbulkwalk -On` output.
//
// It understands every value type net-snmp prints (STRING quoted or not and
// spanning several lines, Hex-STRING wrapped over several lines, INTEGER with
// or without enum label, Gauge32, Counter32, Counter64, UInteger32,
// Timeticks, OID, IpAddress, Network Address, BITS, OPAQUE, NULL, "" and the
// three exception texts), and strips a "Wrong Type (should be …): " prefix.
// Values printed through a MIB DISPLAY-HINT are taken as the text shown.
// Lines with symbolic OIDs (a walk taken without -On) and lines without a
// type label (-Oq, -OQ, -Ot) are skipped and reported as *LineError, as is
// every other malformed line. An error that is not a *LineError means the
// reader failed and the result is incomplete. The varbinds are in file order.
func ReadSnmpwalk(r io.Reader, name string) ([]vendors.VarBind, []error) {
	res := readSnmpwalk(r, name)
	return res.vbs, res.allErrors()
}

// ReadWalkFile opens path and picks the format by extension (.snmprec, or .walk/.txt/.snmpwalk => snmpwalk) and falls back to sniffing content.
//
// When the extension names one format but nothing parses and the content is
// plainly the other one, the file is read as what it is. The []error holds
// the skipped lines (*LineError). The error is non-nil only when the file
// cannot be opened or read, or when it has content but not a single varbind
// could be read from it; it then says what the file looks like. An empty file
// gives an empty walk.
func ReadWalkFile(path string) (*vendors.Walk, []error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()

	br := bufio.NewReaderSize(f, readBufSize)
	head, _ := br.Peek(8 << 10) // a short file or a read error shows up again below
	sniffed, looks := sniff(head)

	format := formatByExt(path)
	if format == formatUnknown {
		if sniffed == formatUnknown {
			if len(bytes.TrimSpace(head)) == 0 {
				// Nothing in the first 8 KiB: an empty file, or a read error
				// that parsing will report.
				format = formatSnmpwalk
			} else {
				return nil, nil, fmt.Errorf("%s: not a walk file (want snmprec or snmpwalk -On output): it looks like %s", path, looks)
			}
		} else {
			format = sniffed
		}
	}

	res := readFormat(format, br, path)
	if res.readErr != nil {
		return nil, res.errs, res.readErr
	}
	if len(res.vbs) == 0 && res.nonBlank > 0 && sniffed != formatUnknown && sniffed != format {
		// Misnamed file: read it as what its content says it is.
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, res.errs, fmt.Errorf("%s: %w", path, err)
		}
		res = readFormat(sniffed, bufio.NewReaderSize(f, readBufSize), path)
		if res.readErr != nil {
			return nil, res.errs, res.readErr
		}
	}
	if len(res.vbs) == 0 && res.nonBlank > 0 {
		return nil, res.errs, fmt.Errorf("%s: no varbind could be read from %d non-blank line(s): the file looks like %s", path, res.nonBlank, looks)
	}
	return res.walk(), res.errs, nil
}

type format uint8

const (
	formatUnknown format = iota
	formatSnmprec
	formatSnmpwalk
)

func formatByExt(path string) format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".snmprec":
		return formatSnmprec
	case ".walk", ".txt", ".snmpwalk":
		return formatSnmpwalk
	}
	return formatUnknown
}

func readFormat(f format, r io.Reader, name string) result {
	if f == formatSnmprec {
		return readSnmprec(r, name)
	}
	return readSnmpwalk(r, name)
}

// sniff guesses the format from the first bytes of a file and describes
// them for error messages.
func sniff(head []byte) (format, string) {
	switch {
	case len(bytes.TrimSpace(head)) == 0:
		return formatUnknown, "an empty file"
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return formatUnknown, "gzip-compressed data (decompress it first)"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return formatUnknown, "a zip archive (extract it first)"
	case bytes.HasPrefix(head, utf8BOM):
		head = head[len(utf8BOM):]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return formatUnknown, "binary data"
	}
	var first []byte
	for rest := head; len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' {
			first = line
			break
		}
	}
	if first == nil {
		return formatUnknown, "only comments"
	}
	if looksSnmprec(first) {
		return formatSnmprec, "snmprec (OID|TYPE|VALUE lines)"
	}
	switch oid, _, kind := splitVarbind(first); kind {
	case vbNumeric:
		return formatSnmpwalk, "snmpwalk -On output"
	case vbSymbolic:
		return formatSnmpwalk, fmt.Sprintf("snmpwalk output with symbolic OIDs such as %s (take the walk with -On)", clip(oid))
	}
	switch {
	case first[0] == '{' || first[0] == '[':
		return formatUnknown, "JSON"
	case first[0] == '<':
		return formatUnknown, "HTML or XML"
	}
	if n := numericOIDLen(first); n > 0 && n < len(first) && (first[n] == ' ' || first[n] == '\t') {
		return formatUnknown, "snmpwalk quick-print output (-Oq) without value types (take the walk with -On only)"
	}
	return formatUnknown, fmt.Sprintf("text starting %s", clip(first))
}

// looksSnmprec reports whether line starts like "OID|TAG|".
func looksSnmprec(line []byte) bool {
	n := numericOIDLen(line)
	if n == 0 || n >= len(line) || line[n] != '|' {
		return false
	}
	tag, _, ok := bytes.Cut(line[n+1:], []byte("|"))
	if !ok || len(tag) == 0 {
		return false
	}
	if c := tag[len(tag)-1]; c == 'x' || c == 'e' {
		tag = tag[:len(tag)-1]
	}
	if i := bytes.IndexByte(tag, ':'); i >= 0 {
		tag = tag[:i] // variation module
	}
	return len(tag) > 0 && allDigits(tag)
}

// ---- reading lines ----

var utf8BOM = []byte("\xef\xbb\xbf")

type lineReader struct {
	br      *bufio.Reader
	long    []byte
	n       int  // number of the line last returned
	tooLong bool // the line last returned exceeded maxLineLen and is empty
	done    bool
	err     error // read error other than io.EOF

	// A file read whole (newBytesLineReader): what is left of it, and the
	// error that ended reading it.
	inMem  bool
	mem    []byte
	memErr error
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, readBufSize)}
}

// newBytesLineReader reads the lines of data, a file read whole; readErr
// is the error that ended reading it (nil when it was read to its end),
// reported after the last line as a reader's would be.
func newBytesLineReader(data []byte, readErr error) *lineReader {
	return &lineReader{mem: data, inMem: true, memErr: readErr}
}

// next returns the next line without its "\n" or "\r\n". The slice is valid
// until the following call.
func (l *lineReader) next() ([]byte, bool) {
	if l.done {
		return nil, false
	}
	if l.inMem {
		return l.nextMem()
	}
	l.long = l.long[:0]
	l.tooLong = false
	for {
		b, err := l.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			l.keep(b)
			continue
		}
		if len(l.long) > 0 || l.tooLong {
			l.keep(b)
			b = l.long
		}
		if err != nil {
			l.done = true
			if err != io.EOF {
				l.err = err
			}
			if len(b) == 0 && !l.tooLong {
				return nil, false
			}
		}
		return l.counted(b), true
	}
}

// nextMem is next for a file held in memory: the line is a slice of it.
func (l *lineReader) nextMem() ([]byte, bool) {
	l.tooLong = false
	if len(l.mem) == 0 {
		l.done, l.err = true, l.memErr
		return nil, false
	}
	var b []byte
	if i := bytes.IndexByte(l.mem, '\n'); i >= 0 {
		b, l.mem = l.mem[:i+1], l.mem[i+1:]
	} else {
		b, l.mem = l.mem, nil
		l.done, l.err = true, l.memErr
	}
	if len(b) > maxLineLen {
		l.tooLong = true
		b = nil
	}
	return l.counted(b), true
}

// counted counts the line b and returns it without a leading BOM (left by
// Windows editors, first line only) and its "\n" or "\r\n".
func (l *lineReader) counted(b []byte) []byte {
	l.n++
	if l.n == 1 {
		b = bytes.TrimPrefix(b, utf8BOM)
	}
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

func (l *lineReader) keep(b []byte) {
	if l.tooLong {
		return
	}
	if len(l.long)+len(b) > maxLineLen {
		l.tooLong = true
		l.long = l.long[:0]
		return
	}
	l.long = append(l.long, b...)
}

// ---- building the result ----

type result struct {
	vbs      []vendors.VarBind
	sorted   bool    // vbs are in strictly increasing OID order
	errs     []error // *LineError only
	readErr  error
	nonBlank int
}

// walk is the walk of the varbinds read, sorted only when they are not
// yet (their order was checked once, by dropDuplicates).
func (r result) walk() *vendors.Walk {
	if r.sorted {
		return vendors.NewSortedWalk(r.vbs)
	}
	return vendors.NewWalk(r.vbs)
}

func (r result) allErrors() []error {
	if r.readErr != nil {
		return append(r.errs, r.readErr)
	}
	return r.errs
}

type span struct{ lo, hi int }

// builder collects varbinds with few allocations. Varbinds are filled in
// chunks so that a large walk is never copied while it grows; the OIDs (and
// OID values) of a chunk share one string (of a file read whole: the text
// buffer sized for it, see direct); octet strings are cut from shared
// blocks.
type builder struct {
	name    string
	done    [][]vendors.VarBind // full chunks, OIDs set
	cur     []vendors.VarBind   // the chunk being filled, OIDs not yet set
	spans   [][2]span           // per varbind of cur: OID, OID value (empty when none); unused when direct
	text    []byte              // the OIDs of cur (when direct: of every varbind)
	total   int
	arena   []byte
	scratch []byte
	errs    []error
	// hint sizes the first chunk when the number of varbinds is known
	// about (a file read whole): one chunk, never copied into another.
	hint int
	// direct: text was allocated for this builder alone and holds every
	// OID of the file (a file read whole: its OIDs take at most its
	// size), so a varbind's OID is a string of text's bytes, set as the
	// varbind is added: bytes of text a varbind's OID was cut from are
	// never written again (text is only truncated back to before an OID
	// no varbind took, and appended to; should an append move text, the
	// strings cut before keep the old array alive, as it was).
	direct bool
	// keep, when set, is where the scratch buffer goes back to when the
	// builder is done (a WalkReader's).
	keep *[]byte
	// slow: every snmprec line is read by the general path (snmprecLine
	// without snmprecFast): what the tests compare the fast path with.
	slow bool
	// prevOID is the varbind OID appended last (appendVarbindOID);
	// unsorted is set when one was not greater than the one before.
	prevOID  []byte
	unsorted bool
}

const (
	firstChunk = 256
	maxChunk   = 8192
)

func (b *builder) errf(line int, format string, args ...any) {
	b.errs = append(b.errs, &LineError{File: b.name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// appendOID validates a dotted OID (one leading dot allowed) and appends it,
// without the dot, to text.
func (b *builder) appendOID(oid []byte) (span, bool) {
	if len(oid) > 0 && oid[0] == '.' {
		oid = oid[1:]
	}
	if !validOID(oid) {
		return span{}, false
	}
	lo := len(b.text)
	b.text = append(b.text, oid...)
	return span{lo, len(b.text)}, true
}

// appendVarbindOID is appendOID for a varbind's OID, which it also
// compares with the varbind OID appended before. The whole arcs it starts
// with that that OID also starts with were validated then (a sorted
// walk's neighbours share all but their last arc or two), so only the rest
// is validated; where the two first differ also tells their order.
func (b *builder) appendVarbindOID(oid []byte) (span, bool) {
	if len(oid) > 0 && oid[0] == '.' {
		oid = oid[1:]
	}
	same := commonPrefix(oid, b.prevOID)
	from := same
	for from > 0 && oid[from-1] != '.' {
		from--
	}
	if !validOID(oid[from:]) {
		return span{}, false
	}
	return b.appendCheckedOID(oid, same), true
}

// appendCheckedOID is appendVarbindOID of oid, a valid OID that starts
// with the same bytes as the one appended before.
func (b *builder) appendCheckedOID(oid []byte, same int) span {
	if len(b.prevOID) > 0 && oidOrder(b.prevOID, oid, same) >= 0 {
		// Out of order (or repeated), or after a line dropped for its
		// value that was: dropDuplicates looks at the whole walk.
		b.unsorted = true
	}
	lo := len(b.text)
	b.text = append(b.text, oid...)
	// Its bytes stay as they are until the next call compares with them
	// (text is only truncated and appended to: a line dropped after its
	// OID was appended is overwritten by the next append, which comes
	// after the comparison).
	b.prevOID = b.text[lo:len(b.text):len(b.text)]
	return span{lo, len(b.text)}
}

// add adds a varbind at oid (a span of text) with value v, whose OID
// (when it is one) is at voidSpan (empty when none). Its fields are
// written one by one into its slot (a pooled reader's slot holds a
// varbind of the file read before: every field is written), each pointer
// with its own write barrier: copying a whole VarBind in takes the bulk
// barrier, a look at every word, while the collector runs.
func (b *builder) add(line int, oid span, v vendors.Value, voidSpan span) {
	if cap(b.cur) == 0 {
		b.newChunk()
	}
	b.cur = b.cur[:len(b.cur)+1] // (a full chunk is flushed: there is room)
	vb := &b.cur[len(b.cur)-1]
	vb.Value.Kind, vb.Value.Int, vb.Value.Uint, vb.Value.Bytes, vb.Value.OID = v.Kind, v.Int, v.Uint, v.Bytes, v.OID
	vb.Line = line
	if b.direct {
		vb.OID = b.textString(oid)
		if voidSpan.hi > voidSpan.lo {
			// A value a snapshot keeps (sysObjectID): its own string, so
			// that keeping it does not keep the text of every OID.
			vb.Value.OID = strings.Clone(b.textString(voidSpan))
		}
	} else {
		vb.OID = "" // set by flush
		b.spans = append(b.spans, [2]span{oid, voidSpan})
	}
	b.total++
	if len(b.cur) == cap(b.cur) {
		b.flush()
	}
}

// newChunk starts the chunk varbinds are added to.
func (b *builder) newChunk() {
	n := min(max(firstChunk, b.total/2), maxChunk)
	if b.hint > 0 {
		n, b.hint = b.hint, 0
		if !b.direct {
			b.spans = make([][2]span, 0, n)
		}
	}
	b.cur = make([]vendors.VarBind, 0, n)
}

// textString is the text at s as a string sharing its bytes (direct).
func (b *builder) textString(s span) string {
	return unsafe.String(unsafe.SliceData(b.text[s.lo:]), s.hi-s.lo)
}

// flush sets the OIDs of the current chunk (unless direct: they are set)
// and starts a new one.
func (b *builder) flush() {
	if len(b.cur) == 0 {
		return
	}
	if b.direct {
		b.done = append(b.done, b.cur)
		b.cur = nil
		return
	}
	all := string(b.text)
	b.text = b.text[:0]
	for i := range b.cur {
		s := b.spans[i]
		b.cur[i].OID = all[s[0].lo:s[0].hi]
		if s[1].hi > s[1].lo {
			// A value a snapshot keeps (sysObjectID): its own string, so
			// that keeping it does not keep the text of every OID.
			b.cur[i].Value.OID = strings.Clone(all[s[1].lo:s[1].hi])
		}
	}
	b.done = append(b.done, b.cur)
	b.cur, b.spans = nil, b.spans[:0]
}

// last is the value of the varbind added last.
func (b *builder) last() *vendors.Value {
	if len(b.cur) > 0 {
		return &b.cur[len(b.cur)-1].Value
	}
	c := b.done[len(b.done)-1]
	return &c[len(c)-1].Value
}

// bytes returns a copy of p cut from the arena (nil when p is empty). The
// copy's capacity equals its length so appending to it never touches its
// neighbours.
func (b *builder) bytes(p []byte) []byte {
	n := len(p)
	if n == 0 {
		return nil
	}
	if len(b.arena)+n > cap(b.arena) {
		if n > arenaChunk/8 {
			return bytes.Clone(p)
		}
		b.arena = make([]byte, 0, arenaChunk)
	}
	lo := len(b.arena)
	b.arena = append(b.arena, p...)
	return b.arena[lo : lo+n : lo+n]
}

func (b *builder) finish() []vendors.VarBind {
	b.flush()
	if b.keep != nil {
		*b.keep = b.scratch[:0]
	}
	switch len(b.done) {
	case 0:
		return nil
	case 1:
		return b.done[0]
	}
	out := make([]vendors.VarBind, 0, b.total)
	for _, c := range b.done {
		out = append(out, c...)
	}
	b.done = nil
	return out
}

// validOID reports whether s is dotted decimal with arcs in uint32 range and
// without leading zeros.
func validOID(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
			continue
		}
		if !validArc(s[start:i]) {
			return false
		}
		start = i + 1
	}
	return true
}

// validArc reports whether arc, an OID's arc of digits only, is in uint32
// range and has no leading zero (what validOID and snmprecFast check of
// every arc).
func validArc(arc []byte) bool {
	switch {
	case len(arc) == 0, len(arc) > 10, len(arc) > 1 && arc[0] == '0':
		return false
	case len(arc) == 10 && string(arc) > "4294967295":
		return false
	}
	return true
}

// oidOrder is vendors.CompareOID of a and b, OIDs validOID accepts (digits
// and single dots, no leading zeros) that start with the same i bytes
// and differ after (commonPrefix), found in one look at where they first
// differ: the arc they differ in is greater when it has more digits left
// (no leading zeros) or, as long, the greater digit there.
func oidOrder(a, b []byte, i int) int {
	switch {
	case i == len(a) && i == len(b):
		return 0
	case i == len(a):
		return -1 // a is b's prefix: a shorter last arc, or a parent
	case i == len(b):
		return 1
	case a[i] == '.':
		return -1 // a's arc ends where b's goes on
	case b[i] == '.':
		return 1
	}
	if la, lb := arcLen(a[i:]), arcLen(b[i:]); la != lb {
		if la < lb {
			return -1
		}
		return 1
	}
	if a[i] < b[i] {
		return -1
	}
	return 1
}

// commonPrefix is the length of the bytes x and y start with, found
// eight bytes at a time.
func commonPrefix(x, y []byte) int {
	n := min(len(x), len(y))
	i := 0
	for ; i+8 <= n; i += 8 {
		if d := binary.LittleEndian.Uint64(x[i:]) ^ binary.LittleEndian.Uint64(y[i:]); d != 0 {
			return i + bits.TrailingZeros64(d)/8
		}
	}
	for i < n && x[i] == y[i] {
		i++
	}
	return i
}

// arcLen is the number of digits s starts with.
func arcLen(s []byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return i
		}
	}
	return len(s)
}

// numericOIDLen is the length of the run of '.' and digits that starts s,
// or 0 when it holds no digit.
func numericOIDLen(s []byte) int {
	digits := false
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits = true
		} else if c != '.' {
			break
		}
	}
	if !digits {
		return 0
	}
	return i
}

// ---- duplicate OIDs ----

// dropDuplicates handles an OID given more than once (two walks pasted
// into one file, an anonymised recording that maps many addresses onto
// one, a hand edit). Repeats of the same value pass silently. An OID given
// with different values is not used at all, since any of them may be the
// wrong one: one *LineError at the first line that disagrees names the
// OID and both values. The varbinds stay in file order (out-of-order OIDs
// are fine: vendors.NewWalk sorts); errs is returned sorted by line.
// Walks the reader found in strictly increasing OID order as it read them
// (inOrder), the usual case, cost nothing; sorted says the varbinds are in
// that order (so that the walk made of them need not check it again).
func dropDuplicates(vbs []vendors.VarBind, errs []error, name string, inOrder bool) (_ []vendors.VarBind, _ []error, sorted bool) {
	if inOrder {
		return vbs, errs, true
	}
	order := make([]int32, len(vbs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return vendors.CompareOID(vbs[a].OID, vbs[b].OID) })
	var drop []bool
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && vbs[order[hi]].OID == vbs[order[lo]].OID {
			hi++
		}
		first := &vbs[order[lo]]
		for j, k := range order[lo+1 : hi] {
			if sameValue(first.Value, vbs[k].Value) {
				continue
			}
			msg := fmt.Sprintf("OID %s given again with another value: line %d says %s, this line %s",
				quote.Q(first.OID), first.Line, showValue(first.Value), showValue(vbs[k].Value))
			if more := hi - lo - 2 - j; more > 0 {
				msg += fmt.Sprintf(" (and %d more lines give it)", more)
			}
			errs = append(errs, &LineError{File: name, Line: vbs[k].Line, Msg: msg + "; the OID is not used"})
			if drop == nil {
				drop = make([]bool, len(vbs))
			}
			for _, k := range order[lo:hi] {
				drop[k] = true
			}
			break
		}
		lo = hi
	}
	if drop == nil {
		return vbs, errs, false
	}
	out := vbs[:0:0]
	for i := range vbs {
		if !drop[i] {
			out = append(out, vbs[i])
		}
	}
	slices.SortStableFunc(errs, func(a, b error) int { return lineOf(a) - lineOf(b) })
	return out, errs, false
}

func lineOf(e error) int {
	if le, ok := e.(*LineError); ok {
		return le.Line
	}
	return 0
}

func sameValue(a, b vendors.Value) bool {
	return a.Kind == b.Kind && a.Int == b.Int && a.Uint == b.Uint && a.OID == b.OID && bytes.Equal(a.Bytes, b.Bytes)
}

// showValue shows a value for a message: its kind and text, clipped
// (without rendering more than can be shown).
func showValue(v vendors.Value) string {
	n := len(v.Bytes)
	if n > quote.Max/3 {
		v.Bytes = v.Bytes[:quote.Max/3]
	}
	s := fmt.Sprintf("%s %s", v.Kind, quote.Q(v.String()))
	if n > quote.Max/3 {
		s += fmt.Sprintf("…(%d bytes)", n)
	}
	return s
}

// ---- snmprec ----

// snmprecKind maps an snmpsim tag (the sum of the BER tag's class, format
// and number) to a value kind.
func snmprecKind(tag int) (vendors.Kind, bool) {
	switch tag {
	case 2:
		return vendors.KindInteger, true
	case 4:
		return vendors.KindOctetString, true
	case 5:
		return vendors.KindNull, true
	case 6:
		return vendors.KindOID, true
	case 64:
		return vendors.KindIPAddress, true
	case 65:
		return vendors.KindCounter32, true
	case 66:
		return vendors.KindGauge32, true
	case 67:
		return vendors.KindTimeTicks, true
	case 68:
		return vendors.KindOpaque, true
	case 70:
		return vendors.KindCounter64, true
	case 128:
		return vendors.KindNoSuchObject, true
	case 129:
		return vendors.KindNoSuchInstance, true
	case 130:
		return vendors.KindEndOfMibView, true
	}
	return 0, false
}

// readLines is the loop both file formats share: it hands each line of r
// to line, counts the non-blank ones, reports an over-long line on b and
// calls skipped for it (the line itself is dropped), calls end after the
// last line and returns what b has built, duplicates dropped.
func (b *builder) readLines(lr *lineReader, line func(n int, l []byte), skipped, end func()) result {
	nonBlank := 0
	for {
		l, ok := lr.next()
		if !ok {
			break
		}
		if lr.tooLong {
			nonBlank++
			skipped()
			b.errf(lr.n, "line longer than %d bytes, skipped", maxLineLen)
			continue
		}
		if len(l) > 0 && l[0] > ' ' && l[0] < utf8.RuneSelf || len(bytes.TrimSpace(l)) > 0 {
			nonBlank++
		}
		line(lr.n, l)
	}
	end()
	res := result{vbs: b.finish(), errs: b.errs, nonBlank: nonBlank}
	res.vbs, res.errs, res.sorted = dropDuplicates(res.vbs, res.errs, b.name, !b.unsorted)
	if lr.err != nil {
		res.readErr = fmt.Errorf("%s: line %d: %w", b.name, lr.n, lr.err)
	}
	return res
}

func readSnmprec(r io.Reader, name string) result {
	return readSnmprecFrom(newLineReader(r), &builder{name: name})
}

func readSnmprecFrom(lr *lineReader, b *builder) result {
	nothing := func() {}
	return b.readLines(lr, func(n int, line []byte) {
		if n := len(line); n == 0 || line[0] <= ' ' || line[0] >= utf8.RuneSelf || line[n-1] <= ' ' || line[n-1] >= utf8.RuneSelf {
			line = bytes.TrimSpace(line) // snmpsim strips every record
		}
		if len(line) == 0 || line[0] == '#' {
			return
		}
		b.snmprecLine(n, line)
	}, nothing, nothing)
}

func (b *builder) snmprecLine(n int, line []byte) {
	if !b.slow && b.snmprecFast(n, line) {
		return
	}
	oid, rest, ok := bytes.Cut(line, []byte("|"))
	if !ok {
		b.errf(n, "not an snmprec record (want OID|TYPE|VALUE): %s", clip(line))
		return
	}
	tag, val, ok := bytes.Cut(rest, []byte("|"))
	if !ok {
		b.errf(n, "truncated snmprec record (want OID|TYPE|VALUE): %s", clip(line))
		return
	}
	mark := len(b.text)
	oidSpan, ok := b.appendVarbindOID(oid)
	if !ok {
		b.errf(n, "bad OID %s", clip(oid))
		return
	}
	v, vs, msg := b.snmprecValue(tag, val)
	if msg != "" {
		b.text = b.text[:mark]
		b.errf(n, "%s", msg)
		return
	}
	b.add(n, oidSpan, v, vs)
}

// snmprecFast reads the usual record in one pass over its OID and type:
// a numeric OID, then an Integer32, an octet string (plain or hex), an
// IpAddress (dotted or hex) or a Counter32, Gauge32, TimeTicks or
// Counter64. It reports false, having changed nothing the walk shows, for
// any other line, which snmprecLine then reads as it reads every line (and
// says what is wrong with it): what this reads, it reads as that would
// (FuzzReadSnmprec compares the two on every input).
func (b *builder) snmprecFast(n int, line []byte) bool {
	rest := line
	if len(rest) > 0 && rest[0] == '.' {
		rest = rest[1:]
	}
	// The OID: its arcs past those it shares with the one before (which
	// were validated then), up to the '|' that ends it.
	same := commonPrefix(rest, b.prevOID)
	i := same
	for i > 0 && rest[i-1] != '.' {
		i--
	}
	for {
		a := i
		for i < len(rest) && rest[i]-'0' <= 9 {
			i++
		}
		if !validArc(rest[a:i]) {
			return false
		}
		if i == len(rest) {
			return false
		}
		if rest[i] == '|' {
			break
		}
		if rest[i] != '.' {
			return false
		}
		i++
	}
	oid := rest[:i]
	rest = rest[i+1:]
	// The type: up to three digits and an optional x.
	code, j := 0, 0
	for j < len(rest) && j < 3 && rest[j]-'0' <= 9 {
		code = code*10 + int(rest[j]-'0')
		j++
	}
	hex := j < len(rest) && rest[j] == 'x'
	if hex {
		j++
	}
	if j == 0 || j >= len(rest) || rest[j] != '|' {
		return false
	}
	val := rest[j+1:]
	var (
		kind vendors.Kind
		x    int64
		u    uint64
		bs   []byte
		ok   bool
	)
	switch {
	case code == 2 && !hex:
		if x, ok = parseInteger32(val); !ok {
			return false
		}
		kind = vendors.KindInteger
	case code == 4 && !hex:
		kind, bs = vendors.KindOctetString, b.bytes(val)
	case hex && (code == 4 || code == 64 && len(val) == 8):
		if bs, ok = b.hexBytes(val); !ok {
			return false
		}
		kind = vendors.KindOctetString
		if code == 64 {
			kind = vendors.KindIPAddress
		}
	case code == 64 && !hex:
		ip, ok := parseIPv4(val)
		if !ok {
			return false
		}
		kind, bs = vendors.KindIPAddress, b.bytes(ip[:])
	case (code == 65 || code == 66 || code == 67 || code == 70) && !hex:
		kind, _ = snmprecKind(code)
		if u, ok = parseUnsigned(val, kind); !ok {
			return false
		}
	default:
		return false
	}
	b.add(n, b.appendCheckedOID(oid, same), vendors.Value{Kind: kind, Int: x, Uint: u, Bytes: bs}, span{})
	return true
}

// hexBytes is b.bytes of the bytes the hex digits s spell (either case,
// an even number of them), decoded in place.
func (b *builder) hexBytes(s []byte) ([]byte, bool) {
	n := len(s) / 2
	if len(s)%2 != 0 {
		return nil, false
	}
	if n == 0 {
		return nil, true
	}
	var dst []byte
	inArena := true
	if len(b.arena)+n <= cap(b.arena) {
		dst = b.arena[len(b.arena) : len(b.arena)+n : len(b.arena)+n]
	} else if n > arenaChunk/8 {
		dst, inArena = make([]byte, n), false
	} else {
		b.arena = make([]byte, 0, arenaChunk)
		dst = b.arena[:n:n]
	}
	if _, ok := appendHex(dst[:0], s); !ok { // into dst: it has room for n
		return nil, false
	}
	if inArena {
		b.arena = b.arena[:len(b.arena)+n]
	}
	return dst, true
}

func (b *builder) snmprecValue(tag, val []byte) (vendors.Value, span, string) {
	if i := bytes.IndexByte(tag, ':'); i >= 0 {
		return vendors.Value{}, span{}, fmt.Sprintf("snmprec type %s uses variation module %s, which is not supported", clip(tag), clip(tag[i+1:]))
	}
	base, enc := tag, byte(0)
	if n := len(base); n > 0 && (base[n-1] == 'x' || base[n-1] == 'e') {
		base, enc = base[:n-1], base[n-1]
	}
	code, ok := smallInt(base)
	kind, known := snmprecKind(code)
	if !ok || !known {
		return vendors.Value{}, span{}, fmt.Sprintf("bad snmprec type %s", clip(tag))
	}

	switch enc {
	case 'x':
		switch kind {
		case vendors.KindOctetString, vendors.KindOpaque, vendors.KindIPAddress:
		default:
			return vendors.Value{}, span{}, fmt.Sprintf("hex encoding (type %s) is not valid for %s", clip(tag), kind)
		}
		var ok bool
		b.scratch, ok = appendHex(b.scratch[:0], val)
		if !ok {
			return vendors.Value{}, span{}, fmt.Sprintf("bad hex value %s for type %s", clip(val), clip(tag))
		}
		val = b.scratch
	case 'e':
		var ok bool
		b.scratch, ok = appendPyUnescaped(b.scratch[:0], val)
		if !ok {
			return vendors.Value{}, span{}, fmt.Sprintf("bad escaped value %s for type %s", clip(val), clip(tag))
		}
		val = b.scratch
	}

	v := vendors.Value{Kind: kind}
	switch kind {
	case vendors.KindOctetString, vendors.KindOpaque:
		v.Bytes = b.bytes(val)
	case vendors.KindIPAddress:
		if enc == 'x' {
			if len(val) != 4 {
				return v, span{}, fmt.Sprintf("bad IpAddress value %s: %d bytes, want 4", clip(val), len(val))
			}
			v.Bytes = b.bytes(val)
			break
		}
		ip, ok := parseIPv4(val)
		if !ok {
			return v, span{}, fmt.Sprintf("bad IpAddress value %s", clip(val))
		}
		v.Bytes = b.bytes(ip[:])
	case vendors.KindInteger:
		i, ok := parseInteger32(val)
		if !ok {
			return v, span{}, fmt.Sprintf("bad Integer32 value %s", clip(val))
		}
		v.Int = i
	case vendors.KindCounter32, vendors.KindGauge32, vendors.KindTimeTicks, vendors.KindCounter64:
		u, ok := parseUnsigned(val, kind)
		if !ok {
			return v, span{}, fmt.Sprintf("bad %s value %s", kind, clip(val))
		}
		v.Uint = u
	case vendors.KindOID:
		s, ok := b.appendOID(val)
		if !ok {
			return v, span{}, fmt.Sprintf("bad OID value %s", clip(val))
		}
		return v, s, ""
	case vendors.KindNull:
		if len(val) != 0 {
			return v, span{}, fmt.Sprintf("Null with a value %s", clip(val))
		}
	}
	// The exceptions carry no value; snmpsim ignores whatever is there.
	return v, span{}, ""
}

// appendPyUnescaped decodes the Python string escapes snmpsim writes for
// the 'e' encoding.
func appendPyUnescaped(dst, s []byte) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		if i == len(s) {
			return dst, false
		}
		switch s[i] {
		case '\\', '\'', '"':
			c = s[i]
		case 'a':
			c = 7
		case 'b':
			c = 8
		case 'f':
			c = 12
		case 'n':
			c = 10
		case 'r':
			c = 13
		case 't':
			c = 9
		case 'v':
			c = 11
		case 'x':
			if i+2 >= len(s) {
				return dst, false
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return dst, false
			}
			c = hi<<4 | lo
			i += 2
		default:
			return dst, false
		}
		dst = append(dst, c)
	}
	return dst, true
}

// ---- snmpwalk ----

type walkState uint8

const (
	stNone  walkState = iota
	stHex             // the last varbind is hex that may wrap onto following lines
	stText            // the last varbind is an unquoted STRING that may go on
	stQuote           // inside a quoted STRING that has not closed yet
)

type rawLine struct {
	n int
	b []byte
}

type walkParser struct {
	*builder
	st      walkState
	hexKind string // "Hex-STRING", "BITS" or "OPAQUE" while st == stHex
	blank   int    // blank lines held back while st == stText

	// st == stQuote
	qLine int
	qOID  span
	qBuf  []byte
	qRaw  []rawLine
}

func readSnmpwalk(r io.Reader, name string) result {
	return readSnmpwalkFrom(newLineReader(r), &builder{name: name})
}

func readSnmpwalkFrom(lr *lineReader, b *builder) result {
	p := &walkParser{builder: b}
	return p.readLines(lr, p.line, func() { p.st = stNone }, p.eof)
}

func (p *walkParser) eof() {
	// Each round reads fewer lines than the one before, so this ends.
	for p.st == stQuote {
		p.errf(p.qLine, "unterminated quoted string: no closing '\"' before the end of the file")
		p.text = p.text[:p.qOID.lo]
		p.st = stNone
		// Read the swallowed lines again as ordinary lines. They hold no
		// unescaped quote, so in practice none of them opens another
		// quoted string.
		raw := p.qRaw
		p.qRaw = nil
		for _, l := range raw {
			p.line(l.n, l.b)
		}
	}
}

func (p *walkParser) line(n int, line []byte) {
	if p.st == stQuote {
		p.quoteCont(n, line)
		return
	}
	l := trimLeft(line)
	if len(trimRight(l)) == 0 {
		if p.st == stText {
			p.blank++
		} else {
			p.st = stNone
		}
		return
	}
	oid, val, kind := splitVarbind(l)
	switch kind {
	case vbNumeric:
		p.st, p.blank = stNone, 0
		p.varbind(n, oid, val)
		return
	case vbSymbolic:
		p.st, p.blank = stNone, 0
		p.errf(n, "symbolic OID %s: the walk must be taken with -On (numeric OIDs)", clip(oid))
		return
	}
	switch p.st {
	case stHex:
		if p.hexCont(l) {
			return
		}
	case stText:
		last := p.last()
		for ; p.blank >= 0; p.blank-- {
			last.Bytes = append(last.Bytes, '\n')
		}
		p.blank = 0
		last.Bytes = appendUnescaped(last.Bytes, line)
		return
	}
	p.st = stNone
	k := numericOIDLen(l)
	switch {
	case l[0] == '#':
		// a comment in a hand-made file
	case k > 0 && k < len(l) && (l[k] == ' ' || l[k] == '\t'):
		p.errf(n, "no \" = \" after the OID: quick-print output (-Oq) is not supported, take the walk with -On only: %s", clip(l))
	default:
		p.errf(n, "not an snmpwalk -On line: %s", clip(l))
	}
}

type vbKind uint8

const (
	vbNone vbKind = iota
	vbNumeric
	vbSymbolic
)

var sepEq = []byte(" = ")

// splitVarbind splits "OID = VALUE" (l has no leading space).
func splitVarbind(l []byte) (oid, val []byte, kind vbKind) {
	if n := numericOIDLen(l); n > 0 {
		rest := l[n:]
		if bytes.HasPrefix(rest, sepEq) {
			return l[:n], rest[3:], vbNumeric
		}
		if string(trimRight(rest)) == " =" {
			return l[:n], nil, vbNumeric
		}
	}
	if i := bytes.Index(l, sepEq); i > 0 && isSymbolicOID(l[:i]) {
		return l[:i], l[i+3:], vbSymbolic
	}
	return nil, nil, vbNone
}

// isSymbolicOID recognises the OIDs snmpwalk prints without -On:
// SNMPv2-MIB::sysDescr.0, iso.3.6.1.2.1.1.1.0, .iso.org.dod.internet….
func isSymbolicOID(s []byte) bool {
	letter := false
	for _, c := range s {
		if c == ' ' || c == '\t' {
			return false
		}
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			letter = true
		}
	}
	return letter && (bytes.Contains(s, []byte("::")) || s[0] == '.' || bytes.HasPrefix(s, []byte("iso")))
}

func (p *walkParser) varbind(n int, oid, val []byte) {
	mark := len(p.text)
	oidSpan, ok := p.appendVarbindOID(oid)
	if !ok {
		p.errf(n, "bad OID %s", clip(oid))
		return
	}
	if msg := p.value(n, oidSpan, val); msg != "" {
		p.text = p.text[:mark]
		p.st = stNone
		p.errf(n, "%s", msg)
	}
}

var wrongType = []byte("Wrong Type (should be ")

// value parses the text after " = " and adds the varbind, or returns why not.
func (p *walkParser) value(n int, at span, val []byte) string {
	v := trimLeft(val)
	for bytes.HasPrefix(v, wrongType) {
		i := bytes.Index(v, []byte("): "))
		if i < 0 {
			break
		}
		v = v[i+3:]
	}
	ex := vendors.Kind(0)
	switch {
	case bytes.HasPrefix(v, []byte("No Such Object")):
		ex = vendors.KindNoSuchObject
	case bytes.HasPrefix(v, []byte("No Such Instance")):
		ex = vendors.KindNoSuchInstance
	case bytes.HasPrefix(v, []byte("No more variables left")):
		ex = vendors.KindEndOfMibView
	case string(trimRight(v)) == `""`:
		p.add(n, at, vendors.Value{Kind: vendors.KindOctetString}, span{})
		return ""
	case string(trimRight(v)) == "NULL":
		p.add(n, at, vendors.Value{Kind: vendors.KindNull}, span{})
		return ""
	}
	if ex != 0 {
		p.add(n, at, vendors.Value{Kind: ex}, span{})
		return ""
	}

	label, rest, ok := bytes.Cut(v, []byte(":"))
	if !ok || len(label) == 0 || len(label) > 20 {
		return fmt.Sprintf("value has no type label: %s (take the walk with -On, without -Oq, -OQ or -Ot)", clip(v))
	}
	if len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	tok := firstToken(rest)
	switch string(label) {
	case "STRING":
		return p.stringValue(n, at, rest)
	case "Hex-STRING", "BITS", "OPAQUE", "Opaque":
		kind, hexKind := vendors.KindOctetString, "Hex-STRING"
		switch label[0] {
		case 'B':
			hexKind = "BITS"
		case 'O':
			kind, hexKind = vendors.KindOpaque, "OPAQUE"
		}
		var ok bool
		p.scratch, ok = p.appendHexTokens(p.scratch[:0], rest, hexKind)
		if !ok {
			return fmt.Sprintf("bad %s value %s", label, clip(rest))
		}
		p.add(n, at, vendors.Value{Kind: kind, Bytes: p.bytes(p.scratch)}, span{})
		p.st, p.hexKind = stHex, hexKind
		return ""
	case "INTEGER":
		if r := trimRight(rest); len(r) > 0 && r[len(r)-1] == ')' {
			if i := bytes.LastIndexByte(r, '('); i >= 0 {
				tok = r[i+1 : len(r)-1] // up(1)
			}
		}
		x, ok := parseInt(tok)
		if !ok {
			x, ok = parseHinted(tok, &p.scratch)
		}
		if !ok {
			return fmt.Sprintf("bad INTEGER value %s", clip(rest))
		}
		p.add(n, at, vendors.Value{Kind: vendors.KindInteger, Int: x}, span{})
		return ""
	case "Gauge32", "UInteger32", "Unsigned32", "Counter32", "Counter64", "Timeticks":
		kind, max := vendors.KindGauge32, uint64(1<<32-1)
		switch label[0] {
		case 'C':
			kind = vendors.KindCounter32
			if label[len(label)-2] == '6' {
				kind, max = vendors.KindCounter64, 1<<64-1
			}
		case 'T':
			kind = vendors.KindTimeTicks
			if len(rest) > 0 && rest[0] == '(' { // (12345) 0:02:03.45
				if i := bytes.IndexByte(rest, ')'); i > 0 {
					tok = rest[1:i]
				}
			}
		}
		u, ok := parseUint(tok)
		if !ok && kind == vendors.KindGauge32 {
			var x int64
			if x, ok = parseHinted(tok, &p.scratch); ok && x < 0 {
				ok = false
			}
			u = uint64(x)
		}
		if !ok || u > max {
			return fmt.Sprintf("bad %s value %s", label, clip(rest))
		}
		p.add(n, at, vendors.Value{Kind: kind, Uint: u}, span{})
		return ""
	case "OID":
		s, ok := p.appendOID(tok)
		if !ok {
			if bytes.ContainsAny(tok, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
				return fmt.Sprintf("symbolic OID value %s: the walk must be taken with -On (numeric OIDs)", clip(tok))
			}
			return fmt.Sprintf("bad OID value %s", clip(rest))
		}
		p.add(n, at, vendors.Value{Kind: vendors.KindOID}, s)
		return ""
	case "IpAddress":
		ip, ok := parseIPv4(tok)
		if !ok {
			return fmt.Sprintf("bad IpAddress value %s", clip(rest))
		}
		p.add(n, at, vendors.Value{Kind: vendors.KindIPAddress, Bytes: p.bytes(ip[:])}, span{})
		return ""
	case "Network Address":
		var ok bool
		p.scratch, ok = appendColonHex(p.scratch[:0], tok)
		if !ok {
			return fmt.Sprintf("bad Network Address value %s", clip(rest))
		}
		p.add(n, at, vendors.Value{Kind: vendors.KindIPAddress, Bytes: p.bytes(p.scratch)}, span{})
		return ""
	}
	return fmt.Sprintf("unknown value type %s", clip(label))
}

func (p *walkParser) stringValue(n int, at span, rest []byte) string {
	if len(rest) == 0 || rest[0] != '"' {
		// Unquoted: a DISPLAY-HINT string. It may go on over the next lines.
		p.scratch = appendUnescaped(p.scratch[:0], rest)
		p.add(n, at, vendors.Value{Kind: vendors.KindOctetString, Bytes: p.bytes(p.scratch)}, span{})
		p.st, p.blank = stText, 0
		return ""
	}
	body := rest[1:]
	if end := closingQuote(body); end >= 0 {
		p.scratch = appendUnescaped(p.scratch[:0], body[:end])
		p.add(n, at, vendors.Value{Kind: vendors.KindOctetString, Bytes: p.bytes(p.scratch)}, span{})
		return ""
	}
	p.st = stQuote
	p.qLine, p.qOID = n, at
	p.qBuf = appendUnescaped(p.qBuf[:0], body)
	p.qRaw = p.qRaw[:0]
	return ""
}

func (p *walkParser) quoteCont(n int, line []byte) {
	p.qBuf = append(p.qBuf, '\n')
	if end := closingQuote(line); end >= 0 {
		p.qBuf = appendUnescaped(p.qBuf, line[:end])
		p.add(p.qLine, p.qOID, vendors.Value{Kind: vendors.KindOctetString, Bytes: p.bytes(p.qBuf)}, span{})
		p.st = stNone
		p.qRaw = p.qRaw[:0]
		return
	}
	p.qBuf = appendUnescaped(p.qBuf, line)
	p.qRaw = append(p.qRaw, rawLine{n, bytes.Clone(line)})
}

// hexCont appends a wrapped line of hex to the last varbind.
func (p *walkParser) hexCont(l []byte) bool {
	if len(l) < 2 || !isHex(l[0]) || !isHex(l[1]) {
		return false
	}
	var ok bool
	p.scratch, ok = p.appendHexTokens(p.scratch[:0], l, p.hexKind)
	if !ok || len(p.scratch) == 0 {
		return false
	}
	last := p.last()
	last.Bytes = append(last.Bytes, p.scratch...)
	return true
}

// appendHexTokens decodes "00 1C 73 " (net-snmp's Hex-STRING). A token that
// is not hex ends the bytes: for BITS the enum labels follow, for the others
// only the "[text]" that -OT adds may follow.
func (p *walkParser) appendHexTokens(dst, s []byte, kind string) ([]byte, bool) {
	for {
		s = trimLeft(s)
		if len(s) == 0 {
			return dst, true
		}
		tok := firstToken(s)
		out, ok := appendHex(dst, tok)
		if !ok || len(tok) == 0 {
			return dst, kind == "BITS" || s[0] == '['
		}
		dst = out
		s = s[len(tok):]
	}
}

// closingQuote returns the index of the first unescaped '"' in s, or -1.
func closingQuote(s []byte) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// appendUnescaped undoes net-snmp's escaping of '\' and '"'.
func appendUnescaped(dst, s []byte) []byte {
	for {
		i := bytes.IndexByte(s, '\\')
		if i < 0 || i == len(s)-1 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		if c := s[i+1]; c == '\\' || c == '"' {
			dst = append(dst, c)
		} else {
			dst = append(dst, '\\', c)
		}
		s = s[i+2:]
	}
}

// ---- small parsers (no allocation, no regexps) ----

func trimLeft(s []byte) []byte {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}

func trimRight(s []byte) []byte {
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}

func firstToken(s []byte) []byte {
	s = trimLeft(s)
	for i, c := range s {
		if c == ' ' || c == '\t' {
			return s[:i]
		}
	}
	return s
}

func allDigits(s []byte) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func smallInt(s []byte) (int, bool) {
	if len(s) == 0 || len(s) > 4 || !allDigits(s) {
		return 0, false
	}
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n, true
}

func parseUint(s []byte) (uint64, bool) {
	if len(s) > 0 && s[0] == '+' {
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	var n uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (1<<64-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// parseInteger32 is an Integer32 value: parseInt within its range.
func parseInteger32(s []byte) (int64, bool) {
	i, ok := parseInt(s)
	return i, ok && i >= -1<<31 && i <= 1<<31-1
}

// parseUnsigned is a Counter32, Gauge32, TimeTicks or Counter64 value of
// kind: parseUint within 32 bits but for a Counter64.
func parseUnsigned(s []byte, kind vendors.Kind) (uint64, bool) {
	u, ok := parseUint(s)
	return u, ok && (kind == vendors.KindCounter64 || u <= 1<<32-1)
}

func parseInt(s []byte) (int64, bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	if neg && len(s) > 0 && s[0] == '+' {
		return 0, false
	}
	u, ok := parseUint(s)
	if !ok {
		return 0, false
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return int64(-u), true
	}
	if u > 1<<63-1 {
		return 0, false
	}
	return int64(u), true
}

// parseHinted reads an integer printed through a "d-N" DISPLAY-HINT, such
// as 25.5 for 255: dropping the decimal point gives the raw value.
func parseHinted(s []byte, scratch *[]byte) (int64, bool) {
	i := bytes.IndexByte(s, '.')
	if i < 0 || i == len(s)-1 || bytes.IndexByte(s[i+1:], '.') >= 0 {
		return 0, false
	}
	b := append(append((*scratch)[:0], s[:i]...), s[i+1:]...)
	*scratch = b
	if i == 0 || s[i-1] < '0' || s[i-1] > '9' {
		return 0, false // ".5", "-.5"
	}
	return parseInt(b)
}

func parseIPv4(s []byte) ([4]byte, bool) {
	var ip [4]byte
	for k := range 4 {
		end := len(s)
		if k < 3 {
			end = bytes.IndexByte(s, '.')
			if end < 0 {
				return ip, false
			}
		}
		part := s[:end]
		if len(part) == 0 || len(part) > 3 {
			return ip, false
		}
		u, ok := parseUint(part)
		if !ok || u > 255 || part[0] == '+' {
			return ip, false
		}
		ip[k] = byte(u)
		if k < 3 {
			s = s[end+1:]
		}
	}
	return ip, true
}

func isHex(c byte) bool {
	_, ok := unhex(c)
	return ok
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// appendHex decodes an even-length run of hex digits (either case).
func appendHex(dst, s []byte) ([]byte, bool) {
	if len(s)%2 != 0 {
		return dst, false
	}
	for i := 0; i < len(s); i += 2 {
		hi, ok1 := unhex(s[i])
		lo, ok2 := unhex(s[i+1])
		if !ok1 || !ok2 {
			return dst, false
		}
		dst = append(dst, hi<<4|lo)
	}
	return dst, true
}

// appendColonHex decodes net-snmp's Network Address, "0A:01:02:03".
func appendColonHex(dst, s []byte) ([]byte, bool) {
	for {
		part, rest, more := bytes.Cut(s, []byte(":"))
		var hi, lo byte
		ok1, ok2 := true, true
		switch len(part) {
		case 1:
			lo, ok2 = unhex(part[0])
		case 2:
			hi, ok1 = unhex(part[0])
			lo, ok2 = unhex(part[1])
		default:
			return dst, false
		}
		if !ok1 || !ok2 {
			return dst, false
		}
		dst = append(dst, hi<<4|lo)
		if !more {
			return dst, true
		}
		s = rest
	}
}

// clip shows a piece of input in an error message: quoted, clipped and
// escaped by the one helper every reader uses.
func clip(s []byte) string { return quote.QBytes(s) }
