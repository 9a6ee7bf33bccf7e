package host

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/bondaudit/bondaudit/topology"
)

// eachString calls f for every string reachable from v (fields, slices,
// pointers), as a settable reflect.Value.
func eachString(v reflect.Value, path string, f func(path string, s reflect.Value)) {
	switch v.Kind() {
	case reflect.String:
		f(path, v)
	case reflect.Pointer:
		if !v.IsNil() {
			eachString(v.Elem(), path, f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			eachString(v.Field(i), path+"."+v.Type().Field(i).Name, f)
		}
	case reflect.Slice:
		for i := range v.Len() {
			eachString(v.Index(i), path+"[]", f)
		}
	}
}

// detachBond leaves no string of a bond pointing into the text it was cut
// from, whichever field it is in: every string field of a Bond (a field
// added later too) is set to a piece of one file text, and none may still
// point into it afterwards. Words are interned: two hosts' "eth0" are one.
func TestDetachBondKeepsNoFileText(t *testing.T) {
	on := true
	b := topology.Bond{
		ARPTargets:       []string{"x"},
		LACPActive:       &on,
		ActiveAggregator: &topology.Aggregator{},
		Slaves:           []topology.Slave{{Actor: &topology.LACPPort{}, Partner: &topology.LACPPort{}}, {}},
	}
	text := strings.Repeat("file text eth0 00:11:22:33:44:55 ", 64)
	lo := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	hi := lo + uintptr(len(text))
	n := 0
	eachString(reflect.ValueOf(&b).Elem(), "Bond", func(_ string, s reflect.Value) {
		s.SetString(text[10+n : 14+n+n%5])
		n++
	})
	if n < 20 {
		t.Fatalf("only %d string fields set", n)
	}
	detachBond(&b)
	eachString(reflect.ValueOf(&b).Elem(), "Bond", func(path string, s reflect.Value) {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s.String())))
		// Source is the file's path the caller gave, not its text.
		if s.Len() > 0 && p >= lo && p < hi && !strings.HasSuffix(path, ".Source") {
			t.Errorf("%s = %q still points into the file text", path, s.String())
		}
	})
	a, c := strings.Clone("eth0"), strings.Clone("eth0")
	if unsafe.StringData(intern(a)) != unsafe.StringData(intern(c)) {
		t.Error("two copies of eth0 interned are not one")
	}
}
