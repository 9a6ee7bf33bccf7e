package sitegen

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// SnmprecLine is the shape of every line WriteSite puts in a .snmprec file.
var SnmprecLine = regexp.MustCompile(`^[0-9.]+\|[0-9]+x?\|.*$`)

// checkSwitch is what CheckSite reads back from one snmprec file.
type checkSwitch struct {
	file     string
	name     string
	chassis  string
	ifName   map[int]string
	locPort  map[int]string // lldpLocPortNum -> lldpLocPortId
	rem      map[string]map[int]string
	aggPorts map[int]map[int]string // ifIndex -> column -> value
}

type checkSlave struct {
	name, perm                         string
	up                                 bool
	actorSys, partnerSys               string
	actorPort, partnerPort, partnerKey int
}

// CheckSite reads a site folder written by WriteSite (or by hand) from
// fsys and cross-checks it the way a joiner would rely on it: every
// snmprec line is well formed and the lines are sorted by OID; every JSON
// file parses; ip-link.json is an array whose bonds have info_kind "bond";
// the switch a host hears over LLDP exists with that chassis ID and port
// name, and hears the host back on that port; every host MAC a switch's
// lldpRemTable names belongs to a host NIC; and the LACP partner a host
// slave reports is a switch port whose dot3adAggPortTable row names the
// slave back. It returns every problem found.
func CheckSite(fsys fs.FS) error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	switches := map[string]*checkSwitch{} // by chassis ID
	swFiles, _ := fs.Glob(fsys, "switches/*.snmprec")
	if len(swFiles) == 0 {
		bad("no switches/*.snmprec")
	}
	for _, f := range swFiles {
		sw, err := readCheckSwitch(fsys, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if sw.chassis == "" {
			bad("%s: no lldpLocChassisId", f)
			continue
		}
		switches[sw.chassis] = sw
	}

	hostDirs, _ := fs.ReadDir(fsys, "hosts")
	if len(hostDirs) == 0 {
		bad("no hosts/")
	}
	nicMACs := map[string]string{} // perm MAC -> host
	type hostInfo struct {
		name   string
		nics   map[string]string // NIC -> perm MAC
		slaves []checkSlave
	}
	var hosts []hostInfo
	for _, d := range hostDirs {
		if !d.IsDir() {
			continue
		}
		dir := path.Join("hosts", d.Name())
		hi := hostInfo{nics: map[string]string{}}
		hn, err := fs.ReadFile(fsys, path.Join(dir, "hostname"))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		hi.name = strings.TrimSpace(string(hn))
		raw, err := fs.ReadFile(fsys, path.Join(dir, "ip-link.json"))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var links []map[string]any
		if err := json.Unmarshal(raw, &links); err != nil {
			bad("%s/ip-link.json: not a JSON array: %v", dir, err)
			continue
		}
		bonds := 0
		for _, l := range links {
			li, _ := l["linkinfo"].(map[string]any)
			name, _ := l["ifname"].(string)
			if kind, _ := li["info_kind"].(string); kind == "bond" {
				bonds++
				if _, ok := li["info_data"].(map[string]any); !ok {
					bad("%s/ip-link.json: bond %s has no info_data", dir, name)
				}
				continue
			}
			if l["link_type"] != "ether" || li["info_kind"] != nil {
				continue
			}
			perm, _ := l["permaddr"].(string)
			if sd, ok := li["info_slave_data"].(map[string]any); ok {
				if p, ok := sd["perm_hwaddr"].(string); ok {
					perm = p
				}
			}
			if perm == "" {
				perm, _ = l["address"].(string)
			}
			hi.nics[name] = perm
			if prev, dup := nicMACs[perm]; dup {
				bad("%s: NIC %s MAC %s also on host %s", dir, name, perm, prev)
			}
			nicMACs[perm] = hi.name
		}
		bondFiles, _ := fs.Glob(fsys, path.Join(dir, "bonding", "*"))
		if len(bondFiles) != bonds {
			bad("%s: %d bonds in ip-link.json but %d bonding/ files", dir, bonds, len(bondFiles))
		}
		for _, bf := range bondFiles {
			text, err := fs.ReadFile(fsys, bf)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			slaves := parseCheckBonding(text)
			if len(slaves) == 0 {
				bad("%s: no slaves", bf)
			}
			for _, s := range slaves {
				if hi.nics[s.name] != s.perm {
					bad("%s: slave %s permanent address %s, ip-link.json says %q", bf, s.name, s.perm, hi.nics[s.name])
				}
			}
			hi.slaves = append(hi.slaves, slaves...)
		}
		if raw, err := fs.ReadFile(fsys, path.Join(dir, "lldp.json")); err == nil {
			var doc struct {
				LLDP []struct {
					Interface []struct {
						Name    string `json:"name"`
						Chassis []struct {
							ID []struct{ Type, Value string } `json:"id"`
						} `json:"chassis"`
						Port []struct {
							ID []struct{ Type, Value string } `json:"id"`
						} `json:"port"`
					} `json:"interface"`
				} `json:"lldp"`
			}
			if err := json.Unmarshal(raw, &doc); err != nil {
				bad("%s/lldp.json: %v", dir, err)
			}
			for _, l := range doc.LLDP {
				for _, in := range l.Interface {
					if len(in.Chassis) == 0 || len(in.Chassis[0].ID) == 0 || len(in.Port) == 0 || len(in.Port[0].ID) == 0 {
						bad("%s/lldp.json: %s: no chassis or port id", dir, in.Name)
						continue
					}
					sw := switches[in.Chassis[0].ID[0].Value]
					if sw == nil {
						bad("%s/lldp.json: %s hears chassis %s, which is no switch's lldpLocChassisId", dir, in.Name, in.Chassis[0].ID[0].Value)
						continue
					}
					portName := in.Port[0].ID[0].Value
					num := -1
					for n, id := range sw.locPort {
						if id == portName {
							num = n
						}
					}
					if num < 0 {
						bad("%s/lldp.json: %s hears %s port %s, which %s has no lldpLocPortId for", dir, in.Name, sw.name, portName, sw.file)
						continue
					}
					back := sw.rem[hi.name]
					if back[num] == "" {
						bad("%s/lldp.json: %s hears %s %s, but %s's lldpRemTable has no %s on that port", dir, in.Name, sw.name, portName, sw.name, hi.name)
					} else if back[num] != in.Name && back[num] != hi.nics[in.Name] {
						bad("%s/lldp.json: %s hears %s %s, but the switch hears %s port %s there", dir, in.Name, sw.name, portName, hi.name, back[num])
					}
				}
			}
		}
		hosts = append(hosts, hi)
	}

	// Every host NIC a switch hears must exist.
	for _, sw := range switches {
		for sysName, ports := range sw.rem {
			for num, id := range ports {
				if strings.Count(id, ":") == 5 && nicMACs[id] == "" {
					bad("%s: lldpRemTable port %d names MAC %s (%s), which no host has", sw.file, num, id, sysName)
				}
			}
		}
	}

	// LACP: the partner a slave reports is a switch port naming it back.
	for _, h := range hosts {
		for _, s := range h.slaves {
			if s.partnerSys == "" || s.partnerSys == "00:00:00:00:00:00" {
				continue
			}
			found := false
			for _, sw := range switches {
				for ifIndex, row := range sw.aggPorts {
					if row[3] != s.partnerSys || row[14] != strconv.Itoa(s.partnerPort) {
						continue
					}
					found = true
					if row[5] != strconv.Itoa(s.partnerKey) {
						bad("%s %s: partner key %d, %s ifIndex %d has key %s", h.name, s.name, s.partnerKey, sw.name, ifIndex, row[5])
					}
					if s.up && (row[9] != s.actorSys || row[17] != strconv.Itoa(s.actorPort)) {
						bad("%s %s: partner %s port %d is %s ifIndex %d, whose partner is %s port %s, not %s port %d",
							h.name, s.name, s.partnerSys, s.partnerPort, sw.name, ifIndex, row[9], row[17], s.actorSys, s.actorPort)
					}
				}
			}
			if !found {
				bad("%s %s: LACP partner %s port %d is no switch port's dot3adAggPortActorSystemID/ActorPort", h.name, s.name, s.partnerSys, s.partnerPort)
			}
		}
	}
	return errors.Join(errs...)
}

func oidLess(a, b string) int {
	for a != "" || b != "" {
		var x, y string
		x, a, _ = strings.Cut(a, ".")
		y, b, _ = strings.Cut(b, ".")
		xi, _ := strconv.ParseUint(x, 10, 64)
		yi, _ := strconv.ParseUint(y, 10, 64)
		switch {
		case x == "" && y != "":
			return -1
		case y == "" && x != "":
			return 1
		case xi < yi:
			return -1
		case xi > yi:
			return 1
		}
	}
	return 0
}

func readCheckSwitch(fsys fs.FS, file string) (*checkSwitch, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	sw := &checkSwitch{file: file, ifName: map[int]string{}, locPort: map[int]string{}, rem: map[string]map[int]string{}, aggPorts: map[int]map[int]string{}}
	type remRow struct{ subtype, id, sysName string }
	rems := map[string]*remRow{}
	var errs []error
	prev := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		line := sc.Text()
		if !SnmprecLine.MatchString(line) {
			errs = append(errs, fmt.Errorf("%s:%d: malformed snmprec line %q", file, ln, line))
			continue
		}
		oid, rest, _ := strings.Cut(line, "|")
		typ, val, _ := strings.Cut(rest, "|")
		if prev != "" && oidLess(prev, oid) >= 0 {
			errs = append(errs, fmt.Errorf("%s:%d: OID %s not after %s (snmpsim needs sorted files)", file, ln, oid, prev))
		}
		prev = oid
		if strings.HasSuffix(typ, "x") {
			b, err := hex.DecodeString(val)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: bad hex value", file, ln))
				continue
			}
			if len(b) == 6 {
				val = MAC(b).String()
			} else {
				val = string(b)
			}
		}
		switch {
		case oid == "1.0.8802.1.1.2.1.3.2.0":
			sw.chassis = val
		case oid == "1.3.6.1.2.1.1.5.0":
			sw.name = val
		case strings.HasPrefix(oid, oidIfX+".1."):
			n, _ := strconv.Atoi(strings.TrimPrefix(oid, oidIfX+".1."))
			sw.ifName[n] = val
		case strings.HasPrefix(oid, oidLLDPLocPort+".3."):
			n, _ := strconv.Atoi(strings.TrimPrefix(oid, oidLLDPLocPort+".3."))
			sw.locPort[n] = val
		case strings.HasPrefix(oid, oidLLDPRem+"."):
			colIdx := strings.TrimPrefix(oid, oidLLDPRem+".")
			col, idx, _ := strings.Cut(colIdx, ".")
			r := rems[idx]
			if r == nil {
				r = &remRow{}
				rems[idx] = r
			}
			switch col {
			case "6":
				r.subtype = val
			case "7":
				r.id = val
			case "9":
				r.sysName = val
			}
		case strings.HasPrefix(oid, oidAggPort+"."):
			col, idx, _ := strings.Cut(strings.TrimPrefix(oid, oidAggPort+"."), ".")
			c, _ := strconv.Atoi(col)
			i, _ := strconv.Atoi(idx)
			if sw.aggPorts[i] == nil {
				sw.aggPorts[i] = map[int]string{}
			}
			sw.aggPorts[i][c] = val
		}
	}
	for idx, r := range rems {
		parts := strings.Split(idx, ".") // timeMark.localPort.remIndex
		if len(parts) != 3 {
			errs = append(errs, fmt.Errorf("%s: lldpRemTable index %s is not timeMark.localPort.remIndex", file, idx))
			continue
		}
		lp, _ := strconv.Atoi(parts[1])
		if sw.rem[r.sysName] == nil {
			sw.rem[r.sysName] = map[int]string{}
		}
		sw.rem[r.sysName][lp] = r.id
	}
	if sw.name == "" {
		errs = append(errs, fmt.Errorf("%s: no sysName", file))
	}
	if len(sw.ifName) == 0 {
		errs = append(errs, fmt.Errorf("%s: no ifName rows", file))
	}
	names := map[string]bool{}
	for _, v := range sw.ifName {
		names[v] = true
	}
	for _, id := range sw.locPort {
		if !names[id] {
			errs = append(errs, fmt.Errorf("%s: lldpLocPortId %s is no ifName", file, id))
		}
	}
	return sw, errors.Join(errs...)
}

// parseCheckBonding reads the slave blocks of a /proc/net/bonding file.
func parseCheckBonding(text []byte) []checkSlave {
	var out []checkSlave
	var cur *checkSlave
	section := ""
	for _, line := range strings.Split(string(text), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
		v = strings.TrimSpace(v)
		switch {
		case k == "Slave Interface":
			out = append(out, checkSlave{name: v})
			cur = &out[len(out)-1]
			section = ""
		case cur == nil:
		case k == "details actor lacp pdu":
			section = "actor"
		case k == "details partner lacp pdu":
			section = "partner"
		case k == "MII Status":
			cur.up = v == "up"
		case k == "Permanent HW addr":
			cur.perm = v
		case k == "system mac address" && section == "actor":
			cur.actorSys = v
		case k == "system mac address" && section == "partner":
			cur.partnerSys = v
		case k == "port number" && section == "actor":
			cur.actorPort, _ = strconv.Atoi(v)
		case k == "port number" && section == "partner":
			cur.partnerPort, _ = strconv.Atoi(v)
		case k == "oper key" && section == "partner":
			cur.partnerKey, _ = strconv.Atoi(v)
		}
	}
	return out
}
