#!/usr/bin/env bash
# Runs every Go fuzz target in the module briefly (FUZZTIME each, default 5s) so that the seed
# corpora and a little new input are exercised on every test run.
#
# A real finding (the fuzzer writes a failing input) always fails. The Go fuzzer can also fail
# with "context deadline exceeded" and no input when its coordinator times out waiting for a
# worker at the end of -fuzztime; that toolchain flake is retried once, never ignored.
set -uo pipefail
fuzztime=${FUZZTIME:-5s}
fail=0
run() { go test -run='^$' -fuzz="^${2}\$" -fuzztime="$fuzztime" "$1" 2>&1; }
while IFS=: read -r file func; do
	pkg=./$(dirname "$file")
	echo "fuzz: $pkg $func ($fuzztime)"
	out=$(run "$pkg" "$func")
	status=$?
	if ((status != 0)) && grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out"; then
		echo "fuzz: $pkg $func: fuzzer coordinator timed out without a finding; retrying once"
		out=$(run "$pkg" "$func")
		status=$?
	fi
	printf '%s\n' "$out" | grep -vE '^fuzz: elapsed'
	if ((status != 0)); then
		fail=1
	fi
done < <(grep -rhoE --include='*_test.go' -H '^func (Fuzz[A-Za-z0-9_]+)' internal | sed -E 's/func //')
exit $fail
