package phi

import (
	"regexp"
	"strings"
)

// A clinician's name is not a patient's, but a colleague named with a case
// ("seen by Dr. Ruiz at Mercy") narrows the patient to one practice. Every
// "Dr. X" is flagged, to be confirmed, except where the words around it show
// that members are talking to each other ("thanks, Dr. Okafor", "as Dr.
// Okafor said above").

var (
	doctorRE = regexp.MustCompile(`^(?:Dr|DR|Doctor|Prof|Professor)\.?[ \t]+`)
	// "Jane Doe, MD", "J. Ruiz, NP".
	credentialRE = regexp.MustCompile(`^,?[ \t]*(?:MD|M\.D\.|DO|D\.O\.|NP|FNP|APRN|PA|PA-C|RN|CNM|CRNA|DPM|DDS|DMD|PhD|MBBS|FRCP|FACS|FACC)\b`)
)

func scanClinicians(d doc, cands []candidate) []candidate {
	text := d.text
	for _, p := range d.wordStarts([]string{"dr", "doctor", "prof"}) {
		m := anchored(doctorRE, text, p, 16)
		if m == nil {
			continue
		}
		// "1737 Cheriton Dr": a street's "Drive", not a doctor.
		if text[p:p+2] == "Dr" && text[p+2] != '.' && p >= 2 && !sentenceStart(text, p) {
			if s := previousWordStart(text, p-1); s >= 0 && isUpperASCII(text[s]) {
				continue
			}
		}
		end := nameAt(text, m[1], 3, 1)
		if end == m[1] {
			// "Dr. J. Ruiz": an initial first.
			if w, next, initial := wordAt(text, m[1]); initial && w != "" && next+1 < len(text) && text[next] == ' ' {
				end = nameAt(text, next+1, 2, 1)
				if end == next+1 {
					continue
				}
			} else {
				continue
			}
		}
		if forumTalk(d, p, end) {
			continue
		}
		cands = d.add(cands, rankClinic, TypeClinician, Low, m[1], end, "A clinician's name with a case narrows the patient down to one practice.")
		// "Dr. Raman at Mercy": where the clinician works.
		for _, w := range []string{" at ", " from ", " of "} {
			if strings.HasPrefix(d.lower[end:], w) {
				q := end + len(w)
				if strings.HasPrefix(text[q:], "the ") {
					q += 4
				}
				if e := properNameAt(d, theLexicon(), q); e > q && !eponymousTerm(text, e) {
					cands = d.add(cands, rankFacility, TypeFacility, Low, q, facilityEnd(d, e), "The name of a hospital or clinic narrows down who the patient is.")
				}
			}
		}
	}
	// "seen by Jane Doe, NP".
	for _, p := range d.wordStarts([]string{"by ", "with ", "to "}) {
		q := p + strings.IndexByte(d.lower[p:], ' ') + 1
		if q >= len(text) || !isUpperASCII(text[q]) {
			continue
		}
		end := nameAt(text, q, 3, 2)
		if end == q {
			continue
		}
		if m := anchored(credentialRE, text, end, 12); m != nil {
			cands = d.add(cands, rankClinic, TypeClinician, Low, q, end, "A clinician's name with a case narrows the patient down to one practice.")
		}
	}
	return cands
}

// Words around "Dr. X" that show members talking to each other on the
// forum, not about the patient's care.
var (
	forumCuesBefore = []string{"thanks", "thank you", "thx", "agree with", "agreed with", "@", "hi", "hello", "dear", "hey",
		"great point", "reply to", "replying to", "quoting", "cc", "as", "like", "with respect to", "sorry", "welcome"}
	forumCuesAfter = []string{" said", " says", " wrote", " mentioned", " pointed out", " made a", " makes a", " raised",
		" above", " below", "'s post", "'s reply", "'s comment", "'s point", "'s question", "'s answer", "’s post", "’s point",
		" is right", " was right", " et al", "'s textbook", "'s review", "'s paper", "'s talk", "'s lecture", " (above)"}
)

func forumTalk(d doc, start, end int) bool {
	b := strings.TrimRight(d.before(start, 30), " ,:")
	for _, c := range forumCuesBefore {
		if strings.HasSuffix(b, c) && (len(b) == len(c) || !isASCIILetter(b[len(b)-len(c)-1])) {
			return true
		}
	}
	if strings.TrimSpace(b) == "" && end < len(d.text) && (d.text[end] == ',' || d.text[end] == ':') && !strings.HasPrefix(d.text[end:], ", MD") {
		return true // "Dr. Okafor, I agree…": addressing a member
	}
	a := d.lower[end:min(len(d.lower), end+24)]
	// "Dr. Chen's 2022 review in JAMA": an author, not a colleague on the case.
	if (strings.HasPrefix(a, "'s ") || strings.HasPrefix(a, "’s ")) && literatureBefore(d.after(end, 32)) {
		return true
	}
	for _, c := range forumCuesAfter {
		if strings.HasPrefix(a, c) {
			return true
		}
	}
	return false
}
