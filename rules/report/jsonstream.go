package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"sync"

	"github.com/bondaudit/bondaudit/topology/escape"
)

// jsonObject writes one indented JSON object field by field, encoding each
// value (each element of a list) alone, so a report of 100,000 hosts is
// never held whole: the bytes are those escape.JSON(w).Encode writes for
// the whole object (the same indentation, HTML escaping and escape policy;
// pieces split only at ASCII punctuation, so no character is cut).
type jsonObject struct {
	w      *bufio.Writer
	buf    bytes.Buffer
	app    []byte                   // appendList's and appendField's element, reused
	chunks [][]byte                 // appendChunks' buffers, reused from list to list
	encs   map[string]*json.Encoder // by line prefix
	fields int
	err    error
}

func newJSONObject(w io.Writer) *jsonObject {
	o := &jsonObject{w: bufio.NewWriterSize(w, 64<<10), encs: map[string]*json.Encoder{}}
	o.raw("{\n")
	return o
}

func (o *jsonObject) raw(s string) {
	if o.err == nil {
		_, o.err = o.w.WriteString(s)
	}
}

// value writes v as the encoder indents it at this prefix (its first line
// unprefixed, as after a key or a list's own prefix).
func (o *jsonObject) value(prefix string, v any) {
	if o.err != nil {
		return
	}
	enc := o.encs[prefix]
	if enc == nil {
		enc = json.NewEncoder(&o.buf)
		enc.SetIndent(prefix, "  ")
		o.encs[prefix] = enc
	}
	o.buf.Reset()
	if o.err = enc.Encode(v); o.err != nil {
		return
	}
	b := bytes.TrimSuffix(o.buf.Bytes(), []byte("\n"))
	_, o.err = o.w.Write(escape.JSONBytes(b))
}

// key starts the next field; key is a constant, plain ASCII name.
func (o *jsonObject) key(key string) {
	if o.fields > 0 {
		o.raw(",\n")
	}
	o.fields++
	o.raw(`  "` + key + `": `)
}

// field writes "key": v.
func (o *jsonObject) field(key string, v any) {
	o.key(key)
	o.value("  ", v)
}

// appendList writes "key": [ elem(0), … elem(n-1) ] ([] when n is 0);
// elem appends element i's own indented JSON (jsonappend.go), indented
// at 4, to b. A long list (a 100k-host site's findings and links) is
// encoded in chunks on GOMAXPROCS goroutines and written in order, a few
// chunks in flight: elem must only read what it encodes.
func (o *jsonObject) appendList(key string, n int, elem func(b []byte, i int) []byte) {
	o.key(key)
	o.list("    ", n, elem)
}

// list writes [ elem(0), … elem(n-1) ] ([] when n is 0), each element on
// its own line after prefix (the list's own indentation plus two),
// encoded in chunks side by side when the list is long (appendList).
func (o *jsonObject) list(prefix string, n int, elem func(b []byte, i int) []byte) {
	if n == 0 {
		o.raw("[]")
		return
	}
	o.raw("[\n")
	if workers := runtime.GOMAXPROCS(0); n >= 2*listChunk && workers > 1 {
		o.appendChunks(n, workers, prefix, elem)
	} else {
		for i := 0; i < n && o.err == nil; i++ {
			o.app = appendElem(o.app[:0], i, prefix, elem)
			_, o.err = o.w.Write(o.app)
		}
	}
	o.raw("\n" + prefix[:len(prefix)-2] + "]")
}

// jsonList is one list of an object of lists (listsField): its key, its
// length and its elements, each appended as appendList's elem appends
// (indented at 6: the lists are one level down).
type jsonList struct {
	key  string
	n    int
	elem func(b []byte, i int) []byte
}

// listsField writes "key": { "list": [ … ], … }: an object whose fields
// are lists, each written as appendList writes one (in chunks when long).
func (o *jsonObject) listsField(key string, lists ...jsonList) {
	o.key(key)
	o.raw("{\n")
	for j, l := range lists {
		if j > 0 {
			o.raw(",\n")
		}
		o.raw(`    "` + l.key + `": `)
		o.list("      ", l.n, l.elem)
	}
	o.raw("\n  }")
}

// listChunk is how many elements one goroutine encodes at a time (a
// variable: tests make chunks small to run the chunked path on short
// lists).
var listChunk = 512

// appendElem appends element i as it stands in its list: after a comma
// and newline unless it is the first, after prefix.
func appendElem(b []byte, i int, prefix string, elem func(b []byte, i int) []byte) []byte {
	if i > 0 {
		b = append(b, ",\n"...)
	}
	b = append(b, prefix...)
	return elem(b, i)
}

// appendChunks is appendList's loop for a long list: chunk c (elements
// c*listChunk …) is encoded by one of workers goroutines into its own
// buffer and written when the chunks before it are; at most 2*workers
// chunks are encoded ahead of the writer, so memory stays a few chunks.
func (o *jsonObject) appendChunks(n, workers int, prefix string, elem func(b []byte, i int) []byte) {
	chunks := (n + listChunk - 1) / listChunk
	ahead := 2 * workers
	done := make([]chan []byte, chunks)
	for c := range done {
		done[c] = make(chan []byte, 1)
	}
	free := make(chan []byte, ahead)
	for i := range ahead {
		var b []byte
		if i < len(o.chunks) {
			b = o.chunks[i]
		}
		free <- b
	}
	next := make(chan int, chunks)
	for c := range chunks {
		next <- c
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				// a buffer first, then the next chunk: every chunk taken
				// has a buffer, so the lowest one not yet written is
				// always being encoded (taking the chunk first, a worker
				// could wait for a buffer that only chunks after its own
				// hold, while the writer waits for its chunk)
				b := <-free
				c, ok := <-next
				if !ok {
					free <- b // back for the next list (appendChunks' end)
					return
				}
				b = b[:0]
				for i := c * listChunk; i < min(n, (c+1)*listChunk); i++ {
					b = appendElem(b, i, prefix, elem)
				}
				done[c] <- b
			}
		}()
	}
	for c := range chunks {
		b := <-done[c]
		if o.err == nil {
			_, o.err = o.w.Write(b)
		}
		free <- b
	}
	wg.Wait()
	o.chunks = o.chunks[:0]
	for range ahead {
		o.chunks = append(o.chunks, <-free)
	}
}

// appendField is field for a value that appends its own indented JSON:
// v appends it, indented at 2, to b.
func (o *jsonObject) appendField(key string, v func(b []byte) []byte) {
	o.key(key)
	if o.err == nil {
		o.app = v(o.app[:0])
		_, o.err = o.w.Write(o.app)
	}
}

// close ends the object as Encode does (a newline after it) and flushes.
func (o *jsonObject) close() error {
	o.raw("\n}\n")
	if o.err != nil {
		return o.err
	}
	return o.w.Flush()
}
