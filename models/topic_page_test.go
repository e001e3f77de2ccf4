package models_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/url"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"rounds/models"
	"rounds/models/modelstest"
)

// topicPageFixture is a topic of a few posts, one with images, on which a
// member reacted, bookmarked, chose a level, read and drafted a reply.
func topicPageFixture(t *testing.T, store *models.Store) (fixture, *models.Topic) {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t, store)
	topic := f.topic(t, "Apixaban in dialysis", "renal", "anticoagulation")
	opening := openingPost(t, store, topic.ID)
	films := models.PostContent{Source: "The films.", Cooked: "<p>The films.</p>", Plain: "The films."}
	films.Images = []models.PostImage{{Name: "aaaa", Alt: "film", ContentType: "image/png", Width: 800, Height: 600,
		PageWidth: 800, PageHeight: 600, ThumbWidth: 320, ThumbHeight: 240}}
	reply, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.author.ID, PostContent: films})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateReply(ctx, models.NewReply{TopicID: topic.ID, AuthorID: f.author.ID,
		PostContent: models.PostContent{Source: "Half the dose.", Cooked: "<p>Half the dose.</p>"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ToggleReaction(ctx, f.peer.ID, reply.ID, models.ReactHelpful); err != nil {
		t.Fatal(err)
	}
	at := store.Now().Add(time.Hour)
	if _, err := store.SaveBookmark(ctx, f.peer.ID, opening, "", &at); err != nil {
		t.Fatal(err)
	}
	if err := store.SetTopicLevel(ctx, f.peer.ID, topic.ID, models.LevelWatch); err != nil {
		t.Fatal(err)
	}
	if err := store.RecordReadPositions(ctx, []models.ReadPosition{{UserID: f.peer.ID, TopicID: topic.ID, Number: 2, At: at}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveDraft(ctx, f.peer.ID, models.ReplyDraft(topic.ID), url.Values{"body": {"And then?"}}); err != nil {
		t.Fatal(err)
	}
	return f, topic
}

// ReadTopicPage reads what TopicByID, PostsInTopic and ReaderMarksOn read,
// whichever parts it is asked for, and a topic that does not exist is not
// found whatever else was asked.
func TestReadTopicPageReadsWhatEachReadDoes(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		f, topic := topicPageFixture(t, store)
		wantTopic, err := store.TopicByID(ctx, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantPosts, err := store.PostsInTopic(ctx, topic.ID, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		wantMarks, err := store.ReaderMarksOn(ctx, f.peer.ID, topic.ID, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(wantPosts) != 3 || len(wantPosts[1].Images) != 1 || len(wantPosts[1].Reactions) != 1 || wantMarks.ReplyDraft == nil ||
			len(wantMarks.Bookmarked) != 1 || wantMarks.LastRead != 2 || wantMarks.Level != models.LevelWatch {
			t.Fatalf("fixture: posts %+v, marks %+v", wantPosts, wantMarks)
		}
		for _, q := range []models.TopicPageQuery{
			{Topic: true, Posts: true, ReaderID: f.peer.ID},
			{Topic: true},
			{Posts: true},
			{ReaderID: f.peer.ID},
			{Topic: true, ReaderID: f.peer.ID},
			{Posts: true, ReaderID: f.peer.ID},
		} {
			q.TopicID, q.First, q.Last = topic.ID, 1, 20
			got, err := store.ReadTopicPage(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			want := models.TopicPageReads{}
			if q.Topic {
				want.Topic = wantTopic
			}
			if q.Posts {
				want.Posts = wantPosts
			}
			if q.ReaderID != 0 {
				want.Marks = &wantMarks
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%+v:\n got %+v\nwant %+v", q, got, want)
			}
		}
		_, err = store.ReadTopicPage(ctx, models.TopicPageQuery{TopicID: topic.ID + 1000, Topic: true, Posts: true, First: 1, Last: 20,
			ReaderID: f.peer.ID})
		if !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a topic that does not exist: %v, want not found", err)
		}
	})
}

// On PostgreSQL a topic page's reads (the topic, its posts, the reader's
// marks) go to the server together: one round trip, not one a statement.
// Counted in front of the server, as the Sync messages that end each of
// the extended protocol's exchanges.
func TestReadTopicPageIsOneRoundTripOnPostgreSQL(t *testing.T) {
	for _, e := range modelstest.MigratedEngines(t) {
		if e.Name != models.Postgres {
			continue
		}
		store := modelstest.Migrated(t, e)
		ctx := context.Background()
		f, topic := topicPageFixture(t, store)
		counter := startSyncCounter(t, e.DatabaseURL)
		proxied, err := models.Open(ctx, counter.url, t.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := proxied.Close(); err != nil {
				t.Error(err)
			}
		})
		pool, err := proxied.DB().DB()
		if err != nil {
			t.Fatal(err)
		}
		pool.SetMaxOpenConns(1) // one connection: its statements are prepared once, by the first read
		for _, q := range []models.TopicPageQuery{
			{Topic: true, Posts: true, ReaderID: f.peer.ID, First: 1, Last: 20},
			{Topic: true, Posts: true, ReaderID: f.peer.ID, First: 3, Last: 3}, // no images on the page
		} {
			q.TopicID = topic.ID
			if _, err := proxied.ReadTopicPage(ctx, q); err != nil {
				t.Fatal(err)
			}
			before := counter.syncs.Load()
			read, err := proxied.ReadTopicPage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			media := 0
			if q.First == 1 {
				media = 1 // the page's images, read once the posts say there are some
			}
			if n := counter.syncs.Load() - before; n != int64(1+media) {
				t.Errorf("posts %d-%d: %d round trips, want %d", q.First, q.Last, n, 1+media)
			}
			if read.Topic == nil || len(read.Posts) != min(q.Last, 3)-q.First+1 || read.Marks == nil {
				t.Errorf("posts %d-%d: read %+v", q.First, q.Last, read)
			}
		}
	}
}

// syncCounter passes connections through to PostgreSQL and counts the
// Sync messages the clients send.
type syncCounter struct {
	url   string
	syncs atomic.Int64
}

func startSyncCounter(t *testing.T, databaseURL string) *syncCounter {
	t.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	server := u.Host
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() }) // ends the accept loop
	u.Host = ln.Addr().String()
	c := &syncCounter{url: u.String()}
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			upstream, err := net.Dial("tcp", server)
			if err != nil {
				_ = client.Close()
				continue
			}
			go func() {
				_, _ = io.Copy(client, upstream) // ends when either side closes
				_ = client.Close()
			}()
			go func() {
				c.count(client, upstream)
				_ = upstream.Close()
			}()
		}
	}()
	return c
}

// count copies the client's messages to the server: first the untyped
// start-up (and any encryption request before it), then typed messages,
// counting each Sync ('S').
func (c *syncCounter) count(client io.Reader, server io.Writer) {
	r := bufio.NewReader(client)
	var head [5]byte
	for untyped := true; ; {
		n := 5
		if untyped {
			n = 4
		}
		if _, err := io.ReadFull(r, head[:n]); err != nil {
			return
		}
		size := binary.BigEndian.Uint32(head[n-4 : n])
		body := make([]byte, size-4)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		if untyped {
			// An SSL or GSS encryption request is followed by another
			// untyped message; the start-up message by typed ones.
			code := uint32(0)
			if len(body) >= 4 {
				code = binary.BigEndian.Uint32(body[:4])
			}
			untyped = code == 80877103 || code == 80877104
		} else if head[0] == 'S' {
			c.syncs.Add(1)
		}
		if _, err := server.Write(append(head[:n:n], body...)); err != nil {
			return
		}
	}
}
