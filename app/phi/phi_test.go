package phi

import (
	"strings"
	"testing"
)

func TestScanFindsEachKindOfIdentifier(t *testing.T) {
	cases := []struct {
		name, text, typ, want, confidence string
	}{
		{"ssn", "SSN 123-45-6789 on the old chart", TypeSSN, "123-45-6789", High},
		{"mrn", "MRN 12345678, 54M", TypeMRN, "12345678", High},
		{"mr hash", "MR# 4471-220", TypeMRN, "4471-220", High},
		{"phone", "call her on (617) 555-0142", TypePhone, "(617) 555-0142", High},
		{"fax", "fax: 212 555 0199", TypeFax, "212 555 0199", High},
		{"email", "write to jane.doe@example.org.", TypeEmail, "jane.doe@example.org", High},
		{"full dob", "DOB 04/07/1941", TypeDate, "04/07/1941", High},
		{"dob month and year", "born in March 1941", TypeDate, "March 1941", Low},
		{"admission date", "admitted 2024-02-11 via the ED", TypeDate, "2024-02-11", Low},
		{"seen on", "seen on 3/14 for follow-up", TypeDate, "3/14", Low},
		{"age over 89", "a 92-year-old woman", TypeAge, "92-year-old", Low},
		{"aged", "aged 95, frail", TypeAge, "aged 95", Low},
		{"age and sex", "94F with severe AS", TypeAge, "94F", Low},
		{"decade", "in her late 90s, lives alone", TypeAge, "her late 90s", Low},
		{"birth year", "born in 1921, still driving", TypeAge, "1921", Low},
		{"pronoun age", "she is 96 and lives alone", TypeAge, "she is 96", Low},
		{"card", "card 4111-1111-1111-1111 on file", TypeCreditCard, "4111-1111-1111-1111", High},
		{"iban", "IBAN DE89 3704 0044 0532 0130 00", TypeIBAN, "DE89 3704 0044 0532 0130 00", High},
		{"patient name", "patient John Smith, 67M", TypeName, "John Smith", Low},
		{"title", "Mr. Jones declined", TypeName, "Jones", Low},
		{"relative", "seen by his wife Anna", TypeName, "Anna", Low},
		{"name with a word-like ending", "her daughter Florence and Mr. Manning", TypeName, "Florence", Low},
		{"surname ending in -ing", "Mr. Manning declined", TypeName, "Manning", Low},
		{"name repeated", "pt: Maria Garcia, 67F. Later Garcia's K was 6.1.", TypeName, "Garcia", Low},
		{"street", "lives at 42 Elm Street", TypeAddress, "42 Elm Street", Low},
		{"zip label", "ZIP 02139", TypeZIP, "02139", Low},
		{"member id", "member ID: XKJ-449-2210", TypeHealthPlan, "XKJ-449-2210", Low},
		{"vin", "VIN 1HGCM82633A004352", TypeVehicle, "1HGCM82633A004352", Low},
		{"serial", "serial number PJN123456R", TypeDevice, "PJN123456R", Low},
		{"social profile", "see facebook.com? no: https://facebook.com/jane.doe.77", TypeURL, "https://facebook.com/jane.doe.77", Low},
		{"ip", "from 10.2.33.4 at night", TypeIP, "10.2.33.4", Low},
		{"case code", "case #A-1234", TypePatientID, "A-1234", Low},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Scan(c.text)
			for _, f := range got {
				if f.Type == c.typ && f.Text == c.want {
					if f.Confidence != c.confidence {
						t.Errorf("%q: confidence %s, want %s", c.want, f.Confidence, c.confidence)
					}
					if f.Reason == "" || !strings.HasSuffix(f.Reason, ".") {
						t.Errorf("%q: reason %q is not a sentence", c.want, f.Reason)
					}
					return
				}
			}
			t.Errorf("Scan(%q) = %+v, want a %s finding %q", c.text, got, c.typ, c.want)
		})
	}
}

func TestOffsetsAreBytesIntoTheText(t *testing.T) {
	text := "Señora Muñoz — née Öztürk — DOB 1/2/1930, tel 0496 46 46 70."
	got := Scan(text)
	if len(got) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range got {
		if text[f.Start:f.End] != f.Text {
			t.Errorf("text[%d:%d] = %q, finding says %q", f.Start, f.End, text[f.Start:f.End], f.Text)
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].Start < got[i-1].End {
			t.Errorf("findings overlap or are out of order: %+v then %+v", got[i-1], got[i])
		}
	}
}

func TestChecksumsGateNumbers(t *testing.T) {
	// A 16-digit number that fails the card checksum is not a card.
	for _, f := range Scan("ref 4111 1111 1111 1112 in the ledger") {
		if f.Type == TypeCreditCard {
			t.Errorf("flagged a number that fails Luhn: %+v", f)
		}
	}
	// An IBAN with a wrong check digit is not an IBAN.
	for _, f := range Scan("GB83 WEST 1234 5698 7654 32") {
		if f.Type == TypeIBAN {
			t.Errorf("flagged an invalid IBAN: %+v", f)
		}
	}
}

func TestAggregatedAgeIsAllowed(t *testing.T) {
	// Safe Harbor asks for ages over 89 to be written as "90 or older".
	// A range of ages in a study describes no one patient.
	for _, text := range []string{"age 90+ with delirium", "patients aged 90 or older", "an 89-year-old", "aged 90-99 years"} {
		for _, f := range Scan(text) {
			if f.Type == TypeAge {
				t.Errorf("%q: flagged %+v", text, f)
			}
		}
	}
}

func TestClinicianNamesAndScholarlyLinksAreLeftAlone(t *testing.T) {
	for _, text := range []string{
		"Dr. Okafor and Prof. Lindqvist reviewed the ECG.",
		"https://www.nejm.org/doi/full/10.1056/NEJMoa2034577",
		"https://pubmed.ncbi.nlm.nih.gov/32007143/",
		"NPI 1245319599",
	} {
		if got := Scan(text); len(got) > 0 {
			t.Errorf("Scan(%q) = %+v, want nothing", text, got)
		}
	}
}

func TestEmptyAndBlocking(t *testing.T) {
	if got := Scan(""); got != nil {
		t.Errorf("Scan(\"\") = %v", got)
	}
	if HasBlocking(Scan("a 95-year-old")) {
		t.Error("an age over 89 should ask, not block")
	}
	if !HasBlocking(Scan("MRN 55512345")) {
		t.Error("an MRN should block")
	}
}

// A typical post: a few paragraphs of clinical prose, 1–2 KB.
var benchPost = strings.Repeat("68M with HFrEF (EF 25%), NYHA III, on sacubitril-valsartan 49/51 mg BID, metoprolol succinate 100 mg daily "+
	"and spironolactone 25 mg. Admitted with K 5.9, Cr 2.4 (baseline 1.3), BP 96/58, HR 54. Held the MRA and ARNI, gave "+
	"calcium gluconate 1 g and insulin 10 units with D50, repeat K 5.1 at 2 h. Echo unchanged. Question for the group: "+
	"when do you restart spironolactone, and at what dose? The 2022 AHA/ACC/HFSA guideline (doi:10.1161/CIR.0000000000001063) "+
	"says little about rechallenge. ", 3)

var benchPostWithPHI = benchPost + "Patient John Smith, MRN 48213377, DOB 03/14/1941, seen on 3/2/2024; daughter on (617) 555-0142."

func BenchmarkScanTypicalPost(b *testing.B) {
	b.SetBytes(int64(len(benchPost)))
	for b.Loop() {
		Scan(benchPost)
	}
}

func BenchmarkScanPostWithIdentifiers(b *testing.B) {
	b.SetBytes(int64(len(benchPostWithPHI)))
	for b.Loop() {
		Scan(benchPostWithPHI)
	}
}
