package main

// Templates written in the voice of clinicians asking colleagues for help:
// queries are short, case posts longer. Each {SLOT} is filled by main.go.

var queryTemplates = []string{
	"Quick question: a {AGE}-year-old {SEX}, {FULL}, seen at {FAC} with new AF and a CHA2DS2-VASc of 3. Anticoagulate now or wait for the echo?",
	"Had a {AGEY} {SEX}, {FIRSTINIT}, with recurrent syncope; Holter was negative. Loop recorder next?",
	"a {AGE}yo {SEX}, {FIRST}, on apixaban who needs a dental extraction - do you hold it?",
	"Anyone seen this? {MR} from {CITYST} came in with painless jaundice and a 4 cm pancreatic head mass.",
	"{FULL}, a {AGE}-year-old teacher, presented with a thunderclap headache; CT negative at 8 h. LP or CTA?",
	"Transferred from {FAC} last night: {AGE}M with STEMI, door-to-balloon 140 min. What would you have done differently?",
	"Pt {FULL} ({MRN}) has a K of 6.4 on spironolactone. How fast do you restart it?",
	"Seen by {DOC} at {FAC} for refractory hypertension; now on four agents. Worth screening for aldosteronism?",
	"My patient's {REL} keeps calling about the MRI results - {PHONE}. How do you handle this without consent on file?",
	"{AGE}F from {BORO} with fever, rash and travel to Brazil. Dengue, Zika or chikungunya first?",
	"Diagnosed by {DOCLAST} with sarcoid in {MONYR}; now with heart block. Who places the ICD?",
	"Can someone help read this ECG? {MR}, {OLD}, dizzy since {DATE}.",
	"Question about Medicare coverage: {HICN} was denied for a CGM. Appeal route?",
	"Prior auth nightmare {INS} - they want a step trial of metformin first. Anyone won this fight?",
	"{FULL} DOB? no - sorry, I mean: what dose of vanc for a 140 kg patient?",
	"A {AGEY} {SEX}, {FULL}, with a stroke in {MONYR} now on clopidogrel. Switch to DOAC after the new AF?",
	"We admitted {MR} to {FAC} on {DATE} with DKA; pH 6.98. How soon to switch to subcut insulin?",
	"Anyone from {CITY} know if the county jail gives buprenorphine? My pt {FIRST} gets released Monday.",
	"Had to call {DOC} at home about a critical lactate. Is there a norm for after-hours callbacks?",
	"Help: ref. code {IDNUM} keeps bouncing from the lab. Who do I call?",
	"{OLD} {SEX} from {CITYST}, full code per family, now with aspiration pneumonia. How do you start that talk?",
	"{FIRST} {LAST} was {AGE} when diagnosed with T1DM; now pregnant at 10 weeks. Pump settings?",
	"Anyone use tenecteplase off-label? Our {AGE}yo {SEX}, {FIRSTINIT}, had a wake-up stroke.",
	"Mrs. {LAST} (her {REL} asked me to post anonymously - I said no names!) has bilateral ptosis. Myasthenia work-up?",
	"Neighbor of my patient called from {ADDR}: says she's confused. Wellness check or APS?",
	"For the {COUNTY} folks: where do uninsured patients get colonoscopies?",
	"{DOC} from {FAC} suggested rituximab for MN. Thoughts vs. cyclophosphamide?",
	"patient email {EMAIL} sent me photos of a rash. OK to use them in a teaching post?",
	"{AGE} yo {SEX} - {FULL} - with sickle cell in crisis, PCA not enough. Ketamine?",
	"Saw {MR} in clinic {DATE}: ferritin 12, Hb 8.1, on PPI. IV iron or oral first?",
	"Outside hospital ({FAC}) sent him with a chest tube in the fissure. Pull back or replace?",
	"Anyone have a contact at {FAC}? Need to get records for {FULL}, {DOB}.",
	"{MEDREC}: 45F with recurrent pancreatitis, TG 2800. Insulin drip or plasmapheresis?",
	"HMO says no to the sleep study for {FIRST} ({AGE}F, BMI 44). {INS}. Any tips?",
	"Colleague {DOC} asked me to crowdsource this: {AGEY} {SEX} with eosinophilia 4000 and wheeze.",
	"{FIRSTINIT} is a {AGE}-year-old {SEX} from {CITYST} with recurrent C. diff. FMT access?",
	"a {AGEY} {SEX}, {FIRST}, moved here from {CITY} in {MONYR}; no records. TB screening?",
	"Post-op day 2 at {FAC}: {MR} has new confusion and Na 124. Fluid restrict or hypertonic?",
	"Called {REL} at {PHONE} to discuss goals; she wants everything done. Next step?",
	"Is a {AGE}-year-old {SEX} named {FULL} with PSA 9 a candidate for active surveillance?",
	"{SSN} showed up on a fax we received by mistake. What's the protocol for reporting?",
	"Seen at {FAC} on {DATE}, then {FAC} two days later - two different anticoagulants. Who reconciles?",
	"Her {REL} lives in {CITYST} and wants copies. {IDNUM}. Can I send them?",
	"Resident question: why would {DOCLAST} order a renin level before starting lisinopril in {FULL}?",
	"{AGE}M, {FIRST}, HIV on Biktarvy, CD4 180 - PJP prophylaxis still needed?",
}

var caseTemplates = []string{
	"Case for discussion. A {AGE}-year-old {SEX}, {FULL}, was admitted to {FAC} on {DATE} with two weeks of fever and night sweats. " +
		"He lives in {CITYST} and works on a dairy farm. Blood cultures grew Brucella after 5 days. " +
		"Treated with doxycycline and rifampin. Question: how long, and do we image the spine?",
	"{FULL} ({MRN}, {DOB}) is a {AGE}yo {SEX} with ESRD on HD who presented to {FAC} with hypotension during dialysis. " +
		"Echo showed a large pericardial effusion. Pericardiocentesis drained 800 mL. What would you send the fluid for?",
	"Interesting one from last week. A {AGEY} {SEX}, {FIRSTINIT}, transferred from {FAC} with progressive weakness. " +
		"Exam: areflexia, ophthalmoplegia, ataxia. Anti-GQ1b positive. IVIG given. Has anyone used plasma exchange first?",
	"Our patient, {MR}, {OLD}, from {BORO}, came in after a fall at home. CT head: subdural 9 mm. " +
		"On warfarin for a mechanical valve, INR 3.4. Neurosurgery ({DOC}) wants full reversal. Cardiology disagrees. Thoughts?",
	"HPI: {AGE}F, {FIRST}, G2P1 at 32 weeks, BP 168/104, headache, platelets 88. Seen at {FAC} on {DATE}. " +
		"Magnesium started. Her {REL} asks whether she can deliver at home in {CITY}. How do you counsel?",
	"A {AGEY} {SEX} named {FULL} presented on {DATE} with hematemesis. EGD at {FAC} showed a Dieulafoy lesion, clipped. " +
		"Rebled 36 hours later. IR embolization or repeat scope? {INS} is refusing the transfer.",
	"{FULL}, a {AGE}-year-old retired welder from {CITYST}, has progressive dyspnea and clubbing. " +
		"HRCT: UIP pattern. Diagnosed by {DOCLAST} in {MONYR}. Started nintedanib; LFTs tripled. Switch to pirfenidone?",
	"Sharing a near miss. {MR} ({MRN}) received a double dose of insulin glargine after transfer from {FAC}. " +
		"BG 34 at 3 am. The order came over as both home and inpatient. How do your systems prevent this?",
	"{AGE}M, {FULL}, with alcohol use disorder, from {CITY}, admitted {DATE} with withdrawal. " +
		"Needed 400 mg diazepam in 24 h. Phenobarbital protocol? {DOC} at {FAC} swears by it.",
	"Case: a {AGE}-year-old {SEX}, {FIRST}, with HIV (CD4 40) presented with headache and fever. " +
		"Opening pressure 38 cm H2O. India ink positive. Started amphotericin and flucytosine. Serial LPs daily? She lives at {ADDR}, far from us.",
	"Long-time lurker, first case. {FULL}, {AGE}yo {SEX}, {HICN}, seen in our clinic on {DATE} with a painless testicular mass. " +
		"US: 2 cm hypoechoic lesion. AFP and hCG normal, LDH high. Referred to {DOC}. Seminoma likely - surveillance vs carboplatin?",
	"A {AGEY} {SEX}, {FULL}, seen at {FAC} with jaundice. MRCP: Klatskin tumor. " +
		"His {REL} can be reached at {PHONE}; family wants a second opinion at {FAC}. How do we transfer records safely?",
	"{MR} is a {OLD} resident of {COUNTY} with dementia and recurrent UTIs. Daughter asks about prophylaxis. " +
		"Cultures: ESBL E. coli. Nitrofurantoin with CrCl 28? Fosfomycin? Methenamine?",
	"Teaching case. {FULL} ({IDNUM}) - a {AGE}-year-old {SEX} - presented to {FAC} in {CITYST} on {DATE} with chest pain after cocaine. " +
		"Troponin rising. Beta-blocker or not?",
	"Followed by {DOC} since {MONYR} for IgA nephropathy, {FIRSTINIT} ({AGE}F) now has proteinuria 3 g/day despite max ARB. " +
		"SGLT2 added. Sparsentan? Budesonide? Transfer from {FAC} records attached.",
	"{FIRST}, a {AGE}-year-old {SEX} from {BORO}, arrived by EMS on {DATE} after a witnessed arrest. ROSC after 22 min. " +
		"Cath at {FAC}: no culprit. TTM at 36 or just avoid fever?",
	"History: {FULL}, {DOB}, {MRN}. Presented {DATE} with right lower quadrant pain. CT: appendicitis with a 3 cm abscess. " +
		"IR drain placed. Interval appendectomy or not?",
	"A {AGEY} {SEX} was seen by {DOC} at {FAC} with bilateral hilar adenopathy, erythema nodosum and arthritis. " +
		"Löfgren syndrome. His {REL} asked whether steroids are needed. What do you tell families?",
	"Mrs. {LAST}, {OLD}, lives alone in {CITYST}. Admitted {DATE} with hip fracture; delirium post-op. " +
		"Her son ({EMAIL}) wants to take her home. Capacity assessment help?",
	"{AGE}M, {FULL}, with a 40 pack-year history, from {CITY}, had a stroke in {MONYR}. Now a 3 cm spiculated RUL nodule. " +
		"PET avid. {DOCLAST} at {FAC} suggests SBRT over lobectomy given FEV1 38%. Agree?",
	"Consult question from {FAC}: {FULL}, a {AGE}-year-old {SEX}, has a Na of 112 after a marathon. " +
		"3% saline bolus given. Na now 121 at 6 h. Overcorrection risk? DDAVP clamp?",
	"{MR} ({MRN}) was found down at {ADDR}. CK 48,000, Cr 3.9. " +
		"Fluids at 300 mL/h; urine output falling. Bicarbonate? Early dialysis? He is uninsured ({INS} lapsed).",
	"A {AGE}-year-old {SEX}, {FIRSTINIT}, transferred to {FAC} from {CITYST} on {DATE} for ECMO. " +
		"Influenza A with ARDS, P/F 60. Prone positioning already tried. When do you stop?",
	"{FULL}, {AGE}F, HICN {HICN}, came in on {DATE} with DKA from a new SGLT2 inhibitor (euglycemic, BG 190). " +
		"Treated with D10 and insulin. Restart the drug ever?",
	"I saw {MR} in {CITY} yesterday - {AGE}M with painful vesicles on the ear and facial droop. Ramsay Hunt. " +
		"Valacyclovir plus prednisone started. Hearing loss present. ENT ({DOC}) wants intratympanic steroids. Evidence?",
	"Post-partum day 4, {FIRST} ({AGE}F) from {BORO}, delivered at {FAC} on {DATE}, now with dyspnea. Echo EF 30%. " +
		"Peripartum cardiomyopathy. Bromocriptine? She wants to breastfeed.",
	"{FULL} is a {AGEY} {SEX} with HFrEF, EF 20%, NYHA IV, on milrinone at home. {DOC} asks about LVAD vs hospice. " +
		"His {REL} is his proxy ({PHONE}). How do you frame the conversation?",
	"Case review: {AGE}M, {FIRST}, {MRN}, fell from a ladder in {CITYST} on {DATE}. C2 fracture, neuro intact. " +
		"Collar vs halo? Spine at {FAC} says collar.",
	"We saw a {AGE}-year-old {SEX}, {FULL}, on {DATE} with an ANCA vasculitis flare; creatinine 4.1 from 1.2. " +
		"PLEX per the old protocol or avacopan per {DOCLAST}?",
	"{FIRSTINIT}, {AGE}F, from {COUNTY}, has a BRCA2 variant; sister diagnosed at 38. " +
		"Risk-reducing surgery timing? Genetics at {FAC} is booked out until {MONYR}.",
}

// Identifier-free texts: doses, labs, scores, eponyms, drug brands,
// durations, years and words that are also place names.
var negativeTemplates = []string{
	"Started {DRUG} 5 mg daily; {LAB} after {DUR}. {EPONYM} was considered but the {SCORE} was low.",
	"Known {EPONYM}, on {DRUG}. Labs: {LAB}. Plan to recheck in {DUR}.",
	"Question for the group: in {EPONYM}, do you still use {DRUG} first line, or has that changed since {YEAR}?",
	"{SCORE}; {LAB}. Switched from {DRUG} to {DRUG} because of cost.",
	"Reading the {YEAR} guideline again: {DRUG} is preferred over warfarin unless there is a mechanical valve.",
	"Mobile cardiac telemetry for {DUR} showed paroxysmal AF, burden 4%. {SCORE}.",
	"Normal saline 1 L bolus, then LR at 125 mL/h. {LAB}. {DRUG} held.",
	"{EPONYM} suspected; {LAB}. We sent ANA, dsDNA and complements. {DRUG} on hold.",
	"Graves disease treated with methimazole since {YEAR}; TRAb still high after {DUR}.",
	"Addison crisis on arrival: hydrocortisone 100 mg IV, then 50 mg q6h. {LAB}.",
	"Wilson disease work-up: ceruloplasmin low, 24 h urine copper high, slit lamp pending.",
	"Bell's palsy, day 2. Prednisone 60 mg for {DUR}; valacyclovir added. House-Brackmann III.",
	"Cushing syndrome was excluded with a low-dose dex suppression; cortisol 1.2 after 1 mg.",
	"Hodgkin lymphoma in {YEAR}, treated with ABVD; now with radiation pneumonitis question.",
	"Crohn disease on {DRUG}; fecal calprotectin {NUM}0, CRP {NUM}. Step up?",
	"Parkinson's disease for {DUR}, on carbidopa-levodopa 25/100 TID; new hallucinations.",
	"The Mayo score was 9 at colonoscopy; {DRUG} induction started.",
	"{SCORE}. Discharged on {DRUG} with follow-up in {DUR}.",
	"Temp 38.9, HR 118, BP 92/54, RR 24, SpO2 91% on 4 L. {LAB}. Lactate {NUM}.",
	"ECG: sinus tachycardia, QTc 486 on {DRUG}. Stopped it; repeat in {DUR}.",
	"We use the {EPONYM} criteria here; sensitivity is poor in the elderly.",
	"Per the {YEAR} ACC/AHA update, {DRUG} is class IIa after PCI for {DUR}.",
	"Wells score 4, D-dimer 1,840; CTA negative. Stopped {DRUG}.",
	"Pain managed with {DRUG} and acetaminophen 1 g q8h; avoid NSAIDs with Cr {NUM}.",
	"Hb 7.2, MCV 68, ferritin 6. Ferric carboxymaltose 750 mg x2, {DUR} apart.",
	"CHA2DS2-VASc 5, HAS-BLED 3. Watchman discussed. {DRUG} continued meanwhile.",
	"Normal sinus rhythm, Normal echo, Normal stress test - still symptomatic after {DUR}.",
	"Independence with ADLs at baseline; Barthel index 95; MoCA 26/30.",
	"{CITYISH} is not the issue here: {LAB}, and {EPONYM} fits better.",
	"Charcot foot in {YEAR}, offloaded with a total contact cast for {DUR}.",
	"Kawasaki disease at age 4; coronary aneurysm 5 mm, on aspirin and {DRUG}.",
	"Guillain-Barré after a Campylobacter infection; IVIG 2 g/kg over 5 days.",
	"Takotsubo on echo, apical ballooning; cath clean. {DRUG} started.",
	"Brugada pattern type 1 after fever; EP study scheduled in {DUR}.",
	"Hashimoto thyroiditis; TSH 14, free T4 0.7. Levothyroxine 50 mcg.",
	"Sjögren with interstitial lung disease; started {DRUG}, PFTs in {DUR}.",
	"Raynaud phenomenon, digital ulcers; nifedipine then sildenafil; iloprost considered.",
	"The Ottawa ankle rules were negative; no X-ray. Ibuprofen and RICE for {DUR}.",
	"Glasgow Coma Scale 14, Glasgow-Blatchford 12, Rockall 5: scope within 24 h.",
	"Child-Pugh B, MELD 18. Lactulose and rifaximin; {DRUG} avoided.",
	"Apgar 8 and 9; Ballard 38 weeks; bilirubin {NUM} at 48 h.",
	"Epley maneuver for right posterior canal BPPV; Dix-Hallpike positive.",
	"{DUR} of {DRUG}, then taper by 5 mg weekly. Bone density in {YEAR}.",
	"Revised Geneva 6, PERC not applicable. Heparin drip per protocol.",
	"We followed the {YEAR} KDIGO guideline: {DRUG} if eGFR above 20.",
	"Reading glasses only; visual acuity 20/40 OU. Fundi: AV nicking.",
	"In {YEAR} we switched our formulary from {DRUG} to {DRUG}; bleeding events fell.",
	"Troponin 0.04, then 0.05 at 3 h; HEART score 3. Discharged.",
	"Normal anion gap acidosis: HCO3 14, Cl 116; urine anion gap positive. RTA type 1?",
	"{NUM} days of {DRUG}, then oral step-down for a total of {DUR}.",
}

var drugs = []string{"Eliquis", "Xarelto", "Keppra", "Lasix", "Entresto", "Jardiance", "Ozempic", "Humira", "Keytruda", "Norco",
	"Allegra", "Lyrica", "Seroquel", "Zofran", "Plavix", "Brilinta", "Coreg", "Farxiga", "Trulicity", "Dupixent", "Stelara",
	"Xeljanz", "Rinvoq", "Skyrizi", "Paxlovid", "Biktarvy", "Suboxone", "Narcan", "Flomax", "Ambien", "apixaban", "rivaroxaban",
	"levetiracetam", "furosemide", "metoprolol", "lisinopril", "spironolactone", "empagliflozin", "semaglutide", "adalimumab",
	"pembrolizumab", "ceftriaxone", "vancomycin", "piperacillin-tazobactam", "prednisone", "methotrexate", "hydroxychloroquine",
	"tacrolimus", "mycophenolate", "infliximab", "vedolizumab", "ustekinumab", "amiodarone", "digoxin", "warfarin", "heparin"}

var eponymTerms = []string{"Parkinson's disease", "Crohn disease", "Hodgkin lymphoma", "Cushing syndrome", "Graves disease",
	"Addison disease", "Wilson disease", "Bell's palsy", "Sjögren syndrome", "Raynaud phenomenon", "Kawasaki disease",
	"Guillain-Barré syndrome", "Hashimoto thyroiditis", "Still's disease", "Whipple disease", "Paget disease", "Ménière disease",
	"Takayasu arteritis", "Behçet disease", "Churg-Strauss", "Wegener granulomatosis", "Goodpasture syndrome", "Alport syndrome",
	"Fabry disease", "Gaucher disease", "Marfan syndrome", "Ehlers-Danlos", "Turner syndrome", "Klinefelter syndrome",
	"Duchenne dystrophy", "Huntington disease", "Tourette syndrome", "Barrett esophagus", "Zenker diverticulum",
	"Mallory-Weiss tear", "Budd-Chiari", "Wernicke encephalopathy", "Kaposi sarcoma", "Burkitt lymphoma", "Ewing sarcoma",
	"Osgood-Schlatter", "Legg-Calvé-Perthes", "Dupuytren contracture", "Peyronie disease", "Brugada syndrome", "Lyme disease",
	"Reiter syndrome", "Castleman disease", "Lambert-Eaton", "Creutzfeldt-Jakob disease", "Löfgren syndrome", "Sheehan syndrome"}

var scores = []string{"CHA2DS2-VASc 4", "HAS-BLED 2", "Wells score 3", "CURB-65 of 2", "qSOFA 1", "GCS 13", "NIHSS 7",
	"MELD 22", "Child-Pugh B", "APACHE II 18", "SOFA 6", "TIMI 3", "GRACE 140", "HEART score 5", "Centor 3", "Alvarado 7",
	"Ranson 4", "Glasgow-Blatchford 9", "PHQ-9 of 14", "GAD-7 of 11", "MoCA 22", "CIWA 18", "Caprini 6", "Padua 4",
	"Mallampati III", "ASA III", "ECOG 1", "Karnofsky 70", "NYHA III", "Killip II", "Gleason 7 (3+4)", "Breslow 1.2 mm",
	"Apgar 7", "Bishop score 8", "Braden 14", "Morse 45", "Hunt and Hess 3", "Fisher grade 3", "Spetzler-Martin 2"}

var labs = []string{"K 5.9, Cr 2.4", "Na 128, glucose 412", "Hb 6.8, plt 42", "WBC 18.2 with 12% bands", "INR 3.8",
	"troponin 0.34 ng/mL", "BNP 2,400", "lactate 4.1", "pH 7.12, pCO2 28, HCO3 9", "ALT 1,200, AST 980", "lipase 3,400",
	"TSH 0.01, free T4 4.2", "A1c 11.2%", "ferritin 2,400", "CRP 180 mg/L", "procalcitonin 6.1", "CK 32,000",
	"ammonia 140", "d-dimer 4,200", "fibrinogen 90", "LDH 980, haptoglobin < 10", "eGFR 24", "albumin 2.1", "Mg 1.1, Phos 1.4",
	"vanc trough 24", "tacrolimus level 14.2", "CD4 85, viral load 120,000 copies/mL", "beta-hCG 1,850", "PSA 14.2",
	"urine protein/creatinine 4.8 g/g", "calprotectin 880", "ESR 110"}

var durations = []string{"3 days", "5 days", "7 days", "10 days", "two weeks", "6 weeks", "3 months", "six months", "a year",
	"18 months", "2 years", "48 hours", "72 h", "4 to 6 weeks", "12 weeks", "10 years", "the last decade"}

var cityLikeWords = []string{"Reading the chart", "Mobile telemetry", "Normal saline", "Independence at home", "Hope", "Liberty of movement",
	"Commerce of care", "Temple pain", "Bath salts", "Deposit of urate", "Buffalo hump", "Phoenix abscess", "Orange urine",
	"Concord among raters", "Marathon running", "Surprise question", "Troy weight", "Sandy stools", "Florence Nightingale's lamp",
	"Globe rupture", "Eureka moment"}
