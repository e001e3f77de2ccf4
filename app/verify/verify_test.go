package verify

import (
	"regexp"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	good := Application{FullName: "Amara Okafor", Profession: "physician", Specialty: "Cardiology", NPI: "1234567893",
		LicenseCountry: "us", LicenseState: "ny", LicenseNumber: "MD-1", Institution: "St. Mary's", WorkEmail: "A.Okafor@StMary.org "}
	tests := []struct {
		name   string
		change func(a *Application)
		field  string // the one field refused, "" for none
	}{
		{"complete", func(a *Application) {}, ""},
		{"bad check digit", func(a *Application) { a.NPI = "1234567890" }, "npi"},
		{"US needs an NPI", func(a *Application) { a.NPI = "" }, "npi"},
		{"no NPI outside the US", func(a *Application) { a.NPI, a.LicenseCountry, a.LicenseState = "", "GB", "" }, ""},
		{"unknown profession", func(a *Application) { a.Profession = "surgeon-general" }, "profession"},
		{"US state", func(a *Application) { a.LicenseState = "New York" }, "license_state"},
		{"country code", func(a *Application) { a.LicenseCountry = "USA" }, "license_country"},
		{"email", func(a *Application) { a.WorkEmail = "okafor at stmary" }, "work_email"},
		{"name", func(a *Application) { a.FullName = "  " }, "full_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := good
			tt.change(&a)
			a.Clean()
			errs := a.Validate()
			if tt.field == "" && errs != nil {
				t.Fatalf("refused: %v", errs)
			}
			if tt.field != "" && (len(errs) != 1 || errs[tt.field] == "") {
				t.Fatalf("want only %s refused, got %v", tt.field, errs)
			}
		})
	}
	a := good
	a.Clean()
	if a.WorkEmail != "a.okafor@stmary.org" || a.LicenseState != "NY" {
		t.Fatalf("cleaned: %+v", a)
	}
}

func TestCodes(t *testing.T) {
	code, err := NewCode()
	if err != nil || !regexp.MustCompile(`^\d{6}$`).MatchString(code) {
		t.Fatalf("code %q, %v", code, err)
	}
	hash := HashCode(7, code)
	if !CodeMatcher(7, " "+code+" ")(hash) {
		t.Fatal("the right code does not match")
	}
	if CodeMatcher(8, code)(hash) {
		t.Fatal("a code matches for another member")
	}
	if HashCode(7, code) == HashCode(8, code) {
		t.Fatal("the hash does not depend on the member")
	}
}

func TestAutoVerifies(t *testing.T) {
	tests := []struct {
		name string
		e    Evidence
		want bool
	}{
		{"nothing", Evidence{}, false},
		{"NPI in the registry with matching name is not enough",
			Evidence{NPIGiven: true, NPIFormatValid: true, NPIFound: true, NPILastNameMatches: true, NPIStateMatches: true}, false},
		{"confirmed email on another domain", Evidence{WorkEmailConfirmed: true}, false},
		{"allowed domain, confirmed", Evidence{WorkEmailConfirmed: true, AllowedDomain: true}, true},
		{"trusted provider", Evidence{TrustedProvider: "St. Mary's"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rule := tt.e.AutoVerifies()
			if got != tt.want || (got && rule == "") {
				t.Fatalf("AutoVerifies = %v, %q", got, rule)
			}
		})
	}
}

func TestEvidenceRoundTrips(t *testing.T) {
	e := Evidence{GatheredAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), NPIGiven: true, NPINotes: []string{"a"}, WorkEmail: "x@y.org"}
	raw, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(raw)
	if err != nil || !back.GatheredAt.Equal(e.GatheredAt) || back.WorkEmail != e.WorkEmail || len(back.NPINotes) != 1 {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	if empty, err := Decode(""); err != nil || empty.NPIGiven {
		t.Fatalf("empty evidence: %+v, %v", empty, err)
	}
}
