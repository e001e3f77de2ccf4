package seed

import (
	"fmt"
	"strings"
	"time"

	"rounds/app/markdown"
	"rounds/models"
)

// Demo returns the hand-written demo community shown by `rounds demo`: a
// small forum of clinicians talking shop, with post times spread over the
// roughly sixty days before now. The same now gives the same community.
func Demo(now time.Time) Community {
	// Whole minutes read more naturally than the caller's clock, and
	// truncating only moves times earlier, so every post stays before now.
	base := now.UTC().Truncate(time.Minute)

	c := Community{Members: demoMembers(), Boards: demoBoards()}
	members := make(map[string]int, len(c.Members))
	for i, m := range c.Members {
		members[m.Username] = i
	}
	boards := make(map[string]int, len(c.Boards))
	for i, b := range c.Boards {
		boards[b.Slug] = i
	}

	for _, dt := range demoTopics() {
		board, ok := boards[dt.board]
		if !ok {
			panic(fmt.Sprintf("seed: demo topic %q is on unknown board %q", dt.title, dt.board))
		}
		t := Topic{Board: board, Title: dt.title, Tags: dt.tags, Pinned: dt.pinned, Case: dt.summary, Answer: dt.answer}
		if dt.episode != 0 {
			t.Episode = episodeGUID(dt.episode)
		}
		opened := base.Add(-dt.opened)
		if dt.outcome != nil {
			t.Outcome = &Outcome{Body: strings.TrimSpace(dt.outcome.body), On: opened.Add(dt.outcome.after)}
		}
		if dt.poll != nil {
			t.Poll = &Poll{Number: dt.poll.number, Question: dt.poll.question, Options: dt.poll.options}
			for _, v := range dt.poll.votes {
				voter, ok := members[v.member]
				if !ok {
					panic(fmt.Sprintf("seed: demo topic %q has a vote by unknown member %q", dt.title, v.member))
				}
				t.Poll.Votes = append(t.Poll.Votes, Vote{Member: voter, Option: v.option})
			}
		}
		for i, dp := range dt.posts {
			body := strings.TrimSpace(dp.body)
			if i == 0 && t.Case != nil && body == "" {
				// With no discussion of their own, a case's opening post
				// is its summary, as the case form writes it.
				body = markdown.CaseSummary(t.Case.summary())
			}
			author, ok := members[dp.author]
			if !ok {
				panic(fmt.Sprintf("seed: demo topic %q has a post by unknown member %q", dt.title, dp.author))
			}
			t.Posts = append(t.Posts, Post{
				Author: author,
				Body:   body,
				At:     opened.Add(dp.after),
			})
		}
		c.Topics = append(c.Topics, t)
	}
	// One report waits for the moderators, so the review queue has
	// something to show: a reader doubting advice that is in fact sound.
	for i, t := range c.Topics {
		if t.Title == "Ketamine vs etomidate for RSI in shock" {
			c.Reports = append(c.Reports, Report{Topic: i, Number: 3, Reporter: members["grace_obrien"], Reason: "misinformation",
				Note: "Is this right? I was taught to reduce every dose in shock. Could someone check before people copy it?"})
		}
	}
	c.Previews = demoPreviews()
	for _, dc := range demoConsults() {
		consult := Consult{Subject: dc.subject}
		for _, name := range dc.members {
			m, ok := members[name]
			if !ok {
				panic(fmt.Sprintf("seed: demo consult %q has unknown member %q", dc.subject, name))
			}
			consult.Members = append(consult.Members, m)
		}
		started := base.Add(-dc.started)
		for _, dp := range dc.messages {
			author, ok := members[dp.author]
			if !ok {
				panic(fmt.Sprintf("seed: demo consult %q has a message by unknown member %q", dc.subject, dp.author))
			}
			consult.Messages = append(consult.Messages, Post{Author: author, Body: strings.TrimSpace(dp.body), At: started.Add(dp.after)})
		}
		c.Consults = append(c.Consults, consult)
	}
	return c
}

// summary is the case as the store keeps it, without its attestation.
func (cs *Case) summary() *models.CaseSummary {
	return &models.CaseSummary{SourceURL: cs.SourceURL, AgeBand: cs.AgeBand, Sex: cs.Sex,
		Presentation: cs.Presentation, Workup: cs.Workup, Question: cs.Question}
}

// demoTopic is a topic as written by hand: board and authors by name,
// times relative to when the topic was opened.
type demoTopic struct {
	board  string // board slug
	title  string
	tags   []string
	pinned bool
	opened time.Duration // how long before now the opening post was written
	posts  []demoPost
	// episode is the number of the demo show's episode a podcast topic
	// discusses; zero for other topics.
	episode int
	// summary makes the topic a case; an opening post with an empty body
	// is then the summary itself.
	summary *Case
	// answer is the number of the reply the topic's author marked as
	// the answer; zero for none.
	answer int
	// outcome is what became of a case, posted by its author.
	outcome *demoOutcome
	// poll is a poll under one of the topic's posts.
	poll *demoPoll
}

// demoOutcome is a case's outcome, posted after the case was opened.
type demoOutcome struct {
	after time.Duration
	body  string
}

// demoPoll is a poll under the post numbered number, with the members'
// votes by username and option index.
type demoPoll struct {
	number   int
	question string
	options  []string
	votes    []demoVote
}

type demoVote struct {
	member string
	option int
}

// demoConsult is a private consult between members by username, the
// first of whom started it; times are relative to when it started.
type demoConsult struct {
	subject  string
	members  []string
	started  time.Duration // how long before now it started
	messages []demoPost
}

type demoPost struct {
	author string        // username
	after  time.Duration // after the opening post; zero for the opening post
	body   string
}

// span is days, hours and minutes as a duration, for writing post times.
func span(days, hours, minutes int) time.Duration {
	return time.Duration(days)*24*time.Hour + time.Duration(hours)*time.Hour + time.Duration(minutes)*time.Minute
}

// DemoAdministrator is the member who runs the demo as its
// administrator: the first of its members, as LoadDemo makes them.
func DemoAdministrator() Member { return demoMembers()[0] }

func demoMembers() []Member {
	return []Member{
		{Username: "samcohen", DisplayName: "Dr. Samuel Cohen", Profession: "physician", Specialty: "Hospital Medicine"},
		{Username: "amara_okafor", DisplayName: "Dr. Amara Okafor", Profession: "physician", Specialty: "Cardiology"},
		{Username: "dreyes", DisplayName: "Dr. Daniel Reyes", Profession: "physician", Specialty: "Emergency Medicine"},
		{Username: "jweber_rn", DisplayName: "Jonas Weber, RN", Profession: "nurse", Specialty: "Critical Care Nursing"},
		{Username: "priya_pharmd", DisplayName: "Priya Nair, PharmD", Profession: "pharmacist", Specialty: "Clinical Pharmacy"},
		{Username: "htanaka", DisplayName: "Dr. Hiroshi Tanaka", Profession: "physician", Specialty: "Critical Care Medicine"},
		{Username: "leila_haddad", DisplayName: "Dr. Leila Haddad", Profession: "physician", Specialty: "Pediatric Emergency Medicine"},
		{Username: "sofia_marquez", DisplayName: "Sofía Márquez, NP", Profession: "nurse_practitioner", Specialty: "Heart Failure"},
		{Username: "kmensah_pa", DisplayName: "Kwame Mensah, PA-C", Profession: "physician_assistant", Specialty: "Emergency Medicine"},
		{Username: "epetrova", DisplayName: "Dr. Elena Petrova", Profession: "physician", Specialty: "Infectious Diseases"},
		{Username: "grace_obrien", DisplayName: "Grace O'Brien, RN", Profession: "nurse", Specialty: "Pediatric Nursing"},
		{Username: "meilin_zhang", DisplayName: "Mei Lin Zhang, PharmD", Profession: "pharmacist", Specialty: "Critical Care Pharmacy"},
		{Username: "tomas_rrt", DisplayName: "Tomás Álvarez, RRT", Profession: "other", Specialty: "Respiratory Therapy"},
		{Username: "fatima_alsayed", DisplayName: "Dr. Fatima Al-Sayed", Profession: "physician", Specialty: "Neonatology"},
		{Username: "ingrid_larsen", DisplayName: "Ingrid Larsen, RN", Profession: "nurse", Specialty: "Emergency Nursing"},
	}
}

func demoBoards() []Board {
	return []Board{
		{Slug: "community", Title: "Community", Description: "Announcements, introductions and feedback about Rounds itself."},
		{Slug: "cardiology", Title: "Cardiology", Description: "Arrhythmias, heart failure, coronary disease and cardiac imaging."},
		{Slug: "emergency-medicine", Title: "Emergency Medicine", Description: "Resuscitation, airway, toxicology and everything else that comes through the front door."},
		{Slug: "critical-care", Title: "Critical Care", Description: "Shock, mechanical ventilation, sedation and the rest of ICU practice."},
		{Slug: "pediatrics", Title: "Pediatrics", Description: "General pediatrics, PICU, NICU and pediatric emergency care."},
		{Slug: "pharmacotherapy", Title: "Pharmacotherapy", Description: "Dosing, interactions, formularies and medication safety."},
		{Slug: "podcasts", Title: "Podcasts", Description: "Episode discussions for the Rounds podcast and other clinical shows worth your commute."},
		{Slug: "cases", Title: "Cases", Description: "De-identified cases: present, ask for input, and come back with the follow-up."},
	}
}
