package check

import (
	"fmt"
	"strconv"
	"strings"
)

// HTTP status codes keepalived accepts in status_code (check_http.h).
const (
	statusMin = 100
	statusMax = 599
)

// StatusCodes is a set of accepted HTTP status codes, stored as a bitmap
// like keepalived's url->status_code. The zero value means "not configured",
// which Match treats as keepalived's default 200-299.
type StatusCodes struct {
	bits [(statusMax - statusMin + 64) / 64]uint64
	set  bool
}

// ParseStatusCodes parses the arguments of status_code: codes and ranges
// ("200", "200-299"), each within 100-599. Like keepalived, an invalid entry is
// reported; unlike keepalived, which skips it and carries on, the caller gets
// the error (the valid entries are still returned).
func ParseStatusCodes(args []string) (StatusCodes, error) {
	var sc StatusCodes
	var errs []string
	for _, a := range args {
		lo, hi, err := parseCodeRange(a)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		for c := lo; c <= hi; c++ {
			sc.add(c)
		}
	}
	if len(errs) > 0 {
		return sc, fmt.Errorf("status_code: %s", strings.Join(errs, "; "))
	}
	return sc, nil
}

func parseCodeRange(a string) (int, int, error) {
	loS, hiS, isRange := strings.Cut(a, "-")
	lo, err := strconv.Atoi(loS)
	if err != nil || strings.HasPrefix(loS, "+") {
		return 0, 0, fmt.Errorf("invalid HTTP status code %q", a)
	}
	hi := lo
	if isRange {
		hi, err = strconv.Atoi(hiS)
		if err != nil || strings.HasPrefix(hiS, "+") || strings.HasPrefix(hiS, "-") {
			return 0, 0, fmt.Errorf("invalid HTTP status code %q", a)
		}
	}
	if lo < statusMin || lo > statusMax || hi < statusMin || hi > statusMax || lo > hi {
		return 0, 0, fmt.Errorf("invalid HTTP status code %q", a)
	}
	return lo, hi, nil
}

func (s *StatusCodes) add(c int) {
	i := c - statusMin
	s.bits[i/64] |= 1 << (i % 64)
	s.set = true
}

// IsSet reports whether any code was configured.
func (s StatusCodes) IsSet() bool { return s.set }

// Match reports whether code is accepted; an unconfigured set accepts 200-299.
func (s StatusCodes) Match(code int) bool {
	if !s.set {
		return code >= 200 && code <= 299
	}
	if code < statusMin || code > statusMax {
		return false
	}
	i := code - statusMin
	return s.bits[i/64]&(1<<(i%64)) != 0
}

// String lists the set as keepalived's dump does: codes and ranges.
func (s StatusCodes) String() string {
	if !s.set {
		return "200-299"
	}
	var parts []string
	for c := statusMin; c <= statusMax; c++ {
		if !s.Match(c) {
			continue
		}
		e := c
		for e+1 <= statusMax && s.Match(e+1) {
			e++
		}
		if e == c {
			parts = append(parts, strconv.Itoa(c))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", c, e))
		}
		c = e
	}
	return strings.Join(parts, " ")
}
