package host

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/valyala/fastjson"
)

// The scanner (jscan.go) replaced fastjson's parse tree under
// ParseIPLinkJSON and ParseLLDPJSON. These tests hold it to fastjson and
// to the parsers as they were on it (refParseIPLinkJSON,
// refParseLLDPJSON): the same documents accepted and refused, the same
// values read, the same errors.

// dumpFast and dumpScan write a parsed document in one canonical form:
// keys and strings unescaped, numbers as their text.
func dumpFast(b *strings.Builder, v *fastjson.Value) {
	switch v.Type() {
	case fastjson.TypeObject:
		o, _ := v.Object()
		b.WriteByte('{')
		o.Visit(func(k []byte, e *fastjson.Value) {
			fmt.Fprintf(b, "%q:", k)
			dumpFast(b, e)
			b.WriteByte(',')
		})
		b.WriteByte('}')
	case fastjson.TypeArray:
		a, _ := v.Array()
		b.WriteByte('[')
		for _, e := range a {
			dumpFast(b, e)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case fastjson.TypeString:
		s, _ := v.StringBytes()
		fmt.Fprintf(b, "s%q", s)
	case fastjson.TypeNumber:
		fmt.Fprintf(b, "n%s", v.MarshalTo(nil))
	default:
		b.WriteString(v.Type().String())
	}
}

func dumpScan(b *strings.Builder, d *jdoc, v int) {
	switch d.typ(v) {
	case jObject:
		b.WriteByte('{')
		for k := d.first(v); k >= 0; {
			key, e := d.member(k)
			fmt.Fprintf(b, "%q:", d.keyText(key))
			dumpScan(b, d, e)
			b.WriteByte(',')
			k = d.next(e)
		}
		b.WriteByte('}')
	case jArray:
		b.WriteByte('[')
		for e := d.first(v); e >= 0; e = d.next(e) {
			dumpScan(b, d, e)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case jString:
		fmt.Fprintf(b, "s%q", d.text(v))
	case jNumber:
		fmt.Fprintf(b, "n%s", d.text(v))
	case jTrue:
		b.WriteString("true")
	case jFalse:
		b.WriteString("false")
	default:
		b.WriteString("null")
	}
}

// checkScanAgrees fails when the scanner and fastjson disagree about data:
// whether it is JSON (and, where encoding/json takes it, the error), and
// every value in it.
func checkScanAgrees(t *testing.T, data []byte) {
	t.Helper()
	var p fastjson.Parser
	fv, ferr := p.ParseBytes(data)
	d, top, err := scanJSON(data, "f")
	if (err == nil) != (ferr == nil) {
		t.Fatalf("%q: scanner says %v, fastjson %v", data, err, ferr)
	}
	if err != nil {
		if want := jsonError("f", data, ferr); !sameJSONError(err, want) {
			t.Fatalf("%q: error %v, want %v", data, err, want)
		}
		return
	}
	defer releaseJSON(d)
	var a, b strings.Builder
	dumpFast(&a, fv)
	dumpScan(&b, d, top)
	if a.String() != b.String() {
		t.Fatalf("%q: scanner reads\n%s\nfastjson\n%s", data, b.String(), a.String())
	}
	// The numbers the scanner reads as integers, as fastjson's Value.Int did.
	var walk func(v *fastjson.Value)
	walk = func(v *fastjson.Value) {
		switch v.Type() {
		case fastjson.TypeNumber:
			text := v.MarshalTo(nil)
			n, err := parseInt64(text)
			fn, ferr := v.Int()
			if (err == nil) != (ferr == nil) || err == nil && int(n) != fn {
				t.Fatalf("%s: parseInt64 %d %v, fastjson %d %v", text, n, err, fn, ferr)
			}
		case fastjson.TypeArray:
			a, _ := v.Array()
			for _, e := range a {
				walk(e)
			}
		case fastjson.TypeObject:
			o, _ := v.Object()
			o.Visit(func(_ []byte, e *fastjson.Value) { walk(e) })
		}
	}
	walk(fv)
}

// sameJSONError: got is want, or better: placed where want has no place
// (the reference asked encoding/json for the place, which gives none past
// what it cannot read) or in a document whose keys are ambiguous (the
// reference found a key's first spelling, not the member it meant); and a
// document nested too deep is refused at its place, not with fastjson's
// words.
func sameJSONError(got, want error) bool {
	if fmt.Sprint(got) == fmt.Sprint(want) {
		return true
	}
	var g, w *ParseError
	if !errors.As(got, &g) || !errors.As(want, &w) {
		return false
	}
	if strings.HasSuffix(g.Msg, "nested more than 300 deep") {
		// fastjson's words (clipped) for it
		return w.Line == 0 && strings.HasPrefix(w.Msg, `invalid JSON: "cannot parse JSON: cannot parse `)
	}
	return g.File == w.File && g.Msg == w.Msg && (w.Line == 0 || ambiguousDoc)
}

// ambiguousDoc is set while a document whose objects repeat a key is
// compared (see checkIPLinkAgrees).
var ambiguousDoc bool

// ambiguousKeys says whether an object of data (as fastjson reads it)
// names a member twice, in which case the reference's lookups found
// either, depending on how the key is spelled and on the lookups made
// before (fastjson compares keys as written until one lookup fails, then
// unescaped); the scanner always takes the first member whose unescaped
// key matches. dup is set when a key is repeated at all.
func ambiguousKeys(data []byte) (dup, escaped bool) {
	var p fastjson.Parser
	v, err := p.ParseBytes(data)
	if err != nil {
		return false, false
	}
	var walk func(v *fastjson.Value)
	walk = func(v *fastjson.Value) {
		switch v.Type() {
		case fastjson.TypeArray:
			a, _ := v.Array()
			for _, e := range a {
				walk(e)
			}
		case fastjson.TypeObject:
			o, _ := v.Object()
			seen := map[string]bool{}
			o.Visit(func(k []byte, e *fastjson.Value) {
				if seen[string(k)] {
					dup = true
				}
				seen[string(k)] = true
				walk(e)
			})
		}
	}
	walk(v)
	if !dup {
		return false, false
	}
	// Is any key spelled with an escape? In fastjson's compact writing of
	// a tree not yet looked into (keys and strings as written), a key is
	// a string followed by a colon.
	var q fastjson.Parser
	v, _ = q.ParseBytes(data)
	c := v.MarshalTo(nil)
	for i := 0; i < len(c); i++ {
		if c[i] != '"' {
			continue
		}
		j := i + 1
		for c[j] != '"' {
			if c[j] == '\\' {
				j++
			}
			j++
		}
		if j+1 < len(c) && c[j+1] == ':' && bytes.IndexByte(c[i:j], '\\') >= 0 {
			return true, true
		}
		i = j
	}
	return true, false
}

// sameProblems compares Links.Problems as sameJSONError compares errors.
func sameProblems(got, want []error) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !sameJSONError(got[i], want[i]) {
			return false
		}
	}
	return true
}

// checkIPLinkAgrees fails when ParseIPLinkJSON and the reference read data
// differently.
func checkIPLinkAgrees(t *testing.T, data []byte) {
	t.Helper()
	dup, escaped := ambiguousKeys(data)
	if escaped {
		t.Logf("%.80q: a key repeated in another spelling: the reference's reading depends on its lookups; not compared", data)
		return
	}
	ambiguousDoc = dup
	defer func() { ambiguousDoc = false }()
	l, err := ParseIPLinkJSON(data, "f")
	r, rerr := refParseIPLinkJSON(data, "f")
	if !sameJSONError(err, rerr) {
		t.Fatalf("%q: error %v, want %v", data, err, rerr)
	}
	if l == nil || r == nil {
		if (l == nil) != (r == nil) {
			t.Fatalf("%q: links %v, want %v", data, l, r)
		}
		return
	}
	if !sameProblems(l.Problems, r.Problems) {
		t.Fatalf("%q: problems\n%v\nwant\n%v", data, l.Problems, r.Problems)
	}
	lc, rc := *l, *r
	lc.Problems, rc.Problems = nil, nil
	if !reflect.DeepEqual(lc, rc) {
		var differ []string
		lv, rv := reflect.ValueOf(lc), reflect.ValueOf(rc)
		for i := range lv.NumField() {
			if lv.Type().Field(i).IsExported() && !reflect.DeepEqual(lv.Field(i).Interface(), rv.Field(i).Interface()) || !lv.Type().Field(i).IsExported() && fmt.Sprint(lv.Field(i)) != fmt.Sprint(rv.Field(i)) {
				differ = append(differ, lv.Type().Field(i).Name)
			}
		}
		a, _ := json.MarshalIndent(l, "", " ")
		b, _ := json.MarshalIndent(r, "", " ")
		t.Fatalf("%q: links differ in %v\n%s\nwant\n%s", data, differ, a, b)
	}
}

// checkLLDPJSONAgrees fails when ParseLLDPJSON and the reference read data
// differently.
func checkLLDPJSONAgrees(t *testing.T, data []byte) {
	t.Helper()
	dup, escaped := ambiguousKeys(data)
	if escaped {
		t.Logf("%.80q: a key repeated in another spelling: the reference's reading depends on its lookups; not compared", data)
		return
	}
	ambiguousDoc = dup
	defer func() { ambiguousDoc = false }()
	n, err := ParseLLDPJSON(data, "f")
	r, rerr := refParseLLDPJSON(data, "f")
	if !sameJSONError(err, rerr) {
		t.Fatalf("%q: error %v, want %v", data, err, rerr)
	}
	if !reflect.DeepEqual(n, r) {
		a, _ := json.MarshalIndent(n, "", " ")
		b, _ := json.MarshalIndent(r, "", " ")
		t.Fatalf("%q: neighbours\n%s\nwant\n%s", data, a, b)
	}
}

// jsonSyntaxSeeds are documents at the edges of the grammar fastjson took
// (and the scanner takes): numbers as loose as it read them, NaN and
// Infinity, escapes it kept as written, white space it did not skip,
// nesting at and past its limit.
var jsonSyntaxSeeds = []string{
	``, ` `, `1`, `-`, `+`, `-x`, `1.2.3e+-`, `NaN`, `nan`, `-Inf`, `+nAn`, `inf`, `-inF `, `Infinity`, `nul`, `nULL`, `tru`, `truex`, `[truex]`,
	`"a`, `"a\"`, `["\b\f\n\r\t\/\\\"", "\a\'"]`, `"a\\"`, `"\\\"\\"`, `"\q\u12\uZZZZ\u00e9\ud83d\ude00\ud83d\u0041\ud83dx\u"`, "\"\x01\xff\"", `{"a\u0062":1}`, `{"a":1,}`, `[1,]`, `[,]`, `{,}`,
	`{"a" 1}`, `{"a":}`, `{1:2}`, `[1 2]`, `{"a":1 "b":2}`, "\v[]", "[\f]", "[1]\x00", `[1] [2]`, `[] x`, "{\"a\":[1,{\"b\":null}],\"c\":-0.5e3}",
	"\t\r\n[ 1 , \"x\" , { } , [ ] ]\n", `{"":""}`, `[01, 1e, .5, 5., -.5, 0x1]`, `[-9223372036854775808, 9223372036854775808, 18446744073709551616, -0]`,
	strings.Repeat("[", 300) + strings.Repeat("]", 300), strings.Repeat("[", 301) + strings.Repeat("]", 301),
	strings.Repeat("[", 299) + "1" + strings.Repeat("]", 299), strings.Repeat("[", 300) + "1" + strings.Repeat("]", 300),
	strings.Repeat(`{"a":`, 301) + "1" + strings.Repeat("}", 301), strings.Repeat("[", 301) + strings.Repeat("]", 300),
}

func TestJSONScannerAgreesWithFastjson(t *testing.T) {
	for _, s := range jsonSyntaxSeeds {
		checkScanAgrees(t, []byte(s))
	}
	for _, s := range append(ipLinkSeeds, lldpJSONSeeds...) {
		checkScanAgrees(t, []byte(s))
	}
	for _, f := range jsonFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkScanAgrees(t, b)
		// and every way of cutting it short
		for i := 0; i < len(b); i += 1 + len(b)/97 {
			checkScanAgrees(t, b[:i])
		}
	}
}

// TestJSONTooDeep: a document nested deeper than fastjson allowed (and
// encoding/json allows) is refused at the value too deep. fastjson's words
// for it were a chain of 300 "cannot parse array" with no place.
func TestJSONTooDeep(t *testing.T) {
	in := "[\n" + strings.Repeat("[", 300) + strings.Repeat("]", 301)
	_, err := ParseIPLinkJSON([]byte(in), "ip-link.json")
	if want := "ip-link.json:2:300: invalid JSON: nested more than 300 deep"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if _, err := ParseIPLinkJSON([]byte(in[:len(in)-1]), "ip-link.json"); err == nil || !strings.Contains(err.Error(), "file ends early") {
		t.Errorf("cut short: %v", err)
	}
}

// jsonFiles are the JSON files of the package's test data and of the shared
// fixtures (skipped, with a word, when absent).
func jsonFiles(t *testing.T) []string {
	files, _ := filepath.Glob("testdata/capture/*/ip-link.json")
	more, _ := filepath.Glob("testdata/teamd/*.json")
	files = append(files, more...)
	shared, _ := filepath.Glob(filepath.Join(fixtureDir, "lldp", "*.json"))
	if len(shared) == 0 {
		t.Logf("no shared lldp JSON fixtures under %s: not compared", fixtureDir)
	}
	return append(files, shared...)
}

// lldpJSONSeeds are FuzzLLDPJSON's and FuzzJSONScan's small seeds: each
// shape lldpcli prints (json, json0, one neighbour as an object, several
// as a list, chassis keyed by name), and wrong types.
var lldpJSONSeeds = []string{
	`{"lldp":{"interface":{"eth0":{"via":"LLDP","chassis":{"leaf1":{"id":{"type":"mac","value":"00:1C:73:00:00:01"},"descr":"EOS","mgmt-ip":["10.0.0.1","10.0.0.2"]}},` +
		`"port":{"id":{"type":"ifname","value":"Ethernet7"},"descr":"srv ens1","mfs":"9236","aggregation":"15"},"vlan":[{"vlan-id":"100","pvid":true,"value":"v100"},{"vlan-id":"7"}],"ppvid":{"value":"9"}}}}}`,
	`{"lldp":[{"interface":[{"name":"eth0","via":"CDPv2","chassis":[{"id":[{"type":"mac","value":"00:1c:73:00:00:01"}],"name":[{"value":"leaf1"}],"mgmt-ip":[{"value":"10.0.0.1"}]}],` +
		`"port":[{"id":[{"type":"ifname","value":"Ethernet7"}],"mfs":[{"value":"9236"}]}],"vlan":[{"vlan-id":"100","pvid":"yes"}],` +
		`"unknown-tlvs":[{"unknown-tlv":[{"oui":"00,80,C2","subtype":"7","value":"03,00,0F,42,41"},{"oui":"00-12-0f","subtype":"3","value":"01 00 00 00 07"}]}]}]}]}`,
	`{"lldp":{"interface":[{"eth0":{"chassis":{"id":{"type":"local","value":"x"}}}},{"eth1":null,"eth2":{"port":{"aggregation":null}}}]}}`,
	`{"lldp":{"interface":{"name":"","eth0":{}}}}`, `{"lldp":{"interface":[1,{"name":"e"},"x",null]}}`, `{"lldp":[null,{"interface":{"eth0":[1]}},2]}`,
	`{"lldp":{"interface":{"eth0":{"chassis":"x","vlan":5,"port":{"id":true}}}}}`, `{"lldp":"eth0"}`, `{"lldp":null}`, `{"x":1}`, `[]`,
	`{"lldp":{"interface":{"e\u0074h0":{"chassis":{"l\"eaf":{"name":{"value":"a\u00e9"}}}}}}}`,
}

func TestLLDPJSONAgreesWithReference(t *testing.T) {
	docs := lldpJSONSeeds
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "lldp", "*.json"))
	if len(files) == 0 {
		t.Logf("no shared lldp JSON fixtures under %s: only the seeds are compared", fixtureDir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(b))
		// variants: a list where an object was, values of other types
		for _, r := range []*strings.Replacer{
			strings.NewReplacer(`"value"`, `"valeur"`),
			strings.NewReplacer(`[`, `[null,`),
			strings.NewReplacer(`"mac"`, `{"value":"mac"}`, `"ifname"`, `["ifname"]`),
			strings.NewReplacer(`"id"`, `"ID"`, `"chassis"`, `"vlan"`),
			strings.NewReplacer(`{`, `{"name":"x",`),
			strings.NewReplacer(`"interface"`, `"interface":[],"interface"`),
		} {
			docs = append(docs, r.Replace(string(b)))
		}
	}
	for _, tc := range lldpWrongTypeCases {
		docs = append(docs, tc.in)
	}
	for _, d := range docs {
		checkLLDPJSONAgrees(t, []byte(d))
	}
}

// FuzzJSONScan holds the scanner to fastjson on any bytes: the same
// documents accepted, the same values read.
func FuzzJSONScan(f *testing.F) {
	for _, s := range jsonSyntaxSeeds {
		if len(s) < 256 {
			f.Add([]byte(s))
		}
	}
	for _, s := range lldpJSONSeeds[3:] {
		f.Add([]byte(s))
	}
	// pretty-printed, runs of spaces longer than a word (ws reads eight at a time)
	f.Add([]byte("{\n  \"lldp\": [\n    {\n          \"a\": [ 1,\t\r\n                  2 ]\n    }\n  ]\n}          "))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkScanAgrees(t, data)
	})
}

// TestScannerIntegers: the integer readings that fall back to the float
// reading (jint's) agree with the reference's, whatever the number.
func TestScannerIntegers(t *testing.T) {
	for _, n := range []string{"1", "-1", "1.9", "-1.9", "1e3", "1E+2", "2.5e-1", "1.", ".5", "+1", "1.2.3", "NaN", "-Inf", "99999999999999999999", "-9223372036854775808", "007"} {
		for _, doc := range []string{`{"mtu":` + n + `}`, `{"mtu":` + strconv.Quote(" "+n+" ") + `}`} {
			var p fastjson.Parser
			fv, err := p.Parse(doc)
			if err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			d, top, err := scanJSON([]byte(doc), "f")
			if err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			if got, want := d.int(d.get(top, "mtu")), refJint(fv, "mtu"); got != want {
				t.Errorf("%s: %d, want %d", doc, got, want)
			}
			releaseJSON(d)
		}
	}
}

// TestJSONSnapshotsKeepNoFileText: what ParseIPLinkJSON and ParseLLDPJSON
// return holds no piece of the bytes they read (a capture's read buffer is
// pooled and reused for the next file): overwriting the input after the
// parse changes nothing in the result.
func TestJSONSnapshotsKeepNoFileText(t *testing.T) {
	docs := map[string][]string{"ip-link": ipLinkSeeds, "lldp": lldpJSONSeeds}
	for kind, pattern := range map[string]string{"ip-link": "testdata/capture/*/ip-link.json", "lldp": "testdata/lldp/*.json"} {
		files, _ := filepath.Glob(pattern)
		if len(files) == 0 {
			t.Fatalf("no %s", pattern)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs[kind] = append(docs[kind], string(b))
		}
	}
	docs["lldp"] = append(docs["lldp"], `{"lldp":{"interface":{"e\u0074h0\u00e9-a-long-interface-name":{"chassis":{"leaf\"1":{"descr":"d\u00e9scr"}},"port":{"id":{"type":"ifname","value":"Eth\u0065rnet7"},"descr":"a port description longer than twenty-four bytes"}}}}}`)
	for kind, list := range docs {
		for _, doc := range list {
			buf := []byte(doc)
			var got any
			var err error
			if kind == "ip-link" {
				got, err = ParseIPLinkJSON(buf, "f")
			} else {
				got, err = ParseLLDPJSON(buf, "f")
			}
			before, _ := json.Marshal(got)
			for i := range buf {
				buf[i] = 'x'
			}
			after, _ := json.Marshal(got)
			if !bytes.Equal(before, after) {
				t.Errorf("%s %.60q (err %v): the result changed with the input:\n%s\n%s", kind, doc, err, before, after)
			}
		}
	}
}

// TestReleaseJSONCapsScratch: a document given back keeps neither a link
// table nor a key scratch over its cap for the next one.
func TestReleaseJSONCapsScratch(t *testing.T) {
	d := &jdoc{link: make([]int32, maxPooledLinks+1), kbuf: make([]byte, maxPooledKey+1)}
	releaseJSON(d)
	if d.link != nil || d.kbuf != nil {
		t.Errorf("kept link %d, kbuf %d", cap(d.link), cap(d.kbuf))
	}
	d = &jdoc{link: make([]int32, 8), kbuf: make([]byte, 8)}
	releaseJSON(d)
	if d.link == nil || d.kbuf == nil {
		t.Error("dropped small scratch")
	}
}

// wsRef is the white space skip byte by byte, as ws was before it read
// runs of spaces a word at a time.
func wsRef(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

// TestJSONWhiteSpaceRuns: ws lands where the byte-by-byte skip does from
// every offset of runs of every length up to past two words, of spaces
// broken by the other white space and by bytes that are not (a space's
// neighbours 0x1f and 0x21, NUL, 0xa0, 0xff), up to and at the end of
// the data; and documents laid out with such runs read as fastjson reads
// them.
func TestJSONWhiteSpaceRuns(t *testing.T) {
	breaks := []byte{'\n', '\t', '\r', 0x1f, '!', 0, 0xa0, 0xff, '"', '{'}
	d := new(jdoc)
	checked := 0
	for n := 0; n <= 19; n++ {
		for _, b := range breaks {
			for at := 0; at <= n; at++ {
				run := []byte(strings.Repeat(" ", n))
				data := append(append(run[:at:at], b), run[at:]...)
				for _, tail := range [][]byte{nil, []byte("1"), []byte(" \n  x")} {
					data := append(slices.Clone(data), tail...)
					d.data = data
					for i := 0; i <= len(data); i++ {
						if got, want := d.ws(i), wsRef(data, i); got != want {
							t.Fatalf("ws(%q, %d) = %d, want %d", data, i, got, want)
						}
						checked++
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
	for n := 0; n <= 17; n++ {
		pad := strings.Repeat(" ", n)
		for _, doc := range []string{
			"[" + pad + "1" + pad + "," + pad + "\n" + pad + "{" + pad + `"a"` + pad + ":" + pad + "true" + pad + "}" + pad + "]" + pad,
			pad + "{\n" + pad + `"lldp"` + ":\t" + pad + "[ \r\n" + pad + "null" + pad + "\n" + pad + "]\n" + pad + "}",
			pad + "[" + pad + "1" + pad + "2" + pad + "]",
			pad,
		} {
			checkScanAgrees(t, []byte(doc))
		}
	}
}
