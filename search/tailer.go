package search

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"rounds/models"
)

// How much of the outbox is read and applied at a time.
const (
	readBatch  = 500
	applyBatch = 500
)

// CatchUp applies every outbox entry the index has not seen and returns how
// many it applied. Applying an entry reads the post or topic as the database
// has it now, so entries may be applied twice or out of order without harm.
//
// Ids are handed out when a transaction inserts its entry, not when it
// commits, so on PostgreSQL entry 7 may become visible after entry 8. The
// position kept in the index is the last id with nothing missing before it;
// entries above it that were applied are remembered, and a missing id is
// waited for until gapGrace has passed since the entries after it were
// written (a transaction that rolled back leaves a hole that never fills).
func (x *Index) CatchUp(ctx context.Context) (int, error) {
	if !x.Status().Ready {
		return 0, ErrRebuilding
	}
	if err := x.checkOutboxKept(ctx); err != nil {
		return 0, err
	}
	applied := 0
	for {
		fresh, err := x.unseen(ctx)
		if err != nil {
			return applied, err
		}
		if len(fresh) == 0 {
			// Nothing new, but time may have closed a gap, or average
			// lengths measured here are to be kept.
			if next := x.advance(nil, time.Now()); next != x.position || x.lengthUnsaved() {
				batch := x.newBatch()
				if batch == nil {
					return applied, ErrRebuilding
				}
				if err := x.commit(ctx, batch, nil, next); err != nil {
					return applied, err
				}
			}
			return applied, nil
		}
		if err := x.apply(ctx, fresh); err != nil {
			return applied, err
		}
		applied += len(fresh)
		if len(fresh) < applyBatch {
			return applied, nil
		}
	}
}

// lengthUnsaved says whether this process measured average lengths that
// the open index does not keep yet.
func (x *Index) lengthUnsaved() bool {
	x.mu.RLock()
	name := x.name
	x.mu.RUnlock()
	_, ok := x.length.unsavedLength(name)
	return ok
}

// checkOutboxKept sends an index that fell further behind than the outbox
// keeps back to be rebuilt.
func (x *Index) checkOutboxKept(ctx context.Context) error {
	oldest, err := x.store.OutboxOldest(ctx)
	if err != nil {
		return err
	}
	if oldest > x.position+1 {
		x.setReason(fmt.Sprintf("the search index is behind what the outbox keeps (at %d, outbox starts at %d)", x.position, oldest))
		return ErrRebuilding
	}
	return nil
}

// unseen reads up to applyBatch outbox entries after the position that have
// not been applied yet.
func (x *Index) unseen(ctx context.Context) ([]models.OutboxEntry, error) {
	var fresh []models.OutboxEntry
	cursor := x.position
	for len(fresh) < applyBatch {
		entries, err := x.store.OutboxAfter(ctx, cursor, readBatch)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if _, ok := x.seen[e.ID]; !ok && len(fresh) < applyBatch {
				fresh = append(fresh, e)
			}
			cursor = e.ID
		}
		if len(entries) < readBatch {
			break
		}
	}
	return fresh, nil
}

// advance works out the position once entries are applied: the last id
// with every id before it applied or given up on.
func (x *Index) advance(entries []models.OutboxEntry, now time.Time) int64 {
	seen := make(map[int64]time.Time, len(x.seen)+len(entries))
	for id, at := range x.seen {
		seen[id] = at
	}
	for _, e := range entries {
		seen[e.ID] = e.CreatedAt
	}
	position := x.position
	for len(seen) > 0 {
		if _, ok := seen[position+1]; ok {
			delete(seen, position+1)
			position++
			continue
		}
		lowest := int64(-1)
		for id := range seen {
			if lowest < 0 || id < lowest {
				lowest = id
			}
		}
		if now.Sub(seen[lowest]) < gapGrace {
			break
		}
		position = lowest - 1 // give up on the hole below lowest
	}
	return position
}

// apply indexes the current state of what the entries point at, and moves
// the position in the same batch.
func (x *Index) apply(ctx context.Context, entries []models.OutboxEntry) error {
	postSet, topicSet := map[int64]int64{}, map[int64]bool{}
	for _, e := range entries {
		if e.PostID != nil {
			postSet[*e.PostID] = e.TopicID
		} else {
			topicSet[e.TopicID] = true
		}
	}
	postIDs, topicIDs := make([]int64, 0, len(postSet)), keys(topicSet)
	for id := range postSet {
		postIDs = append(postIDs, id)
	}
	docs, err := x.store.SearchDocsForPosts(ctx, postIDs)
	if err != nil {
		return err
	}
	topicDocs, err := x.store.SearchDocsForTopics(ctx, topicIDs)
	if err != nil {
		return err
	}
	docs = append(docs, topicDocs...)

	batch := x.newBatch()
	if batch == nil {
		return ErrRebuilding
	}
	found := map[int64]bool{}
	current := map[string]bool{}
	for _, d := range docs {
		found[d.PostID] = true
		id := docID(d.TopicID, d.PostID)
		if d.Visible {
			current[id] = true
			if err := batch.Index(id, toDocument(d)); err != nil {
				return fmt.Errorf("index post %d: %w", d.PostID, err)
			}
		} else {
			batch.Delete(id)
		}
	}
	for id, topicID := range postSet {
		if !found[id] {
			batch.Delete(docID(topicID, id)) // the post is gone from the database
		}
	}
	// Documents the index holds for a topic but the database no longer
	// does, including posts moved to another topic (a move queues both).
	for _, topicID := range topicIDs {
		ids, err := x.docsInTopic(ctx, topicID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if !current[id] {
				batch.Delete(id)
			}
		}
	}
	return x.commit(ctx, batch, entries, x.advance(entries, time.Now()))
}

// commit writes the batch with the new position, then updates what the
// tailer remembers.
func (x *Index) commit(_ context.Context, batch *shardBatch, entries []models.OutboxEntry, position int64) error {
	now := time.Now()
	batch.SetInternal(keyPosition, []byte(strconv.FormatInt(position, 10)))
	batch.SetInternal(keyAppliedAt, []byte(now.UTC().Format(time.RFC3339)))
	if x.failBeforeCommit != nil {
		if err := x.failBeforeCommit(); err != nil {
			return err
		}
	}
	// Searches kept from before the batch are stale from the moment any
	// of it shows, and searches made while it is written may have seen
	// only some of it: the generation goes up before and after (even
	// after a failed batch, which a shard may have taken its part of).
	x.generation.Add(1)
	x.mu.RLock()
	idx, name := x.current, x.name
	// Average lengths measured here go with the batch, so the next start
	// need not measure them again.
	length, unsaved := x.length.unsavedLength(name)
	if unsaved {
		batch.SetInternal(keyLength, length.encode())
	}
	var err error
	if idx == nil {
		err = ErrRebuilding
	} else {
		err = idx.Batch(batch)
	}
	x.mu.RUnlock()
	x.generation.Add(1)
	if err != nil {
		return fmt.Errorf("write search index batch: %w", err)
	}
	if unsaved {
		x.length.savedLength(name, length)
	}
	for _, e := range entries {
		x.seen[e.ID] = e.CreatedAt
	}
	for id := range x.seen {
		if id <= position {
			delete(x.seen, id)
		}
	}
	x.position = position
	return nil
}

// newBatch starts a batch for the open index; nil while there is none.
func (x *Index) newBatch() *shardBatch {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.current == nil {
		return nil
	}
	return x.current.NewBatch()
}

// docsInTopic lists the ids of the documents the index holds for a topic.
func (x *Index) docsInTopic(ctx context.Context, topicID int64) ([]string, error) {
	q := query.NewTermQuery(strconv.FormatInt(topicID, 10))
	q.SetField(fieldTopic)
	var ids []string
	for from := 0; ; from += 1000 {
		req := bleve.NewSearchRequestOptions(q, 1000, from, false)
		req.SortBy([]string{"_id"})
		x.mu.RLock()
		idx := x.current
		var res *bleve.SearchResult
		var err error
		if idx == nil {
			err = ErrRebuilding
		} else {
			res, err = idx.SearchInContext(ctx, req)
		}
		x.mu.RUnlock()
		if err != nil {
			return nil, fmt.Errorf("list topic %d in the search index: %w", topicID, err)
		}
		for _, hit := range res.Hits {
			ids = append(ids, hit.ID)
		}
		if len(res.Hits) < 1000 {
			return ids, nil
		}
	}
}

func keys(set map[int64]bool) []int64 {
	out := make([]int64, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// A document's id is its topic and post, "topic/post": a search learns
// the topic of each hit from its id, without loading anything.
func docID(topicID, postID int64) string {
	return strconv.FormatInt(topicID, 10) + "/" + strconv.FormatInt(postID, 10)
}

func parseDocID(id string) (topicID, postID int64, ok bool) {
	t, p, found := strings.Cut(id, "/")
	if !found {
		return 0, 0, false
	}
	topicID, err1 := strconv.ParseInt(t, 10, 64)
	postID, err2 := strconv.ParseInt(p, 10, 64)
	return topicID, postID, err1 == nil && err2 == nil
}

// toDocument turns a post as the database has it into what the index holds.
func toDocument(d models.SearchDoc) document {
	doc := document{
		Body:    d.Plain,
		Topic:   strconv.FormatInt(d.TopicID, 10),
		Board:   strconv.FormatInt(d.BoardID, 10),
		Kind:    d.Kind,
		Tags:    d.Tags,
		Created: dateTerms(d.CreatedAt),
		Newest:  newestKey(d.CreatedAt),
		Version: float64(d.Version),
	}
	if d.Number == 1 {
		doc.Title = &d.Title
		doc.Body = d.Title + "\n\n" + doc.Body
		if d.Outcome != "" {
			// A case's outcome is found with the case.
			doc.Body += "\n\n" + d.Outcome
		}
	}
	if d.Answered {
		doc.State = append(doc.State, StateAnswered)
	}
	if d.HasOutcome {
		doc.State = append(doc.State, StateOutcome)
	}
	if d.Author != "" {
		doc.Author = &d.Author
	}
	return doc
}
