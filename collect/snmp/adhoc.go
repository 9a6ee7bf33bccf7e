package snmp

import (
	"errors"
	"fmt"
	"strings"
)

// AdHoc is one poll named on the command line, net-snmp style, instead of
// a targets file: the same settings and checks, one target per address.
type AdHoc struct {
	Addresses []string // HOST[:PORT], as in a targets file
	Name      string   // snapshot name; default the address (one address only)
	Version   string   // 1, 2c or 3; "" is 2c, or 3 when User is set
	Community string   // a secret (see ReadSecret)
	User      string
	Level     string // noAuthNoPriv, authNoPriv or authPriv; "" from what is given
	AuthProto string // MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512 (net-snmp or gosnmp spelling)
	AuthPass  string // a secret
	PrivProto string // DES, AES, AES-192, AES-256 (AES192C, AES256C: Cisco's)
	PrivPass  string // a secret
}

// ReadSecret resolves a secret given on the command line: "env:VAR" reads
// the environment variable VAR, "file:PATH" the first line of a file (as a
// targets file's {env: VAR} and {file: PATH}), anything else is the secret
// itself. what names the flag in errors, which never hold the value.
func ReadSecret(what, ref string, env func(string) (string, bool), readFile func(string) ([]byte, error)) (Secret, error) {
	switch {
	case strings.HasPrefix(ref, "env:"):
		name := strings.TrimPrefix(ref, "env:")
		v, ok := env(name)
		if !ok || v == "" {
			return Secret{}, fmt.Errorf("%s: environment variable %s is not set", what, name)
		}
		return NewSecret(v), nil
	case strings.HasPrefix(ref, "file:"):
		path := strings.TrimPrefix(ref, "file:")
		b, err := readFile(path)
		if err != nil {
			return Secret{}, fmt.Errorf("%s: %v", what, err)
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			return Secret{}, fmt.Errorf("%s: %s is empty", what, path)
		}
		return NewSecret(v), nil
	case ref == "":
		return Secret{}, fmt.Errorf("%s: empty", what)
	}
	return NewSecret(ref), nil
}

// Targets turns an ad hoc poll into targets, with the defaults and checks
// of a targets file (timeout 2s, 1 retry, 25 per GETBULK, deadline 2m).
func (a AdHoc) Targets(env func(string) (string, bool), readFile func(string) ([]byte, error)) ([]Target, error) {
	a.Addresses = splitCommas(a.Addresses)
	if len(a.Addresses) == 0 {
		return nil, errors.New("--address: give at least one HOST[:PORT]")
	}
	if a.Name != "" && len(a.Addresses) > 1 {
		return nil, errors.New("--name names one switch: give one --address with it")
	}
	if strings.ContainsAny(a.Name, `/\`) || strings.HasPrefix(a.Name, ".") {
		return nil, fmt.Errorf("--name %s: the name becomes a file name: no slashes, no leading dot", a.Name)
	}
	var s settings
	version := strings.TrimPrefix(strings.ToLower(a.Version), "v")
	switch {
	case version == "" && a.User != "":
		version = "3"
	case version == "" || version == "2":
		version = "2c"
	case version != "1" && version != "2c" && version != "3":
		return nil, fmt.Errorf("-v %s: want 1, 2c or 3", a.Version)
	}
	v := snmpVersion(version)
	s.Version = &v
	secret := func(flag, ref string) (*secretRef, error) {
		sec, err := ReadSecret(flag, ref, env, readFile)
		if err != nil {
			return nil, err
		}
		return &secretRef{s: sec}, nil
	}
	var err error
	if version == "3" {
		if a.Community != "" {
			return nil, errors.New("-c is a v1/v2c community; SNMPv3 uses -u, -l, -a/-A, -x/-X")
		}
		if a.User == "" {
			return nil, errors.New("-v 3 needs -u USER")
		}
		level := a.Level
		if level == "" {
			level = "noAuthNoPriv"
			if a.AuthProto != "" || a.AuthPass != "" {
				level = "authNoPriv"
			}
			if a.PrivProto != "" || a.PrivPass != "" {
				level = "authPriv"
			}
		}
		auth := a.AuthProto != "" || a.AuthPass != ""
		priv := a.PrivProto != "" || a.PrivPass != ""
		switch strings.ToLower(level) {
		case "noauthnopriv":
			if auth || priv {
				return nil, errors.New("-l noAuthNoPriv takes no -a/-A/-x/-X")
			}
		case "authnopriv":
			if priv {
				return nil, errors.New("-l authNoPriv takes no -x/-X (authPriv encrypts)")
			}
			if a.AuthProto == "" || a.AuthPass == "" {
				return nil, errors.New("-l authNoPriv needs -a PROTOCOL and -A PASSPHRASE")
			}
		case "authpriv":
			if a.AuthProto == "" || a.AuthPass == "" || a.PrivProto == "" || a.PrivPass == "" {
				return nil, errors.New("-l authPriv needs -a PROTOCOL, -A PASSPHRASE, -x PROTOCOL and -X PASSPHRASE")
			}
		default:
			return nil, fmt.Errorf("-l %s: want noAuthNoPriv, authNoPriv or authPriv", level)
		}
		user := a.User
		s.V3.User = &user
		if auth {
			x := strings.ToUpper(strings.ReplaceAll(a.AuthProto, "-", ""))
			if _, ok := authProtocols[x]; !ok {
				return nil, fmt.Errorf("-a %s: want MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512", a.AuthProto)
			}
			p := authProto(x)
			s.V3.AuthProto = &p
			if s.V3.AuthKey, err = secret("-A", a.AuthPass); err != nil {
				return nil, err
			}
		}
		if priv {
			x := strings.ToUpper(strings.ReplaceAll(a.PrivProto, "-", ""))
			if _, ok := privProtocols[x]; !ok {
				return nil, fmt.Errorf("-x %s: want DES, AES, AES-192 or AES-256 (AES192C, AES256C: Cisco's key extension)", a.PrivProto)
			}
			p := privProto(x)
			s.V3.PrivProto = &p
			if s.V3.PrivKey, err = secret("-X", a.PrivPass); err != nil {
				return nil, err
			}
		}
	} else {
		if a.User != "" || a.Level != "" || a.AuthProto != "" || a.AuthPass != "" || a.PrivProto != "" || a.PrivPass != "" {
			return nil, fmt.Errorf("-u, -l, -a, -A, -x and -X are SNMPv3: add -v 3")
		}
		if a.Community == "" {
			return nil, fmt.Errorf("-v %s needs -c COMMUNITY (env:VAR or file:PATH keeps it out of ps)", version)
		}
		if s.Community, err = secret("-c", a.Community); err != nil {
			return nil, err
		}
	}
	var out []Target
	seen := map[string]bool{}
	for _, addr := range a.Addresses {
		host, port, err := SplitAddress(addr)
		if err != nil {
			return nil, fmt.Errorf("--address %q: %v", addr, err)
		}
		t := Target{Name: addr, Address: host}
		if a.Name != "" {
			t.Name = a.Name
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("--address %s given twice", addr)
		}
		seen[t.Name] = true
		if err := resolve(&t, []settings{s}); err != nil {
			return nil, err
		}
		if port != 0 {
			t.Options.Port = port
		}
		out = append(out, t)
	}
	return out, nil
}

// splitCommas splits each --address value at its commas (the flag is
// repeatable and takes lists), dropping blanks.
func splitCommas(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}
