package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// The segment format a rebuild writes and merges: named to Bleve's builder
// so that the segments it writes are the ones mergeParts reads, whatever
// Bleve's default becomes.
const (
	zapType    = "zap"
	zapVersion = 17
)

var zapPlugin = &zap.ZapPlugin{}

// shardBuild writes one shard of a rebuilt index as parts of up to
// seg.part posts: each part is an offline builder of its own, whose
// segments are merged into one when the part is full, while the other
// shard goes on building on the other core. When every post is in, the
// parts are merged into the shard's one segment.
//
// Zapx's merge compares each term with every merged segment's current
// term, and most of an index's terms (ids, the newest keys, and before
// mapping version 9 the dates' finer precisions) belong to one post each,
// so merging a million posts' 1,000 segments in one pass cost 18 % of a
// rebuild's CPU in those comparisons alone, on one core while the other
// waited. In parts, each term is compared with a part's segments and then
// with the parts, far fewer, and the parts' merges run beside the other
// shard's building; the price is that each posting is written twice.
//
// The first part is built in the shard's own folder, so its root.bolt
// (which names the segment file and its format, nothing of its contents)
// serves the merged segment that replaces its own.
type shardBuild struct {
	path  string // the index being built
	shard int
	m     mapping.IndexMapping
	seg   segments

	cur   bleve.Builder // the part being written, nil between parts
	posts int           // posts given to cur
	parts []string      // the finished parts' folders, in order
}

// partPath is the folder of the shard's k-th part; the first is the
// shard's own.
func (b *shardBuild) partPath(k int) string {
	if k == 0 {
		return shardPath(b.path, b.shard)
	}
	return filepath.Join(b.path, fmt.Sprintf("part-%d-%d", b.shard, k))
}

// index adds a post to the shard, in the order of the shard's posts.
func (b *shardBuild) index(id string, doc document) error {
	if b.cur == nil {
		cur, err := bleve.NewBuilder(b.partPath(len(b.parts)), b.m, map[string]interface{}{
			"batchSize": b.seg.batch,
			"mergeMax":  b.seg.mergeMax,
			// Segments are written and merged inside the folder being
			// built, so a failed rebuild leaves nothing elsewhere and the
			// merged segment moves into its part with a rename.
			"buildPathPrefix":     b.path,
			"forceSegmentType":    zapType,
			"forceSegmentVersion": zapVersion,
		})
		if err != nil {
			return fmt.Errorf("start building shard %d: %w", b.shard, err)
		}
		b.cur, b.posts = cur, 0
	}
	if err := b.cur.Index(id, doc); err != nil {
		return err
	}
	b.posts++
	if b.seg.part > 0 && b.posts >= b.seg.part {
		return b.closePart()
	}
	return nil
}

// empty says whether the shard was given no post: a builder cannot
// finish without one.
func (b *shardBuild) empty() bool { return b.cur == nil && len(b.parts) == 0 }

// closePart writes the part being built and merges its segments into one.
func (b *shardBuild) closePart() error {
	if b.cur == nil {
		return nil
	}
	err := b.cur.Close()
	b.cur = nil
	if err != nil {
		return err
	}
	b.parts = append(b.parts, b.partPath(len(b.parts)))
	return nil
}

// mergeParts merges the finished parts, in order, into the first part's
// segment, leaving the shard one segment whose documents are in the order
// they were given, as one builder would have written them.
func (b *shardBuild) mergeParts(ctx context.Context) error {
	if len(b.parts) < 2 {
		return nil
	}
	files := make([]string, len(b.parts))
	for i, p := range b.parts {
		f, err := partSegment(p)
		if err != nil {
			return err
		}
		files[i] = f
	}
	segs := make([]segment.Segment, 0, len(files))
	closeAll := func() error {
		var first error
		for _, s := range segs {
			if err := s.Close(); err != nil && first == nil {
				first = err
			}
		}
		segs = nil
		return first
	}
	defer closeAll()
	for _, f := range files {
		s, err := zapPlugin.Open(f)
		if err != nil {
			return fmt.Errorf("open part %s: %w", f, err)
		}
		segs = append(segs, s)
	}
	stop := make(chan struct{})
	defer context.AfterFunc(ctx, func() { close(stop) })()
	merged := files[0] + ".merged"
	if _, _, err := zapPlugin.Merge(segs, make([]*roaring.Bitmap, len(segs)), merged, stop, nil); err != nil {
		_ = os.Remove(merged)
		return fmt.Errorf("merge shard %d's parts: %w", b.shard, err)
	}
	if err := closeAll(); err != nil {
		return err
	}
	if err := os.Rename(merged, files[0]); err != nil {
		return err
	}
	for _, p := range b.parts[1:] {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	b.parts = b.parts[:1]
	return nil
}

// partSegment is the one segment file a finished part holds.
func partSegment(part string) (string, error) {
	files, err := filepath.Glob(filepath.Join(part, "store", "*.zap"))
	if err != nil {
		return "", err
	}
	if len(files) != 1 {
		return "", fmt.Errorf("part %s holds %d segments, not one", part, len(files))
	}
	return files[0], nil
}
