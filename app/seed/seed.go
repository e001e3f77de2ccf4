// Package seed generates believable clinical community content: the
// hand-written demo community shown by `rounds demo`, and synthetic members,
// boards and topics at any scale for benchmarks.
//
// It knows nothing about databases or HTTP. Everything it returns is a plain
// Go value; the caller decides how to store it. Posts refer to their author
// and topics to their board by index, so the caller maps indexes to the IDs
// its store assigns.
package seed

import "time"

// Member is a verified clinician who posts in the community.
type Member struct {
	Username    string // lower-case, [a-z0-9_], 3-30 chars, unique within a set
	DisplayName string // e.g. "Dr. Amara Okafor", "Jonas Weber, RN", "Priya Nair, PharmD"
	Profession  string // one of: physician, nurse_practitioner, physician_assistant, nurse, pharmacist, other
	Specialty   string // e.g. "Cardiology", "Emergency Medicine", "Critical Care Nursing"
}

// Board is a place for topics on one subject, usually a specialty.
type Board struct {
	Slug        string // lower-case, [a-z0-9-]
	Title       string
	Description string // one sentence
}

// Post is one markdown message in a topic.
type Post struct {
	Author int       // index into the Members slice
	Body   string    // markdown
	At     time.Time // UTC
}

// Topic is a thread: an opening post and its replies.
type Topic struct {
	Board  int      // index into the Boards slice
	Title  string   // 5-200 characters
	Tags   []string // 0-5 tags, each lower-case [a-z0-9-], 1-30 chars, no duplicates
	Pinned bool
	Posts  []Post // first post is the opening post; the rest are replies; At strictly increasing
	// Episode, for a podcast topic, is the GUID of the episode of the
	// demo's own show that it discusses.
	Episode string
	// Case, for a case topic, is its structured summary.
	Case *Case
	// Answer is the number of the reply the topic's author marked as the
	// answer to their question; zero for none.
	Answer int
	// Outcome, for a case, is what became of it, told by its author.
	Outcome *Outcome
	// Poll is a poll under one of the topic's posts, by that post's author.
	Poll *Poll
}

// Outcome is what became of a case: markdown, and the day it tells of.
type Outcome struct {
	Body string
	On   time.Time
}

// Poll asks a question under the post numbered Number, with the members'
// votes: each vote is a member (index in Members) and the option they
// chose (index in Options).
type Poll struct {
	Number   int
	Question string
	Options  []string
	Votes    []Vote
}

// Vote is one member's choice in a poll.
type Vote struct {
	Member int
	Option int
}

// Consult is a private conversation: its first member started it with the
// first message, and only its members read it.
type Consult struct {
	Subject  string
	Members  []int  // indexes in Members; the first started it
	Messages []Post // in order; the first is the starter's
}

// Case is the summary of a case topic, as the case form takes it: age
// band and sex by their codes (models.CaseAgeBands, models.CaseSexes), the
// rest plain text.
type Case struct {
	SourceURL    string
	AgeBand      string
	Sex          string
	Presentation string
	Workup       string
	Question     string
}

// Preview is what a link in the demo's posts showed when it was fetched:
// its Open Graph card or its citation, recorded so the demo shows the
// card with no network.
type Preview struct {
	URL         string // as written in the post; matched after app/links makes it canonical
	Title       string
	Description string // pages only
	SiteName    string // pages only
	Journal     string // citations only
	Year        int
	Authors     []string
	DOI         string
	PMID        string
}

// Community is everything needed to fill an empty forum.
type Community struct {
	Members []Member
	Boards  []Board
	Topics  []Topic
	// Reports wait in the moderators' review queue.
	Reports []Report
	// Previews are the recorded cards of the links in the posts.
	Previews []Preview
	// Consults are private conversations between members.
	Consults []Consult
}

// Report is a member's report on a post, by the post's topic (index in
// Topics) and number.
type Report struct {
	Topic    int
	Number   int
	Reporter int // index in Members
	Reason   string
	Note     string
}
