package vendors

// LLDPChassisID decodes a chassis ID by LldpChassisIdSubtype exactly as
// the standard LLDP-MIB decoder does, for vendor MIBs that copy LLDP-MIB's
// remote table (TIMETRA-LLDP-MIB): it returns the normalised subtype name
// and the ID.
func LLDPChassisID(subtype int, v Value) (string, string) { return chassisID(nil, subtype, v) }

// LLDPPortID decodes a port ID by LldpPortIdSubtype as the standard
// LLDP-MIB decoder does.
func LLDPPortID(subtype int, v Value) (string, string) { return portID(nil, subtype, v) }
