package seed

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	"rounds/app/links"
	"rounds/app/markdown"
	"rounds/app/podcast"
	"rounds/models"
)

// LoadDemo fills an empty database with the demo community, for a site
// whose public address is site, and reports whether it did; a database
// that already has members is left alone. It writes everything in one
// transaction, so an interrupted first start leaves nothing half-made and
// the next start tries again. Either way it returns the demo's own podcast,
// for the site to serve, dated from when the community was made.
func LoadDemo(ctx context.Context, store *models.Store, md *markdown.Renderer, now time.Time, site *url.URL) (bool, *Podcast, error) {
	n, err := store.CountUsers(ctx)
	if err != nil {
		return false, nil, err
	}
	if n > 0 {
		// Every demo member was made at the first start, before anyone
		// could sign up.
		var first models.User
		if err := store.DB().WithContext(ctx).Order("created_at, id").Take(&first).Error; err != nil {
			return false, nil, fmt.Errorf("find when the demo was made: %w", err)
		}
		return false, DemoPodcast(site, first.CreatedAt), nil
	}
	c := Demo(now)
	show := DemoPodcast(site, now)
	err = store.InTransaction(ctx, func(tx *models.Store) error {
		userIDs, err := createMembers(ctx, tx, c.Members, now)
		if err != nil {
			return err
		}
		// The first members run the demo: an admin and a moderator.
		for i, role := range []models.Role{models.RoleAdmin, models.RoleModerator} {
			if i < len(userIDs) {
				if err := tx.SetRole(ctx, userIDs[i], role); err != nil {
					return err
				}
			}
		}
		boardIDs, err := createBoards(ctx, tx, c.Boards, now)
		if err != nil {
			return err
		}
		feed, episodes, err := saveShow(ctx, tx, show)
		if err != nil {
			return err
		}
		topics, err := importTopics(c.Topics, userIDs, boardIDs, md, episodes)
		if err != nil {
			return err
		}
		if err := tx.ImportTopics(ctx, topics); err != nil {
			return err
		}
		if err := recordPreviews(ctx, tx, md, c.Previews, now); err != nil {
			return err
		}
		// Every member follows the show, so /podcasts offers its episodes
		// to whoever the visitor picks.
		for _, id := range userIDs {
			if err := tx.FollowShow(ctx, id, feed.ID); err != nil {
				return err
			}
		}
		if err := fileReports(ctx, tx, c, userIDs); err != nil {
			return err
		}
		if err := settleTopics(ctx, tx, md, c, userIDs); err != nil {
			return err
		}
		return startConsults(ctx, tx, md, c, userIDs)
	})
	if err != nil {
		return false, nil, fmt.Errorf("load demo community: %w", err)
	}
	return true, show, nil
}

// saveShow reads the demo's feed as any shared feed is read and stores the
// show and its episodes, returned by GUID.
func saveShow(ctx context.Context, tx *models.Store, show *Podcast) (*models.PodcastFeed, map[string]models.PodcastEpisode, error) {
	feedFile := show.File(PodcastPath + "feed.xml")
	if feedFile == nil {
		return nil, nil, errors.New("the demo's podcast has no feed")
	}
	parsed, err := podcast.ParseFeed(show.FeedURL, feedFile.Body())
	if err != nil {
		return nil, nil, fmt.Errorf("read the demo's podcast feed: %w", err)
	}
	feed, saved, err := tx.SaveShow(ctx, models.PodcastFeed{URL: parsed.FeedURL, Title: parsed.Title, Author: parsed.Author,
		Description: parsed.Description, ImageURL: parsed.ImageURL, Link: parsed.Link}, podcast.StoredEpisodes(parsed.Episodes))
	if err != nil {
		return nil, nil, err
	}
	episodes := make(map[string]models.PodcastEpisode, len(saved))
	for _, ep := range saved {
		episodes[ep.GUID] = ep
	}
	return feed, episodes, nil
}

// recordPreviews stores the recorded cards of the demo's links, fetched
// as of now, under the URLs app/links makes of them when they are written
// in a post.
func recordPreviews(ctx context.Context, tx *models.Store, md *markdown.Renderer, previews []Preview, now time.Time) error {
	for _, p := range previews {
		written, err := md.Render(p.URL)
		if err != nil {
			return err
		}
		if len(written.Links) != 1 {
			return fmt.Errorf("recorded preview %q is not one link", p.URL)
		}
		l := written.Links[0]
		err = tx.PutLinkPreview(ctx, &models.LinkPreview{URL: l.URL, Kind: l.Kind, Status: models.PreviewReady,
			Title: p.Title, Description: p.Description, SiteName: p.SiteName, Journal: p.Journal, Year: p.Year,
			Authors: strings.Join(p.Authors, "\n"), DOI: p.DOI, PMID: p.PMID, FetchedAt: &now})
		if err != nil {
			return err
		}
	}
	return nil
}

// Options shapes a synthetic data set.
type Options struct {
	Topics  int
	Replies int // per topic
	Members int
	Seed    uint64
	// Now is when the community is written; zero means the store's clock.
	Now time.Time
	// Progress, when set, is told how many posts have been written so far.
	Progress func(posts int)
	// chunkPosts, when set, replaces chunkPosts: tests write many chunks
	// without writing many posts.
	chunkPosts int
}

// chunkPosts is about how many posts go into one import transaction:
// large enough to amortise the commit and the bookkeeping of each import,
// small enough to keep memory flat. (Chunks of 2,000 posts, to start
// writing sooner, cost more CPU and time than they saved on a busy
// machine: docs/performance.md.)
const chunkPosts = 10000

// LoadSynthetic writes a synthetic community. Text is generated and
// rendered on every core while a single writer imports finished chunks in
// order, so topic i is always the same topic.
func LoadSynthetic(ctx context.Context, store *models.Store, md *markdown.Renderer, opts Options) error {
	if opts.Topics < 0 || opts.Replies < 0 || opts.Members < 1 {
		return errors.New("seed: topics and replies must not be negative and there must be at least one member")
	}
	if opts.Now.IsZero() {
		opts.Now = store.Now()
	}
	g := NewGenerator(opts.Seed)
	userIDs, err := ensureMembers(ctx, store, g.Members(opts.Members), opts.Now)
	if err != nil {
		return err
	}
	boardIDs, err := ensureBoards(ctx, store, g.Boards(), opts.Now)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		topics []models.ImportTopic
		err    error
	}
	perChunk := chunkPosts
	if opts.chunkPosts > 0 {
		perChunk = opts.chunkPosts
	}
	chunkTopics := max(1, perChunk/(opts.Replies+1))
	chunks := (opts.Topics + chunkTopics - 1) / chunkTopics
	jobs := make(chan int)
	// One future per chunk, queued in order; a bounded queue keeps the
	// producers only a little ahead of the writer.
	order := make(chan chan result, 2*runtime.GOMAXPROCS(0))
	futures := make([]chan result, chunks)
	for i := range futures {
		futures[i] = make(chan result, 1)
	}
	go func() {
		defer close(order)
		defer close(jobs)
		for i := range chunks {
			select {
			case order <- futures[i]:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range runtime.GOMAXPROCS(0) {
		go func() {
			gen := NewGenerator(opts.Seed)
			for chunk := range jobs {
				first := chunk * chunkTopics
				last := min(first+chunkTopics, opts.Topics)
				generated := make([]Topic, 0, last-first)
				for i := first; i < last; i++ {
					generated = append(generated, gen.Topic(i, opts.Replies, len(userIDs), opts.Now))
				}
				topics, err := importTopics(generated, userIDs, boardIDs, md, nil)
				futures[chunk] <- result{topics, err}
			}
		}()
	}

	// On a fresh PostgreSQL database the chunks go in one transaction with
	// the posts' indexes and keys made once at the end (models.BulkLoad).
	return store.BulkLoad(ctx, func(st *models.Store) error {
		written := 0
		for future := range order {
			var r result
			select {
			case r = <-future:
			case <-ctx.Done():
				return ctx.Err()
			}
			if r.err != nil {
				return r.err
			}
			if err := st.ImportTopics(ctx, r.topics); err != nil {
				return err
			}
			for _, t := range r.topics {
				written += len(t.Posts)
			}
			if opts.Progress != nil {
				opts.Progress(written)
			}
		}
		return nil
	})
}

// importTopics renders topics for the store. episodes, the demo's show by
// GUID, is nil for synthetic topics: the demo's also get their links
// recorded, their case summaries, and their episodes with times in posts
// that play them.
func importTopics(topics []Topic, userIDs, boardIDs []int64, md *markdown.Renderer, episodes map[string]models.PodcastEpisode) ([]models.ImportTopic, error) {
	out := make([]models.ImportTopic, len(topics))
	for i, t := range topics {
		it := models.ImportTopic{BoardID: boardIDs[t.Board], Kind: models.KindDiscussion,
			Title: t.Title, Tags: t.Tags, Pinned: t.Pinned}
		audio := ""
		if t.Episode != "" {
			ep, ok := episodes[t.Episode]
			if !ok {
				return nil, fmt.Errorf("topic %q discusses episode %q, which the show does not have", t.Title, t.Episode)
			}
			it.Kind, it.EpisodeID, audio = models.KindPodcast, ep.ID, ep.AudioURL
		}
		if t.Case != nil {
			it.Case = t.Case.summary()
			it.Case.AttestedByID, it.Case.AttestedAt = userIDs[t.Posts[0].Author], t.Posts[0].At
		}
		it.Posts = make([]models.ImportPost, len(t.Posts))
		for j, p := range t.Posts {
			content, err := md.Render(p.Body, markdown.WithTimestamps(audio))
			if err != nil {
				return nil, fmt.Errorf("render post %d of %q: %w", j+1, t.Title, err)
			}
			post := models.ImportPost{AuthorID: userIDs[p.Author], Source: p.Body, Cooked: content.HTML, Plain: content.Plain, At: p.At}
			if episodes != nil {
				found := content.Links
				if j == 0 && t.Case != nil && t.Case.SourceURL != "" {
					// As the case form does: the case's own link first.
					if l, ok := links.FromURL(t.Case.SourceURL); ok {
						found = links.Merge([]links.Link{l}, found)
					}
				}
				for _, l := range found {
					post.Links = append(post.Links, models.PostLink{URL: l.URL, Kind: l.Kind, DOI: l.DOI, PMID: l.PMID})
				}
			}
			it.Posts[j] = post
		}
		out[i] = it
	}
	return out, nil
}

func createMembers(ctx context.Context, store *models.Store, members []Member, now time.Time) ([]int64, error) {
	ids := make([]int64, len(members))
	for i, m := range members {
		u := &models.User{Username: m.Username, DisplayName: m.DisplayName, Profession: m.Profession,
			Specialty: m.Specialty, Status: models.StatusVerified, CreatedAt: now, UpdatedAt: now}
		if err := store.CreateUser(ctx, u); err != nil {
			return nil, err
		}
		ids[i] = u.ID
	}
	return ids, nil
}

func createBoards(ctx context.Context, store *models.Store, boards []Board, now time.Time) ([]int64, error) {
	ids := make([]int64, len(boards))
	for i, b := range boards {
		board := &models.Board{Slug: b.Slug, Title: b.Title, Description: b.Description, Position: i, CreatedAt: now}
		if err := store.CreateBoard(ctx, board); err != nil {
			return nil, err
		}
		ids[i] = board.ID
	}
	return ids, nil
}

// ensureMembers reuses members that an earlier seed made, so seeding twice
// adds topics rather than failing on taken usernames. It looks them up in
// one query and creates the rest with multi-row inserts, in one
// transaction.
func ensureMembers(ctx context.Context, store *models.Store, members []Member, now time.Time) ([]int64, error) {
	ids := make([]int64, len(members))
	err := store.InTransaction(ctx, func(tx *models.Store) error {
		names := make([]string, len(members))
		for i, m := range members {
			names[i] = m.Username
		}
		found, err := tx.UserIDsByUsername(ctx, names)
		if err != nil {
			return err
		}
		var created []*models.User
		var at []int
		for i, m := range members {
			if id, ok := found[m.Username]; ok {
				ids[i] = id
				continue
			}
			created = append(created, &models.User{Username: m.Username, DisplayName: m.DisplayName, Profession: m.Profession,
				Specialty: m.Specialty, Status: models.StatusVerified, CreatedAt: now, UpdatedAt: now})
			at = append(at, i)
		}
		if err := tx.ImportUsers(ctx, created); err != nil {
			return err
		}
		for j, u := range created {
			ids[at[j]] = u.ID
		}
		return nil
	})
	return ids, err
}

// ensureBoards reuses boards that an earlier seed made.
func ensureBoards(ctx context.Context, store *models.Store, boards []Board, now time.Time) ([]int64, error) {
	return ensure(ctx, store, boards,
		func(tx *models.Store, b Board) (int64, error) {
			board, err := tx.BoardBySlug(ctx, b.Slug)
			if err != nil {
				return 0, err
			}
			return board.ID, nil
		},
		func(tx *models.Store, b Board) ([]int64, error) { return createBoards(ctx, tx, []Board{b}, now) })
}

// ensure finds each item or creates it, in one transaction, and returns
// their IDs in order.
func ensure[T any](ctx context.Context, store *models.Store, items []T,
	find func(*models.Store, T) (int64, error), create func(*models.Store, T) ([]int64, error)) ([]int64, error) {
	ids := make([]int64, len(items))
	err := store.InTransaction(ctx, func(tx *models.Store) error {
		for i, item := range items {
			id, err := find(tx, item)
			if errors.Is(err, models.ErrNotFound) {
				created, err := create(tx, item)
				if err != nil {
					return err
				}
				id = created[0]
			} else if err != nil {
				return err
			}
			ids[i] = id
		}
		return nil
	})
	return ids, err
}

// fileReports files the community's reports on its imported posts.
func fileReports(ctx context.Context, tx *models.Store, c Community, userIDs []int64) error {
	for _, r := range c.Reports {
		var postID int64
		err := tx.DB().WithContext(ctx).Raw(`SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id
			WHERE t.title = ? AND p.number = ?`, c.Topics[r.Topic].Title, r.Number).Scan(&postID).Error
		if err != nil {
			return fmt.Errorf("find post %d of %q to report: %w", r.Number, c.Topics[r.Topic].Title, err)
		}
		if postID == 0 {
			return fmt.Errorf("find post %d of %q to report: no such post", r.Number, c.Topics[r.Topic].Title)
		}
		_, err = tx.FlagPost(ctx, models.NewFlag{PostID: postID, ReporterID: userIDs[r.Reporter],
			Reason: models.FlagReason(r.Reason), Note: r.Note})
		if err != nil {
			return err
		}
	}
	return nil
}

// settleTopics does what members did after the demo's discussions: marks
// the answers their authors chose, posts the outcomes of cases, and adds
// the polls with their votes, through the store as the site does.
func settleTopics(ctx context.Context, tx *models.Store, md *markdown.Renderer, c Community, userIDs []int64) error {
	for _, t := range c.Topics {
		if t.Answer == 0 && t.Outcome == nil && t.Poll == nil {
			continue
		}
		var topic models.Topic
		if err := tx.DB().WithContext(ctx).Where("title = ?", t.Title).Take(&topic).Error; err != nil {
			return fmt.Errorf("find the demo topic %q: %w", t.Title, err)
		}
		if t.Answer != 0 {
			postID, err := demoPostID(ctx, tx, topic.ID, t.Answer)
			if err != nil {
				return err
			}
			if err := tx.MarkAnswer(ctx, topic.ID, postID, topic.AuthorID, false); err != nil {
				return err
			}
		}
		if t.Outcome != nil {
			content, err := md.Render(t.Outcome.Body)
			if err != nil {
				return fmt.Errorf("render the outcome of %q: %w", t.Title, err)
			}
			_, err = tx.SaveOutcome(ctx, models.OutcomeWrite{TopicID: topic.ID, AuthorID: topic.AuthorID,
				OutcomeOn:   t.Outcome.On.Format(models.OutcomeDateLayout),
				PostContent: models.PostContent{Source: t.Outcome.Body, Cooked: content.HTML, Plain: content.Plain}})
			if err != nil {
				return err
			}
		}
		if p := t.Poll; p != nil {
			postID, err := demoPostID(ctx, tx, topic.ID, p.Number)
			if err != nil {
				return err
			}
			pollID, err := tx.CreatePoll(ctx, models.NewPoll{PostID: postID, AuthorID: userIDs[t.Posts[p.Number-1].Author],
				Question: p.Question, Options: p.Options})
			if err != nil {
				return err
			}
			var options []int64
			if err := tx.DB().WithContext(ctx).Raw(`SELECT id FROM poll_options WHERE poll_id = ? ORDER BY position`,
				pollID).Scan(&options).Error; err != nil {
				return fmt.Errorf("read the options of the poll on %q: %w", t.Title, err)
			}
			for _, v := range p.Votes {
				if err := tx.Vote(ctx, postID, userIDs[v.Member], []int64{options[v.Option]}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// demoPostID finds the post numbered number in a demo topic.
func demoPostID(ctx context.Context, tx *models.Store, topicID int64, number int) (int64, error) {
	var id int64
	err := tx.DB().WithContext(ctx).Raw(`SELECT id FROM posts WHERE topic_id = ? AND number = ?`, topicID, number).Scan(&id).Error
	if err == nil && id == 0 {
		err = errors.New("no such post")
	}
	if err != nil {
		return 0, fmt.Errorf("find post %d of topic %d: %w", number, topicID, err)
	}
	return id, nil
}

// startConsults writes the demo's private consults through the store, as
// their members would, then dates them as the community says.
func startConsults(ctx context.Context, tx *models.Store, md *markdown.Renderer, c Community, userIDs []int64) error {
	for _, dc := range c.Consults {
		var consultID int64
		for i, m := range dc.Messages {
			content, err := md.Render(m.Body)
			if err != nil {
				return fmt.Errorf("render a message of the consult %q: %w", dc.Subject, err)
			}
			pc := models.PostContent{Source: m.Body, Cooked: content.HTML, Plain: content.Plain}
			var messageID int64
			if i == 0 {
				others := make([]int64, 0, len(dc.Members)-1)
				for _, member := range dc.Members[1:] {
					others = append(others, userIDs[member])
				}
				consult, err := tx.StartConsult(ctx, models.NewConsult{StarterID: userIDs[dc.Members[0]], Subject: dc.Subject,
					MemberIDs: others, PostContent: pc})
				if err != nil {
					return err
				}
				consultID = consult.ID
				if err := tx.DB().WithContext(ctx).Model(&models.Consult{}).Where("id = ?", consultID).
					Update("created_at", m.At).Error; err != nil {
					return fmt.Errorf("date the consult %q: %w", dc.Subject, err)
				}
				if err := tx.DB().WithContext(ctx).Model(&models.ConsultMember{}).Where("consult_id = ?", consultID).
					Update("joined_at", m.At).Error; err != nil {
					return fmt.Errorf("date the consult %q: %w", dc.Subject, err)
				}
				if err := tx.DB().WithContext(ctx).Raw(`SELECT MAX(id) FROM consult_messages WHERE consult_id = ?`,
					consultID).Scan(&messageID).Error; err != nil {
					return fmt.Errorf("find the first message of the consult %q: %w", dc.Subject, err)
				}
			} else {
				msg, err := tx.AddConsultMessage(ctx, consultID, userIDs[m.Author], pc)
				if err != nil {
					return err
				}
				messageID = msg.ID
			}
			if err := tx.DB().WithContext(ctx).Model(&models.ConsultMessage{}).Where("id = ?", messageID).
				Update("created_at", m.At).Error; err != nil {
				return fmt.Errorf("date a message of the consult %q: %w", dc.Subject, err)
			}
			if err := tx.DB().WithContext(ctx).Model(&models.ConsultNotification{}).Where("message_id = ?", messageID).
				Update("created_at", m.At).Error; err != nil {
				return fmt.Errorf("date a notification of the consult %q: %w", dc.Subject, err)
			}
			if err := tx.DB().WithContext(ctx).Model(&models.Consult{}).Where("id = ?", consultID).
				Update("last_message_at", m.At).Error; err != nil {
				return fmt.Errorf("date the consult %q: %w", dc.Subject, err)
			}
		}
	}
	return nil
}
