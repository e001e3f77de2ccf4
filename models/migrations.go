package models

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"
)

// A migration is one numbered, append-only step. Steps never change once
// released; a new need gets a new step.
type migration struct {
	version int
	name    string
	// statements use {{id}} for an auto-increment primary key, {{time}} for a
	// timestamp column and {{bigint}} for a 64-bit integer, filled per engine.
	// A statement that starts with {{postgres}} or {{sqlite}} runs on that
	// engine only.
	statements []string
}

var migrations = []migration{
	{1, "users, boards, topics, posts and revisions", []string{
		`CREATE TABLE users (
			id {{id}},
			username TEXT NOT NULL,
			display_name TEXT NOT NULL,
			profession TEXT NOT NULL DEFAULT '',
			specialty TEXT NOT NULL DEFAULT '',
			role TEXT NOT NULL DEFAULT 'member',
			status TEXT NOT NULL DEFAULT 'pending',
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX users_username ON users (username)`,
		`CREATE TABLE boards (
			id {{id}},
			slug TEXT NOT NULL,
			title TEXT NOT NULL,
			description TEXT NOT NULL DEFAULT '',
			position INTEGER NOT NULL DEFAULT 0,
			topic_count {{bigint}} NOT NULL DEFAULT 0,
			post_count {{bigint}} NOT NULL DEFAULT 0,
			last_post_at {{time}},
			created_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX boards_slug ON boards (slug)`,
		`CREATE TABLE topics (
			id {{id}},
			board_id {{bigint}} NOT NULL REFERENCES boards (id),
			kind TEXT NOT NULL DEFAULT 'discussion',
			title TEXT NOT NULL,
			slug TEXT NOT NULL DEFAULT '',
			author_id {{bigint}} NOT NULL REFERENCES users (id),
			pinned BOOLEAN NOT NULL DEFAULT FALSE,
			locked BOOLEAN NOT NULL DEFAULT FALSE,
			post_count INTEGER NOT NULL DEFAULT 0,
			bumped_at {{time}} NOT NULL,
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL
		)`,
		// The board page: pinned first, then by last activity, keyset-paged.
		`CREATE INDEX topics_board_activity ON topics (board_id, pinned, bumped_at DESC, id DESC)`,
		`CREATE INDEX topics_author ON topics (author_id)`,
		`CREATE TABLE topic_tags (
			topic_id {{bigint}} NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
			tag TEXT NOT NULL,
			PRIMARY KEY (topic_id, tag)
		)`,
		// The tag page: newest topics with a tag first.
		`CREATE INDEX topic_tags_tag ON topic_tags (tag, topic_id DESC)`,
		`CREATE TABLE posts (
			id {{id}},
			topic_id {{bigint}} NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
			number INTEGER NOT NULL,
			author_id {{bigint}} NOT NULL REFERENCES users (id),
			source TEXT NOT NULL,
			cooked TEXT NOT NULL,
			version INTEGER NOT NULL DEFAULT 1,
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL,
			deleted_at {{time}},
			deleted_by_id {{bigint}} REFERENCES users (id)
		)`,
		// The topic page reads posts by their dense number, so page N is a
		// range scan wherever it falls.
		`CREATE UNIQUE INDEX posts_topic_number ON posts (topic_id, number)`,
		`CREATE INDEX posts_author ON posts (author_id, id)`,
		`CREATE TABLE post_revisions (
			id {{id}},
			post_id {{bigint}} NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
			version INTEGER NOT NULL,
			title TEXT NOT NULL DEFAULT '',
			source TEXT NOT NULL,
			editor_id {{bigint}} NOT NULL REFERENCES users (id),
			created_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX post_revisions_post_version ON post_revisions (post_id, version)`,
	}},
	{2, "sessions", []string{
		`CREATE TABLE sessions (
			id TEXT PRIMARY KEY,
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			created_at {{time}} NOT NULL,
			last_seen_at {{time}} NOT NULL,
			expires_at {{time}} NOT NULL,
			user_agent TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX sessions_user ON sessions (user_id)`,
		`CREATE INDEX sessions_expires ON sessions (expires_at)`,
	}},
	{3, "npi registry", []string{
		// A copy of the public US NPI registry (NPPES), one row per NPI,
		// read by moderators weighing an NPI a member gives as evidence.
		`CREATE TABLE npi_providers (
			npi TEXT PRIMARY KEY,
			entity_type INTEGER NOT NULL DEFAULT 0,
			last_name TEXT NOT NULL DEFAULT '',
			first_name TEXT NOT NULL DEFAULT '',
			credential TEXT NOT NULL DEFAULT '',
			taxonomy_code TEXT NOT NULL DEFAULT '',
			license_number TEXT NOT NULL DEFAULT '',
			license_state TEXT NOT NULL DEFAULT '',
			practice_state TEXT NOT NULL DEFAULT '',
			deactivated BOOLEAN NOT NULL DEFAULT FALSE,
			imported_at {{time}} NOT NULL
		)`,
		// One row per import run; finished_at stays empty when a run stops
		// part-way, so "never imported" is told apart from "not found".
		`CREATE TABLE npi_imports (
			id {{id}},
			source TEXT NOT NULL DEFAULT '',
			rows_imported {{bigint}} NOT NULL DEFAULT 0,
			rows_skipped {{bigint}} NOT NULL DEFAULT 0,
			started_at {{time}} NOT NULL,
			finished_at {{time}}
		)`,
	}},
	{4, "sign-in identities and login attempts", []string{
		// A member's accounts at sign-in providers. The key is the
		// provider's own (issuer, subject): an email address never links
		// an identity to an account.
		`CREATE TABLE identities (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			provider TEXT NOT NULL,
			issuer TEXT NOT NULL,
			subject TEXT NOT NULL,
			email TEXT NOT NULL DEFAULT '',
			email_verified BOOLEAN NOT NULL DEFAULT FALSE,
			created_at {{time}} NOT NULL,
			last_used_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX identities_key ON identities (provider, issuer, subject)`,
		`CREATE INDEX identities_user ON identities (user_id)`,
		// One row per sign-in attempt between leaving for the provider and
		// coming back: state (hashed), nonce and PKCE verifier, bound to the
		// browser that started it, used once.
		`CREATE TABLE login_attempts (
			id TEXT PRIMARY KEY,
			browser TEXT NOT NULL,
			provider TEXT NOT NULL,
			nonce TEXT NOT NULL,
			verifier TEXT NOT NULL,
			return_to TEXT NOT NULL DEFAULT '/',
			created_at {{time}} NOT NULL,
			expires_at {{time}} NOT NULL
		)`,
		`CREATE INDEX login_attempts_expires ON login_attempts (expires_at)`,
	}},
	{5, "verification applications, email codes and the audit log", []string{
		// One application per member, kept after the decision so the
		// evidence and the moderator's reason stay readable.
		`CREATE TABLE verifications (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			status TEXT NOT NULL DEFAULT 'submitted',
			full_name TEXT NOT NULL DEFAULT '',
			profession TEXT NOT NULL DEFAULT '',
			specialty TEXT NOT NULL DEFAULT '',
			npi TEXT NOT NULL DEFAULT '',
			license_country TEXT NOT NULL DEFAULT '',
			license_state TEXT NOT NULL DEFAULT '',
			license_number TEXT NOT NULL DEFAULT '',
			institution TEXT NOT NULL DEFAULT '',
			work_email TEXT NOT NULL DEFAULT '',
			work_email_confirmed_at {{time}},
			evidence TEXT NOT NULL DEFAULT '',
			decided_by_id {{bigint}} REFERENCES users (id),
			decision_reason TEXT NOT NULL DEFAULT '',
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL,
			submitted_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX verifications_user ON verifications (user_id)`,
		// The moderators' queue: oldest submission first.
		`CREATE INDEX verifications_queue ON verifications (status, submitted_at, id)`,
		// One-time codes sent to a work email; only the hash is kept.
		`CREATE TABLE email_codes (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			email TEXT NOT NULL,
			code_hash TEXT NOT NULL,
			attempts INTEGER NOT NULL DEFAULT 0,
			expires_at {{time}} NOT NULL,
			created_at {{time}} NOT NULL,
			used_at {{time}}
		)`,
		`CREATE INDEX email_codes_user_created ON email_codes (user_id, created_at)`,
		// Who decided what, when and why. The app only ever inserts here.
		`CREATE TABLE audit_events (
			id {{id}},
			actor_id {{bigint}} REFERENCES users (id),
			action TEXT NOT NULL,
			subject_type TEXT NOT NULL,
			subject_id {{bigint}} NOT NULL,
			reason TEXT NOT NULL DEFAULT '',
			created_at {{time}} NOT NULL
		)`,
		`CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id, id)`,
	}},
	{6, "groups, board access and archived boards", []string{
		// A group is a named set of members: listed by hand in
		// group_members, or matched at check time by profession or
		// specialty, so a change to a member or a rule applies at once.
		`CREATE TABLE groups (
			id {{id}},
			name TEXT NOT NULL,
			description TEXT NOT NULL DEFAULT '',
			auto_profession TEXT NOT NULL DEFAULT '',
			auto_specialty TEXT NOT NULL DEFAULT '',
			created_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX groups_name ON groups (name)`,
		`CREATE TABLE group_members (
			group_id {{bigint}} NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			created_at {{time}} NOT NULL,
			PRIMARY KEY (group_id, user_id)
		)`,
		`CREATE INDEX group_members_user ON group_members (user_id)`,
		// A board without read rows is open to every verified member; one
		// without post rows lets everyone who reads it post.
		`CREATE TABLE board_groups (
			board_id {{bigint}} NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
			group_id {{bigint}} NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
			can_read BOOLEAN NOT NULL DEFAULT FALSE,
			can_post BOOLEAN NOT NULL DEFAULT FALSE,
			PRIMARY KEY (board_id, group_id)
		)`,
		`ALTER TABLE boards ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE`,
	}},
	{7, "search outbox", []string{
		// Every write that changes what search should find adds a row here
		// in its own transaction; each node's indexer applies the rows in
		// id order and keeps the last id it applied inside its index. A row
		// without a post means the whole topic (its title, tags or board
		// changed, or it was imported).
		`CREATE TABLE search_outbox (
			id {{id}},
			topic_id {{bigint}} NOT NULL,
			post_id {{bigint}},
			created_at {{time}} NOT NULL
		)`,
	}},
	{8, "hidden and anonymous posts", []string{
		// Moderators hide a post instead of deleting it: the content stays
		// for them, and the reason is shown to everyone in its place.
		`ALTER TABLE posts ADD COLUMN hidden_at {{time}} NULL`,
		`ALTER TABLE posts ADD COLUMN hidden_by_id {{bigint}} NULL REFERENCES users (id)`,
		`ALTER TABLE posts ADD COLUMN hidden_reason TEXT NOT NULL DEFAULT ''`,
		// An anonymous post shows its author by specialty only.
		`ALTER TABLE posts ADD COLUMN anonymous BOOLEAN NOT NULL DEFAULT FALSE`,
	}},
	{9, "private feed tokens", []string{
		// A member's feed reader or podcast app follows peer-only boards
		// through a secret URL. Only a hash of the secret is kept; revoking
		// it stops every feed URL made with it.
		`CREATE TABLE feed_tokens (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			token_hash TEXT NOT NULL,
			created_at {{time}} NOT NULL,
			revoked_at {{time}},
			last_used_at {{time}}
		)`,
		`CREATE UNIQUE INDEX feed_tokens_hash ON feed_tokens (token_hash)`,
		`CREATE INDEX feed_tokens_user ON feed_tokens (user_id, revoked_at)`,
	}},
	{10, "podcasts, cases and link previews", []string{
		// A podcast show members share episodes of. It is re-read in the
		// background; the last error is kept for the member who shared it.
		`CREATE TABLE podcast_feeds (
			id {{id}},
			url TEXT NOT NULL,
			title TEXT NOT NULL DEFAULT '',
			author TEXT NOT NULL DEFAULT '',
			description TEXT NOT NULL DEFAULT '',
			image_url TEXT NOT NULL DEFAULT '',
			link TEXT NOT NULL DEFAULT '',
			etag TEXT NOT NULL DEFAULT '',
			last_modified TEXT NOT NULL DEFAULT '',
			fetched_at {{time}},
			next_fetch_at {{time}},
			failures INTEGER NOT NULL DEFAULT 0,
			last_error TEXT NOT NULL DEFAULT '',
			created_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX podcast_feeds_url ON podcast_feeds (url)`,
		// One episode of a show, or a lone audio file (no feed).
		`CREATE TABLE podcast_episodes (
			id {{id}},
			feed_id {{bigint}} REFERENCES podcast_feeds (id) ON DELETE CASCADE,
			guid TEXT NOT NULL,
			title TEXT NOT NULL DEFAULT '',
			description TEXT NOT NULL DEFAULT '',
			link TEXT NOT NULL DEFAULT '',
			image_url TEXT NOT NULL DEFAULT '',
			published_at {{time}},
			duration_seconds INTEGER NOT NULL DEFAULT 0,
			audio_url TEXT NOT NULL,
			audio_type TEXT NOT NULL DEFAULT '',
			audio_length {{bigint}} NOT NULL DEFAULT 0,
			created_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX podcast_episodes_guid ON podcast_episodes (feed_id, guid)`,
		`CREATE INDEX podcast_episodes_feed ON podcast_episodes (feed_id, published_at)`,
		// A podcast topic discusses one episode.
		`CREATE TABLE topic_episodes (
			topic_id {{bigint}} PRIMARY KEY REFERENCES topics (id) ON DELETE CASCADE,
			episode_id {{bigint}} NOT NULL REFERENCES podcast_episodes (id)
		)`,
		`CREATE INDEX topic_episodes_episode ON topic_episodes (episode_id)`,
		// Shows a member follows, to be offered their new episodes.
		`CREATE TABLE podcast_follows (
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			feed_id {{bigint}} NOT NULL REFERENCES podcast_feeds (id) ON DELETE CASCADE,
			created_at {{time}} NOT NULL,
			PRIMARY KEY (user_id, feed_id)
		)`,
		// A case topic's structured summary. The age is a band, never an
		// exact age over 89; the attestation that no identifiers are in the
		// post is required and kept.
		`CREATE TABLE case_summaries (
			topic_id {{bigint}} PRIMARY KEY REFERENCES topics (id) ON DELETE CASCADE,
			source_url TEXT NOT NULL DEFAULT '',
			age_band TEXT NOT NULL,
			sex TEXT NOT NULL,
			presentation TEXT NOT NULL,
			workup TEXT NOT NULL DEFAULT '',
			question TEXT NOT NULL,
			attested_by_id {{bigint}} NOT NULL REFERENCES users (id),
			attested_at {{time}} NOT NULL
		)`,
		// What a link points at, fetched in the background after the post
		// is saved: a page's Open Graph card, or a citation from Crossref
		// (DOI) or PubMed (PMID). One row per link, shared by every post
		// that has it.
		`CREATE TABLE link_previews (
			id {{id}},
			url TEXT NOT NULL,
			kind TEXT NOT NULL DEFAULT 'page',
			status TEXT NOT NULL DEFAULT 'pending',
			title TEXT NOT NULL DEFAULT '',
			description TEXT NOT NULL DEFAULT '',
			site_name TEXT NOT NULL DEFAULT '',
			image_url TEXT NOT NULL DEFAULT '',
			journal TEXT NOT NULL DEFAULT '',
			year INTEGER NOT NULL DEFAULT 0,
			authors TEXT NOT NULL DEFAULT '',
			doi TEXT NOT NULL DEFAULT '',
			pmid TEXT NOT NULL DEFAULT '',
			error TEXT NOT NULL DEFAULT '',
			fetched_at {{time}},
			created_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX link_previews_url ON link_previews (url)`,
		`CREATE TABLE post_links (
			post_id {{bigint}} NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
			preview_id {{bigint}} NOT NULL REFERENCES link_previews (id) ON DELETE CASCADE,
			position INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (post_id, preview_id)
		)`,
		`CREATE INDEX post_links_preview ON post_links (preview_id)`,
	}},
	{11, "subscriptions, digests and notifications", []string{
		// A member watches or mutes one board or one topic; no row is the
		// default. A topic's own row outranks its board's.
		`CREATE TABLE subscriptions (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			board_id {{bigint}} REFERENCES boards (id) ON DELETE CASCADE,
			topic_id {{bigint}} REFERENCES topics (id) ON DELETE CASCADE,
			level TEXT NOT NULL CHECK (level IN ('watch', 'mute')),
			created_at {{time}} NOT NULL,
			CHECK ((board_id IS NULL) <> (topic_id IS NULL))
		)`,
		// NULLs are distinct on both engines, so a topic row never clashes
		// with a board row of the same member.
		`CREATE UNIQUE INDEX subscriptions_user_board ON subscriptions (user_id, board_id)`,
		`CREATE UNIQUE INDEX subscriptions_user_topic ON subscriptions (user_id, topic_id)`,
		// A member without a row gets the defaults: weekly, Monday 07:00 UTC.
		`CREATE TABLE digest_settings (
			user_id {{bigint}} PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
			frequency TEXT NOT NULL DEFAULT 'weekly' CHECK (frequency IN ('never', 'daily', 'weekly')),
			hour INTEGER NOT NULL DEFAULT 7 CHECK (hour BETWEEN 0 AND 23),
			weekday INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 0 AND 6),
			time_zone TEXT NOT NULL DEFAULT 'UTC',
			updated_at {{time}} NOT NULL
		)`,
		// One row per member and period, claimed before the mail is sent, so
		// a retried or duplicated job does not send twice. claim_token names
		// the attempt holding the claim; empty means released after a
		// temporary failure. window_end is the moment the content was
		// chosen up to, where the next digest starts.
		`CREATE TABLE digest_deliveries (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			period TEXT NOT NULL,
			status TEXT NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'sent', 'failed', 'empty')),
			claim_token TEXT NOT NULL DEFAULT '',
			attempts INTEGER NOT NULL DEFAULT 0,
			items INTEGER NOT NULL DEFAULT 0,
			message_id TEXT NOT NULL DEFAULT '',
			error TEXT NOT NULL DEFAULT '',
			window_start {{time}},
			window_end {{time}},
			claimed_at {{time}} NOT NULL,
			sent_at {{time}}
		)`,
		`CREATE UNIQUE INDEX digest_deliveries_user_period ON digest_deliveries (user_id, period)`,
		`CREATE INDEX digest_deliveries_claimed ON digest_deliveries (claimed_at)`,
		// The one-click unsubscribe link in each digest. Only the SHA-256 of
		// the random token is kept.
		`CREATE TABLE unsubscribe_tokens (
			token_hash TEXT PRIMARY KEY,
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			scope TEXT NOT NULL DEFAULT 'digest' CHECK (scope IN ('digest')),
			created_at {{time}} NOT NULL,
			used_at {{time}}
		)`,
		`CREATE INDEX unsubscribe_tokens_created ON unsubscribe_tokens (created_at)`,
		// Replies to a member's topics and @mentions of them, for the
		// unread count in the app.
		`CREATE TABLE notifications (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			kind TEXT NOT NULL CHECK (kind IN ('reply', 'mention')),
			topic_id {{bigint}} NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
			post_id {{bigint}} REFERENCES posts (id) ON DELETE CASCADE,
			actor_id {{bigint}} REFERENCES users (id) ON DELETE SET NULL,
			created_at {{time}} NOT NULL,
			read_at {{time}}
		)`,
		`CREATE INDEX notifications_user_read ON notifications (user_id, read_at)`,
		// What a board lets digests carry: full excerpts, titles only, or
		// only counts, for boards whose cases should never sit in a mailbox.
		`ALTER TABLE boards ADD COLUMN email_policy TEXT NOT NULL DEFAULT 'full' CHECK (email_policy IN ('full', 'titles', 'counts'))`,
		// A digest counts the posts written since the last one per topic
		// for every member; the index carries every column that count
		// reads, so it never touches the rows with their text.
		`CREATE INDEX posts_created ON posts (created_at, topic_id, author_id, number, id, hidden_at, deleted_at)`,
	}},
	{12, "rate limits", []string{
		// One row per limited action and key (a member or an address): the
		// moment its allowance is next fully spent (the generic cell rate
		// algorithm's theoretical arrival time). Rows in the past mean
		// nothing and are pruned.
		`CREATE TABLE rate_limits (
			rule TEXT NOT NULL,
			key TEXT NOT NULL,
			tat {{time}} NOT NULL,
			PRIMARY KEY (rule, key)
		)`,
		`CREATE INDEX rate_limits_tat ON rate_limits (tat)`,
	}},
	{13, "confirmed possible identifiers", []string{
		// What the PHI guard asked the author about and the author
		// confirmed identifies no patient, as JSON, for the moderators.
		`ALTER TABLE posts ADD COLUMN phi_confirmed TEXT NOT NULL DEFAULT ''`,
	}},
	{14, "anonymous posting per board", []string{
		// A board may let members post as "Anonymous {specialty}"; the
		// author is still stored, and moderators can reveal it (audited).
		`ALTER TABLE boards ADD COLUMN allow_anonymous BOOLEAN NOT NULL DEFAULT FALSE`,
	}},
	{15, "flags, warnings, suspensions and redacted revisions", []string{
		// A member's report that a post needs a moderator. A report stays
		// open until a moderator acts on the post; one member has at most
		// one open report per post.
		`CREATE TABLE flags (
			id {{id}},
			post_id {{bigint}} NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
			reporter_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			reason TEXT NOT NULL CHECK (reason IN ('phi', 'unprofessional', 'misinformation', 'spam', 'other')),
			note TEXT NOT NULL DEFAULT '',
			created_at {{time}} NOT NULL,
			resolved_at {{time}},
			resolved_by_id {{bigint}} REFERENCES users (id),
			resolution TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE UNIQUE INDEX flags_open_reporter ON flags (post_id, reporter_id) WHERE resolved_at IS NULL`,
		`CREATE INDEX flags_open ON flags (resolved_at, created_at, post_id)`,
		`CREATE INDEX flags_post ON flags (post_id)`,
		// A moderator's warning to a member, shown to them until read.
		// post_id is only a reference: a purged post leaves the warning.
		`CREATE TABLE member_warnings (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			moderator_id {{bigint}} NOT NULL REFERENCES users (id),
			post_id {{bigint}},
			reason TEXT NOT NULL,
			created_at {{time}} NOT NULL,
			seen_at {{time}}
		)`,
		`CREATE INDEX member_warnings_user ON member_warnings (user_id, seen_at)`,
		// A suspension ends at suspended_until, or never when it is NULL;
		// the member is told why when they try to sign in.
		`ALTER TABLE users ADD COLUMN suspended_until {{time}}`,
		`ALTER TABLE users ADD COLUMN suspension_reason TEXT NOT NULL DEFAULT ''`,
		// Moderators who edit identifiers out of a post erase them from its
		// earlier versions too; the version stays, marked, without its text.
		`ALTER TABLE post_revisions ADD COLUMN redacted_at {{time}}`,
		// A purged reply leaves a gap in its topic's numbers: post_count
		// stays the highest number (new replies number after it), and
		// purged_count says how many numbers no longer hold a post.
		`ALTER TABLE topics ADD COLUMN purged_count INTEGER NOT NULL DEFAULT 0`,
	}},
	{16, "one-time jobs, and posts' images through the image proxy", []string{
		// Work a release needs done once on the data already stored, by a
		// background job queued at start until it has finished.
		`CREATE TABLE one_time_jobs (
			name TEXT PRIMARY KEY,
			done_at {{time}}
		)`,
		// Posts cooked before the image proxy load their images from other
		// sites; the job points them at the proxy.
		`INSERT INTO one_time_jobs (name) VALUES ('proxy_post_images')`,
	}},
	{17, "anonymous labels fixed on their posts", []string{
		// What an anonymous post says of its author after "Anonymous": a
		// specialty, field or profession enough of the board's readers
		// shared when it was written, or '' for "Anonymous clinician".
		// Posts written before labels were checked say nothing more.
		`ALTER TABLE posts ADD COLUMN anonymous_as TEXT NOT NULL DEFAULT ''`,
	}},
	{18, "moderation of the authors of anonymous posts", []string{
		// A suspension given over an anonymous post: its end is recorded
		// against the author of that post, not the account.
		`ALTER TABLE users ADD COLUMN suspension_post_id {{bigint}}`,
		// A warning over an anonymous post is the member's to read, but
		// stays off the record moderators see of them.
		`ALTER TABLE member_warnings ADD COLUMN over_anonymous_post BOOLEAN NOT NULL DEFAULT FALSE`,
		`UPDATE member_warnings SET over_anonymous_post = TRUE
			WHERE post_id IN (SELECT id FROM posts WHERE anonymous = TRUE)`,
	}},
	{19, "reporters' records", []string{
		// How each member's closed reports that a post identifies a
		// patient turned out: upheld (the post hidden, edited, deleted or
		// purged) or dismissed. It outlives purged posts and their reports.
		`CREATE TABLE reporter_records (
			user_id {{bigint}} PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
			upheld INTEGER NOT NULL DEFAULT 0,
			dismissed INTEGER NOT NULL DEFAULT 0
		)`,
		`INSERT INTO reporter_records (user_id, upheld, dismissed)
			SELECT reporter_id,
				SUM(CASE WHEN resolution IN ('hidden', 'edited', 'deleted') THEN 1 ELSE 0 END),
				SUM(CASE WHEN resolution = 'dismissed' THEN 1 ELSE 0 END)
			FROM flags WHERE reason = 'phi' AND resolved_at IS NOT NULL GROUP BY reporter_id`,
	}},
	{20, "bookmarks", []string{
		// A member's bookmarks are theirs alone; a purged post or a
		// removed member takes theirs along.
		`CREATE TABLE bookmarks (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			post_id {{bigint}} NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
			note TEXT NOT NULL DEFAULT '',
			remind_at {{time}},
			reminded_at {{time}},
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX bookmarks_user_post ON bookmarks (user_id, post_id)`,
		`CREATE INDEX bookmarks_user_created ON bookmarks (user_id, created_at)`,
		`CREATE INDEX bookmarks_due ON bookmarks (remind_at) WHERE reminded_at IS NULL`,
		// Notifications come in more kinds than replies and mentions now
		// (a bookmark's reminder, and more to come): the kind is checked
		// by the code that writes it. SQLite cannot drop a constraint, so
		// the table is built again there.
		`{{postgres}} ALTER TABLE notifications DROP CONSTRAINT IF EXISTS notifications_kind_check`,
		`{{sqlite}} CREATE TABLE notifications_rebuilt (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			kind TEXT NOT NULL CHECK (kind <> ''),
			topic_id {{bigint}} NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
			post_id {{bigint}} REFERENCES posts (id) ON DELETE CASCADE,
			actor_id {{bigint}} REFERENCES users (id) ON DELETE SET NULL,
			created_at {{time}} NOT NULL,
			read_at {{time}}
		)`,
		`{{sqlite}} INSERT INTO notifications_rebuilt (id, user_id, kind, topic_id, post_id, actor_id, created_at, read_at)
			SELECT id, user_id, kind, topic_id, post_id, actor_id, created_at, read_at FROM notifications`,
		`{{sqlite}} DROP TABLE notifications`,
		`{{sqlite}} ALTER TABLE notifications_rebuilt RENAME TO notifications`,
		`{{sqlite}} CREATE INDEX notifications_user_read ON notifications (user_id, read_at)`,
		`{{postgres}} ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind <> '')`,
	}},
	{21, "member profiles and profile changes for review", []string{
		// What a member shows on their profile beyond their verified name,
		// profession and specialty: credentials after their name, and
		// their institution, shown only if they choose.
		`ALTER TABLE users ADD COLUMN credentials TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE users ADD COLUMN institution TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE users ADD COLUMN show_institution BOOLEAN NOT NULL DEFAULT FALSE`,
		`UPDATE users SET institution = COALESCE((SELECT v.institution FROM verifications v
			WHERE v.user_id = users.id AND v.status = 'approved'), '')`,
		// When an application was decided, and for an approval the kind
		// of evidence it rested on (never the evidence): a trusted
		// institution's sign-in, a confirmed work email, or a moderator.
		`ALTER TABLE verifications ADD COLUMN decided_at {{time}}`,
		`ALTER TABLE verifications ADD COLUMN method TEXT NOT NULL DEFAULT ''`,
		`UPDATE verifications SET decided_at = updated_at WHERE status IN ('approved', 'rejected')`,
		`UPDATE verifications SET method = CASE
			WHEN decided_by_id IS NOT NULL THEN 'moderator'
			WHEN evidence LIKE '%"trusted_provider":"%' THEN 'institution'
			ELSE 'work_email' END
			WHERE status = 'approved'`,
		// A verified member's change of the name, profession or specialty
		// their verification rested on waits here for a moderator; until
		// then the verified values stay on their profile.
		`CREATE TABLE profile_changes (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			display_name TEXT NOT NULL,
			profession TEXT NOT NULL,
			specialty TEXT NOT NULL,
			status TEXT NOT NULL DEFAULT 'pending',
			submitted_at {{time}} NOT NULL,
			decided_by_id {{bigint}} REFERENCES users (id),
			decided_at {{time}},
			reason TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX profile_changes_queue ON profile_changes (status, submitted_at, id)`,
		`CREATE INDEX profile_changes_user ON profile_changes (user_id, id)`,
	}},
	{22, "reactions", []string{
		// One of each reaction per member and post; a purged post or a
		// removed member takes theirs along.
		`CREATE TABLE post_reactions (
			post_id {{bigint}} NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			kind TEXT NOT NULL CHECK (kind IN ('helpful', 'agree', 'thanks')),
			created_at {{time}} NOT NULL,
			PRIMARY KEY (post_id, user_id, kind)
		)`,
		`CREATE INDEX post_reactions_user ON post_reactions (user_id)`,
	}},
	{23, "links for the mentions of stored posts", []string{
		// Posts cooked before @mentions linked to profiles get their links
		// from a one-time job.
		`INSERT INTO one_time_jobs (name) VALUES ('link_mentions')`,
	}},
	{24, "posts' plain text", []string{
		// The words of each post as search indexes and quotes them, read
		// from the markdown when the post is written so that nothing
		// parses it again. The job fills in the posts written before.
		`ALTER TABLE posts ADD COLUMN plain TEXT NOT NULL DEFAULT ''`,
		`INSERT INTO one_time_jobs (name) VALUES ('plain_text_posts')`,
	}},
	{25, "reading positions, and the lists of latest, new and unread topics", []string{
		// How far each member has read each topic they opened: the
		// highest post number that came into view, and when. Positions
		// only move forward; the app batches them (see readBatcher).
		`CREATE TABLE topic_reads (
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			topic_id {{bigint}} NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
			last_read INTEGER NOT NULL,
			read_at {{time}} NOT NULL,
			PRIMARY KEY (user_id, topic_id)
		)`,
		`CREATE INDEX topic_reads_topic ON topic_reads (topic_id)`,
		// Topics created after this count as new to the member until they
		// open them; empty means since they joined. "Dismiss new" and
		// "mark all read" move it.
		`ALTER TABLE users ADD COLUMN new_since {{time}}`,
		// Latest and New: every board's topics by last activity.
		`CREATE INDEX topics_activity ON topics (bumped_at DESC, id DESC)`,
	}},
	{26, "answers", []string{
		// The reply that answered a topic's question, marked by the
		// topic's author or a moderator; purging the reply unmarks it.
		`ALTER TABLE topics ADD COLUMN answer_post_id {{bigint}} REFERENCES posts (id) ON DELETE SET NULL`,
	}},
	{27, "case outcomes", []string{
		// What became of a case, told by the author of the case topic: one
		// outcome per topic, through the same checks as a post, with a
		// date of its own (a day, as the author gives it), and every
		// version kept as posts keep theirs.
		`CREATE TABLE case_outcomes (
			topic_id {{bigint}} PRIMARY KEY REFERENCES topics (id) ON DELETE CASCADE,
			author_id {{bigint}} NOT NULL REFERENCES users (id),
			source TEXT NOT NULL,
			cooked TEXT NOT NULL,
			plain TEXT NOT NULL DEFAULT '',
			phi_confirmed TEXT NOT NULL DEFAULT '',
			outcome_on TEXT NOT NULL,
			version INTEGER NOT NULL DEFAULT 1,
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL
		)`,
		`CREATE TABLE case_outcome_revisions (
			id {{id}},
			topic_id {{bigint}} NOT NULL REFERENCES case_outcomes (topic_id) ON DELETE CASCADE,
			version INTEGER NOT NULL,
			source TEXT NOT NULL,
			outcome_on TEXT NOT NULL,
			editor_id {{bigint}} NOT NULL REFERENCES users (id),
			created_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX case_outcome_revisions_version ON case_outcome_revisions (topic_id, version)`,
	}},
	{28, "polls", []string{
		// A post's poll ("What would you do?"), kept apart from the post's
		// text so that edits leave it and its votes alone; one per post,
		// and a purged post takes its poll along.
		`CREATE TABLE polls (
			id {{id}},
			post_id {{bigint}} NOT NULL UNIQUE REFERENCES posts (id) ON DELETE CASCADE,
			question TEXT NOT NULL,
			multiple BOOLEAN NOT NULL DEFAULT FALSE,
			closes_at {{time}},
			created_at {{time}} NOT NULL
		)`,
		`CREATE TABLE poll_options (
			id {{id}},
			poll_id {{bigint}} NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
			position INTEGER NOT NULL,
			label TEXT NOT NULL
		)`,
		`CREATE UNIQUE INDEX poll_options_position ON poll_options (poll_id, position)`,
		// Votes are counted, never shown by name; each member's own are
		// theirs to see and change until the poll closes.
		`CREATE TABLE poll_votes (
			poll_id {{bigint}} NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
			option_id {{bigint}} NOT NULL REFERENCES poll_options (id) ON DELETE CASCADE,
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			created_at {{time}} NOT NULL,
			PRIMARY KEY (poll_id, user_id, option_id)
		)`,
		`CREATE INDEX poll_votes_option ON poll_votes (option_id)`,
		// Whether any post of a topic ever had a poll, so the topic page
		// looks for polls only where there may be some.
		`ALTER TABLE topics ADD COLUMN has_polls BOOLEAN NOT NULL DEFAULT FALSE`,
	}},
	{29, "drafts", []string{
		// What a member has written and not yet posted, one draft per
		// member and place (a new topic or case in a board, a reply to a
		// topic, an edit of a post), every field of the form kept
		// URL-encoded. A removed member takes theirs along; a draft whose
		// place is gone is no longer listed, and the sweep deletes it
		// with the others after 30 days.
		`CREATE TABLE drafts (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			place_kind TEXT NOT NULL CHECK (place_kind <> ''),
			place_id {{bigint}} NOT NULL,
			fields TEXT NOT NULL DEFAULT '',
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX drafts_user_place ON drafts (user_id, place_kind, place_id)`,
		`CREATE INDEX drafts_user_updated ON drafts (user_id, updated_at)`,
		`CREATE INDEX drafts_updated ON drafts (updated_at)`,
	}},
	{30, "private consults", []string{
		// A consult is a private conversation between verified members. It
		// lives in tables of its own, never on a board, so that no code
		// which lists boards, topics or posts (pages, feeds, digests,
		// search, profiles) can come across one.
		`CREATE TABLE consults (
			id {{id}},
			subject TEXT NOT NULL,
			started_by_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			others_may_add BOOLEAN NOT NULL DEFAULT FALSE,
			created_at {{time}} NOT NULL,
			last_message_at {{time}} NOT NULL
		)`,
		// Who takes part, how far they have read, and whether they hear of
		// new messages. A member who left keeps a row with left_at set and
		// reads nothing of the consult any more.
		`CREATE TABLE consult_members (
			consult_id {{bigint}} NOT NULL REFERENCES consults (id) ON DELETE CASCADE,
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			added_by_id {{bigint}} REFERENCES users (id) ON DELETE SET NULL,
			joined_at {{time}} NOT NULL,
			left_at {{time}},
			muted BOOLEAN NOT NULL DEFAULT FALSE,
			last_read_message_id {{bigint}} NOT NULL DEFAULT 0,
			PRIMARY KEY (consult_id, user_id)
		)`,
		`CREATE INDEX consult_members_user ON consult_members (user_id, consult_id)`,
		`CREATE TABLE consult_messages (
			id {{id}},
			consult_id {{bigint}} NOT NULL REFERENCES consults (id) ON DELETE CASCADE,
			author_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			source TEXT NOT NULL,
			cooked TEXT NOT NULL,
			plain TEXT NOT NULL DEFAULT '',
			phi_confirmed TEXT NOT NULL DEFAULT '',
			created_at {{time}} NOT NULL,
			hidden_at {{time}},
			hidden_by_id {{bigint}} REFERENCES users (id) ON DELETE SET NULL,
			hidden_reason TEXT NOT NULL DEFAULT '',
			purged_at {{time}}
		)`,
		`CREATE INDEX consult_messages_consult ON consult_messages (consult_id, id)`,
		// A member who will not be consulted by another: the other can
		// neither start a consult with them nor add them to one.
		`CREATE TABLE consult_blocks (
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			blocked_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			created_at {{time}} NOT NULL,
			PRIMARY KEY (user_id, blocked_id)
		)`,
		// A new message for each participant who has not muted the
		// consult, for the mail that tells them (kind 'consult'). It names
		// the consult and the message, never carries their text.
		`CREATE TABLE consult_notifications (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			kind TEXT NOT NULL DEFAULT 'consult' CHECK (kind = 'consult'),
			consult_id {{bigint}} NOT NULL REFERENCES consults (id) ON DELETE CASCADE,
			message_id {{bigint}} NOT NULL REFERENCES consult_messages (id) ON DELETE CASCADE,
			actor_id {{bigint}} REFERENCES users (id) ON DELETE SET NULL,
			created_at {{time}} NOT NULL,
			read_at {{time}}
		)`,
		`CREATE INDEX consult_notifications_user ON consult_notifications (user_id, read_at)`,
		// A participant's report of a message: moderators then see that
		// message and the few before it, and nothing else of the consult.
		`CREATE TABLE consult_reports (
			id {{id}},
			message_id {{bigint}} NOT NULL REFERENCES consult_messages (id) ON DELETE CASCADE,
			reporter_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			reason TEXT NOT NULL,
			note TEXT NOT NULL DEFAULT '',
			created_at {{time}} NOT NULL,
			resolved_at {{time}},
			resolved_by_id {{bigint}} REFERENCES users (id) ON DELETE SET NULL,
			resolution TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE UNIQUE INDEX consult_reports_open ON consult_reports (message_id, reporter_id) WHERE resolved_at IS NULL`,
		`CREATE INDEX consult_reports_queue ON consult_reports (resolved_at, message_id)`,
	}},
	{31, "email for replies and mentions, and replies by email", []string{
		// How each kind of notification reaches a member by email: right
		// away, in the digest, or never. A kind without a row has its
		// default (EmailDefault).
		`CREATE TABLE email_settings (
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			kind TEXT NOT NULL CHECK (kind <> ''),
			delivery TEXT NOT NULL CHECK (delivery IN ('now', 'digest', 'never')),
			updated_at {{time}} NOT NULL,
			PRIMARY KEY (user_id, kind)
		)`,
		// Which notifications the right-away email has dealt with (sent,
		// or passed over by the member's settings), and when: a reaction
		// notification moved up since is dealt with again. A table of its
		// own, so that notifications keep their shape.
		`CREATE TABLE notification_emails (
			notification_id {{bigint}} PRIMARY KEY REFERENCES notifications (id) ON DELETE CASCADE,
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			handled_at {{time}} NOT NULL,
			message_id TEXT NOT NULL DEFAULT ''
		)`,
		// Every notification made before this email existed counts as
		// dealt with, so the first run mails nothing old.
		`INSERT INTO notification_emails (notification_id, user_id, handled_at)
			SELECT id, user_id, created_at FROM notifications`,
		`CREATE INDEX notifications_created ON notifications (created_at)`,
		// A reply by email, by the Message-ID its mail program gave it: a
		// mail server that delivers it again posts nothing twice.
		`CREATE TABLE email_replies (
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			message_id TEXT NOT NULL,
			post_id {{bigint}} NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
			created_at {{time}} NOT NULL,
			PRIMARY KEY (user_id, message_id)
		)`,
	}},
	{32, "post images and staged uploads", []string{
		// A post's images, de-identified; the blob store keeps their sizes
		// under images/<name>/. They go with their post.
		`CREATE TABLE post_images (
			id {{id}},
			post_id {{bigint}} NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
			name TEXT NOT NULL UNIQUE,
			position INTEGER NOT NULL,
			alt TEXT NOT NULL,
			content_type TEXT NOT NULL,
			width INTEGER NOT NULL,
			height INTEGER NOT NULL,
			page_width INTEGER NOT NULL,
			page_height INTEGER NOT NULL,
			thumb_width INTEGER NOT NULL,
			thumb_height INTEGER NOT NULL,
			dicom BOOLEAN NOT NULL DEFAULT FALSE,
			created_at {{time}} NOT NULL
		)`,
		`CREATE INDEX post_images_post ON post_images (post_id, position)`,
		// Uploads waiting in a member's composer, at most an hour: what
		// was found in them and drawn on them. Their bytes are in the
		// blob store's staging area, never served.
		`CREATE TABLE staged_images (
			id {{id}},
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			ticket TEXT NOT NULL UNIQUE,
			state TEXT NOT NULL,
			created_at {{time}} NOT NULL
		)`,
		`CREATE INDEX staged_images_created ON staged_images (created_at)`,
	}},
	{33, "consult messages by email", []string{
		// Which consult notifications the right-away email has dealt
		// with, as notification_emails does for the others: consult
		// notifications have a table of their own.
		`CREATE TABLE consult_notification_emails (
			notification_id {{bigint}} PRIMARY KEY REFERENCES consult_notifications (id) ON DELETE CASCADE,
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			handled_at {{time}} NOT NULL,
			message_id TEXT NOT NULL DEFAULT ''
		)`,
		// Every consult notification made before consults went by email
		// counts as dealt with, so the first run mails nothing old.
		`INSERT INTO consult_notification_emails (notification_id, user_id, handled_at)
			SELECT id, user_id, created_at FROM consult_notifications`,
		`CREATE INDEX consult_notifications_created ON consult_notifications (created_at)`,
		// A consult message that came by email, by the Message-ID its mail
		// program gave it, as email_replies records replies to topics.
		`CREATE TABLE consult_email_replies (
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			message_id TEXT NOT NULL,
			consult_message_id {{bigint}} NOT NULL REFERENCES consult_messages (id) ON DELETE CASCADE,
			created_at {{time}} NOT NULL,
			PRIMARY KEY (user_id, message_id)
		)`,
	}},
	{34, "image changes in a post's history, and images on consult messages", []string{
		// What an edit did to the post's images, in words ("added an
		// image"); the images themselves are never kept in history.
		`ALTER TABLE post_revisions ADD COLUMN image_changes TEXT NOT NULL DEFAULT ''`,
		// A consult message's images, de-identified as a post's are; the
		// blob store keeps their sizes under images/<name>/, and only the
		// consult's participants are served them.
		`CREATE TABLE consult_message_images (
			id {{id}},
			message_id {{bigint}} NOT NULL REFERENCES consult_messages (id) ON DELETE CASCADE,
			name TEXT NOT NULL UNIQUE,
			position INTEGER NOT NULL,
			alt TEXT NOT NULL,
			content_type TEXT NOT NULL,
			width INTEGER NOT NULL,
			height INTEGER NOT NULL,
			page_width INTEGER NOT NULL,
			page_height INTEGER NOT NULL,
			thumb_width INTEGER NOT NULL,
			thumb_height INTEGER NOT NULL,
			dicom BOOLEAN NOT NULL DEFAULT FALSE,
			created_at {{time}} NOT NULL
		)`,
		`CREATE INDEX consult_message_images_message ON consult_message_images (message_id, position)`,
	}},
	{35, "profile counts kept per member and board", []string{
		// What each member's signed posts on each board add to their
		// profile (profile_counts.go), filled from the posts once here and
		// kept by every write that changes them.
		`CREATE TABLE member_board_counts (
			user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			board_id {{bigint}} NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
			topics {{bigint}} NOT NULL DEFAULT 0,
			replies {{bigint}} NOT NULL DEFAULT 0,
			helpful {{bigint}} NOT NULL DEFAULT 0,
			agree {{bigint}} NOT NULL DEFAULT 0,
			thanks {{bigint}} NOT NULL DEFAULT 0,
			hidden_topics {{bigint}} NOT NULL DEFAULT 0,
			hidden_replies {{bigint}} NOT NULL DEFAULT 0,
			hidden_helpful {{bigint}} NOT NULL DEFAULT 0,
			hidden_agree {{bigint}} NOT NULL DEFAULT 0,
			hidden_thanks {{bigint}} NOT NULL DEFAULT 0,
			PRIMARY KEY (user_id, board_id)
		)`,
		`INSERT INTO member_board_counts (` + memberCountColumns + `) ` + memberCountsOf("1 = 1"),
	}},
	{36, "the opening posts' flags in an index of their own", []string{
		// Lists of topics, search results and the topic page read each
		// opening post's anonymity and hidden mark (openingPostJoin): from
		// this index, a row a topic, rather than from the posts' rows.
		`CREATE INDEX posts_openers ON posts (topic_id, number, anonymous, anonymous_as, hidden_at) WHERE number = 1`,
	}},
	{37, "a mark on each post that may have images or link cards", []string{
		// The topic page reads the images and link cards of the posts
		// marked has_media, in a second statement (pageMediaSQL), rather than
		// probing both tables for every post it shows. A post is marked when
		// an image or a link is added to it, by the triggers below whichever
		// code adds it, and stays marked: a post whose images were removed,
		// or whose links have no card ready, costs that second statement and
		// shows nothing more.
		`ALTER TABLE posts ADD COLUMN has_media BOOLEAN NOT NULL DEFAULT FALSE`,
		`UPDATE posts SET has_media = TRUE WHERE id IN (SELECT post_id FROM post_images UNION SELECT post_id FROM post_links)`,
		`{{sqlite}} CREATE TRIGGER post_images_mark_media AFTER INSERT ON post_images BEGIN
			UPDATE posts SET has_media = TRUE WHERE id = NEW.post_id AND NOT has_media;
		END`,
		`{{sqlite}} CREATE TRIGGER post_links_mark_media AFTER INSERT ON post_links BEGIN
			UPDATE posts SET has_media = TRUE WHERE id = NEW.post_id AND NOT has_media;
		END`,
		`{{postgres}} CREATE FUNCTION mark_post_media() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			UPDATE posts SET has_media = TRUE WHERE id = NEW.post_id AND NOT has_media;
			RETURN NULL;
		END
		$$`,
		`{{postgres}} CREATE TRIGGER post_images_mark_media AFTER INSERT ON post_images
			FOR EACH ROW EXECUTE FUNCTION mark_post_media()`,
		`{{postgres}} CREATE TRIGGER post_links_mark_media AFTER INSERT ON post_links
			FOR EACH ROW EXECUTE FUNCTION mark_post_media()`,
	}},
}

func (s *Store) ddl(stmt string) string {
	var id, ts, bigint string
	switch s.engine {
	case Postgres:
		id, ts, bigint = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "TIMESTAMPTZ", "BIGINT"
	default:
		id, ts, bigint = "INTEGER PRIMARY KEY AUTOINCREMENT", "DATETIME", "INTEGER"
	}
	return strings.NewReplacer("{{id}}", id, "{{time}}", ts, "{{bigint}}", bigint).Replace(stmt)
}

// forEngine strips a statement's engine marker, and says whether it runs
// on the store's engine.
func (s *Store) forEngine(stmt string) (string, bool) {
	for engine, marker := range map[Engine]string{Postgres: "{{postgres}}", SQLite: "{{sqlite}}"} {
		if rest, ok := strings.CutPrefix(stmt, marker); ok {
			return rest, s.engine == engine
		}
	}
	return stmt, true
}

// Migrate brings the schema up to date. Each step runs in its own transaction
// together with the row that records it, so a crash leaves either the whole
// step or none of it; on PostgreSQL an advisory lock lets several nodes start
// at once. Running it on an up-to-date database changes nothing.
func (s *Store) Migrate(ctx context.Context) (applied []int, err error) {
	db := s.db.WithContext(ctx)
	// Under the lock too: PostgreSQL's IF NOT EXISTS is no guard against a
	// node creating the same table at the same moment.
	if err := db.Transaction(func(tx *gorm.DB) error {
		if s.engine == Postgres {
			if err := tx.Exec(`SELECT pg_advisory_xact_lock(7262010)`).Error; err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
		}
		return tx.Exec(s.ddl(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			applied_at {{time}} NOT NULL
		)`)).Error
	}); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	// One read says which steps are in already, so a start with nothing to
	// do costs one statement rather than a transaction a step; a step not
	// in it is checked again under the lock, as another node may have just
	// applied it.
	var present []int
	if err := db.Raw(`SELECT version FROM schema_migrations`).Scan(&present).Error; err != nil {
		return nil, fmt.Errorf("read schema versions: %w", err)
	}
	for _, m := range migrations {
		if slices.Contains(present, m.version) {
			continue
		}
		done := false
		err := db.Transaction(func(tx *gorm.DB) error {
			if s.engine == Postgres {
				if err := tx.Exec(`SELECT pg_advisory_xact_lock(7262010)`).Error; err != nil {
					return fmt.Errorf("take migration lock: %w", err)
				}
			}
			var n int64
			if err := tx.Raw(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n).Error; err != nil {
				return fmt.Errorf("read schema version: %w", err)
			}
			if n > 0 {
				done = true
				return nil
			}
			for _, stmt := range m.statements {
				stmt, ok := s.forEngine(stmt)
				if !ok {
					continue
				}
				if err := tx.Exec(s.ddl(stmt)).Error; err != nil {
					return fmt.Errorf("%w\n%s", err, strings.TrimSpace(stmt))
				}
			}
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, s.Now()).Error
		})
		if err != nil {
			return applied, fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
		if !done {
			applied = append(applied, m.version)
		}
	}

	// River's job tables come after ours, through River's own migrator on
	// the same pool, so they move with the River version in go.mod. River
	// runs each of its versions in a transaction of its own on other pool
	// connections; on PostgreSQL one transaction holds our migration lock
	// meanwhile, so a node starting at the same time waits and then finds
	// nothing left to do. SQLite serves one node, and a transaction held
	// open there would only block River's own writes.
	sqlDB, err := s.pool()
	if err != nil {
		return applied, fmt.Errorf("migrate job queue: %w", err)
	}
	var driver riverdriver.Driver[*sql.Tx] = riversqlite.New(sqlDB)
	if s.engine == Postgres {
		driver = riverdatabasesql.New(sqlDB)
	}
	// River's log would say "no migrations to apply" on every boot; its
	// errors are returned here instead.
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return applied, fmt.Errorf("migrate job queue: %w", err)
	}
	migrateRiver := func() error {
		_, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	}
	if s.engine == Postgres {
		err = db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(`SELECT pg_advisory_xact_lock(7262010)`).Error; err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
			return migrateRiver()
		})
	} else {
		err = migrateRiver()
	}
	if err != nil {
		return applied, fmt.Errorf("migrate job queue: %w", err)
	}
	return applied, nil
}

// CurrentSchemaVersion reports the highest applied migration, 0 on an empty
// database.
func (s *Store) CurrentSchemaVersion(ctx context.Context) (int, error) {
	var v *int
	if err := s.db.WithContext(ctx).Raw(`SELECT MAX(version) FROM schema_migrations`).Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}
