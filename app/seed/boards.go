package seed

// titleKind selects the kind of title a board's topics get.
type titleKind uint8

const (
	titleQuestion titleKind = iota
	titlePodcast
	titleCase
)

// boardProfile describes how synthetic topics on one board read: what they
// are about, what is prescribed, and how busy the board is.
type boardProfile struct {
	board      Board
	weight     float64 // relative share of topics
	kind       titleKind
	pediatric  bool   // ages in posts are children's
	practice   bool   // subjects are practice issues, not conditions
	tag        string // tag most topics on the board carry
	subjects   *wordList
	treatments *wordList
}

var boardProfiles = []boardProfile{
	{
		board:  Board{Slug: "cardiology", Title: "Cardiology", Description: "Arrhythmias, heart failure, coronary disease and cardiac imaging."},
		weight: 14, tag: "arrhythmia",
		subjects: newWordList(1.0, []string{
			"atrial fibrillation", "HFrEF", "HFpEF", "NSTEMI", "VT",
			"syncope", "aortic stenosis", "cardiogenic shock", "post-op AF", "myocarditis",
			"pericarditis", "complete heart block", "Takotsubo cardiomyopathy", "hypertrophic cardiomyopathy", "QT prolongation",
		}),
		treatments: newWordList(1.0, []string{
			"apixaban", "metoprolol", "amiodarone", "empagliflozin", "sacubitril-valsartan",
			"furosemide", "ticagrelor", "diltiazem", "spironolactone", "digoxin",
			"colchicine", "dofetilide", "ivabradine", "mavacamten", "sotalol",
		}),
	},
	{
		board:  Board{Slug: "emergency-medicine", Title: "Emergency Medicine", Description: "Resuscitation, airway, toxicology and everything else that comes through the front door."},
		weight: 14, tag: "resuscitation",
		subjects: newWordList(1.0, []string{
			"chest pain", "sepsis", "PE", "syncope", "hyperkalemia",
			"anaphylaxis", "opioid overdose", "DKA", "severe agitation", "head injury",
			"GI bleed", "alcohol withdrawal", "renal colic", "atrial fibrillation with RVR", "angioedema",
		}),
		treatments: newWordList(1.0, []string{
			"ketamine", "etomidate", "push-dose epinephrine", "droperidol", "tranexamic acid",
			"naloxone", "calcium gluconate", "insulin", "ceftriaxone", "four-factor PCC",
			"lorazepam", "phenobarbital", "magnesium sulfate", "rocuronium", "icatibant",
		}),
	},
	{
		board:  Board{Slug: "critical-care", Title: "Critical Care", Description: "Shock, mechanical ventilation, sedation and the rest of ICU practice."},
		weight: 13, tag: "sepsis",
		subjects: newWordList(1.0, []string{
			"septic shock", "ARDS", "cardiogenic shock", "ICU delirium", "AKI on CRRT",
			"VAP", "refractory hypoxemia", "status epilepticus", "hemorrhagic shock", "post-cardiac arrest syndrome",
			"acute liver failure", "hepatic encephalopathy", "DIC", "vasoplegia after bypass",
		}),
		treatments: newWordList(1.0, []string{
			"norepinephrine", "vasopressin", "hydrocortisone", "dexmedetomidine", "propofol",
			"balanced crystalloids", "albumin", "cisatracurium", "angiotensin II", "methylene blue",
			"inhaled epoprostenol", "heparin", "fentanyl", "ketamine",
		}),
	},
	{
		board:  Board{Slug: "pediatrics", Title: "Pediatrics", Description: "General pediatrics, PICU, NICU and pediatric emergency care."},
		weight: 9, tag: "pediatrics", pediatric: true,
		subjects: newWordList(1.0, []string{
			"bronchiolitis", "croup", "fever without a source", "pediatric sepsis", "asthma exacerbation",
			"Kawasaki disease", "MIS-C", "intussusception", "pediatric DKA", "neonatal jaundice",
			"dehydration", "septic arthritis", "febrile seizure", "UTI in infants",
		}),
		treatments: newWordList(1.0, []string{
			"dexamethasone", "albuterol", "ceftriaxone", "ampicillin", "IVIG",
			"ondansetron", "racemic epinephrine", "magnesium sulfate", "acetaminophen", "ibuprofen",
			"hypertonic saline", "insulin", "cefazolin", "caffeine citrate",
		}),
	},
	{
		board:  Board{Slug: "hospital-medicine", Title: "Hospital Medicine", Description: "Inpatient internal medicine: admissions, consults and transitions of care."},
		weight: 11, tag: "guidelines",
		subjects: newWordList(1.0, []string{
			"community-acquired pneumonia", "cellulitis", "hyponatremia", "COPD exacerbation", "decompensated cirrhosis",
			"alcohol withdrawal", "delirium", "AKI", "heart failure exacerbation", "inpatient hyperglycemia",
			"syncope", "pyelonephritis", "hypercalcemia", "upper GI bleed",
		}),
		treatments: newWordList(1.0, []string{
			"ceftriaxone", "furosemide", "lactulose", "enoxaparin", "phenobarbital",
			"prednisone", "doxycycline", "tolvaptan", "albumin", "insulin glargine",
			"haloperidol", "apixaban", "rifaximin", "azithromycin",
		}),
	},
	{
		board:  Board{Slug: "infectious-diseases", Title: "Infectious Diseases", Description: "Antimicrobial choice, stewardship, resistant organisms and infection prevention."},
		weight: 8, tag: "antibiotics",
		subjects: newWordList(1.0, []string{
			"MRSA bacteremia", "endocarditis", "C. diff", "febrile neutropenia", "pyelonephritis",
			"osteomyelitis", "ESBL infections", "candidemia", "meningitis", "VAP",
			"prosthetic joint infection", "necrotizing fasciitis", "diabetic foot infection",
		}),
		treatments: newWordList(1.0, []string{
			"vancomycin", "cefazolin", "daptomycin", "cefepime", "meropenem",
			"piperacillin-tazobactam", "ceftriaxone", "fidaxomicin", "micafungin", "linezolid",
			"oral vancomycin", "ertapenem", "dalbavancin",
		}),
	},
	{
		board:  Board{Slug: "pharmacotherapy", Title: "Pharmacotherapy", Description: "Dosing, interactions, formularies and medication safety."},
		weight: 9, tag: "pharmacology", practice: true,
		subjects: newWordList(1.0, []string{
			"anticoagulation in obesity", "renal dose adjustment", "DOAC reversal", "vancomycin monitoring", "insulin infusions",
			"opioid conversions", "QT-prolonging drugs", "drug shortages", "HIT", "medication reconciliation",
			"dosing in pregnancy", "therapeutic drug monitoring", "dosing on CRRT",
		}),
		treatments: newWordList(1.0, []string{
			"heparin", "enoxaparin", "apixaban", "vancomycin", "insulin",
			"argatroban", "warfarin", "andexanet alfa", "four-factor PCC", "methadone",
			"hydromorphone", "gentamicin", "amiodarone", "tacrolimus",
		}),
	},
	{
		board:  Board{Slug: "nursing-practice", Title: "Nursing Practice", Description: "Bedside care, staffing, protocols and professional practice for nurses."},
		weight: 8, tag: "nursing", practice: true,
		subjects: newWordList(1.0, []string{
			"early mobility", "pressure injury prevention", "sepsis screening", "CAUTI prevention", "falls prevention",
			"sedation scoring", "rapid response activation", "peripheral vasopressors", "bedside handoff", "alarm fatigue",
			"CLABSI prevention", "delirium screening", "restraint use",
		}),
		treatments: newWordList(1.0, []string{
			"peripheral norepinephrine", "chlorhexidine bathing", "dexmedetomidine", "heparin", "insulin",
			"potassium chloride", "vancomycin", "propofol", "lorazepam", "haloperidol",
		}),
	},
	{
		board:  Board{Slug: "neurology", Title: "Neurology", Description: "Stroke, seizures, neurocritical care and neuromuscular emergencies."},
		weight: 6, tag: "stroke",
		subjects: newWordList(1.0, []string{
			"acute ischemic stroke", "TIA", "status epilepticus", "subarachnoid hemorrhage", "intracerebral hemorrhage",
			"Guillain-Barre syndrome", "myasthenic crisis", "a first seizure", "status migrainosus", "cord compression",
			"bacterial meningitis",
		}),
		treatments: newWordList(1.0, []string{
			"tenecteplase", "alteplase", "levetiracetam", "fosphenytoin", "lacosamide",
			"nicardipine", "IVIG", "clevidipine", "valproate", "dexamethasone",
			"four-factor PCC", "clopidogrel",
		}),
	},
	{
		board:  Board{Slug: "podcasts", Title: "Podcasts", Description: "Talk about episodes of clinical podcasts, including our own, and suggest guests."},
		weight: 3, tag: "podcast", kind: titlePodcast,
		subjects: conditions, treatments: drugs,
	},
	{
		board:  Board{Slug: "cases", Title: "Cases", Description: "De-identified case discussions: present, ask, and post the follow-up."},
		weight: 7, tag: "case-report", kind: titleCase,
		subjects: conditions, treatments: drugs,
	},
}

var boardTable = func() aliasTable {
	w := make([]float64, len(boardProfiles))
	for i, p := range boardProfiles {
		w[i] = p.weight
	}
	return newAliasTable(w)
}()
