package models_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// The topic page's hand-scanned reads (TopicByID, PostsInTopic) give what
// plain GORM reads of the same rows give, for a topic with a bit of
// everything: tags out of order, link cards ready and pending, reactions,
// images, a poll, an answer, and anonymous, edited, hidden and deleted
// posts. What they leave out on purpose (a deleted post's content, reactions
// and media; an anonymous post's author; the text the page does not show)
// is left out of the plain reads here too, and times are to the second.
func TestTopicPageReadsMatchPlainReads(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f := newFixture(t, store)
		third := modelstest.Verified("lindqvist", "Dr. Erik Lindqvist").Specialty("Cardiology").Make(t, store)
		mod := modelstest.Verified("moreau", "Dr. Claire Moreau").Specialty("Emergency Medicine").Moderator().Make(t, store)
		q := &queued{}
		store.SetJobs(q)
		content := func(text string) models.PostContent {
			return models.PostContent{Source: text, Cooked: "<p>" + text + "</p>", Plain: text}
		}
		opening := content("see a, b and c")
		opening.Links = q.links("https://a.example/x", "https://b.example/y", "https://c.example/z")
		topic, first, err := store.CreateTopic(ctx, models.NewTopic{BoardID: f.board.ID, AuthorID: f.author.ID,
			Title: "Anticoagulation after a bleed", Tags: []string{"zeta", "afib", "ecg-12", "ecg"}, PostContent: opening})
		if err != nil {
			t.Fatal(err)
		}
		ids := q.take()
		fetchCards(t, store, ids[2], ids[0]) // c and a; b stays pending
		reply := func(author *models.User, c models.PostContent, anonymous bool) *models.Post {
			t.Helper()
			p, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: author.ID, PostContent: c, Anonymous: anonymous})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		img := func(name string, w int) models.PostImage {
			return models.PostImage{Name: name, Alt: "film " + name, ContentType: "image/png", Width: 800, Height: 600,
				PageWidth: 800, PageHeight: 600, ThumbWidth: w, ThumbHeight: 240, DICOM: name == "bbbb"}
		}
		answer := reply(f.peer, content("metoprolol first"), false)
		films := content("the films")
		films.Images = []models.PostImage{img("aaaa", 320), img("bbbb", 300)}
		withImages := reply(third, films, false)
		anonymous := reply(f.peer, content("I would not restart it"), true)
		edited := reply(third, content("first thoughts"), false)
		if _, err := store.EditPost(ctx, models.PostEdit{PostID: edited.ID, EditorID: third.ID, BaseVersion: 1,
			PostContent: content("second thoughts")}); err != nil {
			t.Fatal(err)
		}
		hidden := reply(third, content("off topic"), false)
		if err := store.HidePost(ctx, hidden.ID, mod.ID, "Off topic"); err != nil {
			t.Fatal(err)
		}
		gone := content("gone")
		gone.Images = []models.PostImage{img("cccc", 320)}
		gone.Links = q.links("https://a.example/x")
		deleted := reply(f.peer, gone, false)
		withPoll := reply(f.author, content("a vote"), false)
		if _, err := store.CreatePoll(ctx, models.NewPoll{PostID: withPoll.ID, AuthorID: f.author.ID, Question: "Restart when?",
			Options: []string{"Day 7", "Day 14"}}); err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct {
			user *models.User
			post int64
			kind models.ReactionKind
		}{{f.peer, first.ID, models.ReactThanks}, {third, first.ID, models.ReactHelpful}, {f.author, answer.ID, models.ReactThanks},
			{third, answer.ID, models.ReactThanks}, {f.author, hidden.ID, models.ReactAgree}, {third, deleted.ID, models.ReactAgree}} {
			if _, err := store.ToggleReaction(ctx, r.user.ID, r.post, r.kind); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.DeletePost(ctx, deleted.ID, f.peer.ID); err != nil {
			t.Fatal(err)
		}
		if err := store.MarkAnswer(ctx, topic.ID, answer.ID, f.author.ID, false); err != nil {
			t.Fatal(err)
		}

		posts, err := store.PostsInTopic(ctx, topic.ID, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		want := plainPostViews(t, store, topic.ID)
		if len(posts) != len(want) {
			t.Fatalf("%d posts, want %d", len(posts), len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(posts[i], want[i]) {
				t.Errorf("post %d:\n got %+v\nwant %+v", want[i].Number, posts[i], want[i])
			}
		}
		// A page in the middle reads the same posts as the whole.
		middle, err := store.PostsInTopic(ctx, topic.ID, 3, 5)
		if err != nil || !reflect.DeepEqual(middle, want[2:5]) {
			t.Errorf("posts 3-5: %+v, %v; want %+v", middle, err, want[2:5])
		}
		// The fixture made what it says: the comparison above covers each kind.
		byNumber := func(p *models.Post) models.PostView { return posts[p.Number-1] }
		if p := byNumber(anonymous); !p.Anonymous || p.AuthorName != "" || p.AuthorUsername != "" {
			t.Errorf("anonymous post %+v: want no author", p)
		}
		if p := byNumber(withImages); len(p.Images) != 2 || !p.Images[1].DICOM {
			t.Errorf("post with images has %+v", p.Images)
		}
		if p := byNumber(edited); !p.IsEdited() || p.Cooked != "<p>second thoughts</p>" {
			t.Errorf("edited post %+v", p)
		}
		if p := byNumber(hidden); !p.IsHidden() || p.HiddenReason != "Off topic" || p.Cooked == "" || len(p.Reactions) != 1 {
			t.Errorf("hidden post %+v: want it hidden, with its content and reaction for moderators", p)
		}
		if p := byNumber(deleted); !p.IsDeleted() || p.Cooked != "" || p.Reactions != nil || p.Images != nil || p.Previews != nil {
			t.Errorf("deleted post %+v: want a tombstone", p)
		}
		if p := byNumber(first); len(p.Previews) != 2 || len(p.Reactions) != 2 {
			t.Errorf("opening post has cards %+v and reactions %+v: want two of each", p.Previews, p.Reactions)
		}

		got, err := store.TopicByID(ctx, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		if wantTopic := plainTopicSummary(t, store, topic.ID); !reflect.DeepEqual(got, wantTopic) {
			t.Errorf("topic:\n got %+v\nwant %+v", got, wantTopic)
		}
		if !got.HasPolls || !got.Answered || !slices.Equal(got.Tags, []string{"afib", "ecg", "ecg-12", "zeta"}) {
			t.Errorf("topic has polls %v, answered %v, tags %v: want a poll, an answer and the tags in order",
				got.HasPolls, got.Answered, got.Tags)
		}
	})
}

// plainPostViews reads a topic's posts as PostsInTopic gives them, with
// GORM and the store's other reads.
func plainPostViews(t *testing.T, store *models.Store, topicID int64) []models.PostView {
	t.Helper()
	ctx := context.Background()
	var rows []models.Post
	if err := store.DB().WithContext(ctx).Where("topic_id = ?", topicID).Order("number").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	reactions, err := store.ReactionsOn(ctx, 0, ids)
	if err != nil {
		t.Fatal(err)
	}
	images, err := store.ImagesOfPosts(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	cards, err := store.ReadyPreviews(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	second := func(at *time.Time) *time.Time {
		if at == nil {
			return nil
		}
		s := at.Truncate(time.Second).UTC()
		return &s
	}
	views := make([]models.PostView, len(rows))
	for i, p := range rows {
		v := models.PostView{Post: p}
		// The page shows neither the source nor the plain text.
		v.Source, v.Plain = "", ""
		v.CreatedAt, v.UpdatedAt = *second(&p.CreatedAt), *second(&p.UpdatedAt)
		v.DeletedAt, v.HiddenAt = second(p.DeletedAt), second(p.HiddenAt)
		if !p.Anonymous {
			author, err := store.UserByID(ctx, p.AuthorID)
			if err != nil {
				t.Fatal(err)
			}
			v.AuthorUsername, v.AuthorName, v.AuthorSpecialty = author.Username, author.DisplayName, author.Specialty
		}
		if p.IsDeleted() {
			v.Cooked = ""
		} else {
			v.Reactions = reactions[p.ID]
			for _, im := range images[p.ID] {
				v.Images = append(v.Images, models.PostImage{PostID: im.PostID, Position: im.Position, ThumbWidth: im.ThumbWidth,
					ThumbHeight: im.ThumbHeight, DICOM: im.DICOM, Name: im.Name, Alt: im.Alt})
			}
			for _, c := range cards[p.ID] {
				v.Previews = append(v.Previews, models.LinkPreview{URL: c.URL, Kind: c.Kind, Status: c.Status, Title: c.Title,
					Description: c.Description, SiteName: c.SiteName, ImageURL: c.ImageURL, Journal: c.Journal, Year: c.Year,
					Authors: c.Authors, DOI: c.DOI, PMID: c.PMID})
			}
		}
		views[i] = v
	}
	return views
}

// plainTopicSummary reads a topic as TopicByID gives it, with GORM.
func plainTopicSummary(t *testing.T, store *models.Store, topicID int64) *models.TopicSummary {
	t.Helper()
	ctx := context.Background()
	db := store.DB().WithContext(ctx)
	var s models.TopicSummary
	if err := db.Take(&s.Topic, topicID).Error; err != nil {
		t.Fatal(err)
	}
	author, err := store.UserByID(ctx, s.AuthorID)
	if err != nil {
		t.Fatal(err)
	}
	board, err := store.BoardByID(ctx, s.BoardID)
	if err != nil {
		t.Fatal(err)
	}
	var opening models.Post
	if err := db.Where("topic_id = ? AND number = 1", topicID).Take(&opening).Error; err != nil {
		t.Fatal(err)
	}
	s.BoardSlug, s.BoardTitle = board.Slug, board.Title
	s.Anonymous, s.AnonymousAs, s.OpenerHidden = opening.Anonymous, opening.AnonymousAs, opening.IsHidden()
	if !opening.Anonymous {
		s.AuthorName, s.AuthorSpecialty = author.DisplayName, author.Specialty
	}
	if s.AnswerPostID != nil {
		var answer models.Post
		if err := db.Take(&answer, *s.AnswerPostID).Error; err != nil {
			t.Fatal(err)
		}
		s.Answered = !answer.IsDeleted() && !answer.IsHidden()
	}
	if s.Kind == models.KindCase {
		var n int64
		if err := db.Table("case_outcomes").Where("topic_id = ?", topicID).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		s.HasOutcome = n > 0
	}
	tags, err := store.TagsForTopics(ctx, []int64{topicID})
	if err != nil {
		t.Fatal(err)
	}
	s.Tags = tags[topicID]
	return &s
}

// fetchCards makes the link previews with these ids ready, as a fetch
// would: titled "Card <url>", from 2024.
func fetchCards(t *testing.T, store *models.Store, ids ...int64) {
	t.Helper()
	ctx := context.Background()
	now := store.Now()
	for _, id := range ids {
		p, err := store.LinkPreviewByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		p.Status, p.Title, p.Description, p.Year, p.Journal, p.FetchedAt = models.PreviewReady, "Card "+p.URL, "About it", 2024, "NEJM", &now
		if err := store.SaveLinkPreview(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
}
