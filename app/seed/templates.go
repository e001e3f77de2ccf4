package seed

// Sentence templates for synthetic posts. A {slot} is filled from the list
// of the same kind in vocabulary.go. {S}, {C}, {T} and {age} are fixed for
// the topic being written (its subject, the condition at stake, its
// treatment and the patient's age), which keeps a thread on one theme;
// {C} is the subject itself on boards whose subjects are conditions.
// Templates are ordered from most to least used and drawn with Zipf
// frequency, like words.

var statementTemplates = mustParseTemplates(
	"We usually {verb} {drug} once the {lab} is {trend}.",
	"{hedge} I would {verb} {drug} and repeat the {lab} in {dur}.",
	"For {C} we {verb} {T} early and reassess in {dur}.",
	"Our {noun} says to {verb} {drug} in {pop}, but {role} often overrides it.",
	"The {trial} data look reassuring, but I'm not sure they apply to {pop}.",
	"I'd get {proc} before committing to {class} therapy.",
	"{org} guidance on {cond} is pretty clear, but practice lags behind.",
	"{hedge} {S} is where our {noun} falls apart.",
	"Pharmacy flagged an interaction between {drug} and {drug}.",
	"We saw {finding} in {setting} last week, and {proc} confirmed {cond}.",
	"The thing that worries me with {T} is {cond} in {pop}.",
	"{role} wanted {proc}, which felt {adj} to me.",
	"Dosing {drug} at {dose} has been {adj} in our experience.",
	"I'm not convinced {proc} changes management in {cond}.",
	"We switched from {drug} to {drug} a few years ago and haven't looked back.",
	"{hedge} most of our {C} admissions get {T} within {dur}.",
	"Watch the {lab} closely; it tends to lag behind the clinical picture.",
	"If the {lab} is {trend} after {dur}, we {verb} {drug}.",
	"It's {adj} to {verb} {drug} in {pop} without checking the {lab} first.",
	"{role} and {role} rarely agree on this one.",
	"Our {noun} was rewritten after a near miss with {drug}.",
	"The {trial} results made us rethink {T} for {C}.",
	"Bedside nurses notice {finding} long before the {lab} moves.",
	"We run {drug} at {dose} and titrate to effect.",
	"{hedge} {T} is {adj} if you pick the right patients.",
	"Everyone forgets that {drug} interacts with {drug}.",
	"I have seen {cond} present as nothing more than {finding}.",
	"In {setting} we don't always have {proc} available overnight.",
	"The {noun} in {setting} still lists {drug} first-line, which is {adj}.",
	"Look-alike, sound-alike errors between {drug} and {drug} are a real risk.",
	"{age} with {C} and {finding} is a very different patient from the typical case.",
	"We now involve {role} early for anything that looks like {cond}.",
	"There's decent evidence for {T} in {C}, less so in {pop}.",
	"{hedge} I'd rather {verb} {drug} than chase the {lab}.",
	"Remember that {cond} can mimic {C}.",
	"We audit {T} use every quarter and share the numbers at huddle.",
	"The {lab} was {trend}, so we held off on {proc}.",
	"After {dur} on {drug}, the {lab} was {trend}.",
	"{org} and {org} don't quite agree on {S}.",
	"Our threshold for {proc} in {C} has come down a lot.",
	"I'd be careful with {class} therapy in {pop}.",
	"{role} pushed for {drug}, but {role} was worried about {cond}.",
	"That approach seems {adj} to me, and it's close to what we do.",
	"Don't forget to {verb} {drug} before {proc}.",
	"If I see {finding}, I stop and reassess the whole plan.",
	"We had {finding} after {proc} and ended up calling {role}.",
	"Anyone who has managed {cond} on {drug} knows how quickly things change.",
	"{T} is {adj}, but it is not a substitute for a good bedside assessment.",
	"The real issue is staffing, not the {noun}.",
	"Our {pop} tend to need {dose} rather than the standard dose.",
	"Most of the variability is in how quickly {role} sees the patient.",
	"I'd document the reasoning clearly, especially around {T}.",
	"We stopped routine {proc} for {C} and nothing bad happened.",
	"Our pharmacists double-check every {drug} order above {dose}.",
	"Checking the {lab} every {dur} is probably overkill for most patients.",
	"{hedge} the {noun} works when people actually use it.",
	"The literature on {T} in {pop} is thin and mostly retrospective.",
	"The night team tends to {verb} {drug} more readily than days.",
	"We give {drug} {dose} and recheck the {lab} in {dur}.",
	"{C} with {cond} on top is where it gets tricky.",
	"It took {dur} to get {proc}, which is too long.",
	"{hedge} {finding} should prompt a second look for {cond}.",
	"New grads now get teaching on {T} and {S} in their first week.",
	"We moved {T} into the {noun}, and compliance went up.",
	"Conversations about {proc} go better when palliative care is involved early.",
	"{trial} gets cited a lot, but its population was quite different from ours.",
	"Escalating to {drug} should be a team decision.",
	"We found {dose} of {drug} was plenty for most adults.",
	"{hedge} the answer is usually {T}, not more tests.",
	"The {class} question comes up on every {C} admission.",
)

var questionTemplates = mustParseTemplates(
	"How are others handling {S} in {pop}?",
	"Do you {verb} {drug} in this situation, or wait for the {lab}?",
	"Is anyone using {T} for {C} routinely?",
	"What does your {noun} say about {drug} in {pop}?",
	"At what {lab} would you {verb} {drug}?",
	"Would you get {proc} first, or go straight to {T}?",
	"How long do you continue {drug} after {proc}?",
	"Would anyone share their {noun} for {S}?",
	"Who makes the call on {proc} where you work: {role} or {role}?",
	"Am I wrong to think {T} is {adj} here?",
	"How do you explain {T} to families?",
	"What would change your mind about {T}?",
	"Has anyone seen {finding} with {C} before?",
	"Is {dose} {adj} for {pop}?",
	"How do you weigh the {trial} data against your own experience?",
	"What's your threshold for calling {role}?",
	"Any tips for {T} in {setting}?",
	"Would you {verb} {drug} with {finding}?",
	"How do you monitor {T} on the floor?",
	"Is there a role for {proc} in {C}?",
)

// leadTemplates open a topic by setting the scene.
var leadTemplates = mustParseTemplates(
	"{age} with {C} presented with {finding}.",
	"Quick question for the group about {T} in {C}.",
	"Had {age} in {setting} recently with {C} and {finding}.",
	"{S} in {pop} keeps coming up, and our approach is inconsistent.",
	"Our {noun} for {S} is up for review and I'd like outside input.",
	"Saw {age} with {C} where {role} and {role} disagreed about {T}.",
	"Looking for real-world experience with {T} in {pop}.",
	"Question from {setting} about {S}.",
)

var openerTemplates = mustParseTemplates(
	"Agree with the above.",
	"Great question.",
	"Same experience here.",
	"Good thread.",
	"Thanks for posting this.",
	"We had almost this exact situation last month.",
	"Slightly different take.",
	"I'll push back a little.",
	"This comes up every week for us.",
	"Short answer: it depends.",
	"Strongly agree.",
	"Not sure I agree.",
	"Two thoughts.",
	"Interesting one.",
)

var closingTemplates = mustParseTemplates(
	"Curious what others do.",
	"Would love to hear how other units handle this.",
	"Any data I'm missing?",
	"Thanks in advance.",
	"Appreciate any input.",
	"Happy to share our protocol if useful.",
)

var listIntroTemplates = mustParseTemplates(
	"What we do:",
	"Our current approach:",
	"Roughly, our steps:",
	"A few things that helped us:",
	"My checklist:",
)

var listItemTemplates = mustParseTemplates(
	"{verb} {drug} at {dose}",
	"check the {lab} every {dur}",
	"get {proc} for {finding}",
	"call {role} early for {cond}",
	"reassess after {dur}",
	"document the indication for {T}",
	"avoid {drug} in {pop}",
	"hand off every {C} patient with a clear escalation plan",
	"{T} only after talking to {role}",
	"repeat the {lab} before any dose change",
)

var linkTemplates = mustParseTemplates(
	"Worth reading [this review](https://www.ncbi.nlm.nih.gov/pmc/articles/PMC{pmc}/) if you haven't.",
	"[The NEJM paper](https://www.nejm.org/doi/full/10.1056/NEJMoa{nejm}) is still the best summary.",
	"The [AHA statement](https://www.ahajournals.org/doi/10.1161/CIR.000000000000{aha}) covers this well.",
	"There's a [JAMA study](https://jamanetwork.com/journals/jama/fullarticle/{jama}) on exactly this.",
	"StatPearls has a decent [overview](https://www.ncbi.nlm.nih.gov/books/NBK{nbk}/) for trainees.",
)

var boldLeads = []string{"**Bottom line:** ", "**Key point:** ", "**Caveat:** "}

// Titles for ordinary specialty boards, the Podcasts board and the Cases board.

var questionTitles = mustParseTemplates(
	"{S}: {T} or {T2} first?",
	"How are you managing {S} in {pop}?",
	"{T} for {C} — what's your threshold?",
	"Anyone still using {T} for {C}?",
	"{C} in {age} — admit or discharge?",
	"Question about {T} dosing in {pop}",
	"Our {noun} for {S} feels outdated — what does yours look like?",
	"When do you call {role} for {S}?",
	"{T} and the {lab}: how often are you checking?",
	"Does {trial} change how you treat {C}?",
	"Practical tips for {T} in {setting}?",
	"{C} with {finding} — next step?",
	"Stopping {T} before {proc}: how many days?",
	"Is {T} {adj} for {C} in {pop}?",
	"Nurse-driven {noun} for {S}: worth it?",
	"{C} after {proc}: what's your workup?",
	"Thoughts on the new {org} guidance for {S}",
)

var podcastTitles = mustParseTemplates(
	"Episode {ep}: {S}, {T} and what the evidence says",
	"Ep. {ep} discussion — {T} in {S}",
	"Episode {ep} listener questions: {S}",
	"Bonus episode: {trial} explained",
	"Episode {ep}: {S} in {pop}",
)

var caseTitles = mustParseTemplates(
	"Case: {age} with {finding} — what's your differential?",
	"Case: {age} with {C} not responding to {T}",
	"Case follow-up: {C} after {proc}",
	"Case: {finding} and {C} in {age}",
	"Case: {age} in {setting} with {finding}",
)
