// Package conformance compares gokeepalived's configuration test (-t) with keepalived 2.2.7's on
// keepalived's own sample configurations.
//
// keepalived's answers are kept as a golden record (testdata/keepalived-2.2.7/*.txt): its exit code
// and the lines it printed. Because keepalived's messages are worded differently from ours and
// 2.2.7 gives a line number for only some of them, the two sides are compared by exit code and by the
// set of problem kinds (Classify maps a message of either side to a kind such as "unknown-keyword" or
// "deprecated"). Known, explained differences are listed in testdata/known-differences.txt; anything
// else fails the test. The root-only tests re-run keepalived (and gokeepalived) inside a throw-away
// network namespace that has the interfaces the samples name, and -update rewrites the record.
package conformance
