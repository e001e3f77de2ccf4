package seed

// The vocabulary synthetic posts are built from. Every list is ordered from
// the most to the least commonly discussed term, because each is drawn with
// Zipf frequency: heparin comes up far more often than fosphenytoin, and
// that skew is what makes the generated text behave like real text for
// search indexes and compression.

var drugs = newWordList(1.0, []string{
	"heparin", "norepinephrine", "vancomycin", "metoprolol", "furosemide",
	"enoxaparin", "apixaban", "insulin", "ceftriaxone", "piperacillin-tazobactam",
	"amiodarone", "aspirin", "ketamine", "propofol", "dexmedetomidine",
	"fentanyl", "midazolam", "lorazepam", "levetiracetam", "ondansetron",
	"acetaminophen", "ibuprofen", "morphine", "hydromorphone", "vasopressin",
	"epinephrine", "phenylephrine", "dobutamine", "milrinone", "diltiazem",
	"digoxin", "warfarin", "rivaroxaban", "dabigatran", "clopidogrel",
	"ticagrelor", "prasugrel", "atorvastatin", "rosuvastatin", "lisinopril",
	"losartan", "sacubitril-valsartan", "spironolactone", "empagliflozin", "dapagliflozin",
	"carvedilol", "hydralazine", "nitroglycerin", "labetalol", "nicardipine",
	"clevidipine", "esmolol", "adenosine", "lidocaine", "magnesium sulfate",
	"calcium gluconate", "sodium bicarbonate", "potassium chloride", "albumin", "lactated Ringer's",
	"normal saline", "dexamethasone", "methylprednisolone", "hydrocortisone", "prednisone",
	"albuterol", "ipratropium", "cefepime", "meropenem", "azithromycin",
	"doxycycline", "ampicillin", "gentamicin", "cefazolin", "metronidazole",
	"linezolid", "daptomycin", "clindamycin", "trimethoprim-sulfamethoxazole", "nitrofurantoin",
	"fluconazole", "micafungin", "acyclovir", "oseltamivir", "remdesivir",
	"tranexamic acid", "andexanet alfa", "idarucizumab", "four-factor PCC", "vitamin K",
	"protamine", "naloxone", "flumazenil", "haloperidol", "quetiapine",
	"olanzapine", "droperidol", "metoclopramide", "pantoprazole", "famotidine",
	"octreotide", "lactulose", "rifaximin", "ceftazidime", "cefuroxime",
	"amoxicillin", "amoxicillin-clavulanate", "oxytocin", "terbutaline", "rocuronium",
	"succinylcholine", "etomidate", "cisatracurium", "sugammadex", "alteplase",
	"tenecteplase", "argatroban", "bivalirudin", "fondaparinux", "semaglutide",
	"metformin", "insulin glargine", "levothyroxine", "phenobarbital", "valproate",
	"fosphenytoin", "lacosamide", "thiamine", "N-acetylcysteine", "buprenorphine",
})

var drugClasses = newWordList(1.0, []string{
	"beta-blocker", "SGLT2 inhibitor", "loop diuretic", "DOAC", "ACE inhibitor",
	"vasopressor", "ARB", "ARNI", "calcium channel blocker", "low-molecular-weight heparin",
	"statin", "P2Y12 inhibitor", "inotrope", "antipsychotic", "benzodiazepine",
	"opioid", "PPI", "carbapenem", "fluoroquinolone", "cephalosporin",
	"aminoglycoside", "antifungal", "steroid", "GLP-1 agonist", "mineralocorticoid antagonist",
	"thiazide", "antiepileptic", "neuromuscular blocker", "bronchodilator", "anticoagulant",
})

var conditions = newWordList(1.0, []string{
	"sepsis", "atrial fibrillation", "heart failure", "septic shock", "pneumonia",
	"AKI", "DKA", "hyperkalemia", "PE", "delirium",
	"COPD exacerbation", "NSTEMI", "stroke", "GI bleed", "hyponatremia",
	"HFpEF", "HFrEF", "asthma", "CKD", "DVT",
	"STEMI", "alcohol withdrawal", "cirrhosis", "cellulitis", "UTI",
	"syncope", "bronchiolitis", "ARDS", "status epilepticus", "hepatic encephalopathy",
	"pancreatitis", "pyelonephritis", "C. diff", "bacteremia", "endocarditis",
	"meningitis", "TIA", "hypertensive emergency", "aortic stenosis", "cardiogenic shock",
	"myocarditis", "pericarditis", "tamponade", "VT", "SVT",
	"complete heart block", "croup", "febrile neutropenia", "anaphylaxis", "angioedema",
	"opioid overdose", "serotonin syndrome", "rhabdomyolysis", "hypoglycemia", "HHS",
	"thyroid storm", "adrenal crisis", "preeclampsia", "postpartum hemorrhage", "Kawasaki disease",
	"MIS-C", "intussusception", "appendicitis", "small bowel obstruction", "cholangitis",
	"diverticulitis", "osteomyelitis", "septic arthritis", "necrotizing fasciitis", "heat stroke",
	"hypothermia", "traumatic brain injury", "subdural hematoma", "subarachnoid hemorrhage", "cord compression",
	"tumor lysis syndrome", "HIT", "TTP", "DIC", "sickle cell crisis",
	"acute chest syndrome", "COVID-19", "influenza", "RSV", "pneumothorax",
	"pleural effusion", "massive hemoptysis", "VAP", "CAUTI", "CLABSI",
	"pressure injury", "falls", "frailty", "polypharmacy", "QT prolongation",
	"torsades", "digoxin toxicity", "lithium toxicity", "acetaminophen overdose", "salicylate toxicity",
	"aortic dissection", "mesenteric ischemia", "compartment syndrome", "neonatal jaundice", "failure to thrive",
	"dehydration", "refeeding syndrome", "Guillain-Barre syndrome", "myasthenic crisis", "Takotsubo cardiomyopathy",
})

var findings = newWordList(1.0, []string{
	"a new oxygen requirement", "hypotension", "a MAP in the low 60s", "bilateral crackles", "new confusion",
	"peaked T waves", "a troponin bump", "a rising creatinine", "tachycardia in the 130s", "a lactate of 4",
	"mottled knees", "a new LBBB", "ST depression in V1-V3", "a wide-complex tachycardia", "an S3",
	"JVD to the angle of the jaw", "cap refill over 3 seconds", "hypotension after intubation", "a GCS of 13", "a positive fluid balance of 6 liters",
	"B-lines on POCUS", "a plethoric IVC", "a small pericardial effusion", "RV dilation on bedside echo", "a QTc of 520",
	"asterixis", "a rigid abdomen", "guarding", "a petechial rash", "a bulging fontanelle",
	"grunting", "nasal flaring", "subcostal retractions", "a barking cough", "a limp",
	"refusal to bear weight", "unilateral leg swelling", "hemoptysis", "melena", "coffee-ground emesis",
	"oliguria", "a potassium of 6.4", "a sodium of 118", "an anion gap of 24", "a pH of 7.12",
	"a white count of 22", "bandemia", "platelets of 40", "an INR of 3.8", "a fibrinogen under 100",
	"a positive D-dimer", "a clear chest X-ray", "a right lower lobe consolidation", "free air", "dilated bowel loops",
	"papilledema", "a blown pupil", "clonus", "a coarse tremor", "diaphoresis",
	"diffuse wheezing", "stridor", "a new murmur", "splinter hemorrhages", "fever to 39.4",
})

var labs = newWordList(1.0, []string{
	"lactate", "troponin", "potassium", "creatinine", "BNP",
	"INR", "sodium", "anti-Xa level", "magnesium", "aPTT",
	"procalcitonin", "hemoglobin", "platelet count", "white count", "glucose",
	"bicarbonate", "anion gap", "D-dimer", "CRP", "fibrinogen",
	"phosphate", "ferritin", "beta-hydroxybutyrate", "A1c", "TSH",
	"cortisol", "ammonia", "lipase", "bilirubin", "AST",
	"ALT", "albumin", "CK", "urine output", "vancomycin trough",
	"vancomycin AUC", "digoxin level", "ScvO2", "venous gas", "ionized calcium",
})

var labTrends = newWordList(1.0, []string{
	"trending up", "trending down", "flat", "climbing", "borderline",
	"normal", "barely abnormal", "way off", "back to baseline", "still rising",
	"stable", "improving", "not moving", "all over the place", "within range",
})

var procedures = newWordList(1.0, []string{
	"intubation", "bedside echo", "POCUS", "a central line", "an arterial line",
	"a CT head", "CT angiography", "an LP", "cardioversion", "dialysis",
	"paracentesis", "thoracentesis", "ablation", "an ICD", "a pacemaker",
	"cardiac catheterization", "PCI", "CABG", "a TEE", "a cardiac MRI",
	"an MRI", "continuous EEG", "CRRT", "plasmapheresis", "ECMO",
	"an Impella", "a balloon pump", "bronchoscopy", "an EGD", "colonoscopy",
	"a chest tube", "pericardiocentesis", "a nerve block", "procedural sedation", "high-flow nasal cannula",
	"BiPAP", "prone positioning", "an SBT", "a sedation vacation", "early mobility",
	"a fluid challenge", "a passive leg raise", "an exchange transfusion", "phototherapy", "an external ventricular drain",
	"thrombectomy", "IR embolization", "a loop recorder", "a Holter", "an exercise stress test",
	"a nuclear stress test", "a renal ultrasound", "a hip ultrasound", "a FAST exam", "an ultrasound-guided IV",
})

var settings = newWordList(1.0, []string{
	"the ED", "the ICU", "the wards", "the step-down unit", "the PICU",
	"the cath lab", "clinic", "the NICU", "the telemetry unit", "urgent care",
	"the OR", "PACU", "L&D", "the trauma bay", "a rural ED",
	"a community hospital", "our academic center", "the transfer center", "inpatient rehab", "the nursing home",
})

var roles = newWordList(1.0, []string{
	"the attending", "pharmacy", "the bedside nurse", "the resident", "cardiology",
	"the intensivist", "the hospitalist", "the charge nurse", "RT", "nephrology",
	"ID", "the fellow", "neurology", "surgery", "the rapid response team",
	"palliative care", "the family", "the night team", "anesthesia", "our medical director",
	"the consultant", "peds", "OB", "the NP", "the PA",
})

var populations = newWordList(1.0, []string{
	"older adults", "patients with obesity", "patients on dialysis", "kids under two", "pregnant patients",
	"patients with cirrhosis", "frail elderly patients", "post-op patients", "patients with CKD", "neonates",
	"adolescents", "trauma patients", "transplant recipients", "patients on chronic opioids", "people who inject drugs",
	"nursing home residents", "patients with a history of falls", "athletes", "patients with HFrEF", "immunocompromised patients",
})

var durations = newWordList(1.0, []string{
	"24 hours", "48 hours", "six hours", "an hour", "72 hours",
	"a week", "12 hours", "four hours", "a few days", "two hours",
	"two weeks", "the next shift", "a month", "three months", "six months",
})

var doses = newWordList(1.0, []string{
	"a loading dose", "the renal dose", "half the usual dose", "1 mg/kg", "0.5 mg/kg",
	"15 mg/kg", "20 mL/kg", "30 mL/kg", "80 units/kg", "18 units/kg/h",
	"0.1 units/kg/h", "5 mg", "10 mg", "25 mcg", "100 mcg",
	"2 g", "1 g", "4 g", "40 mEq", "0.05 mcg/kg/min",
	"0.1 mcg/kg/min", "1.5 mg/kg", "500 mg", "250 mL", "a 1 L bolus",
})

var verbs = newWordList(1.0, []string{
	"start", "hold", "continue", "stop", "give",
	"add", "uptitrate", "wean", "switch to", "restart",
	"avoid", "bolus", "load with", "trial", "titrate",
	"taper", "double", "halve", "push", "pre-treat with",
	"re-dose", "cover with", "escalate to", "de-escalate from", "bridge with",
	"hang", "hold off on", "renally adjust", "redose", "empirically start",
})

var adjectives = newWordList(1.0, []string{
	"reasonable", "safe", "standard", "controversial", "underused",
	"overused", "practical", "tricky", "outdated", "helpful",
	"risky", "defensible", "routine", "aggressive", "conservative",
	"evidence-based", "overrated", "underrated", "cost-effective", "unnecessary",
	"essential", "questionable", "promising", "well-established", "protocolized",
	"context-dependent", "inconsistent", "sensible", "premature", "low-yield",
})

var hedges = newWordList(1.0, []string{
	"Honestly,", "In my experience,", "At our shop,", "Anecdotally,", "For what it's worth,",
	"In practice,", "Personally,", "To be fair,", "In our unit,", "Realistically,",
	"Most of the time,", "Where I trained,", "Lately,", "Frankly,", "On nights,",
	"Admittedly,", "Historically,", "Interestingly,", "Unfortunately,", "Thankfully,",
	"In a community setting,", "Generally,", "In fairness,", "Practically speaking,", "Candidly,",
})

var trials = newWordList(1.0, []string{
	"PLUS", "SMART", "CLOVERS", "DELIVER", "EMPEROR-Preserved",
	"ARISE", "ProCESS", "DAPA-HF", "TTM2", "NICE-SUGAR",
	"ADRENAL", "ISCHEMIA", "ANDROMEDA-SHOCK", "PROSEVA", "CLASSIC",
	"ProMISe", "PARADIGM-HF", "STRONG-HF", "BaSICS", "RECOVERY",
	"CRASH-2", "HALT-IT", "VITAMINS", "SUP-ICU", "PEPTIC",
})

var organizations = newWordList(1.0, []string{
	"AHA", "IDSA", "SCCM", "ACC", "ESC",
	"ACEP", "AAP", "ASHP", "KDIGO", "Surviving Sepsis Campaign",
	"CHEST", "ATS", "ASH", "ACOG", "NICE",
})

var workNouns = newWordList(1.0, []string{
	"protocol", "order set", "pathway", "nomogram", "policy",
	"checklist", "workflow", "handoff", "consult", "huddle",
	"EHR alert", "dosing calculator", "sepsis screen", "early warning score", "formulary",
	"guideline", "bundle", "algorithm", "standing order", "triage process",
	"smart phrase", "discharge checklist", "rapid response criteria", "antibiotic timeout", "transfusion threshold",
	"escalation plan", "code cart", "debrief", "audit", "competency",
})

// tags is the fixed set of topic tags, most used first.
var tags = newWordList(1.1, []string{
	"sepsis", "anticoagulation", "heart-failure", "guidelines", "antibiotics",
	"atrial-fibrillation", "resuscitation", "airway", "pharmacology", "pediatrics",
	"nursing", "vasopressors", "sedation", "ecg", "pocus",
	"education", "quality-improvement", "dosing", "renal", "electrolytes",
	"arrhythmia", "acs", "stroke", "imaging", "ventilation",
	"toxicology", "infection-control", "stewardship", "diabetes", "neonatal",
	"trauma", "pain", "delirium", "geriatrics", "obstetrics",
	"oncology", "hematology", "transfusion", "nutrition", "wellness",
	"ethics", "palliative-care", "handoffs", "triage", "protocols",
	"journal-club", "case-report", "podcast", "research", "residency",
	"workflow", "ehr", "simulation", "ecmo", "bronchiolitis",
	"hyperkalemia", "dka", "syncope", "endocarditis", "burnout",
})
