package topology

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/bondaudit/bondaudit/internal/atomicfile"
)

// LoadHost reads a host snapshot. name (usually the file path) is used in
// errors. A missing schema is accepted as v1; any other schema is an error.
func LoadHost(r io.Reader, name string) (*Host, error) {
	var h Host
	if err := decodeStrict(r, &h); err != nil {
		return nil, fmt.Errorf("%s: host snapshot: %w", name, err)
	}
	if h.Schema != "" && h.Schema != HostSchema {
		return nil, fmt.Errorf("%s: host snapshot schema %q, this bondaudit reads %q", name, h.Schema, HostSchema)
	}
	if h.Name == "" {
		return nil, fmt.Errorf("%s: host snapshot has no \"name\"", name)
	}
	h.Schema = HostSchema
	if h.Source == "" {
		h.Source = name
	}
	return &h, nil
}

// LoadSwitch reads a switch snapshot; see LoadHost.
func LoadSwitch(r io.Reader, name string) (*Switch, error) {
	var s Switch
	if err := decodeStrict(r, &s); err != nil {
		return nil, fmt.Errorf("%s: switch snapshot: %w", name, err)
	}
	if s.Schema != "" && s.Schema != SwitchSchema {
		return nil, fmt.Errorf("%s: switch snapshot schema %q, this bondaudit reads %q", name, s.Schema, SwitchSchema)
	}
	if s.Name == "" {
		return nil, fmt.Errorf("%s: switch snapshot has no \"name\"", name)
	}
	s.Schema = SwitchSchema
	if s.Source == "" {
		s.Source = name
	}
	return &s, nil
}

func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		if ok := asSyntax(err, &se); ok {
			return fmt.Errorf("invalid JSON at byte %d: %w", se.Offset, err)
		}
		return err
	}
	return nil
}

func asSyntax(err error, target **json.SyntaxError) bool {
	se, ok := err.(*json.SyntaxError)
	if ok {
		*target = se
	}
	return ok
}

// MarshalSnapshot renders a Host or Switch as indented JSON with its schema set.
func MarshalSnapshot(v any) ([]byte, error) {
	switch s := v.(type) {
	case *Host:
		c := *s
		c.Schema = HostSchema
		v = &c
	case *Switch:
		c := *s
		c.Schema = SwitchSchema
		v = &c
	default:
		return nil, fmt.Errorf("MarshalSnapshot: not a snapshot: %T", v)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SaveSnapshot writes a snapshot through internal/atomicfile: a regular
// file is replaced atomically (a reader never sees half a file), keeping
// its mode; errors name path.
func SaveSnapshot(path string, v any) error {
	b, err := MarshalSnapshot(v)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, b)
}
