package phi

import (
	"regexp"
	"strings"
)

// labelRule finds an identifier by the label written in front of it:
// "MRN 12345678", "member ID: XK-99812", "VIN 1HGCM82633A004352".
type labelRule struct {
	typ, conf, reason string
	// roots are the lowercase words a label can start with; the regexp runs
	// only where one of them starts a word.
	roots []string
	re    *regexp.Regexp
	// minDigits is how many digits the value needs to count.
	minDigits int
	check     func(value string) bool
}

// Between a label and its value: punctuation and filler words such as
// "is", "number", "no.".
const labelGap = `[ \t]*(?:[:#=.\-][ \t]*)*(?:(?:is|was|of|number|no\.?|num|id)[ \t]*(?:[:#=.\-][ \t]*)*)*`

// The value: letters and digits with dashes or slashes, and digit groups
// joined by single spaces ("943 476 5919").
const labelValue = `([A-Za-z0-9](?:[A-Za-z0-9\-/#]|[ ]\d{2,}|\.\d)*)`

func labelled(labels string) *regexp.Regexp {
	return regexp.MustCompile(`^(?i)(` + labels + `)` + labelGap + labelValue)
}

var labelRules = []labelRule{
	{
		typ: TypeMRN, conf: High, reason: "Looks like a medical record number.",
		roots:     []string{"mrn", "mr", "medical", "med", "chart", "hospital", "hosp", "unit", "emr", "ehr", "urn"},
		re:        labelled(`medrec\s?#?|med\.?\s?rec\.?\s?#|mrn|mr\s?#|mr\s?no\.?|medical\s+record(?:\s+(?:number|no\.?|#))?|med\.?\s+rec(?:ord)?(?:\s+(?:number|no\.?|#))?|chart(?:\s+(?:number|no\.?|#|id))|hospital\s+(?:number|no\.?|#|id)|hosp\s+(?:no\.?|#)|unit\s+(?:number|no\.?)|emr\s+(?:number|no\.?|#|id)|ehr\s+(?:number|no\.?|#|id)|urn`),
		minDigits: 3,
	},
	{
		typ: TypeSSN, conf: High, reason: "Looks like a US Social Security number.",
		roots:     []string{"ssn", "social", "ss"},
		re:        labelled(`ssn|social\s+security(?:\s+(?:number|no\.?|#))?|ss\s?#`),
		minDigits: 9,
		check:     func(v string) bool { return len(digitsOf(v)) == 9 && validSSN(digitsOf(v)) },
	},
	{
		typ: TypeCreditCard, conf: High, reason: "Looks like a payment card number.",
		roots:     []string{"credit", "debit", "payment", "bank", "card", "cc", "visa", "mastercard", "amex"},
		re:        labelled(`(?:credit|debit|payment|bank)?\s*card(?:\s+(?:number|no\.?|#))?|cc|visa|mastercard|amex`),
		minDigits: 12,
		check:     func(v string) bool { n := len(digitsOf(v)); return n >= 12 && n <= 19 },
	},
	{
		typ: TypeIBAN, conf: High, reason: "Looks like a bank account number (IBAN).",
		roots:     []string{"iban"},
		re:        labelled(`iban`),
		minDigits: 8,
		check:     func(v string) bool { return validIBAN(strings.ToUpper(v)) },
	},
	{
		typ: TypeHealthPlan, conf: Low, reason: "Looks like a health-plan or insurance number.",
		roots:     []string{"member", "subscriber", "policy", "insurance", "insurer", "coverage", "bcbs", "blue", "aetna", "cigna", "humana", "uhc", "united", "kaiser", "tricare", "anthem", "molina", "health", "plan", "medicare", "medicaid", "mbi", "beneficiary", "group", "nhs", "ohip", "chi", "hicn", "hic", "hbn", "hmo", "ppo", "payer"},
		re:        labelled(`(?:(?:insurance|insurer|payer|plan|coverage)\s*:?\s*)?(?:bcbs|blue\s+cross(?:\s+blue\s+shield)?|aetna|cigna|humana|uhc|united\s?healthcare|kaiser|tricare|anthem|molina)\s+(?:id|member\s+id|#|number|no\.?)?|(?:insurance|insurer|payer|plan|coverage)\s*:?\s*(?:bcbs|blue\s+cross(?:\s+blue\s+shield)?|aetna|cigna|humana|uhc|united\s?healthcare|kaiser|medicaid|medicare|tricare|anthem|molina|centene|ambetter|wellcare|oscar|caresource|amerigroup|highmark|emblem(?:health)?|oxford|geisinger|harvard\s+pilgrim|tufts|fidelis|healthfirst|metroplus)|hicn|hic\s?(?:#|number|no\.?)|hbn|(?:hmo|ppo|payer|insurer)(?:\s+(?:id|number|no\.?|#|member\s+id))?|insurance(?:\s*:|\s+is\b)|member(?:\s+(?:id|number|no\.?|#))|subscriber(?:\s+(?:id|number|no\.?|#))?|policy(?:\s+(?:id|number|no\.?|#))|insurance(?:\s+(?:id|number|no\.?|#|card))|health[\s\-]+plan(?:\s+(?:id|number|no\.?|#))?|plan\s+id|medicare(?:\s+(?:id|number|no\.?|#|card))?|medicaid(?:\s+(?:id|number|no\.?|#|card))?|mbi|beneficiary\s+(?:id|number)|group\s+(?:number|no\.?|#)|nhs(?:\s+(?:number|no\.?|#))?|health\s+card(?:\s+(?:number|no\.?|#))?|ohip(?:\s+(?:number|no\.?|#))?|chi\s+(?:number|no\.?)`),
		minDigits: 3,
	},
	{
		typ: TypeAccount, conf: Low, reason: "Looks like an account or encounter number.",
		roots:     []string{"account", "acct", "billing", "invoice", "encounter", "visit", "claim", "fin", "csn", "har"},
		re:        labelled(`account(?:\s+(?:number|no\.?|#|id))?|acct\.?(?:\s+(?:number|no\.?|#))?|billing\s+(?:number|no\.?|#|id)|invoice(?:\s+(?:number|no\.?|#))|encounter\s+(?:number|no\.?|#|id)|visit\s+(?:number|no\.?|#|id)|(?:claim|billing)\s+(?:number|no\.?|#|id)|fin|csn|har`),
		minDigits: 4,
	},
	{
		typ: TypeLicense, conf: Low, reason: "Looks like a licence, passport or other ID-card number.",
		roots:     []string{"driver", "driving", "licen", "dl", "dea", "passport", "state", "national", "id", "identity"},
		re:        labelled(`driver'?s?\s+licen[cs]e(?:\s+(?:number|no\.?|#))?|driving\s+licen[cs]e(?:\s+(?:number|no\.?|#))?|licen[cs]e\s+(?:number|no\.?|#)|dl\s*(?:number|no\.?|#)|dea(?:\s+(?:number|no\.?|#))?|passport(?:\s+(?:number|no\.?|#))?|state\s+id(?:\s+(?:number|no\.?|#))?|(?:national\s+)?id(?:entity)?\s+card(?:\s+(?:number|no\.?|#))?`),
		minDigits: 2,
	},
	{
		typ: TypeCertificate, conf: Low, reason: "Looks like a certificate number.",
		roots:     []string{"birth", "death", "marriage", "certificate", "cert"},
		re:        labelled(`(?:birth|death|marriage)?\s*certificate(?:\s+(?:number|no\.?|#))?|cert\.?\s*(?:number|no\.?|#)`),
		minDigits: 3,
	},
	{
		typ: TypeDevice, conf: Low, reason: "Looks like a device serial number or identifier.",
		roots:     []string{"serial", "s/n", "sn", "device", "udi", "imei", "implant"},
		re:        labelled(`serial(?:\s+(?:number|no\.?|#))?|s/n|sn\s*[:#]|device\s+(?:id|serial|number|no\.?|#)|udi|imei|implant\s+(?:id|serial|number|no\.?)`),
		minDigits: 3,
	},
	{
		typ: TypeVehicle, conf: Low, reason: "Looks like a vehicle identifier (VIN or number plate).",
		roots:     []string{"vin", "vehicle", "licen", "number", "plate", "car", "registration", "reg"},
		re:        labelled(`vin|vehicle\s+identification(?:\s+number)?|licen[cs]e\s+plate(?:\s+(?:number|no\.?|#))?|(?:number\s+)?plate(?:\s+(?:number|no\.?|#))?|(?:car|vehicle)\s+registration(?:\s+(?:number|no\.?|#))?|reg(?:istration)?\s+(?:plate|number|no\.?|#)`),
		minDigits: 1,
	},
	{
		typ: TypePatientID, conf: Low, reason: "Looks like a code or reference number that identifies a patient.",
		roots:     []string{"patient", "pt", "case", "study", "subject", "participant", "record", "specimen", "accession", "client", "resident", "id", "ref", "reference", "confirmation", "rx", "prescription", "sample", "lab", "tracking", "ticket", "voucher", "file", "registration"},
		re:        labelled(`id\s?#|id\s*:|id\s+(?:no\.?|number)|ref\.?\s*(?:code|#|no\.?|number)|reference\s+(?:code|#|no\.?|number)|confirmation\s+(?:code|#|no\.?|number)|rx\s?#|rx\s+(?:no\.?|number)|prescription\s+(?:#|no\.?|number)|(?:sample|lab)\s+(?:id|#|no\.?|number)|(?:tracking|ticket|voucher|file|registration)\s+(?:#|no\.?|number|id)|patient(?:'s)?\s+(?:id|identifier|number|no\.?|#|code)|pt\.?\s*(?:id|#|no\.?|number)|case\s*(?:id|number|no\.?|#)|study\s+(?:id|number|no\.?|#)|subject\s+(?:id|number|no\.?|#)|participant\s+(?:id|number|no\.?|#)|record\s+(?:id|number|no\.?|#)|specimen\s+(?:id|number|no\.?|#)|accession\s*(?:number|no\.?|#)?|(?:client|resident)\s+(?:id|number|no\.?|#)`),
		minDigits: 2,
	},
}

func scanLabelled(d doc, cands []candidate) []candidate {
	for i := range labelRules {
		r := &labelRules[i]
		lastEnd := -1
		for _, p := range d.wordStarts(r.roots) {
			if p < lastEnd || !digitWithin(d.text, p, 64) {
				continue
			}
			m := anchored(r.re, d.text, p, 80)
			if m == nil {
				continue
			}
			// The label must end a word: "Fin" is a label, "Finland" is not.
			if le := m[3]; isASCIILetter(d.text[le-1]) && le < len(d.text) && isASCIILetter(d.text[le]) {
				continue
			}
			start, end := m[4], m[5]
			value := d.text[start:end]
			end = start + len(strings.TrimRight(value, "-/#"))
			value = d.text[start:end]
			if len(digitsOf(value)) < r.minDigits || alnumLen(value) < 4 {
				continue
			}
			if r.check != nil && !r.check(value) {
				continue
			}
			cands = d.add(cands, rankLabelled, r.typ, r.conf, start, end, r.reason)
			lastEnd = end
		}
	}
	return cands
}

func alnumLen(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) || isASCIILetter(s[i]) {
			n++
		}
	}
	return n
}

// digitWithin is a quick look for the digits every labelled value needs
// before a label's pattern runs.
func digitWithin(text string, p, n int) bool {
	for i := p; i < len(text) && i < p+n; i++ {
		if isDigit(text[i]) {
			return true
		}
	}
	return false
}
