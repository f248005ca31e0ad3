#!/usr/bin/env bash
# Runs every Go fuzz target in the module briefly (FUZZTIME each, default 5s) so that the seed
# corpora and a little new input are exercised on every test run.
set -euo pipefail
fuzztime=${FUZZTIME:-5s}
fail=0
while IFS=: read -r file func; do
	pkg=./$(dirname "$file")
	echo "fuzz: $pkg $func ($fuzztime)"
	if ! go test -run='^$' -fuzz="^${func}\$" -fuzztime="$fuzztime" "$pkg"; then
		fail=1
	fi
done < <(grep -rhoE --include='*_test.go' -H '^func (Fuzz[A-Za-z0-9_]+)' internal | sed -E 's/func //')
exit $fail
