package seed

import (
	"strconv"
	"strings"
)

// slot is the kind of term a template placeholder is filled with.
type slot uint8

const (
	slotLiteral slot = iota
	slotDrug
	slotClass
	slotCondition
	slotFinding
	slotLab
	slotTrend
	slotProcedure
	slotSetting
	slotRole
	slotPopulation
	slotDuration
	slotDose
	slotVerb
	slotAdjective
	slotHedge
	slotTrial
	slotOrganization
	slotNoun
	slotAge            // the patient's age: "a 67-year-old"
	slotSubject        // the topic's subject
	slotTopicCondition // the condition the topic is about
	slotTreatment      // the topic's treatment
	slotTreatment2     // a treatment other than the topic's
	slotEpisode        // a podcast episode number
	slotPMC            // PubMed Central article number
	slotNEJM           // NEJM article number
	slotAHA            // AHA journal DOI suffix
	slotJAMA           // JAMA article number
	slotNBK            // NCBI Bookshelf number
	slotCount
)

var slotNames = map[string]slot{
	"drug": slotDrug, "class": slotClass, "cond": slotCondition, "finding": slotFinding,
	"lab": slotLab, "trend": slotTrend, "proc": slotProcedure, "setting": slotSetting,
	"role": slotRole, "pop": slotPopulation, "dur": slotDuration, "dose": slotDose,
	"verb": slotVerb, "adj": slotAdjective, "hedge": slotHedge, "trial": slotTrial,
	"org": slotOrganization, "noun": slotNoun, "age": slotAge, "S": slotSubject, "C": slotTopicCondition,
	"T": slotTreatment, "T2": slotTreatment2, "ep": slotEpisode, "pmc": slotPMC,
	"nejm": slotNEJM, "aha": slotAHA, "jama": slotJAMA, "nbk": slotNBK,
}

// slotLists holds the word list behind each slot that is filled by a plain draw.
var slotLists = [slotCount]*wordList{
	slotDrug: drugs, slotClass: drugClasses, slotCondition: conditions, slotFinding: findings,
	slotLab: labs, slotTrend: labTrends, slotProcedure: procedures, slotSetting: settings,
	slotRole: roles, slotPopulation: populations, slotDuration: durations, slotDose: doses,
	slotVerb: verbs, slotAdjective: adjectives, slotHedge: hedges, slotTrial: trials,
	slotOrganization: organizations, slotNoun: workNouns,
}

// numberRanges gives [low, low+span) for slots filled with a random number,
// chosen so that links look like the real identifiers of each site.
var numberRanges = [slotCount][2]uint64{
	slotEpisode: {1, 240},
	slotPMC:     {5000000, 6000000},
	slotNEJM:    {1900000, 500000},
	slotAHA:     {1000, 300},
	slotJAMA:    {2700000, 130000},
	slotNBK:     {430000, 180000},
}

// piece is a run of literal text or a placeholder.
type piece struct {
	kind slot
	text string // literal text when kind is slotLiteral
}

type template []piece

// templateSet is a list of templates drawn with Zipf frequency.
type templateSet struct {
	templates []template
	table     aliasTable
}

func (s *templateSet) pick(r uint64) int {
	return s.table.pick(r)
}

// mustParseTemplates parses templates at package initialisation, so a typo
// in a placeholder stops every test rather than producing odd text.
func mustParseTemplates(sources ...string) *templateSet {
	set := &templateSet{table: newAliasTable(zipfWeights(len(sources), 0.5))}
	for _, src := range sources {
		set.templates = append(set.templates, mustParseTemplate(src))
	}
	return set
}

func mustParseTemplate(src string) template {
	var t template
	for src != "" {
		open := strings.IndexByte(src, '{')
		if open < 0 {
			t = append(t, piece{text: src})
			break
		}
		if open > 0 {
			t = append(t, piece{text: src[:open]})
		}
		end := strings.IndexByte(src[open:], '}')
		if end < 0 {
			panic("seed: unclosed placeholder in template " + strconv.Quote(src))
		}
		name := src[open+1 : open+end]
		kind, ok := slotNames[name]
		if !ok {
			panic("seed: unknown placeholder {" + name + "} in template " + strconv.Quote(src))
		}
		t = append(t, piece{kind: kind})
		src = src[open+end+1:]
	}
	return t
}

// capitalizeAt upper-cases the ASCII letter at buf[i] unless the word is
// written in mixed case on purpose (eGFR, pH), where that would change it.
func capitalizeAt(buf []byte, i int) {
	if i >= len(buf) || buf[i] < 'a' || buf[i] > 'z' {
		return
	}
	if i+1 < len(buf) && buf[i+1] >= 'A' && buf[i+1] <= 'Z' {
		return
	}
	buf[i] -= 'a' - 'A'
}
