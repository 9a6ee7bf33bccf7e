#!/usr/bin/env python3
"""Independent reading of the shared snmprec recordings, used to derive the
expectations in vendors/testdata/fixtures/*.want (LAG members, and LLDP and
CDP neighbours per local port). It shares no code with the Go decoder: a second,
deliberately plain reading of the raw OIDs (OIDS.md), so the Go test compares
two implementations, and every .want file was reviewed by hand against the
raw lines (see the comments in fixtures_test.go).

usage: fixture_oracle.py ../../shared/fixtures/snmp/librenms__x.snmprec > x.want
"""
import re
import sys

ETHER = {6, 62, 69, 117, 26, 7}
LAG_NAME = re.compile(r'^(port-channel|po|bundle-ether|ae|eth-trunk|trk|bond|lag|bagg|link-aggregation)[0-9 -]', re.I)


def load(path):
    vals = {}
    for raw in open(path, encoding='utf-8', errors='replace'):
        line = raw.rstrip('\n')
        parts = line.split('|', 2)
        if len(parts) != 3 or not re.match(r'^[0-9.]+$', parts[0]):
            continue
        oid, typ, val = parts
        if typ.endswith('x'):
            try:
                val = bytes.fromhex(val)
            except ValueError:
                continue
        elif typ == '4':
            val = val.encode('utf-8', 'surrogateescape')
        vals[oid] = (typ, val)
    return vals


def column(vals, prefix):
    p = prefix + '.'
    for oid, tv in vals.items():
        if oid.startswith(p):
            yield oid[len(p):], tv


def text(v):
    if isinstance(v, bytes):
        return v.decode('utf-8', 'replace').rstrip('\x00 \r\n')
    return v


def num(v):
    try:
        return int(text(v))
    except (TypeError, ValueError):
        return None


def mac(v):
    if isinstance(v, bytes) and len(v) == 6:
        return ':'.join('%02x' % b for b in v)
    t = text(v).strip().lower()
    parts = re.split(r'[ :-]', t)
    if len(parts) == 6 and all(re.fullmatch(r'[0-9a-f]{1,2}', p) for p in parts):
        return ':'.join(p.zfill(2) for p in parts)
    return t


def printable(b):
    return all(0x20 <= c < 0x7f or c in (9, 10, 13) for c in b.rstrip(b'\x00'))


def show(v):
    """How a value is stated in a .want line: text when printable, else hex;
    line breaks escaped so one fact stays on one line."""
    if isinstance(v, bytes) and not printable(v):
        return ':'.join('%02x' % b for b in v)
    return text(v).replace('\r', '\\r').replace('\n', '\\n')


def netaddr(v):
    if isinstance(v, bytes) and len(v) == 5 and v[0] == 1:
        return '.'.join(str(b) for b in v[1:])
    if isinstance(v, bytes) and len(v) == 4:
        return '.'.join(str(b) for b in v)
    return show(v)


def norm(n):
    return n.strip().lower()


def main(path):
    vals = load(path)
    names, types, descrs, macs = {}, {}, {}, {}
    for i, (t, v) in column(vals, '1.3.6.1.2.1.2.2.1.2'):
        descrs[int(i)] = text(v)
    for i, (t, v) in column(vals, '1.3.6.1.2.1.31.1.1.1.1'):
        names[int(i)] = text(v)
    for i, (t, v) in column(vals, '1.3.6.1.2.1.2.2.1.3'):
        types[int(i)] = num(v)
    for i, (t, v) in column(vals, '1.3.6.1.2.1.2.2.1.6'):
        macs[int(i)] = mac(v)

    def name(i):
        return names.get(i) or descrs.get(i) or 'ifIndex%d' % i

    lags = set(i for i, t in types.items() if t == 161 or (t in (53, 1) and LAG_NAME.match(name(i)) and '.' not in name(i)))
    for i, _ in column(vals, '1.2.840.10006.300.43.1.1.1.1.4'):
        i = int(i)
        if types.get(i) not in ETHER:
            lags.add(i)
    members = {}
    for idx, (t, v) in column(vals, '1.3.6.1.2.1.31.1.2.1.3'):
        hi, lo = (int(x) for x in idx.split('.'))
        if hi in lags and lo and types.get(lo) in ETHER and num(v) == 1:
            members.setdefault(hi, set()).add(lo)
    att = dict((int(i), num(v)) for i, (t, v) in column(vals, '1.2.840.10006.300.43.1.2.1.1.13'))
    sel = dict((int(i), num(v)) for i, (t, v) in column(vals, '1.2.840.10006.300.43.1.2.1.1.12'))
    for p in sorted(set(att) | set(sel)):
        agg = att.get(p) or sel.get(p)
        if agg and agg != p and agg in lags:
            members.setdefault(agg, set()).add(p)
    lagLines = []
    for agg in lags:
        if agg not in names and agg not in descrs and agg not in members:
            continue
        ms = sorted(name(m) for m in members.get(agg, ()))
        ms = [show(m.encode()) for m in ms]
        lagLines.append('lag %s: %s' % (show(name(agg).encode()), ' '.join(ms) if ms else '-'))
    for line in sorted(lagLines, key=lambda l: l.encode()):
        print(line)

    # LLDP local ports -> ifIndex
    loc = {}
    for idx, (t, v) in column(vals, '1.0.8802.1.1.2.1.3.7.1.2'):
        loc.setdefault(int(idx), {})['sub'] = num(v)
    for idx, (t, v) in column(vals, '1.0.8802.1.1.2.1.3.7.1.3'):
        loc.setdefault(int(idx), {})['id'] = v
    for idx, (t, v) in column(vals, '1.0.8802.1.1.2.1.3.7.1.4'):
        loc.setdefault(int(idx), {})['desc'] = text(v)
    byname = {}
    for i in set(names) | set(descrs):
        for n in (descrs.get(i), names.get(i)):
            if n:
                byname[norm(n)] = i
    locif, locname = {}, {}
    for n, lp in loc.items():
        sub, idv, desc = lp.get('sub'), lp.get('id'), lp.get('desc', '')
        found = None
        if sub not in (3, 4) and idv is not None and norm(text(idv)) in byname:
            found = byname[norm(text(idv))]
        elif desc and norm(desc) in byname:
            found = byname[norm(desc)]
        elif sub == 7 and num(idv) in types:
            found = num(idv)
        elif sub == 3 and isinstance(idv, bytes) and len(idv) == 6:
            cands = [i for i, m in macs.items() if m == mac(idv) and types.get(i) in ETHER]
            if len(cands) == 1:
                found = cands[0]
        if found is None and n in types:
            found = n
        # a bridge numbers LLDP ports by dot1dBasePort (OmniSwitch: port
        # number 1 is bridge port 1 = ifIndex 1001, port ID "1001" without
        # a subtype column): read through dot1dBasePortIfIndex, Ethernet only
        bp = num(vals.get('1.3.6.1.2.1.17.1.4.1.2.%d' % n, (None, None))[1])
        if found is None and types.get(bp) in ETHER:
            found = bp
        if found is not None:
            locif[n] = found
        elif sub not in (3, 4) and idv is not None and re.fullmatch(r'(mgmt|oobm|management)[0-9/]*', norm(text(idv))):
            # an out-of-band management port IF-MIB does not list (AOS-CX
            # "mgmt", port number 4000): the neighbour is on that name
            locname[n] = text(idv)

    rem = {}
    for col, key in ((4, 'csub'), (5, 'chassis'), (6, 'psub'), (7, 'port'), (9, 'sys')):
        for idx, (t, v) in column(vals, '1.0.8802.1.1.2.1.4.1.1.%d' % col):
            rem.setdefault(idx, {})[key] = v
    out = []
    for idx, r in rem.items():
        parts = idx.split('.')
        local = '?'
        if len(parts) == 3:
            n = int(parts[1])
            if n in locif:
                local = name(locif[n])
            elif n in locname:
                local = locname[n]
            elif not loc and n in types:
                local = name(n)
        ch, csub = r.get('chassis', b''), num(r.get('csub'))
        ch = mac(ch) if csub == 4 else netaddr(ch) if csub == 5 else show(ch)
        pt, psub = r.get('port', b''), num(r.get('psub'))
        pt = mac(pt) if psub == 3 else netaddr(pt) if psub == 4 else show(pt)
        out.append('nbr %s: sys=%s chassis=%s port=%s' % (show(local.encode()), show(r.get('sys', b'')), ch, pt))
    for idx, r in column(vals, '1.3.111.2.802.1.1.13.1.4.1.1.6'):
        parts = idx.split('.')
        out.append('nbr %s: v2 chassis=%s' % (name(int(parts[1])), mac(r[1])))
    # CISCO-CDP-MIB cdpCacheTable, index ifIndex.deviceIndex: device ID
    # (.6), device port (.7), sysName (.17; else the device ID without a
    # trailing "(serial)")
    cdp = {}
    for col, key in ((6, 'dev'), (7, 'port'), (17, 'sys')):
        for idx, (t, v) in column(vals, '1.3.6.1.4.1.9.9.23.1.2.1.1.%d' % col):
            cdp.setdefault(idx, {})[key] = text(v).strip()
    for idx, r in cdp.items():
        ifx = int(idx.split('.')[0])
        dev, port = r.get('dev', ''), r.get('port', '')
        if not dev and not port:
            continue
        sysn = r.get('sys', '')
        if not sysn:
            sysn = re.sub(r'\s*\([^()]*\)$', '', dev) if dev.endswith(')') and dev.rfind('(') > 0 else dev
        local = name(ifx) if ifx in names or ifx in descrs else 'ifIndex%d' % ifx
        out.append('nbr %s: sys=%s chassis=%s port=%s' % (show(local.encode()), show(sysn.encode()), show(dev.encode()), show(port.encode())))
    for line in sorted(out, key=lambda l: l.encode()):
        print(line)


if __name__ == '__main__':
    main(sys.argv[1])
