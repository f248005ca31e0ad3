// Package nettest builds throw-away network namespaces, bridges and veth
// pairs for root integration tests, runs code and processes inside them and
// captures frames on their interfaces.
//
// It is imported only from _test.go files. Every helper takes a testing.TB,
// skips the test when the process is not root, and registers a t.Cleanup
// that deletes what it created even when the test fails. Only the
// documentation ranges 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32 are
// used, the host's own namespace and interfaces are never touched, and no
// route out of a test namespace is ever installed.
package nettest
