package l2

import (
	"errors"
	"fmt"

	"github.com/bondaudit/bondaudit/topology"
)

// ErrMissingMandatory is wrapped by DecodeLLDP's error when the LLDPDU does
// not start with the Chassis ID, Port ID and Time To Live TLVs. The
// Neighbour returned with it holds the optional TLVs that were decoded.
var ErrMissingMandatory = errors.New("LLDPDU does not start with the mandatory Chassis ID, Port ID and Time To Live TLVs")

// ErrNotLACPDU is wrapped by DecodeLACPDU's error when the slow-protocols
// PDU is another protocol (a Marker PDU, OAM, ESMC, …).
var ErrNotLACPDU = errors.New("not an LACPDU")

// TLVError is a malformed TLV: which protocol, which TLV, and the byte
// offset of its header within the payload that was decoded.
type TLVError struct {
	Protocol topology.Protocol // lldp, cdp, lacp
	TLV      string            // e.g. "Management Address (8)"
	Offset   int
	Err      error
}

func (e *TLVError) Error() string {
	return fmt.Sprintf("%s: %s TLV at offset %d: %v", e.Protocol, e.TLV, e.Offset, e.Err)
}

func (e *TLVError) Unwrap() error { return e.Err }
