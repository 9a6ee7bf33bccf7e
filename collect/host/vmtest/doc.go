// Package vmtest holds the tests that need a kernel with the bonding
// driver. vm_test.go (build tag vmtest) runs inside a qemu VM booted by
// run_test.go, which turns the in-VM results into Go test results.
package vmtest
