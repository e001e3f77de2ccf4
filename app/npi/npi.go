// Package npi helps moderators weigh a US clinician's National Provider
// Identifier as evidence for verification: it checks an NPI's form and check
// digit, loads the public NPPES registry into the store, and reports what
// the registry says about an NPI a member gave.
package npi

import (
	"errors"
	"strings"
)

// Reasons an NPI is refused, worded to show the member as they are.
var (
	ErrLength     = errors.New("an NPI is exactly 10 digits")
	ErrFirstDigit = errors.New("an NPI starts with 1 or 2")
	ErrCheckDigit = errors.New("the last digit of this NPI does not match the others; check for a typo")
)

// Valid says whether npi is 10 digits with a correct check digit.
func Valid(npi string) bool { return Check(npi) == nil }

// Check says why npi is not a well-formed NPI, or nil when it is. It does not
// say whether the NPI was ever issued; only the registry knows that.
func Check(npi string) error {
	if len(npi) != 10 {
		return ErrLength
	}
	for i := range len(npi) {
		if npi[i] < '0' || npi[i] > '9' {
			return ErrLength
		}
	}
	if npi[0] != '1' && npi[0] != '2' {
		return ErrFirstDigit
	}
	if npi[9]-'0' != checkDigit(npi[:9]) {
		return ErrCheckDigit
	}
	return nil
}

// checkDigit is the Luhn check digit of "80840" followed by the nine digits,
// the ISO card-issuer prefix under which NPIs are numbered. The prefix's
// doubled-digit sum is always 24, so it is added rather than walked.
func checkDigit(nine string) byte {
	sum := 24
	for i := range 9 {
		d := int(nine[i] - '0')
		// The rightmost of the nine sits next to the check digit, so it and
		// every second one leftwards are doubled.
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte((10 - sum%10) % 10)
}

// Normalize drops the spaces, hyphens and dots people put in an NPI when
// they copy it from a letter or a badge, so "123-456-7893" checks as
// "1234567893". Anything else is left for Check to refuse.
func Normalize(npi string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '.', '\u00a0':
			return -1
		}
		return r
	}, strings.TrimSpace(npi))
}
