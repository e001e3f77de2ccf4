package npi

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		npi  string
		want error
	}{
		{"CMS example", "1234567893", nil},
		{"starts with 2", "2000000002", nil},
		{"check digit 0", "1321098760", nil},
		{"another well-formed", "1003000126", nil},
		{"another well-formed", "1245319599", nil},
		{"CMS example with the last digit changed", "1234567890", ErrCheckDigit},
		{"two digits swapped", "1243567893", ErrCheckDigit},
		{"nine digits", "123456789", ErrLength},
		{"eleven digits", "12345678931", ErrLength},
		{"empty", "", ErrLength},
		{"a letter", "12345678a3", ErrLength},
		{"surrounding space", " 1234567893", ErrLength},
		{"hyphens", "123-456-7893", ErrLength},
		{"full-width digits", "１２３４５６７８９３", ErrLength},
		{"starts with 3", "3234567893", ErrFirstDigit},
		{"starts with 0", "0234567893", ErrFirstDigit},
	}
	for _, tt := range tests {
		t.Run(tt.name+" "+tt.npi, func(t *testing.T) {
			err := Check(tt.npi)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Check(%q) = %v, want %v", tt.npi, err, tt.want)
			}
			if Valid(tt.npi) != (tt.want == nil) {
				t.Fatalf("Valid(%q) = %v, disagrees with Check", tt.npi, Valid(tt.npi))
			}
		})
	}
}

// luhnWithPrefix is the check digit as the standard defines it: Luhn over
// "80840" and the first nine digits, walked in full.
func luhnWithPrefix(nine string) byte {
	s := "80840" + nine
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte((10 - sum%10) % 10)
}

func TestCheckDigitMatchesPrefixedLuhn(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		nine := fmt.Sprintf("%d%08d", 1+rng.IntN(2), rng.IntN(100000000))
		if got, want := checkDigit(nine), luhnWithPrefix(nine); got != want {
			t.Fatalf("check digit of %s: %d, Luhn over 80840%s gives %d", nine, got, nine, want)
		}
	}
}

func TestCheckCatchesEverySingleDigitError(t *testing.T) {
	const good = "1234567893"
	for i := 1; i < len(good); i++ {
		for d := byte('0'); d <= '9'; d++ {
			if d == good[i] {
				continue
			}
			typo := good[:i] + string(d) + good[i+1:]
			if Valid(typo) {
				t.Errorf("%s (digit %d changed) passes the check", typo, i+1)
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"1234567893":       "1234567893",
		" 123-456-7893 ":   "1234567893",
		"123 456 7893":     "1234567893",
		"1234.567.893":     "1234567893",
		"1234567893\u00a0": "1234567893",
		"NPI: 1234567893":  "NPI:1234567893",
		"１２３４５６７８９３":       "１２３４５６７８９３",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
