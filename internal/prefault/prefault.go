// Package prefault maps the memory of large slices fresh from make before
// they are filled.
package prefault

import "unsafe"

// Touch writes a zero byte into every memory page of a slice's
// storage (to its capacity) fresh from make, before the code that fills it
// reads it or writes pointers into it.
//
// Why: a large allocation comes to Go straight from the kernel, unzeroed
// and unmapped. When its first access is a read (a hash-table probe, or
// the garbage collector's write barrier loading the old value of a
// pointer slot while a collection runs), the kernel maps its shared zero
// page, and the write that follows copies it and flushes that mapping from
// every CPU the process ran on: an inter-processor interrupt per 4 KiB
// page, which on the 2-core VMs this project is measured on cost more than
// the writes themselves (perf: do_wp_page → flush_tlb_mm_range, 8 % of the
// 10k-host audit's CPU, most of it in Build's join tables and its sort of
// claims). A write first maps a private page at once, with no flush.
//
// The byte written is 0 into memory that is 0 (s is fresh from make), so
// no value changes and no pointer is written: nothing the collector needs
// to see.
func Touch[T any](s []T) { TouchSpare(s[:0]) }

// Touched is s after Touch: for make(…) expressions.
func Touched[T any](s []T) []T {
	Touch(s)
	return s
}

// TouchSpare is Touch for the spare capacity of a slice that already
// holds elements (after slices.Grow): it writes a zero byte into every
// page of s[len(s):cap(s)], and never into the elements before it.
func TouchSpare[T any](s []T) {
	size := int(unsafe.Sizeof(*new(T)))
	if size == 0 || len(s) == cap(s) {
		return
	}
	spare := s[len(s):cap(s)]
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(spare))), len(spare)*size)
	const page = 4096
	// The spare part's first byte, then the first byte of each page after.
	b[0] = 0
	base := uintptr(unsafe.Pointer(&b[0]))
	for i := int(page - base%page); i < len(b); i += page {
		b[i] = 0
	}
}
