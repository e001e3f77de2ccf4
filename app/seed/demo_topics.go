package seed

// The demo community's topics. Cases follow the rules of the pinned
// checklist on the Cases board: no names, no dates, nothing that would let
// anyone recognise a patient.

func demoTopics() []demoTopic {
	return []demoTopic{
		// Community
		{
			board: "community", title: "Welcome to Rounds — read before posting",
			tags: []string{"guidelines", "announcements"}, pinned: true, opened: span(59, 6, 0),
			posts: []demoPost{
				{author: "samcohen", body: `
Welcome to **Rounds**, a peer-only forum for verified physicians, nurses, NPs, PAs, pharmacists and allied health clinicians. Everyone here has had their license or registration checked by a moderator, so you can talk shop the way you would in the workroom.

A few ground rules:

1. **No patient identifiers.** No names, initials, MRNs, exact dates, room numbers, or photos with faces or tattoos. Rare details that would let someone recognise the patient count too. "A woman in her 50s" is fine.
2. **This is not advice for the public.** Posts are clinician-to-clinician discussion, not orders for any particular patient. Follow your local protocols.
3. **Disclose conflicts of interest** when you discuss a drug, device or company you have ties to.
4. **Disagree with the idea, not the person.** Nurses, pharmacists, RTs and physicians all see different parts of the patient. That is the point of this place.
5. **Cite when you can.** A link to the trial or guideline helps everyone.

Use **Report** on any post that breaks these rules and a moderator will look at it. Cases have their own checklist, pinned on the Cases board.

Glad you're here.

— Sam (moderator)
`},
				{author: "dreyes", after: span(0, 3, 12), body: `
Thanks for setting this up. Glad the rules call out rare details: in a small town, "a fisherman in his 40s with necrotizing fasciitis" identifies someone as surely as a name does.
`},
				{author: "priya_pharmd", after: span(1, 1, 40), body: `
Could we add something about EHR screenshots? Even cropped ones tend to leak a date, a room number or a barcode.
`},
				{author: "samcohen", after: span(1, 4, 5), body: `
Good call, added to the case checklist. Screenshots of monitors, ECGs and imaging are fine once everything around the tracing or image is cropped out.
`},
			},
		},
		{
			board: "community", title: "Introduce yourself: who's here and what do you do?",
			tags: []string{"introductions"}, opened: span(58, 2, 30),
			posts: []demoPost{
				{author: "samcohen", body: `
Tell us your role, your specialty and what you hope to get out of Rounds. I'll start: hospitalist at a mid-sized teaching hospital, mostly nights these days, interested in transitions of care and in why discharge summaries are still so hard to write well.
`},
				{author: "amara_okafor", after: span(0, 1, 15), body: `
Cardiac electrophysiologist: ablations, devices and a busy device clinic. Happy to look at any ECG you post (cropped, please).
`},
				{author: "jweber_rn", after: span(0, 2, 48), body: `
MICU nurse for nine years, CCRN, and a preceptor for new grads. Here for the ICU threads and to learn more from the pharmacists.
`},
				{author: "priya_pharmd", after: span(0, 4, 2), body: `
Clinical pharmacist on internal medicine, and I chair our anticoagulation stewardship group. I will talk heparin nomograms with anyone, at any length.
`},
				{author: "leila_haddad", after: span(0, 9, 30), body: `
Pediatric emergency physician at a children's hospital. Interested in sepsis quality improvement and in keeping well febrile infants out of unnecessary procedures.
`},
				{author: "tomas_rrt", after: span(0, 14, 10), body: `
Respiratory therapist, adult and pediatric ICUs. Ask me about high-flow, noninvasive ventilation, and why your "arterial" gas was venous.
`},
				{author: "kmensah_pa", after: span(1, 2, 0), body: `
EM PA in a community ED, single physician coverage overnight. Here for the practical stuff: what to do at 3 a.m. when the nearest specialist is two hours away.
`},
				{author: "fatima_alsayed", after: span(1, 20, 45), body: `
Neonatologist in a level IV NICU. Lurker by nature, but I'll chime in on anything under 28 days old.
`},
				{author: "grace_obrien", after: span(2, 5, 20), body: `
Nurse on a general pediatric floor and a survivor of several bronchiolitis seasons. Nice to meet you all!
`},
			},
		},

		// Cardiology
		{
			board: "cardiology", title: "Refractory VT in a 24-year-old athlete — ablation or ICD first?",
			tags: []string{"arrhythmia", "vt", "arvc", "icd"}, opened: span(41, 10, 0),
			posts: []demoPost{
				{author: "amara_okafor", body: `
Looking for input on a tough one. A 24-year-old competitive endurance athlete presented with sustained monomorphic VT, LBBB morphology with a superior axis, that needed two cardioversions. VT keeps recurring on amiodarone in the CCU.

What we have so far:

- Echo: mildly dilated RV, low-normal RV function
- Cardiac MRI: RV free-wall fatty infiltration and late gadolinium enhancement, LV spared
- Signal-averaged ECG abnormal; epsilon waves debatable
- Genetic panel sent, pending

Everyone agrees this looks like **arrhythmogenic right ventricular cardiomyopathy**. The question is sequencing. Sustained VT with hemodynamic compromise means he meets a secondary-prevention ICD indication either way, but he is young, the storm is ongoing, and there's a push to do an endo-epicardial ablation first and implant during the same admission.

Does anyone ablate before the ICD in this situation, or is it always device first? And how are you counselling about return to sport?
`},
				{author: "htanaka", after: span(0, 6, 20), body: `
From the CCU side: whatever the sequence, get the storm under control first. What has worked for us:

- deep sedation, which takes away a lot of the sympathetic drive
- amiodarone plus lidocaine
- a low threshold for a stellate ganglion block when it keeps breaking through

Ablating someone in storm on pressors is a very different risk conversation from an elective case.
`},
				{author: "sofia_marquez", after: span(0, 11, 5), body: `
We follow a few ARVC patients in our HF clinic. The exercise conversation is by far the hardest: endurance training accelerates the disease, and for a competitive athlete the sport is often their whole identity. Bring in sports psychology early if you have access to it.
`},
				{author: "dreyes", after: span(1, 2, 40), body: `
EM perspective only: please make sure he leaves with a clear plan for what to do after a shock. We see a lot of young ICD patients after a first shock who have no idea whether they should come in.
`},
				{author: "amara_okafor", after: span(6, 4, 0), body: `
Update for those following. The storm settled with sedation, amiodarone and lidocaine. We went **ICD first**: transvenous, since he is likely to need antitachycardia pacing, which a subcutaneous device can't deliver. Endo-epicardial ablation a few days later, and no VT on the monitor since.

Genetics came back with a pathogenic *PKP2* variant, so first-degree relatives are being offered screening. The [2022 ESC ventricular arrhythmia guidelines](https://academic.oup.com/eurheartj/article/43/40/3997/6675633) were useful for the family screening plan and for the sports discussion.
`},
				{author: "kmensah_pa", after: span(6, 9, 30), body: `
Thanks for closing the loop. Cascade screening is the part of these stories we never hear about in the ED.
`},
			},
		},
		{
			board: "cardiology", title: "SGLT2 inhibitors in HFpEF — are you starting them inpatient?",
			tags: []string{"heart-failure", "hfpef", "sglt2-inhibitors", "transitions-of-care"}, opened: span(33, 15, 0),
			posts: []demoPost{
				{author: "sofia_marquez", body: `
Since [DELIVER](https://www.nejm.org/doi/full/10.1056/NEJMoa2206286) and EMPEROR-Preserved, our HF clinic starts an SGLT2 inhibitor in nearly every HFpEF patient who can take one. The gap is inpatients: most go home without it and then wait six to eight weeks to see us.

The barriers I hear from the hospitalists:

- "Creatinine bumped, let's wait"
- Worry about euglycemic DKA if they go NPO for a procedure
- Prior authorization and cost at discharge

Is anyone starting these routinely before discharge in HFpEF? Any order-set wording that worked?
`},
				{author: "samcohen", after: span(0, 5, 10), body: `
We added it to the HF discharge order set as a default-on item with an opt-out reason, and uptake went from about a third to most eligible patients.

The creatinine is the big one. We teach that a small early dip in eGFR is expected and mostly hemodynamic, not AKI, and isn't a reason to stop on its own.
`},
				{author: "priya_pharmd", after: span(0, 8, 45), body: `
From the pharmacy side: hold it for **3 days before scheduled surgery** (4 days for ertugliflozin) and restart once the patient is eating and drinking normally. Putting that reminder in the order set settled most of the DKA worries.

Cost is the real barrier for many of our Medicare patients. Our transitions-of-care pharmacists now check coverage before discharge instead of after.
`},
				{author: "amara_okafor", after: span(1, 3, 0), body: `
Agree with all of this. One practical point: if they're on the dry side at discharge, we trim the loop diuretic a little when starting the SGLT2 inhibitor rather than skipping it.
`},
				{author: "sofia_marquez", after: span(2, 1, 20), body: `
Really helpful, thank you. Stealing the default-on order set item and the pre-op hold reminder.
`},
			},
		},
		{
			board: "cardiology", title: "Post-op AF after CABG: do you anticoagulate at discharge?",
			tags: []string{"atrial-fibrillation", "anticoagulation", "cardiac-surgery"}, opened: span(19, 13, 0),
			posts: []demoPost{
				{author: "htanaka", body: `
Lots of variability in our CT ICU. Typical story: new AF on day 2 or 3 after CABG, converted with amiodarone, in sinus rhythm at discharge, CHA₂DS₂-VASc of 3 or more.

The surgeons are reluctant to anticoagulate because of bleeding and pericardial effusions. Cardiology points out that post-op AF predicts later AF and stroke. What are you doing at discharge while we wait for trials like PACES to report?
`},
				{author: "amara_okafor", after: span(0, 4, 30), body: `
Our default:

- AF lasting more than about 48 hours, or recurrent, and no bleeding contraindication: start an anticoagulant (usually a DOAC) once the surgeons are happy with hemostasis, then reassess at 30 to 60 days with ambulatory monitoring.
- A single brief episode that converted quickly: no anticoagulant, but a monitor at follow-up.

The 2023 ACC/AHA AF guideline leaves real room for judgment here, so documenting the reasoning matters.
`},
				{author: "priya_pharmd", after: span(0, 7, 15), body: `
If you go with a DOAC, remember amiodarone inhibits P-gp and nudges DOAC levels up. It usually doesn't need a dose change, but it matters more with dabigatran and in patients with CKD, and amiodarone hangs around for weeks after you stop it.
`},
				{author: "jweber_rn", after: span(1, 0, 50), body: `
Nursing request: please write down who reads the ambulatory monitor. Patients go home with a patch and nobody owns the result.
`},
			},
		},
		{
			board: "cardiology", title: "Troponin bump in sepsis: type 2 MI or myocardial injury?",
			tags: []string{"troponin", "sepsis", "documentation"}, opened: span(6, 9, 0),
			posts: []demoPost{
				{author: "samcohen", body: `
Coding keeps querying us on this. My understanding of the Fourth Universal Definition of MI:

- **Myocardial injury**: a troponin above the 99th percentile upper reference limit.
- **Myocardial infarction**: injury with a rise and/or fall, *plus* evidence of ischemia: symptoms, new ischemic ECG changes, imaging, or a thrombus.

So in sepsis with a modestly elevated, flat troponin and no ischemic features, I write "non-ischemic myocardial injury due to sepsis", not "type 2 MI". Is that what others do?
`},
				{author: "amara_okafor", after: span(0, 2, 10), body: `
That's exactly right. Type 2 MI needs evidence of ischemia from a supply–demand mismatch, not just a high number. Naming the mechanism also helps the next team decide whether anything needs doing after discharge.
`},
				{author: "sofia_marquez", after: span(0, 5, 40), body: `
And please don't reflexively consult cardiology for every bump. A line in the note about the trend and the clinical context is usually enough.
`},
			},
		},

		// Emergency Medicine
		{
			board: "emergency-medicine", title: "Push-dose pressors: who mixes them at your shop?",
			tags: []string{"vasopressors", "medication-safety", "resuscitation"}, opened: span(47, 20, 0),
			posts: []demoPost{
				{author: "kmensah_pa", body: `
After a near miss (a tenfold concentration error on an epinephrine syringe drawn up at the bedside, caught before it went in) we're rewriting how we do push-dose pressors. Right now whoever is closest mixes from the code cart.

Options on the table:

1. Pharmacy-prepared syringes in the dispensing cabinet
2. Commercially prefilled syringes
3. A standard bedside recipe with an independent double-check

What do you do?
`},
				{author: "priya_pharmd", after: span(0, 1, 5), body: `
We moved to pharmacy-prepared syringes stocked in the ED and ICU cabinets, labelled with the concentration in mcg/mL in large print. For the times you still have to mix at the bedside, this is the card on our code carts:

| Drug | Take | Dilute with | Final concentration | Usual dose |
|---|---|---|---|---|
| Phenylephrine | 1 mL of the 10 mg/mL vial | 100 mL bag of normal saline | 100 mcg/mL | 50–200 mcg (0.5–2 mL) every 2–5 min |
| Epinephrine | 1 mL of the 0.1 mg/mL prefilled cardiac syringe | 9 mL normal saline in a 10 mL syringe | 10 mcg/mL | 5–20 mcg (0.5–2 mL) every 2–5 min |

The epinephrine step is where errors happen: someone grabs the 1 mg/mL vial instead of the 0.1 mg/mL syringe, and the dose is ten times what they think. **Never mix epinephrine from the 1 mg/mL vial at the bedside without a second person checking.**
`},
				{author: "dreyes", after: span(0, 3, 30), body: `
We buy prefilled syringes from an outsourcing facility. More expensive, but no mixing errors since the switch, and it's one less job during a crashing intubation.

Also: push-dose pressors are a bridge, not a plan. If you've given three doses, hang an infusion.
`},
				{author: "jweber_rn", after: span(0, 6, 0), body: `
Same experience in our ICU. We barely use push-dose now, because norepinephrine through a good peripheral IV can be running within minutes.
`},
				{author: "kmensah_pa", after: span(1, 0, 15), body: `
Thanks, all. Taking the table to our P&T committee next week. The 1 mg/mL versus 0.1 mg/mL mix-up is exactly what happened to us.
`},
				{author: "meilin_zhang", after: span(1, 3, 0), body: `
For the P&T discussion: ISMP has warned about bedside dilution of push-dose pressors more than once, so you'll have good backing for prefilled syringes. Whatever you choose, store them in a distinct bin well away from the undiluted vials.
`},
			},
		},
		{
			board: "emergency-medicine", title: "Ketamine vs etomidate for RSI in shock",
			tags: []string{"airway", "rsi", "shock"}, opened: span(26, 4, 0),
			posts: []demoPost{
				{author: "dreyes", body: `
Every few years the pendulum swings. Our group is split: half use ketamine for everyone in shock, half stay with etomidate because ketamine can drop the pressure in catecholamine-depleted patients. Neither has clearly won in the trials I've read.

What's your default for a hypotensive septic patient, and do you reduce the dose?
`},
				{author: "htanaka", after: span(0, 2, 20), body: `
Ketamine, at a reduced dose in shock (around 0.5–1 mg/kg rather than 1–2), with a pressor running or a push-dose syringe in hand before induction.

Honestly the drug matters less than the preparation. Resuscitate before you intubate whenever you can.
`},
				{author: "meilin_zhang", after: span(0, 4, 0), body: `
Pharmacy perspective: whichever induction agent you pick, the paralytic dose should go *up*, not down, in shock. Slower circulation means slower onset. Our protocol uses rocuronium 1.2 mg/kg.
`},
				{author: "kmensah_pa", after: span(0, 9, 45), body: `
Community ED, single coverage: mostly etomidate, largely for familiarity. Some of our nurses worry about emergence reactions with ketamine, which in my experience are rare at induction doses when a sedation infusion follows promptly.
`},
				{author: "dreyes", after: span(1, 1, 0), body: `
Good points, all. Our resuscitate-before-intubation checklist (pressor up, fluids if responsive, preoxygenation, push-dose at the bedside) has probably done more for us than the induction-agent debate ever will.
`},
			},
		},
		{
			board: "emergency-medicine", title: "Hyperkalemia with peaked T waves: still giving 10 units of insulin?",
			tags: []string{"hyperkalemia", "insulin", "hypoglycemia", "dialysis"}, opened: span(14, 18, 0),
			posts: []demoPost{
				{author: "ingrid_larsen", body: `
We've had several hypoglycemia events after insulin for hyperkalemia recently, all in patients on dialysis. Our standing order is still 10 units of regular insulin IV with one amp of D50.

I've seen others use 5 units, or 0.1 units/kg, for dialysis patients. What does your protocol say, and how long do you keep checking glucose afterwards?
`},
				{author: "priya_pharmd", after: span(0, 1, 30), body: `
Ours now:

- **5 units IV** for eGFR under 30 or dialysis; **0.1 units/kg (max 10)** for everyone else
- Dextrose 25 g with the insulin
- If the glucose before treatment is under 250 mg/dL, add a D10 infusion
- Point-of-care glucose **hourly for at least 4 hours**

The nadir often comes two to three hours later, after the team's attention has moved on.
`},
				{author: "dreyes", after: span(0, 3, 0), body: `
Don't forget calcium first if the ECG has changed. It doesn't lower the potassium, but it buys time. Nebulized albuterol 10–20 mg works additively with insulin and we give it to most patients.
`},
				{author: "meilin_zhang", after: span(0, 6, 10), body: `
The risk factors for hypoglycemia in the literature match your cases: low baseline glucose, no diabetes, low body weight and reduced renal function. Those are the patients for whom the reduced dose and the longer monitoring matter most.
`},
				{author: "ingrid_larsen", after: span(1, 2, 0), body: `
Thank you! Taking the hourly checks for four hours to our nursing practice council this month.
`},
			},
		},

		// Critical Care
		{
			board: "critical-care", title: "Norepinephrine through a peripheral IV — how long do you let it run?",
			tags: []string{"vasopressors", "peripheral-iv", "nursing"}, opened: span(52, 8, 0),
			posts: []demoPost{
				{author: "jweber_rn", body: "" +
					"Our ICU allows peripheral norepinephrine with these rules:\n\n" +
					"- Dose up to 0.1 mcg/kg/min\n" +
					"- Ultrasound-confirmed 18 or 20 G catheter in the upper arm, not the hand or antecubital fossa\n" +
					"- Site checks every hour, documented with the `.periphpressor` smart phrase\n" +
					"- Maximum 24 hours, then central access\n\n" +
					"In reality some patients run 48 hours because the line team is backed up. Has anyone extended past 24 hours, and what's your extravasation rate?",
				},
				{author: "htanaka", after: span(0, 3, 0), body: `
We dropped the hard 24-hour limit. The conditions now: the site is good and checked hourly, the dose is stable below the threshold, and there's a plan for central access if it's climbing.

What reassured a lot of people was how often vasopressors ran through peripheral IVs in the restrictive arm of CLOVERS, with few complications reported. Published extravasation rates are low, a few percent, and most events are minor.
`},
				{author: "meilin_zhang", after: span(0, 5, 30), body: `
Keep phentolamine in the unit and an extravasation order set ready. Ours: stop the infusion, aspirate what you can through the catheter, elevate, then phentolamine 5 mg in 10 mL normal saline injected subcutaneously around the site. Topical nitroglycerin is the fallback when phentolamine is short.
`},
				{author: "ingrid_larsen", after: span(0, 10, 0), body: `
ED nurse here. We start norepinephrine peripherally all the time now. What slows things down is the handoff: ICU nurses inherit a peripheral pressor they didn't place. A shared checklist that travels with the patient helped us.
`},
				{author: "jweber_rn", after: span(2, 0, 0), body: `
Great input, thank you. The draft we're taking to committee: hourly site checks in the flowsheet, central line if the dose goes above threshold or the infusion passes 48 hours, and phentolamine stocked in the unit. Will share it once it's approved.
`},
			},
		},
		{
			board: "critical-care", title: "Pairing SATs with SBTs: who owns the timing?",
			tags: []string{"sedation", "ventilation", "liberation"}, opened: span(31, 12, 0),
			posts: []demoPost{
				{author: "tomas_rrt", body: `
RT here. Our spontaneous breathing trials keep not happening, because the awakening trial wasn't done, or was done at 0500 and the patient was resedated by the time we rounded. How do you coordinate the two? Who owns the timing?
`},
				{author: "jweber_rn", after: span(0, 2, 15), body: `
We moved the SAT to 0700, right after shift change. The nurse does the SAT safety screen and, if it passes, pages RT, who does the SBT screen within 30 minutes. The paired approach from the [ABC trial](https://pubmed.ncbi.nlm.nih.gov/18191684/) is the whole point, so doing them hours apart loses most of the benefit.
`},
				{author: "htanaka", after: span(0, 5, 0), body: `
Physician buy-in matters too. We put "SAT/SBT done, or the reason why not" on the rounding checklist, and the unspoken rule is that nobody turns sedation up before rounds without talking to the team.
`},
				{author: "meilin_zhang", after: span(0, 8, 20), body: `
Pharmacist view: light sedation with dexmedetomidine or low-dose propofol makes awakening trials far less dramatic than benzodiazepine infusions do. We took midazolam infusions out of the default ventilator order set.
`},
				{author: "tomas_rrt", after: span(1, 1, 0), body: `
Love the 0700 pairing and the page-RT step. Pitching it at our next unit meeting.
`},
			},
		},
		{
			board: "critical-care", title: "Balanced crystalloids after PLUS and BaSICS — did anything change for you?",
			tags: []string{"fluids", "resuscitation", "evidence"}, opened: span(11, 7, 0),
			posts: []demoPost{
				{author: "htanaka", body: `
SMART pushed many of us toward lactated Ringer's, then PLUS and BaSICS found no mortality difference. Our ICU defaults to LR or Plasma-Lyte, except in traumatic brain injury. Pharmacy asked whether we still need both stocked in every unit. Where did your unit land?
`},
				{author: "meilin_zhang", after: span(0, 3, 45), body: `
We kept both but made balanced solutions the default. The cost difference is small. The recurring questions are compatibility ones: LR sharing a line with blood products (ask your blood bank; ours still says saline only) and calcium-containing fluids with ceftriaxone in neonates.
`},
				{author: "dreyes", after: span(0, 6, 0), body: `
Our ED stocks LR as the default now. For most of our patients, though, the volume matters far more than which crystalloid it is.
`},
				{author: "htanaka", after: span(1, 0, 30), body: `
Agree on volume. We've kept normal saline for TBI and for neuro patients where a falling sodium would hurt.
`},
			},
		},

		// Pediatrics
		{
			board: "pediatrics", title: "Peds sepsis bundle compliance — what actually moved the needle?",
			tags: []string{"sepsis", "pediatrics", "quality-improvement"}, opened: span(38, 5, 0),
			posts: []demoPost{
				{author: "leila_haddad", body: `
Our hour-1 sepsis bundle compliance in the pediatric ED has been stuck around 60% for a year. The misses are nearly always antibiotics after 60 minutes in children who didn't look sick at triage.

What we've tried:

1. An electronic sepsis screen at triage (too many alerts; the nurses hate it)
2. A sepsis huddle whenever the screen fires
3. Monthly feedback on compliance, by shift

With the new [Phoenix criteria](https://jamanetwork.com/journals/jama/fullarticle/2814297) we're also rethinking what we count. What changed things where you work?
`},
				{author: "grace_obrien", after: span(0, 2, 30), body: `
What helped us most was a **sepsis cart**: IO kit, fluids, and antibiotic kits with weight-band dosing cards, so nobody has to calculate under pressure. And any nurse can call the huddle without waiting for a physician.
`},
				{author: "fatima_alsayed", after: span(0, 7, 0), body: `
Same story in the NICU with late-onset sepsis. Our biggest win was getting the first antibiotic dose to the bedside faster: it comes from the override drawer, and pharmacy verifies afterwards.
`},
				{author: "priya_pharmd", after: span(0, 9, 15), body: `
Pharmacy side: giving ceftriaxone as an IV push over 5 minutes instead of a 30-minute infusion saved real time for us (not in neonates, where ceftriaxone is avoided). Check your institution's policy, but IV push is well supported for many beta-lactams.
`},
				{author: "leila_haddad", after: span(1, 4, 0), body: `
Thank you! We're starting the weight-band kits and nurse-called huddles. I'll report back with numbers.
`},
				{author: "leila_haddad", after: span(23, 6, 0), body: `
Early numbers as promised: hour-1 compliance went from about **60% to 78%** over the first three weeks, almost entirely from faster antibiotics. Alert fatigue is still a problem, so next we're tuning the screen's thresholds.
`},
			},
		},
		{
			board: "pediatrics", title: "Bronchiolitis: high-flow creep on the wards",
			tags: []string{"bronchiolitis", "high-flow", "respiratory"}, opened: span(21, 16, 0),
			posts: []demoPost{
				{author: "grace_obrien", body: `
Every RSV season more of our ward infants end up on high-flow, often started for saturations of 91–92% in a child who is otherwise comfortable. Then nobody wants to wean overnight and length of stay creeps up.

Our guideline says to target SpO₂ of 90% or more and not to use routine high-flow for mild disease, but practice drifts. Does anyone have a weaning protocol that RTs or nurses can run without a new order at every step?
`},
				{author: "tomas_rrt", after: span(0, 3, 0), body: `
We have an RT-driven wean. If FiO₂ is 40% or less and the respiratory score is stable or improving for 2 hours, flow drops by a set step; once at the minimum flow, a trial off. If they fail, they go back to the previous settings with no new order needed.

The trial-off step was the key. Time on high-flow dropped by about a day.
`},
				{author: "leila_haddad", after: span(0, 5, 30), body: `
Agree with the 90% target; the AAP bronchiolitis guideline supports it. Continuous pulse oximetry in infants who are improving drives a lot of needless escalation, so we switch to spot checks once they're off oxygen.
`},
				{author: "fatima_alsayed", after: span(0, 9, 0), body: `
For the youngest (under 6 weeks, or born preterm) I'd be more cautious about weaning overnight. Apnea is a bigger risk than the saturation number in that group.
`},
				{author: "grace_obrien", after: span(1, 2, 0), body: `
Thanks, everyone. Proposing the RT-driven wean plus spot checks at our unit council, with an exception for the little ones.
`},
			},
		},
		{
			board: "pediatrics", title: "Febrile infants 29–60 days: does your transfer center still expect an LP?",
			tags: []string{"febrile-infant", "guidelines", "pediatrics"}, opened: span(8, 11, 0),
			posts: []demoPost{
				{author: "kmensah_pa", body: `
Community ED, no pediatric hospitalist on site. Since the [AAP febrile infant guideline](https://publications.aap.org/pediatrics/article/148/2/e2021052228/179783) came out, I'm comfortable skipping the LP in a well-appearing infant in the 29–60 day group with normal inflammatory markers and a negative urinalysis. But our transfer center still asks "did you tap?" before accepting. Anyone else dealing with this?
`},
				{author: "leila_haddad", after: span(0, 2, 40), body: `
You're practising within the guideline. For well-appearing infants 29–60 days old with normal inflammatory markers, an LP isn't needed. Document the markers and your reasoning explicitly in the transfer call and the note.

The younger groups are different: 8–21 days get an LP, and for 22–28 days it depends on the markers.
`},
				{author: "fatima_alsayed", after: span(0, 6, 0), body: `
And at the younger end, keep HSV in mind: vesicles, seizures, raised transaminases or CSF pleocytosis should prompt acyclovir while you wait for results.
`},
				{author: "kmensah_pa", after: span(1, 0, 30), body: `
Thanks both. I'll attach the guideline algorithm to our transfer script so the conversation starts from the same page.
`},
			},
		},

		// Pharmacotherapy
		{
			board: "pharmacotherapy", title: "Weight-based heparin nomogram with obesity",
			tags: []string{"anticoagulation", "heparin", "obesity", "dosing"}, opened: span(29, 9, 0),
			posts: []demoPost{
				{author: "priya_pharmd", body: `
We're revising our VTE heparin nomogram and I'd love to hear how others handle obesity.

Current practice: **actual body weight** for the initial dose (80 units/kg bolus, max 10,000 units; 18 units/kg/h, max 2,000 units/h), then adjustment by anti-Xa level:

| Anti-Xa (IU/mL) | Bolus | Hold infusion | Rate change | Next level |
|---|---|---|---|---|
| < 0.20 | 40 units/kg (max 5,000) | — | +3 units/kg/h | 6 h |
| 0.20–0.29 | — | — | +2 units/kg/h | 6 h |
| 0.30–0.70 | — | — | no change | 6 h, then daily once two in range |
| 0.71–0.80 | — | — | −1 unit/kg/h | 6 h |
| 0.81–1.00 | — | 30 min | −2 units/kg/h | 6 h |
| > 1.00 | — | 60 min | −3 units/kg/h | 6 h |

Hematology would like **adjusted body weight** for BMI ≥ 40, arguing that our patients with severe obesity overshoot early. The counter-argument is that the caps already limit the dose and that being subtherapeutic in acute VTE is worse.

What do you use, and did changing it make a difference?
`},
				{author: "meilin_zhang", after: span(0, 2, 0), body: `
We moved to adjusted body weight for BMI ≥ 40 two years ago. Time to the first therapeutic level barely changed, but we saw fewer supratherapeutic levels in the first 24 hours.

A warning that has bitten us: **anti-Xa reads falsely high after a recent oral factor Xa inhibitor**. If the patient took apixaban or rivaroxaban in the past two to three days, monitor with aPTT until it has washed out.
`},
				{author: "htanaka", after: span(0, 4, 30), body: `
ICU view: for a large PE with RV strain the weight used matters far less than getting the infusion running promptly and checking the first level at 6 hours. Please don't let the nomogram debate delay the bolus.
`},
				{author: "amara_okafor", after: span(0, 7, 0), body: `
For ACS we use a separate, lower-intensity regimen regardless of weight: 60 units/kg bolus (max 4,000 units) and 12 units/kg/h (max 1,000 units/h). The caps do the work there, so obesity rarely comes up.
`},
				{author: "jweber_rn", after: span(0, 11, 20), body: `
From the bedside: whatever you choose, keep it to one table, have the EHR or the pump calculate the rate in units/h, and require an independent double-check for boluses. Two competing nomograms on one unit is how errors happen.
`},
				{author: "priya_pharmd", after: span(2, 3, 0), body: `
Thanks, all. We'll pilot adjusted body weight for BMI ≥ 40 with anti-Xa monitoring, add the DOAC washout warning to the order set, and track time to therapeutic range and bleeding. Will report back.
`},
			},
		},
		{
			board: "pharmacotherapy", title: "Vancomycin AUC dosing: who has fully switched from troughs?",
			tags: []string{"vancomycin", "antibiotics", "stewardship", "dosing"}, opened: span(44, 14, 0),
			posts: []demoPost{
				{author: "epetrova", body: `
The [2020 vancomycin consensus guideline](https://academic.oup.com/ajhp/article/77/11/835/5810200) recommends AUC-guided dosing, targeting an AUC of 400–600 mg·h/L, for serious MRSA infections. Our ICU switched, but the wards still dose to troughs.

For those who switched hospital-wide: Bayesian software or two-level equations? And how did you handle dosing after hours?
`},
				{author: "priya_pharmd", after: span(0, 3, 0), body: `
Bayesian software for everyone. One level is usually enough once the model has the patient's covariates, which means fewer sticks for the patient and fewer missed levels for us.

After hours, pharmacists dose with the software. Vancomycin can't be ordered without a pharmacy consult, which sounds heavy-handed but removed a lot of variation.
`},
				{author: "meilin_zhang", after: span(0, 5, 45), body: `
The Bayesian approach really shines on CRRT and in unstable renal function. We also saw fewer vancomycin-associated AKIs after switching, which matches the published experience.
`},
				{author: "samcohen", after: span(1, 1, 0), body: `
As a ward attending: I don't miss the 3 a.m. calls about a trough of 21 in a patient whose exposure was perfectly fine.
`},
				{author: "epetrova", after: span(2, 2, 0), body: `
Thanks! We'll pilot Bayesian dosing on the medicine wards first and measure AKI and time to target.
`},
			},
		},
		{
			board: "pharmacotherapy", title: "Apixaban for AF in patients on hemodialysis — what's your default?",
			tags: []string{"anticoagulation", "apixaban", "dialysis", "atrial-fibrillation"}, opened: span(16, 20, 0),
			answer: 2,
			poll: &demoPoll{number: 1, question: "Your default for AF on hemodialysis?",
				options: []string{"Apixaban 2.5 mg twice daily", "Apixaban 5 mg twice daily", "Warfarin", "No anticoagulation"},
				votes: []demoVote{{"priya_pharmd", 0}, {"amara_okafor", 0}, {"meilin_zhang", 0}, {"jweber_rn", 1},
					{"dreyes", 0}, {"htanaka", 3}, {"sofia_marquez", 1}, {"epetrova", 2}}},
			posts: []demoPost{
				{author: "samcohen", body: `
A recurring question on our wards: AF in a patient on hemodialysis. The US label allows apixaban 5 mg twice daily (2.5 mg if age ≥ 80 or weight ≤ 60 kg) based on pharmacokinetic data. Many of our nephrologists prefer 2.5 mg twice daily, and some argue for no anticoagulation at all given how weak the evidence for stroke prevention is in this population. RENAL-AF and AXADIA were both small.

What's your institution's default?
`},
				{author: "priya_pharmd", after: span(0, 4, 0), body: `
Our anticoagulation committee settled on **2.5 mg twice daily** as the default for AF on hemodialysis, 5 mg twice daily for treatment of acute VTE, and a documented shared decision either way.

The honest answer is that nobody knows, so the documentation is the part I'd insist on.
`},
				{author: "amara_okafor", after: span(0, 9, 30), body: `
For some of these patients a left atrial appendage occlusion discussion is reasonable, although dialysis patients were underrepresented in those trials as well.
`},
				{author: "samcohen", after: span(1, 3, 0), body: `
Thanks both. Shared decision-making, documented, with 2.5 mg as the starting point.
`},
			},
		},

		// Podcasts
		{
			board: "podcasts", title: "Episode 12 discussion — Lactate is not a perfusion number (with Dr. Tanaka)",
			tags: []string{"podcast", "sepsis", "lactate"}, opened: span(24, 6, 0), episode: lactateEpisode,
			posts: []demoPost{
				{author: "samcohen", body: `
This week on the Rounds podcast, Hiroshi Tanaka walks through what lactate does and doesn't tell you in sepsis. The player is above; a time written in a post, such as 0:16, plays the episode from there.

Main points:

- Lactate rises for many reasons besides hypoperfusion: beta-agonists (epinephrine, albuterol), liver dysfunction, metformin, seizures and thiamine deficiency.
- Lactate clearance as a resuscitation target did as well as ScvO₂-guided resuscitation[^1], which may say more about ScvO₂ than about lactate.
- Capillary refill time held up as an alternative target in ANDROMEDA-SHOCK[^2].

Chapters: 0:00 introduction · 0:04 the heart at rest · 0:16 the same heart in shock · 0:20 take-home points.

Questions for our guest go in this thread; he's promised to answer.

[^1]: Jones AE, et al. Lactate clearance vs central venous oxygen saturation as goals of early sepsis therapy: a randomized clinical trial. *JAMA*. 2010;303(8):739-746. PMID: 20179283
[^2]: Hernández G, et al. Effect of a resuscitation strategy targeting peripheral perfusion status vs serum lactate levels on 28-day mortality among patients with septic shock. *JAMA*. 2019;321(7):654-664. doi:10.1001/jama.2019.0071
`},
				{author: "jweber_rn", after: span(0, 5, 0), body: `
Great episode. A question for Dr. Tanaka, about the part from 0:16 on. When the lactate keeps creeping up on epinephrine but the patient clearly looks better, how do you decide whether to ignore it?
`},
				{author: "htanaka", after: span(0, 9, 30), body: `
Good question. If capillary refill, mental status, urine output and skin are all improving, I go looking for a non-hypoperfusion cause first, and epinephrine itself is top of that list. Switching to norepinephrine plus vasopressin and watching the trend for a few hours usually answers it.
`},
				{author: "meilin_zhang", after: span(1, 0, 15), body: `
Adding two drug causes to the list: linezolid, and propofol infusion syndrome at high doses over several days (rare, but you don't want to miss it).
`},
				{author: "tomas_rrt", after: span(2, 7, 0), body: `
Listened on my commute. The take-home points from 0:20 were the clearest explanation of ANDROMEDA-SHOCK I've heard.
`},
			},
		},
		{
			board: "podcasts", title: "Ideas for next season: guests and topics",
			tags: []string{"podcast", "feedback"}, opened: span(9, 3, 0),
			posts: []demoPost{
				{author: "samcohen", body: `
We're planning the next batch of episodes. What do you want to hear? Nurses, pharmacists and RTs especially: we've been physician-heavy so far and want to fix that.
`},
				{author: "grace_obrien", after: span(0, 1, 40), body: `
A pediatric nurse on recognizing the deteriorating child before the numbers change. Early warning scores are great, but the "something's not right" feeling deserves an episode of its own.
`},
				{author: "priya_pharmd", after: span(0, 4, 0), body: `
Happy to come on for an anticoagulant reversal episode: PCC, andexanet, idarucizumab, and when to do nothing at all.
`},
				{author: "ingrid_larsen", after: span(0, 8, 30), body: `
ED boarding and what it does to nursing care. Not glamorous, but it's what shapes our shifts.
`},
				{author: "tomas_rrt", after: span(1, 2, 0), body: `
Noninvasive ventilation versus high-flow in COPD exacerbations, from the RT perspective. Lots of myths to bust.
`},
				{author: "samcohen", after: span(1, 6, 0), body: `
These are great. Priya and Grace, I'll message you about recording dates.
`},
			},
		},

		// Cases
		{
			board: "cases", title: "How to post a case: de-identification checklist",
			tags: []string{"guidelines", "privacy"}, pinned: true, opened: span(57, 4, 0),
			posts: []demoPost{
				{author: "samcohen", body: `
Before you post a case, check it against this list. If you're not sure, ask a moderator first.

- **Ages in ranges** for adults ("a woman in her 50s"). An exact age is fine when it matters clinically and nothing else in the post narrows it down.
- **No dates.** Use relative time: "day 3 of admission", "two weeks later".
- **No locations** more specific than the kind of hospital ("a rural ED", "a tertiary PICU").
- **No names, initials, MRNs or room numbers**, and no photos with faces, tattoos or jewelry.
- **Change or drop rare details** that don't affect the teaching point: occupation, unusual hobbies, anything that made the news.
- **Crop images and screenshots** of ECGs, imaging, monitors and the EHR so that no header, date, barcode or ID shows.

And please come back with the outcome. The follow-up is usually the most useful part.
`},
				{author: "leila_haddad", after: span(0, 20, 0), body: `
One for pediatric cases in particular: a rare syndrome plus even a vague location can be enough to identify a family. With a rare diagnosis, leave the region out entirely.
`},
			},
		},
		{
			board: "cases", title: "Case: woman in her 50s with recurrent syncope and a normal echo",
			tags: []string{"syncope", "conduction-disease", "case-report"}, opened: span(36, 19, 0),
			outcome: &demoOutcome{after: span(18, 2, 0), body: `
Admitted for an EP study: **HV interval over 100 ms**, so infranodal disease. A dual-chamber pacemaker went in the next day, and she has had no further syncope by her two-week device check.
`},
			summary: &Case{AgeBand: "50-59", Sex: "female",
				Presentation: "Third syncopal episode in two months. No prodrome, each episode while seated, and one caused a facial laceration. " +
					"No medications of note and no family history of sudden death. Examination normal, orthostatic vitals negative.",
				Workup: "ECG: sinus rhythm, PR 210 ms, right bundle branch block with left anterior fascicular block.\n" +
					"Troponin and BNP normal; echo normal.\n24 hours of telemetry: nothing.",
				Question: "Cardiology saw her and plans discharge with a two-week patch monitor. I'm uneasy: would you send her home with the patch, or admit her for an EP study?"},
			posts: []demoPost{
				{author: "kmensah_pa"},
				{author: "amara_okafor", after: span(0, 1, 50), body: `
I'd be uneasy too. Bifascicular block with unexplained syncope and no prodrome is a setup for intermittent complete heart block. The guidelines support an EP study, or an implantable loop recorder if that's negative, and a two-week patch can easily miss episodes that come months apart.
`},
				{author: "dreyes", after: span(0, 3, 15), body: `
From the ED side, she isn't low risk on the Canadian Syncope Risk Score: the abnormal QRS axis and the wide QRS both count, before you even get to the ED diagnosis. I'd argue for admission and EP evaluation rather than discharge.
`},
				{author: "sofia_marquez", after: span(0, 6, 0), body: `
Agree. We've had a few like this where the outpatient monitor was negative and a loop recorder caught high-grade AV block months later.
`},
				{author: "kmensah_pa", after: span(18, 2, 0), body: `
Follow-up: she was kept in. The EP study showed an **HV interval over 100 ms**, and she got a dual-chamber pacemaker. No further syncope at her two-week device check.
`},
				{author: "amara_okafor", after: span(18, 5, 30), body: `
Thanks for following up. An HV interval over 100 ms is a clear indication for pacing. Good call trusting your unease.
`},
			},
		},
		{
			board: "cases", title: "Case: toddler with fever and a limp — where would you go next?",
			tags: []string{"pediatrics", "septic-arthritis", "case-report"}, opened: span(13, 7, 0),
			outcome: &demoOutcome{after: span(2, 6, 0), body: `
Septic arthritis of the right hip from *Kingella kingae*: aspirated in the OR, Gram stain negative, PCR positive. No osteomyelitis on MRI. IV cefazolin, then oral cephalexin once afebrile with a falling CRP; bearing weight again within a week.
`},
			summary: &Case{AgeBand: "child", Sex: "male",
				Presentation: "A previously healthy toddler with two days of fever to 39.2 °C, now refusing to bear weight on the right leg. No trauma. " +
					"Holds the hip flexed and externally rotated, and cries with passive internal rotation.",
				Workup:   "WBC 16.8 × 10⁹/L, CRP 8.4 mg/dL, ESR 62 mm/h.\nHip ultrasound: moderate effusion.\nThat makes four out of four Kocher criteria.",
				Question: "Orthopedics is busy and asks whether we can just start antibiotics and see how it goes. What's your next step?"},
			posts: []demoPost{
				{author: "leila_haddad"},
				{author: "dreyes", after: span(0, 1, 0), body: `
With 4/4 Kocher criteria the probability of septic arthritis is high. I'd push for aspiration before antibiotics if it can happen quickly, in the OR or under ultrasound guidance. Joint fluid culture changes both the choice and the duration of therapy.
`},
				{author: "epetrova", after: span(0, 2, 30), body: `
ID perspective: blood cultures before antibiotics regardless. In this age group think of ***Kingella kingae*** as well as *Staphylococcus aureus*. Kingella is easy to miss on routine culture, so inoculate joint fluid into blood culture bottles and ask the lab for PCR.

Empirical cefazolin covers MSSA and Kingella. If local MRSA rates are high, add vancomycin or clindamycin, but not in place of the cephalosporin, because Kingella is not reliably susceptible to either.
`},
				{author: "grace_obrien", after: span(0, 4, 0), body: `
Nursing tip: the hardest part in toddlers is pain control for imaging and positioning. Intranasal fentanyl before the ultrasound made a big difference on our unit.
`},
				{author: "leila_haddad", after: span(2, 6, 0), body: `
Follow-up: aspirated in the OR. Purulent fluid, Gram stain negative, and PCR came back positive for *Kingella kingae*. MRI showed no adjacent osteomyelitis. IV cefazolin, then oral cephalexin once afebrile with a falling CRP. Bearing weight again within a week.

Thanks, all. Great teaching case for the residents.
`},
				{author: "kmensah_pa", after: span(2, 9, 0), body: `
Great case. I didn't know about putting joint fluid in blood culture bottles. Adding that to my notes.
`},
			},
		},
		{
			board: "cases", title: "Case: man in his 70s on apixaban with a fall and a small subdural",
			tags: []string{"anticoagulation", "reversal", "trauma", "case-report"}, opened: span(4, 2, 0),
			outcome: &demoOutcome{after: span(1, 4, 0), body: `
Reversed with four-factor PCC 50 units/kg. The repeat CT at 6 hours was stable, and he was transferred for observation; neurosurgery did not operate.
`},
			summary: &Case{AgeBand: "70-79", Sex: "male",
				Presentation: "On apixaban for AF, last dose about 4 hours before arrival, after a ground-level fall. " +
					"GCS 14, mildly confused according to his family, no focal deficits.",
				Workup:   "CT head: a 6 mm acute right subdural hematoma, no midline shift.",
				Question: "Andexanet, four-factor PCC, or no reversal at all: what would you do?"},
			posts: []demoPost{
				{author: "ingrid_larsen", body: `
Our nearest neurosurgery is a **two-hour transfer** away, and the team split three ways on reversal. Curious what your protocols say, and whether the time since the last dose changes your answer.
`},
				{author: "priya_pharmd", after: span(0, 0, 45), body: `
Our protocol uses four-factor PCC 50 units/kg (max 5,000 units) for life-threatening bleeding on apixaban or rivaroxaban, since andexanet came off our formulary. ANNEXA-I showed better hemostatic efficacy with andexanet than usual care in intracerebral hemorrhage, but more thrombotic events. Either way, the time to reversal matters more than the agent.
`},
				{author: "htanaka", after: span(0, 1, 30), body: `
Timing matters too: 4 hours after a dose means a meaningful drug level. If it had been more than a day or two with normal renal function, reversal might not be needed at all.
`},
				{author: "dreyes", after: span(0, 2, 0), body: `
We'd reverse, do hourly neuro checks, repeat the CT at 6 hours, and transfer if it expands. Restarting anticoagulation is a later, separate conversation with neurosurgery.
`},
				{author: "ingrid_larsen", after: span(1, 4, 0), body: `
Thanks, everyone. We gave PCC, the repeat CT was stable, and he was admitted for observation at the receiving hospital.
`},
			},
		},
	}
}

// demoConsults are the demo's private consults: the administrator asking
// a pharmacist before taking a case to a board.
func demoConsults() []demoConsult {
	return []demoConsult{{
		subject: "Vancomycin on CRRT: loading and first level",
		members: []string{"samcohen", "priya_pharmd"},
		started: span(1, 6, 0),
		messages: []demoPost{
			{author: "samcohen", body: `
Priya, a quick one before I take it to a board: MRSA bacteremia in a patient on CVVHDF at about 25 mL/kg/h. Would you load at 25 mg/kg and go by levels, or start a fixed maintenance dose from the start?
`},
			{author: "priya_pharmd", after: span(0, 0, 40), body: `
Load with **25 mg/kg of actual body weight**, then 1 g every 24 hours at that effluent rate, with a level before the second dose. Ask the nurses to tell pharmacy if the filter clots or the run stops for a while: clearance drops and the levels climb.
`},
			{author: "samcohen", after: span(0, 1, 15), body: `
Thanks, that's what we'll do. I'll post the case in Pharmacotherapy once it's de-identified.
`},
		},
	}}
}
