package all_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"unsafe"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// arenaWalk copies w into one buffer, OID texts and value bytes alike, as
// a reader that reuses its buffers would hand it over.
func arenaWalk(w *vendors.Walk) (*vendors.Walk, []byte) {
	size := 0
	for _, vb := range w.All() {
		size += len(vb.OID) + len(vb.Value.Bytes) + len(vb.Value.OID)
	}
	arena := make([]byte, 0, size)
	str := func(s string) string {
		if s == "" {
			return ""
		}
		off := len(arena)
		arena = append(arena, s...)
		return unsafe.String(&arena[off], len(s))
	}
	vbs := make([]vendors.VarBind, 0, w.Len())
	for _, vb := range w.All() {
		vb.OID = str(vb.OID)
		vb.Value.OID = str(vb.Value.OID)
		if vb.Value.Bytes != nil {
			off := len(arena)
			arena = append(arena, vb.Value.Bytes...)
			vb.Value.Bytes = arena[off:len(arena):len(arena)]
		}
		vbs = append(vbs, vb)
	}
	return vendors.NewWalk(vbs), arena
}

// aliases reports every string reachable from v whose bytes lie in arena.
func aliases(v reflect.Value, path string, arena []byte, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		if s == "" || len(arena) == 0 {
			return
		}
		p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(arena)))
		if p >= lo && p < lo+uintptr(cap(arena)) {
			*out = append(*out, fmt.Sprintf("%s = %q", path, s))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			aliases(v.Elem(), path, arena, out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			aliases(v.Field(i), path+"."+v.Type().Field(i).Name, arena, out)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 && v.Len() > 0 {
			p, lo := v.Pointer(), uintptr(unsafe.Pointer(unsafe.SliceData(arena)))
			if p >= lo && p < lo+uintptr(cap(arena)) {
				*out = append(*out, path+" (bytes)")
			}
			return
		}
		for i := range v.Len() {
			aliases(v.Index(i), fmt.Sprintf("%s[%d]", path, i), arena, out)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			aliases(it.Key(), path+"{key}", arena, out)
			aliases(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()), arena, out)
		}
	}
}

// oidValued is a walk whose LLDP neighbour IDs and sysObjectID are OID
// values: the ones Value.String hands out as the walk's own text.
func oidValued() *vendors.Walk {
	oid := func(s string) vendors.Value { return vendors.Value{Kind: vendors.KindOID, OID: s} }
	i := func(n int64) vendors.Value { return vendors.Value{Kind: vendors.KindInteger, Int: n} }
	str := func(s string) vendors.Value { return vendors.Value{Kind: vendors.KindOctetString, Bytes: []byte(s)} }
	return vendors.NewWalk([]vendors.VarBind{
		{OID: "1.0.8802.1.1.2.1.4.1.1.4.0.1.1", Value: i(1)},
		{OID: "1.0.8802.1.1.2.1.4.1.1.5.0.1.1", Value: oid("1.3.6.1.4.1.99.1")},
		{OID: "1.0.8802.1.1.2.1.4.1.1.6.0.1.1", Value: i(6)},
		{OID: "1.0.8802.1.1.2.1.4.1.1.7.0.1.1", Value: oid("1.3.6.1.4.1.99.2")},
		{OID: "1.3.6.1.2.1.1.2.0", Value: oid("1.3.6.1.4.1.30065.1")},
		{OID: "1.3.6.1.2.1.2.2.1.2.1", Value: str("Ethernet1")},
		{OID: "1.3.6.1.2.1.2.2.1.3.1", Value: i(6)},
	})
}

// TestDecodersKeepNothingOfTheWalk: what the decoders return (the
// standard one, then every family's, forced on every walk) holds no string
// or bytes of the walk, whose OID texts and value bytes a reader may reuse
// once the decode is done; and overwriting them afterwards changes nothing.
func TestDecodersKeepNothingOfTheWalk(t *testing.T) {
	walks := columnWalks(t)
	walks["oid-valued"] = oidValued()
	names := make([]string, 0, len(walks))
	for n := range walks {
		names = append(names, n)
	}
	slices.Sort(names)
	decode := func(w *vendors.Walk, p vendors.Profile) (*topology.Switch, []topology.Problem) {
		s, probs := vendors.DecodeWith(w, "x", nil)
		if p.Decode != nil {
			p.Decode(w, s, &probs)
		}
		return s, probs
	}
	for _, name := range names {
		for _, p := range all.Profiles() {
			w, arena := arenaWalk(walks[name])
			s, probs := decode(w, p)
			var found []string
			aliases(reflect.ValueOf(s), "Switch", arena, &found)
			aliases(reflect.ValueOf(probs), "problems", arena, &found)
			for _, f := range found {
				t.Errorf("%s, %s: %s aliases the walk", name, p.Name, f)
			}
			got, _ := json.Marshal([]any{s, probs})
			for i := range arena {
				arena[i] = 'X'
			}
			s, probs = decode(walks[name], p)
			want, _ := json.Marshal([]any{s, probs})
			if string(got) != string(want) {
				t.Errorf("%s, %s: overwriting the walk changed the decoded switch", name, p.Name)
			}
		}
	}
}
