package snmp

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// FuzzSnmprecWalk: snmprec with OIDs out of order and repeated, as a
// recording edited by hand or concatenated from two walks, becomes a walk
// in strict OID order that holds only OIDs of the file, each once (every
// OID the file has once among them), and finds each of them; the same varbinds in another order give the same
// walk when no OID repeats; and every decoder takes it.
func FuzzSnmprecWalk(f *testing.F) {
	for _, s := range []string{
		// unordered
		"1.3.6.1.2.1.2.2.1.2.2|4|eth2\n1.3.6.1.2.1.2.2.1.2.1|4|eth1\n1.3.6.1.2.1.1.5.0|4|sw1\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.30065.1\n",
		// the same OID twice, with the same and with different values
		"1.3.6.1.2.1.1.5.0|4|sw1\n1.3.6.1.2.1.2.2.1.2.1|4|eth1\n1.3.6.1.2.1.2.2.1.2.1|4|eth1\n1.3.6.1.2.1.2.2.1.8.1|2|1\n1.3.6.1.2.1.2.2.1.8.1|2|2\n",
		// a prefix after its child, a table column split in two
		"1.3.6.1.2.1.31.1.1.1.1.10|4|Po10\n1.3.6.1.2.1.31.1.1.1.1|4|x\n1.3.6.1.2.1.31.1.1.1.1.2|4|Et2\n1.3.6.1.2.1.2.2.1.3.2|2|6\n1.3.6.1.2.1.31.1.1.1.1.1|4|Et1\n",
		// LAG tables, last row first
		"1.2.840.10006.300.43.1.2.1.1.13.2|2|10\n1.2.840.10006.300.43.1.2.1.1.13.1|2|10\n1.3.6.1.2.1.2.2.1.3.10|2|161\n1.3.6.1.2.1.2.2.1.3.1|2|6\n1.3.6.1.2.1.2.2.1.3.1|2|6\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		vbs, _ := ReadSnmprec(bytes.NewReader(data), "fuzz")
		w := vendors.NewWalk(vbs)
		inFile := map[string]int{}
		for _, vb := range vbs {
			inFile[vb.OID]++
		}
		got := w.All()
		if len(got) > len(inFile) {
			t.Fatalf("walk of %d varbinds from %d distinct OIDs", len(got), len(inFile))
		}
		for oid, n := range inFile {
			if _, ok := w.Get(oid); n == 1 && !ok {
				t.Fatalf("%s, once in the file, is not in the walk", oid)
			}
		}
		for i, vb := range got {
			if i > 0 && vendors.CompareOID(got[i-1].OID, vb.OID) >= 0 {
				t.Fatalf("walk not in strict OID order: %s then %s", got[i-1].OID, vb.OID)
			}
			if inFile[vb.OID] == 0 {
				t.Fatalf("walk holds %s, which the file does not", vb.OID)
			}
			if v, ok := w.Get(vb.OID); !ok || !sameValue(v, vb.Value) {
				t.Fatalf("Get(%s) = %v, %v; the walk holds %v", vb.OID, v, ok, vb.Value)
			}
			if _, ok := w.Get(vb.OID + ".0.0"); ok && inFile[vb.OID+".0.0"] == 0 {
				t.Fatalf("Get finds %s.0.0, not in the file", vb.OID)
			}
		}
		if len(inFile) == len(vbs) && len(vbs) > 1 {
			shuffled := slices.Clone(vbs)
			rand.New(rand.NewPCG(uint64(len(data)), 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			again := vendors.NewWalk(shuffled).All()
			for i := range got {
				if got[i].OID != again[i].OID || !sameValue(got[i].Value, again[i].Value) {
					t.Fatalf("order changes the walk at %d: %s vs %s", i, got[i].OID, again[i].OID)
				}
			}
		}
		s, _ := all.Decode(w, "fuzz")
		if s == nil || s.Name == "" {
			t.Fatal("Decode returned no switch or no name")
		}
	})
}

// Credentials the targets fuzz target hands out: no message may show them.
const (
	fuzzEnvSecret  = "env-s3cret-value"
	fuzzFileSecret = "file-s3cret-value"
)

// FuzzParseTargets: any targets.yaml is either refused with errors that
// name the file and never a credential, or gives targets that respect
// what the parser promises (names usable as file names and unique,
// versions with their credentials, deadline not under the timeout,
// max_varbinds in range).
func FuzzParseTargets(f *testing.F) {
	for _, s := range []string{
		"defaults:\n  community: {env: RO}\n  timeout: 3s\n  retries: 2\n  max_varbinds: 1000\ntargets:\n  - {name: leaf1, address: 10.0.0.1}\n  - name: leaf2\n    port: 1161\n    no_bulk: true\n",
		"groups:\n  dc1:\n    version: 3\n    v3: {user: ba, auth_protocol: SHA256, auth_key: {file: /k}, priv_protocol: AES, priv_key: {env: P}}\ntargets:\n  - {name: a, group: dc1, deadline: 90s, max_repetitions: 40}\n",
		"targets:\n  - {name: a, community: public}\n  - {name: a, community: {env: RO}}\n  - {name: ../x, version: 4}\n",
		"defaults: {version: 1, community: {file: /c}, context: vlan-10}\ntargets: [{name: s1}, {name: s2, timeout: 1m, deadline: 30s}]\n",
		"targets:\n  - {name: a, community: {env: RO}, max_varbinds: 0}\n  - {name: b, community: {env: RO}, max_varbinds: 99999999999}\n",
	} {
		f.Add([]byte(s))
	}
	env := func(string) (string, bool) { return fuzzEnvSecret, true }
	readFile := func(string) ([]byte, error) { return []byte(fuzzFileSecret + "\n"), nil }
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := ParseTargets(data, "targets.yaml", env, readFile)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "targets.yaml") {
				t.Fatalf("error does not name the file: %q", msg)
			}
			if strings.Contains(msg, fuzzEnvSecret) || strings.Contains(msg, fuzzFileSecret) {
				t.Fatalf("error shows a credential: %q", msg)
			}
			if ts != nil {
				t.Fatalf("targets and an error")
			}
			return
		}
		if len(ts) == 0 {
			t.Fatal("no targets and no error")
		}
		names := map[string]bool{}
		for _, tg := range ts {
			o := tg.Options
			switch {
			case tg.Name == "" || strings.ContainsAny(tg.Name, `/\`) || strings.HasPrefix(tg.Name, "."):
				t.Fatalf("target name %q", tg.Name)
			case names[tg.Name]:
				t.Fatalf("target %q twice", tg.Name)
			case o.Address == "" || o.Port == 0 || o.Timeout <= 0 || tg.Deadline < o.Timeout:
				t.Fatalf("target %s: %+v deadline %s", tg.Name, o, tg.Deadline)
			case o.MaxVarBinds < 1 || o.MaxVarBinds > maxMaxVarBinds || o.MaxRepetitions < 1 || o.MaxRepetitions > 1000 || o.Retries < 0 || o.Retries > 10:
				t.Fatalf("target %s: out of range %+v", tg.Name, o)
			case (o.Version == V1 || o.Version == V2c) && o.Community.IsZero():
				t.Fatalf("target %s: SNMP %s without a community", tg.Name, o.Version)
			case o.Version == V3 && (o.V3 == nil || o.V3.User == ""):
				t.Fatalf("target %s: SNMPv3 without a user", tg.Name)
			case o.Version != V1 && o.Version != V2c && o.Version != V3:
				t.Fatalf("target %s: version %q", tg.Name, o.Version)
			}
			names[tg.Name] = true
			if s := fmt.Sprintf("%v %+v %#v", tg, tg, tg); strings.Contains(s, fuzzEnvSecret) || strings.Contains(s, fuzzFileSecret) {
				t.Fatalf("a target prints a credential: %s", s)
			}
		}
	})
}
