package seed

import (
	"math/bits"
	"math/rand/v2"
	"strconv"
	"time"
)

// Generator makes synthetic members, boards and topics for benchmarks and
// load tests. Output depends only on the seed and the arguments: topic i is
// the same whichever Generator with that seed makes it, and in whatever
// order, so work can be split across goroutines.
//
// A Generator is not safe for concurrent use; give each goroutine its own,
// made with the same seed.
type Generator struct {
	seed uint64
	src  rand.PCG
	buf  []byte // reused for every title and body; each result is one copy of it

	// The topic being written.
	profile   *boardProfile
	subject   string
	condition string
	treatment string
	ageYears  int    // or months, or weeks: the patient's age
	ageUnit   string // "-year-old", "-month-old" or "-week-old"
	recent    [3]int // statement templates used last, to avoid repeating one
}

// Stream keys keep the random streams of members and of topics apart.
const (
	membersStream uint64 = 0x6d656d62657273 // "members"
	topicsStream  uint64 = 0x746f70696373   // "topics"
)

// NewGenerator returns a Generator whose output is fixed by seed.
func NewGenerator(seed uint64) *Generator {
	return &Generator{seed: seed, buf: make([]byte, 0, 4096)}
}

// mix64 is the splitmix64 finaliser. Seeding PCG with neighbouring values
// such as topic numbers i and i+1 gives streams that start alike; mixing
// first spreads them apart.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (g *Generator) next() uint64 { return g.src.Uint64() }

// intn returns a number in [0, n) by multiply-shift, which is fast and,
// for the small n used here, indistinguishable from uniform.
func (g *Generator) intn(n int) int {
	hi, _ := bits.Mul64(g.src.Uint64(), uint64(n))
	return int(hi)
}

// chance reports true with probability perMille/1000.
func (g *Generator) chance(perMille int) bool { return g.intn(1000) < perMille }

// Boards returns the boards synthetic topics are spread over: specialty
// boards plus Podcasts and Cases. Topic.Board indexes this slice.
func (g *Generator) Boards() []Board {
	boards := make([]Board, len(boardProfiles))
	for i := range boardProfiles {
		boards[i] = boardProfiles[i].board
	}
	return boards
}

// Shapes of a post, as relative weights.
var (
	paragraphCounts = newAliasTable([]float64{22, 38, 27, 13})        // 1-4 paragraphs
	sentenceCounts  = newAliasTable([]float64{8, 30, 38, 24})         // 1-4 sentences
	tagCounts       = newAliasTable([]float64{12, 25, 30, 18, 10, 5}) // 0-5 tags
)

// Topic returns topic number i (0-based) with the given number of replies,
// all posted before now. Board indexes refer to Boards(); authors are
// indexes into a members slice of length nMembers, which must be positive.
func (g *Generator) Topic(i int, replies int, nMembers int, now time.Time) Topic {
	if nMembers <= 0 {
		panic("seed: Topic needs at least one member")
	}
	replies = max(replies, 0)
	g.src.Seed(mix64(g.seed^topicsStream), mix64(uint64(i)))

	board := boardTable.pick(g.next())
	g.profile = &boardProfiles[board]
	g.subject = g.profile.subjects.pick(g.next())
	g.treatment = g.profile.treatments.pick(g.next())
	g.condition = g.subject
	if g.profile.practice {
		g.condition = conditions.pick(g.next())
	}
	g.patientAge()

	t := Topic{
		Board:  board,
		Title:  g.title(),
		Tags:   g.tags(),
		Pinned: g.intn(10000) == 0, // a pinned topic sits atop its board, so keep them rare
		Posts:  make([]Post, replies+1),
	}

	at, step := g.threadTimes(len(t.Posts), now)
	author := -1
	for k := range t.Posts {
		if k > 0 {
			// Replies bunch up soon after the post before them.
			u := g.unit()
			at = at.Add(time.Duration(1+int(u*u*float64(step-1))) * time.Second)
		}
		author = g.author(nMembers, author)
		t.Posts[k] = Post{Author: author, Body: g.body(k == 0), At: at}
	}
	return t
}

// threadTimes decides when the topic was opened and how long it stayed
// active: it returns the opening time and the mean gap between posts in
// seconds (at least 120). Whole seconds keep the times strictly increasing
// in every store, and the gaps add up to less than the topic's age, so the
// last reply is still before now.
func (g *Generator) threadTimes(posts int, now time.Time) (time.Time, int) {
	const day = 24 * time.Hour
	minSpan := time.Duration(posts+1) * 2 * time.Minute
	age := 2*time.Hour + time.Duration(g.intn(int(730*day/time.Second)))*time.Second
	age = max(age, minSpan+time.Minute)
	// Most threads are busy for a day or two; a few stay alive for weeks.
	u := g.unit()
	span := time.Duration(u*u*u*float64(30*day)) + time.Hour
	span = min(max(span, minSpan), age-time.Minute)
	step := int(span / time.Duration(posts) / time.Second)
	return now.UTC().Add(-age).Truncate(time.Second), step
}

// unit returns a float64 in [0, 1).
func (g *Generator) unit() float64 { return float64(g.next()>>11) / (1 << 53) }

// author picks who writes the next post. A few members write much of the
// content, as on every forum; nobody replies to themselves.
func (g *Generator) author(nMembers, previous int) int {
	var a int
	if g.chance(500) {
		u := g.unit()
		a = int(u * u * float64(nMembers))
	} else {
		a = g.intn(nMembers)
	}
	if a == previous && nMembers > 1 {
		a = (a + 1) % nMembers
	}
	return a
}

func (g *Generator) title() string {
	g.buf = g.buf[:0]
	switch g.profile.kind {
	case titlePodcast:
		g.write(podcastTitles.templates[podcastTitles.pick(g.next())])
	case titleCase:
		g.write(caseTitles.templates[caseTitles.pick(g.next())])
	default:
		g.write(questionTitles.templates[questionTitles.pick(g.next())])
	}
	capitalizeAt(g.buf, 0)
	return string(g.buf[:min(len(g.buf), 200)])
}

func (g *Generator) tags() []string {
	n := tagCounts.pick(g.next())
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	if g.chance(400) {
		out = append(out, g.profile.tag)
	}
	for tries := 0; len(out) < n && tries < 4*n; tries++ {
		tag := tags.pick(g.next())
		dup := false
		for _, t := range out {
			dup = dup || t == tag
		}
		if !dup {
			out = append(out, tag)
		}
	}
	return out
}

// body writes one markdown post: a few short paragraphs of clinical
// discussion, now and then a bulleted list, a bold lead-in or a link.
// An opening post sets the scene and ends with a question.
func (g *Generator) body(opening bool) string {
	g.buf = g.buf[:0]
	g.recent = [3]int{-1, -1, -1}
	paragraphs := 1 + paragraphCounts.pick(g.next())
	list := -1
	if g.chance(80) {
		list = g.intn(paragraphs)
		if opening && list == 0 {
			list = -1
		}
	}
	bold := paragraphs > 1 && list != paragraphs-1 && g.chance(80)
	link := g.chance(30)

	for p := range paragraphs {
		if p > 0 {
			g.buf = append(g.buf, "\n\n"...)
		}
		last := p == paragraphs-1
		if p == list {
			g.list()
			continue
		}
		if bold && last {
			g.buf = append(g.buf, boldLeads[g.intn(len(boldLeads))]...)
		}
		sentences := 1 + sentenceCounts.pick(g.next())
		if paragraphs == 1 {
			sentences = max(sentences, 3)
		}
		for s := range sentences {
			if s > 0 {
				g.buf = append(g.buf, ' ')
			}
			switch {
			case opening && p == 0 && s == 0:
				g.sentence(leadTemplates)
			case !opening && p == 0 && s == 0 && g.chance(300):
				g.sentence(openerTemplates)
			case opening && last && s == sentences-1:
				g.sentence(questionTemplates)
			case !opening && g.chance(60):
				g.sentence(questionTemplates)
			default:
				g.statement()
			}
		}
		if opening && last && g.chance(350) {
			g.buf = append(g.buf, ' ')
			g.sentence(closingTemplates)
		}
	}
	if link {
		if list == paragraphs-1 {
			g.buf = append(g.buf, "\n\n"...)
		} else {
			g.buf = append(g.buf, ' ')
		}
		g.sentence(linkTemplates)
	}
	return string(g.buf)
}

// list writes an introductory line and a bulleted list of three to five items.
func (g *Generator) list() {
	g.sentence(listIntroTemplates)
	g.buf = append(g.buf, '\n')
	for range 3 + g.intn(3) {
		g.buf = append(g.buf, "\n- "...)
		g.sentence(listItemTemplates)
	}
}

func (g *Generator) sentence(set *templateSet) {
	start := len(g.buf)
	g.write(set.templates[set.pick(g.next())])
	capitalizeAt(g.buf, start)
}

// statement writes a statement that is not one of the last few written:
// real people rarely say the same thing twice in a post.
func (g *Generator) statement() {
	k := statementTemplates.pick(g.next())
	for tries := 0; tries < 4 && (k == g.recent[0] || k == g.recent[1] || k == g.recent[2]); tries++ {
		k = statementTemplates.pick(g.next())
	}
	g.recent[2], g.recent[1], g.recent[0] = g.recent[1], g.recent[0], k
	start := len(g.buf)
	g.write(statementTemplates.templates[k])
	capitalizeAt(g.buf, start)
}

// write fills in a template at the end of g.buf. When a template uses the
// same kind of term twice ("{drug} and {drug}") it gets two different ones.
func (g *Generator) write(t template) {
	var lastKind slot
	var lastWord string
	for _, p := range t {
		switch p.kind {
		case slotLiteral:
			g.buf = append(g.buf, p.text...)
		case slotSubject:
			g.buf = append(g.buf, g.subject...)
		case slotTopicCondition:
			g.buf = append(g.buf, g.condition...)
		case slotTreatment:
			g.buf = append(g.buf, g.treatment...)
		case slotTreatment2:
			g.buf = append(g.buf, g.otherTreatment()...)
		case slotAge:
			g.age()
		default:
			if l := slotLists[p.kind]; l != nil {
				w := l.pick(g.next())
				for tries := 0; p.kind == lastKind && w == lastWord && tries < 4; tries++ {
					w = l.pick(g.next())
				}
				lastKind, lastWord = p.kind, w
				g.buf = append(g.buf, w...)
				continue
			}
			r := numberRanges[p.kind]
			g.buf = strconv.AppendUint(g.buf, r[0]+uint64(g.intn(int(r[1]))), 10)
		}
	}
}

func (g *Generator) otherTreatment() string {
	t := g.profile.treatments.pick(g.next())
	for tries := 0; t == g.treatment && tries < 8; tries++ {
		t = g.profile.treatments.pick(g.next())
	}
	return t
}

// patientAge picks the age of the patient the topic is about: an adult,
// or a child on a pediatric board.
func (g *Generator) patientAge() {
	g.ageUnit = "-year-old"
	switch {
	case !g.profile.pediatric:
		// The older of two draws: inpatients skew old.
		g.ageYears = 18 + max(g.intn(80), g.intn(80))
	case g.chance(250):
		g.ageYears, g.ageUnit = 1+g.intn(11), "-week-old"
	case g.chance(300):
		g.ageYears, g.ageUnit = 2+g.intn(22), "-month-old"
	default:
		g.ageYears = 2 + g.intn(16)
	}
}

// age writes the patient's age as "a 67-year-old" or "an 8-month-old".
func (g *Generator) age() {
	n := g.ageYears
	if n == 8 || n == 11 || n == 18 || (n >= 80 && n < 90) {
		g.buf = append(g.buf, "an "...)
	} else {
		g.buf = append(g.buf, "a "...)
	}
	g.buf = strconv.AppendInt(g.buf, int64(n), 10)
	g.buf = append(g.buf, g.ageUnit...)
}
