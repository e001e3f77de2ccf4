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
		{"patient name", "patient John Smith, 67M", TypeName, "John Smith", High},
		{"title", "Mr. Jones declined", TypeName, "Jones", High},
		{"relative", "seen by his wife Anna", TypeName, "Anna", High},
		{"name with a word-like ending", "her daughter Florence and Mr. Manning", TypeName, "Florence", High},
		{"surname ending in -ing", "Mr. Manning declined", TypeName, "Manning", High},
		{"name repeated", "pt: Maria Garcia, 67F. Later Garcia's K was 6.1.", TypeName, "Garcia", High},
		{"street", "lives at 42 Elm Street", TypeAddress, "42 Elm Street", High},
		{"zip label", "ZIP 02139", TypeZIP, "02139", Low},
		{"member id", "member ID: XKJ-449-2210", TypeHealthPlan, "XKJ-449-2210", Low},
		{"vin", "VIN 1HGCM82633A004352", TypeVehicle, "1HGCM82633A004352", Low},
		{"serial", "serial number PJN123456R", TypeDevice, "PJN123456R", Low},
		{"social profile", "see facebook.com? no: https://facebook.com/jane.doe.77", TypeURL, "https://facebook.com/jane.doe.77", Low},
		{"ip", "from 10.2.33.4 at night", TypeIP, "10.2.33.4", Low},
		{"case code", "case #A-1234", TypePatientID, "A-1234", Low},
		// Names in apposition after an age and sex, and before one.
		{"apposition full name", "a 55-year-old male, John Smith, seen at the ED for chest pain", TypeName, "John Smith", High},
		{"apposition initial", "A 60-year-old male, John S., with new AF", TypeName, "John S.", High},
		{"apposition first name", "a 20yo female, Maria, presents with dyspnea", TypeName, "Maria", High},
		{"name before age", "Maria, a 20-year-old student, presents with dyspnea", TypeName, "Maria", High},
		{"full name from the word list", "we discussed Rebecca Thornton on rounds", TypeName, "Rebecca Thornton", Low},
		{"given name and an unknown surname", "we discussed Elena Raghunathan on rounds", TypeName, "Elena Raghunathan", Low},
		{"month as a given name", "A 65 yo M, June Coppedge, with a stroke", TypeName, "June Coppedge", High},
		{"town the word list lacks", "a welder from Port Jessicaview, TX with hemoptysis", TypeLocation, "Port Jessicaview, TX", Low},
		// Facilities, cities, counties.
		{"facility by name", "transferred from Mount Sinai overnight", TypeFacility, "Mount Sinai", Low},
		{"saint hospital", "admitted to St. Jude's Hospital last spring", TypeFacility, "St. Jude's Hospital", Low},
		{"health system", "she is followed at NYU Langone Health for this", TypeFacility, "NYU Langone Health", Low},
		{"children's hospital and a state", "seen at Children's Hospital Colorado", TypeFacility, "Children's Hospital Colorado", Low},
		{"medical center", "he went to Riverside Medical Center twice", TypeFacility, "Riverside Medical Center", Low},
		{"unknown name after a care word", "transferred from Kettering Meadows with sepsis", TypeFacility, "Kettering Meadows", Low},
		{"mayo", "she was seen at Mayo in 2019", TypeFacility, "Mayo", Low},
		{"city and state", "a farmer from Dayton, OH with hemoptysis", TypeLocation, "Dayton, OH", Low},
		{"city and state spelled out", "lives near Springfield, Illinois", TypeLocation, "Springfield, Illinois", Low},
		{"borough", "a 40-year-old man from Queens with fever", TypeLocation, "Queens", Low},
		{"bare city", "she moved here from Tulsa last year", TypeLocation, "Tulsa", Low},
		{"county", "EMS found him in Cuyahoga County", TypeLocation, "Cuyahoga County", Low},
		// Clinicians tied to the case.
		{"clinician seen by", "seen by Dr. Maria Lopez at the clinic", TypeClinician, "Maria Lopez", Low},
		{"clinician diagnosed by", "diagnosed by Dr. Feldman last year", TypeClinician, "Feldman", Low},
		// Labelled identifiers.
		{"insurance", "(Insurance: AA-987654)", TypeHealthPlan, "AA-987654", Low},
		{"hicn", "HICN: 123456789A", TypeHealthPlan, "123456789A", Low},
		{"hbn", "HBN 55-9911-2", TypeHealthPlan, "55-9911-2", Low},
		{"hmo id", "her HMO ID is KP-4432190", TypeHealthPlan, "KP-4432190", Low},
		{"medrec", "MedRec# 99812734", TypeMRN, "99812734", High},
		{"id hash", "ID#: 55-1234", TypePatientID, "55-1234", Low},
		{"ref code", "ref. code: XR-77812", TypePatientID, "XR-77812", Low},
		// Dates.
		{"day-month-year with dashes", "MI on 17-Feb-2023", TypeDate, "17-Feb-2023", Low},
		{"month and year after an event", "a stroke in July 2021, no deficits", TypeDate, "July 2021", Low},
		{"written date before a numeric one", "Mar 3, 2020. Then 06/01/2021.", TypeDate, "Mar 3, 2020", Low},
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

// Each date finding says what kind of date it is, from the nearest cue in
// its own clause: a visit is not a birth date.
func TestDateReasonsFitTheDate(t *testing.T) {
	cases := []struct{ text, date, reason string }{
		{"seen on 3/14 for follow-up", "3/14", "visit"},
		{"DOB 1/2/1950. Seen on 3/14 for follow-up.", "3/14", "visit"},
		{"born 1/2/1950, seen on 3/14/2024", "3/14/2024", "visit"},
		{"metoprolol 25 mg b.i.d., seen on 3/14", "3/14", "visit"},
		{"admitted 2024-02-11 via the ED", "2024-02-11", "admission"},
		{"died on 4/5/2023 at home", "4/5/2023", "death"},
		{"DOB 04/07/1941", "04/07/1941", "date of birth"},
		{"surgery on 5/6/2022 went well", "5/6/2022", "procedure"},
	}
	for _, c := range cases {
		found := false
		for _, f := range Scan(c.text) {
			if f.Type == TypeDate && f.Text == c.date {
				found = true
				if !strings.Contains(f.Reason, c.reason) {
					t.Errorf("%q: reason %q, want one about %s", c.text, f.Reason, c.reason)
				}
			}
		}
		if !found {
			t.Errorf("%q: %q not found", c.text, c.date)
		}
	}
}

// Words that look like names or places but are medicine or plain English.
func TestEponymsDrugsAndWordsAreNotNamesOrPlaces(t *testing.T) {
	for _, text := range []string{
		"Known Parkinson's disease, on carbidopa-levodopa; Crohn disease in remission; Hodgkin lymphoma in 2010.",
		"Cushing syndrome was excluded; Graves disease treated with methimazole; Addison crisis last year.",
		"Wilson disease work-up sent; Bell's palsy resolved with prednisone.",
		"Referred to Mayo score of 9 on colonoscopy.",
		"Reading the ECG again, Mobile ECG monitoring showed AF.",
		"Switched from Norco to oxycodone; started Eliquis 5 mg BID and Keppra 500 mg.",
		"Dr. Okafor made a good point above about the Wells score.",
		"Thank you Dr. Lindqvist for the Holter tip.",
		"Chief Resident Conference next Tuesday will cover DKA.",
		"Ramsay Hunt syndrome in an elderly patient; Glasgow Coma Scale 14; Child-Pugh B.",
		"The Mayo Clinic Proceedings review is worth reading; St. John's wort interacts with warfarin.",
		"Immigrated from Peru; family in Mexico.",
		"Gains in Mobile units and in Reading speed were small; Normal saline from Independence pharmacy.",
		"We see this in Older Adults with Sepsis.",
		"In May 2023 the guideline was updated; the trial published in March 2024 changed practice.",
	} {
		if got := Scan(text); len(got) > 0 {
			t.Errorf("Scan(%q) = %+v, want nothing", text, got)
		}
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

// A clinician named with a case asks for confirmation: the name narrows
// the patient to one practice. Members talking to each other do not.
func TestClinicianNamesAsk(t *testing.T) {
	for text, want := range map[string][]string{
		"Dr. Okafor and Prof. Lindqvist reviewed the ECG.": {"Okafor", "Lindqvist"},
		"seen by Dr. Maria Lopez at Mercy on Tuesday":      {"Maria Lopez"},
		"diagnosed by Dr. Feldman":                         {"Feldman"},
		"ENT (Dr. J. Ruiz) wants intratympanic steroids":   {"J. Ruiz"},
	} {
		got := Scan(text)
		var names []string
		for _, f := range got {
			if f.Type == TypeClinician {
				if f.Blocking() {
					t.Errorf("%q: a clinician's name should ask, not block: %+v", text, f)
				}
				names = append(names, f.Text)
			}
		}
		if strings.Join(names, "|") != strings.Join(want, "|") {
			t.Errorf("Scan(%q) clinicians = %q, want %q", text, names, want)
		}
	}
	for _, text := range []string{
		"Thanks, Dr. Okafor, that helped.",
		"As Dr. Okafor said above, check the potassium first.",
		"Dr. Okafor, I agree with the loop recorder.",
		"I agree with Dr. Okafor's point about the QT.",
	} {
		if got := Scan(text); len(got) > 0 {
			t.Errorf("Scan(%q) = %+v, want nothing", text, got)
		}
	}
}

func TestScholarlyLinksAreLeftAlone(t *testing.T) {
	for _, text := range []string{
		"https://www.nejm.org/doi/full/10.1056/NEJMoa2034577",
		"https://pubmed.ncbi.nlm.nih.gov/32007143/",
		"NPI 1245319599",
	} {
		if got := Scan(text); len(got) > 0 {
			t.Errorf("Scan(%q) = %+v, want nothing", text, got)
		}
	}
}

// Odd spacing and text cut off mid-cue must not trip the scanner.
func TestScanSurvivesOddSpacing(t *testing.T) {
	for _, text := range []string{"Maria                  Garcia", "Dr.                John Smith was admitted", "Dr.                 ", "a 55-year-old male,", "St.", "Dr",
		"from the", "in", ", OH", "Mrs.", "June", "Port X, TX"} {
		for _, f := range Scan(text) {
			if text[f.Start:f.End] != f.Text {
				t.Errorf("%q: finding %+v does not match its offsets", text, f)
			}
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
	theLexicon() // unpacked once per process, measured by BenchmarkLoadLexicon
	b.SetBytes(int64(len(benchPost)))
	for b.Loop() {
		Scan(benchPost)
	}
}

func BenchmarkScanPostWithIdentifiers(b *testing.B) {
	theLexicon()
	b.SetBytes(int64(len(benchPostWithPHI)))
	for b.Loop() {
		Scan(benchPostWithPHI)
	}
}
