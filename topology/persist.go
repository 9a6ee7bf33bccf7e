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
	return loadSnapshot[Host](r, name, "host snapshot", HostSchema)
}

// LoadSwitch reads a switch snapshot; see LoadHost.
func LoadSwitch(r io.Reader, name string) (*Switch, error) {
	return loadSnapshot[Switch](r, name, "switch snapshot", SwitchSchema)
}

// snapshot is a *Host or *Switch as loadSnapshot reads it.
type snapshot[T any] interface {
	*T
	header() (schema, source *string, name string)
	canonicalise()
}

func (h *Host) header() (*string, *string, string)   { return &h.Schema, &h.Source, h.Name }
func (s *Switch) header() (*string, *string, string) { return &s.Schema, &s.Source, s.Name }

// loadSnapshot decodes a snapshot (what: "host snapshot", ...), checks its
// schema against want and that it has a name, and fills in the schema and
// a missing source (name).
func loadSnapshot[T any, P snapshot[T]](r io.Reader, name, what, want string) (*T, error) {
	var v T
	p := P(&v)
	if err := decodeStrict(r, name, what, p); err != nil {
		return nil, err
	}
	schema, source, n := p.header()
	if *schema != "" && *schema != want {
		return nil, fmt.Errorf("%s: %s schema %q, this bondaudit reads %q", name, what, *schema, want)
	}
	if n == "" {
		return nil, fmt.Errorf("%s: %s has no \"name\"", name, what)
	}
	*schema = want
	if *source == "" {
		*source = name
	}
	p.canonicalise()
	return &v, nil
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
