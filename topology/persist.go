package topology

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bondaudit/bondaudit/internal/atomicfile"
	"github.com/bondaudit/bondaudit/internal/jsonpos"
	"github.com/bondaudit/bondaudit/internal/quote"
)

// LoadHost reads a host snapshot. name (usually the file path) is used in
// errors. A missing schema is accepted as v1; any other schema is an error.
func LoadHost(r io.Reader, name string) (*Host, error) {
	var h Host
	if err := decodeStrict(r, name, "host snapshot", &h); err != nil {
		return nil, err
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
	h.canonicalise()
	return &h, nil
}

// LoadSwitch reads a switch snapshot; see LoadHost.
func LoadSwitch(r io.Reader, name string) (*Switch, error) {
	var s Switch
	if err := decodeStrict(r, name, "switch snapshot", &s); err != nil {
		return nil, err
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
	s.canonicalise()
	return &s, nil
}

// decodeStrict decodes one JSON value (a what) into v: unknown fields,
// wrong types and anything but white space after the value are errors,
// placed at line:column of the file when encoding/json tells where.
func decodeStrict(r io.Reader, name, what string, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", name, what, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var perr *jsonpos.Error
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case err == io.EOF:
			perr = &jsonpos.Error{File: name, Msg: "empty file: want a JSON object"}
		case errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, io.ErrUnexpectedEOF):
			perr = jsonpos.Wrap(name, data, err)
		default:
			// Unknown fields: encoding/json does not say where.
			perr = &jsonpos.Error{File: name, Msg: quote.Message(strings.TrimPrefix(err.Error(), "json: "))}
		}
	} else {
		perr = jsonpos.Trailing(name, data, dec.InputOffset())
	}
	if perr == nil {
		return nil
	}
	perr.Msg = what + ": " + perr.Msg
	return perr
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
