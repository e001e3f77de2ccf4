package seed

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var (
	usernamePattern = regexp.MustCompile(`^[a-z0-9_]{3,30}$`)
	slugPattern     = regexp.MustCompile(`^[a-z0-9-]+$`)
	tagPattern      = regexp.MustCompile(`^[a-z0-9-]{1,30}$`)
	professionNames = []string{"physician", "nurse_practitioner", "physician_assistant", "nurse", "pharmacist", "other"}
)

var testNow = time.Date(2026, time.March, 14, 15, 4, 5, 999, time.FixedZone("CET", 3600))

// checkMembers checks the rules every member set follows.
func checkMembers(t *testing.T, members []Member) {
	t.Helper()
	seen := make(map[string]bool, len(members))
	for i, m := range members {
		if !usernamePattern.MatchString(m.Username) {
			t.Errorf("member %d: username %q does not match %s", i, m.Username, usernamePattern)
		}
		if seen[m.Username] {
			t.Errorf("member %d: username %q is not unique", i, m.Username)
		}
		seen[m.Username] = true
		if !slices.Contains(professionNames, m.Profession) {
			t.Errorf("member %d: unknown profession %q", i, m.Profession)
		}
		if m.DisplayName == "" || m.Specialty == "" {
			t.Errorf("member %d: empty display name or specialty: %+v", i, m)
		}
		if physician := strings.HasPrefix(m.DisplayName, "Dr. "); physician != (m.Profession == "physician") {
			t.Errorf("member %d: display name %q does not match profession %q", i, m.DisplayName, m.Profession)
		}
	}
}

// checkBoards checks the rules every board set follows.
func checkBoards(t *testing.T, boards []Board, wantSlugs ...string) {
	t.Helper()
	seen := make(map[string]bool, len(boards))
	for i, b := range boards {
		if !slugPattern.MatchString(b.Slug) {
			t.Errorf("board %d: slug %q does not match %s", i, b.Slug, slugPattern)
		}
		if seen[b.Slug] {
			t.Errorf("board %d: slug %q is not unique", i, b.Slug)
		}
		seen[b.Slug] = true
		if b.Title == "" || !strings.HasSuffix(b.Description, ".") {
			t.Errorf("board %d: want a title and a one-sentence description, got %+v", i, b)
		}
	}
	for _, slug := range wantSlugs {
		if !seen[slug] {
			t.Errorf("no board with slug %q", slug)
		}
	}
}

// checkTopic checks the rules every topic follows, demo or synthetic.
func checkTopic(t *testing.T, name string, topic Topic, nBoards, nMembers int, now time.Time) {
	t.Helper()
	if topic.Board < 0 || topic.Board >= nBoards {
		t.Errorf("%s: board %d out of range [0, %d)", name, topic.Board, nBoards)
	}
	if n := utf8.RuneCountInString(topic.Title); n < 5 || n > 200 {
		t.Errorf("%s: title %q has %d characters, want 5-200", name, topic.Title, n)
	}
	if len(topic.Tags) > 5 {
		t.Errorf("%s: %d tags, want at most 5", name, len(topic.Tags))
	}
	for i, tag := range topic.Tags {
		if !tagPattern.MatchString(tag) {
			t.Errorf("%s: tag %q does not match %s", name, tag, tagPattern)
		}
		if slices.Contains(topic.Tags[:i], tag) {
			t.Errorf("%s: tag %q appears twice", name, tag)
		}
	}
	if len(topic.Posts) == 0 {
		t.Fatalf("%s: no posts", name)
	}
	for i, p := range topic.Posts {
		if p.Author < 0 || p.Author >= nMembers {
			t.Errorf("%s post %d: author %d out of range [0, %d)", name, i, p.Author, nMembers)
		}
		if strings.TrimSpace(p.Body) == "" {
			t.Errorf("%s post %d: empty body", name, i)
		}
		if p.At.Location() != time.UTC {
			t.Errorf("%s post %d: time %v is not UTC", name, i, p.At)
		}
		if !p.At.Before(now) {
			t.Errorf("%s post %d: time %v is not before now %v", name, i, p.At, now)
		}
		if i > 0 && !p.At.After(topic.Posts[i-1].At) {
			t.Errorf("%s post %d: time %v is not after the previous post's %v", name, i, p.At, topic.Posts[i-1].At)
		}
	}
}

// hasTable reports whether a markdown body has a GFM table: a line
// starting with | followed by a |--- delimiter line.
func hasTable(body string) bool {
	lines := strings.Split(body, "\n")
	for i := 0; i+1 < len(lines); i++ {
		if strings.HasPrefix(lines[i], "|") && strings.HasPrefix(strings.ReplaceAll(lines[i+1], " ", ""), "|---") {
			return true
		}
	}
	return false
}

func TestDemo(t *testing.T) {
	c := Demo(testNow)

	t.Run("boards", func(t *testing.T) {
		if n := len(c.Boards); n < 6 || n > 9 {
			t.Errorf("%d boards, want 6-9", n)
		}
		checkBoards(t, c.Boards, "cardiology", "emergency-medicine", "pediatrics", "critical-care", "pharmacotherapy", "podcasts", "cases")
	})

	t.Run("members", func(t *testing.T) {
		if n := len(c.Members); n < 10 || n > 16 {
			t.Errorf("%d members, want 10-16", n)
		}
		checkMembers(t, c.Members)
		professions := make(map[string]bool)
		for _, m := range c.Members {
			professions[m.Profession] = true
		}
		if len(professions) < 5 {
			t.Errorf("members cover %d professions, want at least 5", len(professions))
		}
	})

	t.Run("topics", func(t *testing.T) {
		if n := len(c.Topics); n < 20 || n > 30 {
			t.Errorf("%d topics, want 20-30", n)
		}
		oldest := testNow.Add(-61 * 24 * time.Hour)
		pinned := 0
		for _, topic := range c.Topics {
			checkTopic(t, topic.Title, topic, len(c.Boards), len(c.Members), testNow)
			if replies := len(topic.Posts) - 1; replies < 1 || replies > 8 {
				t.Errorf("%s: %d replies, want 1-8", topic.Title, replies)
			}
			if topic.Posts[0].At.Before(oldest) {
				t.Errorf("%s: opened %v, more than 60 days before now", topic.Title, topic.Posts[0].At)
			}
			if topic.Pinned {
				pinned++
			}
		}
		if pinned < 1 || pinned > 2 {
			t.Errorf("%d pinned topics, want 1 or 2", pinned)
		}
	})

	t.Run("markdown", func(t *testing.T) {
		var tables, footnotes, links int
		for _, topic := range c.Topics {
			for _, p := range topic.Posts {
				if hasTable(p.Body) {
					tables++
				}
				if strings.Contains(p.Body, "[^1]") && strings.Contains(p.Body, "\n[^1]: ") {
					footnotes++
				}
				links += strings.Count(p.Body, "](https://")
				if strings.Contains(p.Body, "http://") {
					t.Errorf("%s: post links over plain http", topic.Title)
				}
			}
		}
		if tables == 0 {
			t.Error("no post contains a GFM table")
		}
		if footnotes == 0 {
			t.Error("no post contains a footnote with its definition")
		}
		if links == 0 {
			t.Error("no post contains a link")
		}
	})

	t.Run("answers, outcomes, polls and consults", func(t *testing.T) {
		var answers, outcomes, polls int
		for _, topic := range c.Topics {
			if topic.Answer != 0 {
				answers++
				if topic.Answer < 2 || topic.Answer > len(topic.Posts) {
					t.Errorf("%s: answer is post %d of %d; it must be a reply", topic.Title, topic.Answer, len(topic.Posts))
				}
			}
			if o := topic.Outcome; o != nil {
				outcomes++
				if topic.Case == nil || o.Body == "" || o.On.Before(topic.Posts[0].At) || o.On.After(testNow) {
					t.Errorf("%s: outcome %+v on a topic that is a case: %v", topic.Title, o, topic.Case != nil)
				}
			}
			if p := topic.Poll; p != nil {
				polls++
				voted := map[int]bool{}
				for _, v := range p.Votes {
					if voted[v.Member] || v.Option < 0 || v.Option >= len(p.Options) || v.Member < 0 || v.Member >= len(c.Members) {
						t.Errorf("%s: vote %+v is a second vote or not a choice", topic.Title, v)
					}
					voted[v.Member] = true
				}
				if p.Number < 1 || p.Number > len(topic.Posts) || len(p.Options) < 2 || len(p.Options) > 10 || len(p.Votes) < 3 {
					t.Errorf("%s: poll %+v", topic.Title, p)
				}
			}
		}
		if answers == 0 || outcomes == 0 || polls == 0 || len(c.Consults) == 0 {
			t.Errorf("%d answers, %d outcomes, %d polls and %d consults; want some of each", answers, outcomes, polls, len(c.Consults))
		}
		for _, consult := range c.Consults {
			in := map[int]bool{}
			for _, m := range consult.Members {
				in[m] = true
			}
			if len(in) != len(consult.Members) || len(in) < 2 || len(consult.Messages) == 0 || consult.Messages[0].Author != consult.Members[0] {
				t.Errorf("consult %q: members %v, %d messages", consult.Subject, consult.Members, len(consult.Messages))
			}
			for i, m := range consult.Messages {
				if !in[m.Author] || (i > 0 && !m.At.After(consult.Messages[i-1].At)) || m.At.After(testNow) {
					t.Errorf("consult %q: message %d by %d at %v", consult.Subject, i+1, m.Author, m.At)
				}
			}
		}
	})

	t.Run("deterministic", func(t *testing.T) {
		if !reflect.DeepEqual(Demo(testNow), Demo(testNow)) {
			t.Error("two calls with the same now differ")
		}
	})
}

func TestGeneratorBoards(t *testing.T) {
	boards := NewGenerator(1).Boards()
	if n := len(boards); n < 8 || n > 12 {
		t.Errorf("%d boards, want 8-12", n)
	}
	checkBoards(t, boards, "cardiology", "emergency-medicine", "pediatrics", "critical-care", "podcasts", "cases")
}

func TestGeneratorMembers(t *testing.T) {
	tests := []struct {
		name string
		n    int
	}{
		{"none", 0},
		{"one", 1},
		{"small", 20},
		{"many name collisions", 20000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			members := NewGenerator(7).Members(tt.n)
			if len(members) != tt.n {
				t.Fatalf("got %d members, want %d", len(members), tt.n)
			}
			checkMembers(t, members)
			if again := NewGenerator(7).Members(tt.n); !reflect.DeepEqual(members, again) {
				t.Error("same seed gave different members")
			}
			if prefix := NewGenerator(7).Members(tt.n / 2); !reflect.DeepEqual(prefix, members[:tt.n/2]) {
				t.Error("Members(n/2) is not a prefix of Members(n)")
			}
		})
	}
}

func TestGeneratorTopicDeterministic(t *testing.T) {
	a, b := NewGenerator(42), NewGenerator(42)
	// b makes other topics first, as another goroutine's share of the work would.
	for i := range 50 {
		b.Topic(1000+i, i, 30, testNow)
	}
	for _, i := range []int{0, 1, 2, 999, 123456} {
		if x, y := a.Topic(i, 6, 100, testNow), b.Topic(i, 6, 100, testNow); !reflect.DeepEqual(x, y) {
			t.Errorf("topic %d differs between generators with the same seed", i)
		}
	}
	if x, y := a.Topic(3, 6, 100, testNow), NewGenerator(43).Topic(3, 6, 100, testNow); reflect.DeepEqual(x, y) {
		t.Error("different seeds gave the same topic")
	}
	if x, y := a.Topic(3, 6, 100, testNow), a.Topic(4, 6, 100, testNow); x.Title == y.Title && x.Posts[0].Body == y.Posts[0].Body {
		t.Error("topics 3 and 4 are the same")
	}
}

func TestGeneratorTopicsValid(t *testing.T) {
	g := NewGenerator(2026)
	nBoards := len(g.Boards())
	const nMembers = 50
	var bodies, typical int
	boards := make(map[int]bool)
	for i := range 1000 {
		replies := i % 25
		topic := g.Topic(i, replies, nMembers, testNow)
		checkTopic(t, "topic "+topic.Title, topic, nBoards, nMembers, testNow)
		if len(topic.Posts) != replies+1 {
			t.Errorf("topic %d: %d posts, want %d", i, len(topic.Posts), replies+1)
		}
		boards[topic.Board] = true
		for _, p := range topic.Posts {
			bodies++
			if n := len(p.Body); n >= 150 && n <= 1300 {
				typical++
			}
		}
	}
	if len(boards) != nBoards {
		t.Errorf("1000 topics used %d of %d boards", len(boards), nBoards)
	}
	if typical < bodies*8/10 {
		t.Errorf("%d of %d bodies are 150-1300 bytes long, want at least 80%%", typical, bodies)
	}
}

func TestGeneratorTopicEdgeCases(t *testing.T) {
	tests := []struct {
		name     string
		replies  int
		nMembers int
	}{
		{"no replies", 0, 1},
		{"negative replies", -3, 5},
		{"single member replying", 10, 1},
		{"long thread", 3000, 200},
	}
	g := NewGenerator(9)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			topic := g.Topic(11, tt.replies, tt.nMembers, testNow)
			checkTopic(t, tt.name, topic, len(g.Boards()), tt.nMembers, testNow)
			if want := max(tt.replies, 0) + 1; len(topic.Posts) != want {
				t.Errorf("%d posts, want %d", len(topic.Posts), want)
			}
		})
	}
}

// stopWords are the function words left out when measuring how content
// words are distributed.
var stopWords = strings.Fields(`a an the and or but if of in on at to for with from by as is are was were be been
it its it's this that these those there their they them we our us i i'd i'm i'll you your he she his her what which who how
when where why not no do does did have has had would could should can will than then so up out about after before over
into once all any more most less some every each other only very just also usually often really`)

func TestWordFrequencyIsHeavyTailed(t *testing.T) {
	g := NewGenerator(5)
	counts := make(map[string]int)
	words := 0
	for i := 0; words < 200000; i++ {
		topic := g.Topic(i, 4, 100, testNow)
		for _, p := range topic.Posts {
			for _, w := range strings.FieldsFunc(strings.ToLower(p.Body), func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r == '\'' || r == '-')
			}) {
				w = strings.Trim(w, "'-")
				if w == "" {
					continue
				}
				words++
				if !slices.Contains(stopWords, w) {
					counts[w]++
				}
			}
		}
	}
	freq := make([]int, 0, len(counts))
	for _, n := range counts {
		freq = append(freq, n)
	}
	slices.Sort(freq)
	slices.Reverse(freq)
	if len(freq) < 300 {
		t.Errorf("%d distinct content words in %d words, want at least 300", len(freq), words)
	}
	if top, median := freq[0], freq[len(freq)/2]; top < 10*median {
		t.Errorf("most common content word appears %d times, the median-ranked one %d times; want a ratio of at least 10", top, median)
	}
}

func TestAliasTableMatchesWeights(t *testing.T) {
	tests := []struct {
		name    string
		weights []float64
	}{
		{"single", []float64{3}},
		{"uniform", []float64{1, 1, 1, 1}},
		{"skewed", []float64{1, 2, 3, 4}},
		{"zipf", zipfWeights(50, 1)},
		{"with zero", []float64{0, 5, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table := newAliasTable(tt.weights)
			rng := rand.New(rand.NewPCG(1, 2))
			const draws = 500000
			got := make([]int, len(tt.weights))
			for range draws {
				got[table.pick(rng.Uint64())]++
			}
			var sum float64
			for _, w := range tt.weights {
				sum += w
			}
			for i, w := range tt.weights {
				want := w / sum
				share := float64(got[i]) / draws
				if d := share - want; d > 0.005 || d < -0.005 {
					t.Errorf("index %d: share %.4f, want %.4f", i, share, want)
				}
			}
		})
	}
}

func TestCapitalizeAt(t *testing.T) {
	tests := []struct{ in, want string }{
		{"heparin is fine.", "Heparin is fine."},
		{"eGFR was low.", "eGFR was low."},
		{"pH of 7.1.", "pH of 7.1."},
		{"AKI again.", "AKI again."},
		{"4 hours.", "4 hours."},
		{"", ""},
	}
	for _, tt := range tests {
		buf := []byte(tt.in)
		capitalizeAt(buf, 0)
		if string(buf) != tt.want {
			t.Errorf("capitalizeAt(%q) = %q, want %q", tt.in, buf, tt.want)
		}
	}
}

func TestUsernamePart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Okafor", "okafor"},
		{"O'Brien", "obrien"},
		{"Márquez", "marquez"},
		{"de Vries", "devries"},
		{"Al-Sayed", "alsayed"},
		{"Wiśniewski", "wisniewski"},
		{"Yılmaz", "yilmaz"},
		{"Sørensen", "sorensen"},
	}
	for _, tt := range tests {
		if got := usernamePart(tt.in); got != tt.want {
			t.Errorf("usernamePart(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkTopic(b *testing.B) {
	const replies = 20
	g := NewGenerator(1)
	now := time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	topics := 0
	for b.Loop() {
		g.Topic(topics, replies, 10000, now)
		topics++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(topics*(replies+1)), "ns/post")
}
