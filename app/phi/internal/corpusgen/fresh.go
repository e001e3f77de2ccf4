package main

// A second set of templates, written after the rules were tuned on the
// first and scored once before any rule was changed for them (see the
// README of the scanner's tests): other sentence shapes, other cues.

var freshQueryTemplates = []string{
	"Need advice - my pt {FULL} keeps refusing dialysis. {AGE} y/o, capacity intact. Ethics consult?",
	"{FIRST} (pseudonym? no, real name, sorry mods) has a lipase of 3000 but a normal CT. Repeat imaging when?",
	"We got a kid from {CITYST}, {AGE} months old, with intussusception recurring after air enema. Surgery now?",
	"pt's mother {FULL} says he was fine until {DATE}. Now GCS 9. Toxic ingestion until proven otherwise?",
	"Anybody know the on-call nephrologist at {FAC}? Trying to reach {DOC} about a shared patient.",
	"Family wants transfer to {FAC}, we're a critical access hospital in {CITY}. How do you push back kindly?",
	"Name: {FULL}. Age {AGE}. Chief complaint: worst headache of life. Should I have scanned?",
	"her husband, {FULL2}, works nights - best to call {PHONE} after 4pm",
	"Just saw a {AGE}-yr-old {SEX} named {FIRST} with a cavitary lesion; immigrated from Peru in {MONYR}. Airborne precautions?",
	"Question re: anticoag in a {OLD} with AF - {MR} in room 12 - bleeding risk is huge. Thoughts?",
	"{MR} was discharged from {FAC} on {DATE} and bounced back in 48 h. What's your readmission huddle look like?",
	"{FIRST} {LAST}, {DOB}, {MRN} - CT attached - is that a pneumatosis?",
	"Moved from {CITYST} to here; old records at {FAC}. Insurance {INS}. Who pays for the repeat MRI?",
	"Would you tap this? {AGE}yo {SEX} from {BORO}, new ascites, SAAG 1.4, no known liver disease.",
	"Rural doc here ({COUNTY}). Nearest cath lab is {FAC}, 90 minutes away. Lytics for every STEMI?",
	"My colleague {DOC} thinks this is Sweet syndrome. {AGE}F, fever, tender plaques. Agree?",
	"Daughter {REL2} called from {CITYST} asking for results - HIPAA allows what exactly?",
	"Saw her at {FAC} in {MONYR}: EF 35%. Now EF 60% on GDMT. Stop anything?",
	"Confused about billing: account # {DIGITS7} was charged twice for {FULL}. Where do I escalate?",
	"Posting for {DOCLAST} who isn't on here yet: {AGEY} {SEX}, {FIRST}, with refractory status epilepticus.",
	"Urgent: {FULL} ({OLD}) admitted {DATE} from a SNF in {CITY}, now hypotensive on 3 pressors.",
	"What do you tell families like {MR}'s? Her {REL} thinks chemo caused the stroke.",
	"Transfer request from {FAC}: {AGE}M, aortic dissection type B, BP 210/120. Accept?",
	"Case from clinic {DATE}: {FIRSTINIT}, {AGE}, new diplopia and ptosis, worse at night.",
	"pt lives at {ADDR}, {CITYST} - home health can't find the house. Any tips?",
	"Anyone else seeing more pertussis? Three kids from {CITY} this month, one was {FULL}'s grandson.",
	"{FULL} - {AGE}M - is asking about stem cell clinics in Mexico. How do you counsel?",
	"Her sister {FULL2} (also our patient) has the same variant. Can I tell her?",
	"{MR} {MRN}: Hb dropped 4 points overnight after a kidney biopsy. CT or IR first?",
	"Nurse practitioner here. {DOC} asked me to post: {AGEY} {SEX} with ascending paralysis after a tick bite in {CITYST}.",
}

var freshCaseTemplates = []string{
	"Presentation: {FULL}, {AGE}, {SEX}, retired truck driver from {CITYST}, brought in by his {REL} on {DATE} with 3 days of confusion. " +
		"Na 118, serum osm 250, urine osm 600. On HCTZ and sertraline. Workup: TSH normal, cortisol 4 at 8 am. " +
		"Endo ({DOC}) thinks secondary AI. Question: cosyntropin now or treat first?",
	"Background: {MR}, {OLD}, lives alone at {ADDR}. Found on the floor by a neighbor on {DATE}. " +
		"CK 22,000, Cr 2.8. She was transferred from {FAC}. Goals of care with her {REL} ({PHONE}) pending. " +
		"Would you start CRRT in a {OLD} with full code status?",
	"I'm a hospitalist at {FAC}. Yesterday {FIRST} {LAST} ({AGE}F, {MRN}) came in with chest pain; troponin flat, ECG with deep T-wave inversions in V2-V3. " +
		"Wellens? Cath lab says wait. She was seen by {DOC} in {MONYR} for the same.",
	"{AGE}-year-old {SEX} ({FIRSTINIT}) from {CITY} presented {DATE} with fever after a trip to Ghana. Smear: 8% P. falciparum. " +
		"Artesunate not stocked at our hospital; nearest supply at {FAC}. How do you bridge?",
	"HPI: pt is a {AGEY} {SEX}, {FULL}, who was admitted to {FAC} on {DATE} for a COPD exacerbation. " +
		"Insurance: {INS2}. PMH: HFpEF, OSA. Now on day 5 of steroids, BG 400s. Insulin plan?",
	"History from her {REL}: {FULL} ({DOB}) had a stroke in {MONYR} and another in {MONYR}. Lives in {BORO}. " +
		"TEE: PFO with atrial septal aneurysm. Neurology at {FAC} recommends closure. She is {AGE}. Agree?",
	"A {AGE}M, {FULL}, was transferred to our unit from {FAC} in {CITYST} on {DATE} with necrotizing pancreatitis. " +
		"Walled-off necrosis 12 cm. {DOC} wants endoscopic necrosectomy; surgery prefers step-up. Experience?",
	"Teaching point from last night. {MR} ({MRN}), {OLD}, came in from {COUNTY} with a GI bleed and INR 9 on warfarin. " +
		"Kcentra given. The family asked us to call {FULL2} at {PHONE} with updates. Is a 4F-PCC dose of 50 u/kg still right?",
	"Outpatient case. {FIRST}, {AGE}F, G3P2, seen in my clinic {DATE}. TSH 0.02 in the first trimester, hCG high. " +
		"Gestational transient thyrotoxicosis vs Graves. TRAb pending. Her OB, {DOC} at {FAC}, wants PTU. Wait?",
	"{FULL}, {AGE}, from {CITYST}, MedRec# {DIGITS8}, has had four admissions since {MONYR} for DKA. " +
		"Insulin pump failure each time. Endocrine follow-up at {FAC} missed twice. How do you break the cycle?",
}

var freshNegativeTemplates = []string{
	"Started on {DRUG}; if no response in {DUR}, add {DRUG}. Recheck {LAB}.",
	"Smith et al. (NEJM {YEAR}) showed no mortality benefit; the {EPONYM} subgroup was small.",
	"Harrison's still says {DUR} of therapy; UpToDate now says shorter.",
	"The Mayo Clinic Proceedings review from {YEAR} is worth reading on {EPONYM}.",
	"Background: {EPONYM}. Assessment: {SCORE}. Plan: {DRUG}, recheck {LAB} in {DUR}.",
	"Fever of unknown origin for {DUR}; ferritin 9,000, consider Still's disease or HLH.",
	"Our Hospital Medicine group adopted the {YEAR} IDSA guideline for {DRUG} dosing.",
	"Temple wasting, Buffalo hump, moon facies: Cushing until proven otherwise.",
	"Reading room call: CT shows Mobile cecum, no volvulus. Normal appendix.",
	"Grade 2 Warthin tumor? No: pleomorphic adenoma on FNA. ENT to resect.",
	"She prefers Spanish; interpreter used. Teach-back done on {DRUG}.",
	"Phoenix protocol for sepsis in kids - anyone using the new criteria since {YEAR}?",
	"Chief Complaint: chest pain. History of Present Illness: {DUR} of exertional pressure. {SCORE}.",
	"Gram-negative rods in 2/2 bottles; started {DRUG}; {LAB}.",
	"Wilson's disease vs autoimmune hepatitis: ceruloplasmin 12, IgG high, ANA 1:640.",
	"Hope this helps - we switched to {DRUG} in {YEAR} and saw fewer readmissions.",
	"Independence, Liberty and Victory are the names of our three ICU pods, not patients!",
	"Lewy body dementia: avoid haloperidol; {DRUG} at low dose if needed.",
	"Tanner stage 3, bone age 14; GnRH stimulation test next.",
	"Virchow's triad all present: immobility, OCP use, factor V Leiden.",
	"Whipple procedure done {DUR} ago; now steatorrhea. Creon dose?",
	"Tommy John surgery in a pitcher; we see more UCL tears each year.",
	"Ramsay Hunt syndrome in an elderly patient: acyclovir IV or valacyclovir PO?",
	"Charles Bonnet syndrome explained the visual hallucinations; no antipsychotic needed.",
	"Austin Flint murmur with severe AR; surgery referral.",
	"Lou Gehrig's disease progression: FVC fell from 80% to 55% over {DUR}.",
	"Kaplan-Meier curves separated at {DUR}; HR 0.72.",
	"Winter's formula predicted pCO2 of 30; actual 42: concomitant respiratory acidosis.",
	"Jones criteria met: carditis, polyarthritis, elevated ASO.",
	"Sister Mary Joseph nodule and Virchow node: metastatic gastric cancer.",
}
