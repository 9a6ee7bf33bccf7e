package host

// For the external tests (host_test), which may import internal/sitegen.

// CheckIPLinkAgrees is checkIPLinkAgrees.
var CheckIPLinkAgrees = checkIPLinkAgrees

// CheckLLDPJSONAgrees is checkLLDPJSONAgrees.
var CheckLLDPJSONAgrees = checkLLDPJSONAgrees

// SetLendStorage turns the capture readers' storage lent from capture to
// capture on or off, and returns what turns it back.
func SetLendStorage(on bool) (restore func()) {
	was := lendStorage
	lendStorage = on
	return func() { lendStorage = was }
}
