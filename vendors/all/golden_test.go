package all_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	sg "github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

var updateDecodeDigests = flag.Bool("update-decode-digests", false,
	"rewrite testdata/decode-digests.txt from the decoders as they are (only from a commit whose output is the reference)")

// decodeDigestsFile holds, for every walk of goldenWalks, a digest of the
// walk and one of what the decoders made of it, written by the decoders
// before issue 18's decode work (commit f6c706e: "go test
// -update-decode-digests"). The optimised decoders must give the same
// bytes.
const decodeDigestsFile = "testdata/decode-digests.txt"

// walkDigest is a digest of every varbind of w (OID, value, line).
func walkDigest(w *vendors.Walk) string {
	h := sha256.New()
	var n [8]byte
	num := func(x uint64) { binary.LittleEndian.PutUint64(n[:], x); h.Write(n[:]) }
	str := func(s string) { num(uint64(len(s))); h.Write([]byte(s)) }
	for _, vb := range w.All() {
		str(vb.OID)
		num(uint64(vb.Value.Kind))
		num(uint64(vb.Value.Int))
		num(vb.Value.Uint)
		num(uint64(len(vb.Value.Bytes)))
		if vb.Value.Bytes == nil {
			num(1) // nil and empty differ to a decoder that checks
		}
		h.Write(vb.Value.Bytes)
		str(vb.Value.OID)
		num(uint64(vb.Line))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// decodeDigest is a digest of everything the decoders make of w: all.Decode,
// then the standard decoder followed by each family's decoder forced on
// the walk (the paths a recording of another family opens), then
// VLANFDB.
func decodeDigest(t testing.TB, w *vendors.Walk, name string, forced bool) string {
	t.Helper()
	h := sha256.New()
	enc := json.NewEncoder(h)
	put := func(v ...any) {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	s, probs := all.Decode(w, name)
	put(s, probs)
	if forced {
		for _, p := range all.Profiles() {
			s, probs := vendors.DecodeWith(w, name, nil)
			if p.Decode != nil {
				p.Decode(w, s, &probs)
			}
			put(p.Name, s, probs)
		}
		fdb, fprobs := vendors.VLANFDB(w, 10, s)
		put(fdb, fprobs)
	}
	return hex.EncodeToString(h.Sum(nil))
}

type goldenWalk struct {
	name   string
	w      *vendors.Walk
	forced bool
}

// goldenWalks are the walks the decoders' output is pinned on: every
// shared recording, the hand-written and synthetic walks of the column
// tracer (each with every family forced), the 400 switches of the
// generated 10,000-host benchmark site and two small generated sites of
// other seeds (without -short).
func goldenWalks(t *testing.T) []goldenWalk {
	t.Helper()
	var out []goldenWalk
	cw := columnWalks(t)
	for name, w := range cw {
		out = append(out, goldenWalk{name, w, true})
	}
	if !testing.Short() {
		dirs := map[string]string{}
		dir, _, err := sg.Cached(10000, 400)
		if err != nil {
			t.Fatal(err)
		}
		dirs["bench10k"] = dir
		for _, seed := range []int64{2, 3} {
			d := t.TempDir()
			o := sg.BenchOptions(300, 13)
			o.Seed = seed
			if _, err := sg.Write(d, o); err != nil {
				t.Fatal(err)
			}
			dirs[fmt.Sprintf("seed%d", seed)] = d
		}
		for site, d := range dirs {
			files, _ := filepath.Glob(filepath.Join(d, "switches", "*"))
			for _, f := range files {
				w, _, err := snmp.ReadWalkFile(f)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, goldenWalk{site + "/" + filepath.Base(f), w, site != "bench10k"})
			}
		}
	}
	slices.SortFunc(out, func(a, b goldenWalk) int { return strings.Compare(a.name, b.name) })
	return out
}

// TestDecodeMatchesDigests: the decoders give, byte for byte, what the
// decoders before the issue 18 work gave on every walk of goldenWalks
// whose bytes are still those the digests were taken of (a recording or
// the generator that changed since is reported, not compared).
func TestDecodeMatchesDigests(t *testing.T) {
	walks := goldenWalks(t)
	if *updateDecodeDigests {
		var b strings.Builder
		for _, g := range walks {
			fmt.Fprintf(&b, "%s\t%s\t%s\n", g.name, walkDigest(g.w), decodeDigest(t, g.w, g.name, g.forced))
		}
		if err := os.WriteFile(decodeDigestsFile, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(decodeDigestsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type digests struct{ walk, decode string }
	want := map[string]digests{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 3 {
			t.Fatalf("%s: bad line %q", decodeDigestsFile, sc.Text())
		}
		want[parts[0]] = digests{parts[1], parts[2]}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	compared, stale := 0, 0
	for _, g := range walks {
		d, ok := want[g.name]
		if !ok || d.walk != walkDigest(g.w) {
			stale++
			t.Logf("%s: walk not among the digests or changed since: not compared", g.name)
			continue
		}
		compared++
		if got := decodeDigest(t, g.w, g.name, g.forced); got != d.decode {
			t.Errorf("%s: decoded differently from the reference decoders", g.name)
		}
	}
	t.Logf("%d walks compared, %d not", compared, stale)
	if compared == 0 || stale > compared {
		t.Errorf("%d of %d walks have no digest: %s is stale", stale, len(walks), decodeDigestsFile)
	}
}
