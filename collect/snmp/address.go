package snmp

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// SplitAddress reads a switch address as targets files and --address
// take it: HOST, HOST:PORT, IPv4, IPv6, or [IPv6]:PORT. HOST is an IP
// address or a DNS name (letters, digits, '-', '_' and dots); port is 0
// when the address names none. Errors say what is wrong, without the
// address itself (the caller quotes it).
func SplitAddress(s string) (host string, port uint16, err error) {
	if strings.TrimSpace(s) == "" {
		return "", 0, fmt.Errorf("empty address")
	}
	if strings.ContainsAny(s, "/@") {
		return "", 0, fmt.Errorf("want HOST or HOST:PORT, not a URL")
	}
	host = s
	switch {
	case strings.HasPrefix(s, "["):
		if strings.HasSuffix(s, "]") {
			host = s[1 : len(s)-1]
			break
		}
		h, p, err := net.SplitHostPort(s)
		if err != nil {
			return "", 0, fmt.Errorf("want [IPv6] or [IPv6]:PORT")
		}
		host = h
		if port, err = parsePort(p); err != nil {
			return "", 0, err
		}
	case strings.Count(s, ":") > 1:
		if net.ParseIP(s) == nil {
			return "", 0, fmt.Errorf("not an IPv6 address (an IPv6 address with a port is written [ADDRESS]:PORT)")
		}
		return s, 0, nil
	case strings.Contains(s, ":"):
		h, p, err := net.SplitHostPort(s)
		if err != nil {
			return "", 0, fmt.Errorf("want HOST or HOST:PORT")
		}
		host = h
		if port, err = parsePort(p); err != nil {
			return "", 0, err
		}
	}
	if net.ParseIP(host) != nil {
		return host, port, nil
	}
	if strings.Contains(s, "[") || strings.Contains(host, ":") {
		return "", 0, fmt.Errorf("not an IPv6 address")
	}
	if err := checkHostName(host); err != nil {
		return "", 0, err
	}
	return host, port, nil
}

func parsePort(p string) (uint16, error) {
	x, err := strconv.ParseUint(p, 10, 64)
	switch {
	case p == "":
		return 0, fmt.Errorf("no port after ':'")
	case err != nil && strings.Trim(p, "0123456789") == "":
		return 0, fmt.Errorf("port %s is out of range 1-65535", p)
	case err != nil:
		return 0, fmt.Errorf("port %q is not a number", p)
	case x < 1 || x > 65535:
		return 0, fmt.Errorf("port %d is out of range 1-65535", x)
	}
	return uint16(x), nil
}

// checkHostName accepts DNS names: dot-separated labels of letters,
// digits, '-' and '_' (the last for names in local zones), at most 253
// characters.
func checkHostName(h string) error {
	if h == "" {
		return fmt.Errorf("empty host")
	}
	if len(h) > 253 {
		return fmt.Errorf("host name longer than 253 characters")
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 {
			return fmt.Errorf("not a host name (an empty or over-long label)")
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return fmt.Errorf("not a host name or IP address (%q is not allowed)", c)
			}
		}
		if strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return fmt.Errorf("not a host name (a label starts or ends with '-')")
		}
	}
	return nil
}
