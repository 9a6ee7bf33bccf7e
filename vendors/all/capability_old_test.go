package all_test

import "github.com/bondaudit/bondaudit/vendors"

// perVLANFDB is the capability as the poller decided it before profiles
// carried it: by name.
func perVLANFDB(p vendors.Profile) bool { return p.Name == "cisco-ios" }
