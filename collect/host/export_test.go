package host

// For the external tests (host_test), which may import internal/sitegen.

// CheckIPLinkAgrees is checkIPLinkAgrees.
var CheckIPLinkAgrees = checkIPLinkAgrees

// CheckLLDPJSONAgrees is checkLLDPJSONAgrees.
var CheckLLDPJSONAgrees = checkLLDPJSONAgrees
