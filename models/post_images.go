package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// PostImage is an image attached to a post: de-identified and re-encoded
// before anyone saw it, its sizes kept in the blob store under
// ImageBlobPrefix(Name). Name is 128 random bits in hex, so an image's
// address cannot be guessed; whoever has it still passes the permission
// check of the post.
type PostImage struct {
	ID       int64
	PostID   int64
	Name     string
	Position int
	// Alt is the author's description, shown to screen readers and
	// indexed with the post.
	Alt         string
	ContentType string // of every size: image/jpeg or image/png
	Width       int    // the full view
	Height      int
	PageWidth   int
	PageHeight  int
	ThumbWidth  int
	ThumbHeight int
	// DICOM says a de-identified DICOM file is kept for download too.
	DICOM     bool `gorm:"column:dicom"`
	CreatedAt time.Time
}

// ImageBlobPrefix is where the blob store keeps every size of an image:
// deleting the prefix deletes them all.
func ImageBlobPrefix(name string) string { return "images/" + name + "/" }

// StagedImage is an upload waiting in a member's composer, at most an hour:
// its bytes in the blob store's staging area under Ticket, and State, what
// the app found in it and the member drew on it, as the app writes it.
type StagedImage struct {
	ID        int64
	UserID    int64
	Ticket    string
	State     string
	CreatedAt time.Time
}

// StagedImageTTL is how long a staged upload may wait for its post: the
// blob store's staging area keeps its bytes an hour, and the record goes a
// minute sooner, so the bytes are there whenever the record is.
const StagedImageTTL = time.Hour - time.Minute

// StageImage records a member's staged upload.
func (s *Store) StageImage(ctx context.Context, img *StagedImage) error {
	img.CreatedAt = s.Now()
	if err := s.db.WithContext(ctx).Create(img).Error; err != nil {
		return fmt.Errorf("stage image: %w", err)
	}
	return nil
}

// StagedImages returns a member's staged uploads among tickets that have
// not expired, in the order of tickets; another member's and expired ones
// are simply absent.
func (s *Store) StagedImages(ctx context.Context, userID int64, tickets []string) ([]StagedImage, error) {
	if len(tickets) == 0 {
		return nil, nil
	}
	var found []StagedImage
	err := s.db.WithContext(ctx).Where("user_id = ? AND ticket IN ? AND created_at > ?",
		userID, tickets, s.Now().Add(-StagedImageTTL)).Find(&found).Error
	if err != nil {
		return nil, fmt.Errorf("load staged images of member %d: %w", userID, err)
	}
	out := make([]StagedImage, 0, len(found))
	for _, t := range tickets {
		for _, img := range found {
			if img.Ticket == t && !slices.ContainsFunc(out, func(o StagedImage) bool { return o.Ticket == t }) {
				out = append(out, img)
			}
		}
	}
	return out, nil
}

// UpdateStagedImage replaces the state of a member's staged upload.
func (s *Store) UpdateStagedImage(ctx context.Context, userID int64, ticket, state string) error {
	res := s.db.WithContext(ctx).Exec(`UPDATE staged_images SET state = ? WHERE user_id = ? AND ticket = ?`, state, userID, ticket)
	if res.Error != nil {
		return fmt.Errorf("update staged image: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("staged image: %w", ErrNotFound)
	}
	return nil
}

// UnstageImages forgets a member's staged uploads, once posted or removed.
func (s *Store) UnstageImages(ctx context.Context, userID int64, tickets []string) error {
	if len(tickets) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Exec(`DELETE FROM staged_images WHERE user_id = ? AND ticket IN ?`, userID, tickets).Error
	if err != nil {
		return fmt.Errorf("unstage images: %w", err)
	}
	return nil
}

// SweepStagedImages forgets the staged uploads older than the TTL (the
// blob store's staging sweep deletes their bytes) and says how many went.
func (s *Store) SweepStagedImages(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM staged_images WHERE created_at <= ?`, s.Now().Add(-StagedImageTTL))
	if res.Error != nil {
		return 0, fmt.Errorf("sweep staged images: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// PostImageByName loads an attached image by its name.
func (s *Store) PostImageByName(ctx context.Context, name string) (*PostImage, error) {
	return imageByName[PostImage](ctx, s.db, name, "load image")
}

// ImagesOfPosts returns the images of the posts, by post, in order.
func (s *Store) ImagesOfPosts(ctx context.Context, postIDs []int64) (map[int64][]PostImage, error) {
	return imagesOf[PostImage](ctx, s.db, postIDs, "posts")
}

// storedImage is either kind of image Rounds keeps: a post's or a consult
// message's. Both are stored, named and served alike; only what owns them
// differs.
type storedImage interface {
	PostImage | ConsultImage
	// owner is the ID of the post or message the image is on.
	owner() int64
	// ownerColumn is the column that holds it.
	ownerColumn() string
}

func (img PostImage) owner() int64       { return img.PostID }
func (PostImage) ownerColumn() string    { return "post_id" }
func (img ConsultImage) owner() int64    { return img.MessageID }
func (ConsultImage) ownerColumn() string { return "message_id" }

// imageByName loads an image of either kind by its name; what says what
// failed, in an error.
func imageByName[T storedImage](ctx context.Context, db *gorm.DB, name, what string) (*T, error) {
	var img T
	if err := db.WithContext(ctx).Where("name = ?", name).Take(&img).Error; err != nil {
		return nil, notFound(err, what)
	}
	return &img, nil
}

// imagesOf returns the images of the owners (posts or consult messages),
// by owner, each owner's in order; owners names them in an error.
func imagesOf[T storedImage](ctx context.Context, db *gorm.DB, ownerIDs []int64, owners string) (map[int64][]T, error) {
	var zero T
	column := zero.ownerColumn()
	out := map[int64][]T{}
	for chunk := range slices.Chunk(ownerIDs, maxBoundIDs) {
		var imgs []T
		if err := db.WithContext(ctx).Where(column+" IN ?", chunk).Order(column + ", position").Find(&imgs).Error; err != nil {
			return nil, fmt.Errorf("load images of %d %s: %w", len(ownerIDs), owners, err)
		}
		addByOwner(out, imgs)
	}
	return out, nil
}

// addByOwner adds images, in their order, to their owners' lists.
func addByOwner[T storedImage](out map[int64][]T, imgs []T) {
	for _, img := range imgs {
		out[img.owner()] = append(out[img.owner()], img)
	}
}

// attachImages records a new post's images, in its transaction.
func attachImages(tx *gorm.DB, postID int64, images []PostImage, now time.Time) error {
	for i := range images {
		img := images[i]
		img.ID, img.PostID, img.Position, img.CreatedAt = 0, postID, i+1, now
		if err := tx.Create(&img).Error; err != nil {
			return fmt.Errorf("attach image %d: %w", i+1, err)
		}
	}
	return nil
}

// imageNamesOf lists the names of the posts' images, for a purge to delete
// their blobs once it has committed.
func imageNamesOf(tx *gorm.DB, postIDs []int64) ([]string, error) {
	var names []string
	if err := tx.Model(&PostImage{}).Where("post_id IN ?", postIDs).Order("id").Pluck("name", &names).Error; err != nil {
		return nil, fmt.Errorf("list the posts' images: %w", err)
	}
	return names, nil
}

// altSearchDocs adds the alt text of each visible document's images to
// its words, so search finds a post by what its images show.
func (s *Store) altSearchDocs(ctx context.Context, docs []SearchDoc) error {
	var ids []int64
	for _, d := range docs {
		if d.Visible {
			ids = append(ids, d.PostID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	images, err := s.ImagesOfPosts(ctx, ids)
	if err != nil {
		return err
	}
	addAlts(docs, images)
	return nil
}

// altSearchDocsInOrder is altSearchDocs for documents in the order of
// their posts' ids, as a rebuild reads them a page at a time: it reads the
// images of every post from the page's first to its last by range, rather
// than binding each post's id (a statement with a thousand parameters a
// page, which took about 2 % of a rebuild's CPU for posts that mostly
// have no images). Those of posts not in the page are not used.
func (s *Store) altSearchDocsInOrder(ctx context.Context, docs []SearchDoc) error {
	if len(docs) == 0 {
		return nil
	}
	first, last := docs[0].PostID, docs[len(docs)-1].PostID
	var imgs []PostImage
	if err := s.db.WithContext(ctx).Where("post_id BETWEEN ? AND ?", first, last).
		Order("post_id, position").Find(&imgs).Error; err != nil {
		return fmt.Errorf("load images of posts %d to %d: %w", first, last, err)
	}
	images := map[int64][]PostImage{}
	addByOwner(images, imgs)
	addAlts(docs, images)
	return nil
}

// addAlts adds each visible document's images' descriptions to its text.
func addAlts(docs []SearchDoc, images map[int64][]PostImage) {
	for i := range docs {
		imgs := images[docs[i].PostID]
		if len(imgs) == 0 || !docs[i].Visible {
			continue
		}
		var b strings.Builder
		b.WriteString(docs[i].Plain)
		for _, img := range imgs {
			b.WriteString("\n\n")
			b.WriteString(img.Alt)
		}
		docs[i].Plain = b.String()
	}
}

// ImageEdit is what an edit does to a post's images: Keep lists the
// images that stay, by ID, in the order shown, each with its description;
// the post's others are removed. Added are new images, their sizes
// already in the blob store, placed after those kept. After the edit
// commits, Removed names the images it removed, whose sizes the caller
// then deletes from the blob store (never before: an edit that fails
// keeps them).
type ImageEdit struct {
	Keep    []PostImage
	Added   []PostImage
	Removed []string
}

// MaxPostImages bounds the images of one post.
const MaxPostImages = 8

// ErrTooManyImages refuses an edit that would leave a post with more than
// MaxPostImages images.
var ErrTooManyImages = errors.New("too many images")

// editImages applies an image edit in the edit's transaction and says in
// words what changed, for the post's history. An ID in Keep that is not
// one of the post's images is ignored.
func editImages(tx *gorm.DB, postID int64, e *ImageEdit, now time.Time) (string, error) {
	e.Removed = nil
	var old []PostImage
	if err := tx.Where("post_id = ?", postID).Order("position").Find(&old).Error; err != nil {
		return "", fmt.Errorf("load the post's images: %w", err)
	}
	byID := map[int64]PostImage{}
	for _, img := range old {
		byID[img.ID] = img
	}
	var keep []PostImage
	described := 0
	for _, k := range e.Keep {
		img, ok := byID[k.ID]
		if !ok {
			continue
		}
		delete(byID, k.ID)
		if img.Alt != k.Alt {
			described++
			img.Alt = k.Alt
		}
		keep = append(keep, img)
	}
	if len(keep)+len(e.Added) > MaxPostImages {
		return "", ErrTooManyImages
	}
	var gone []int64
	for _, img := range old {
		if _, removed := byID[img.ID]; removed {
			gone = append(gone, img.ID)
			e.Removed = append(e.Removed, img.Name)
		}
	}
	if len(gone) > 0 {
		if err := tx.Exec(`DELETE FROM post_images WHERE id IN ?`, gone).Error; err != nil {
			return "", fmt.Errorf("remove images: %w", err)
		}
	}
	for i, img := range keep {
		err := tx.Exec(`UPDATE post_images SET alt = ?, position = ? WHERE id = ?`, img.Alt, i+1, img.ID).Error
		if err != nil {
			return "", fmt.Errorf("update image %d: %w", img.ID, err)
		}
	}
	for i := range e.Added {
		img := e.Added[i]
		img.ID, img.PostID, img.Position, img.CreatedAt = 0, postID, len(keep)+i+1, now
		if err := tx.Create(&img).Error; err != nil {
			return "", fmt.Errorf("attach image: %w", err)
		}
	}
	var changes []string
	if n := len(e.Added); n > 0 {
		changes = append(changes, "added "+countImages(n))
	}
	if n := len(gone); n > 0 {
		changes = append(changes, "removed "+countImages(n))
	}
	if described == 1 {
		changes = append(changes, "changed an image's description")
	} else if described > 1 {
		changes = append(changes, fmt.Sprintf("changed %d images' descriptions", described))
	}
	return strings.Join(changes, ", "), nil
}

// countImages is "an image" or "3 images".
func countImages(n int) string {
	if n == 1 {
		return "an image"
	}
	return fmt.Sprintf("%d images", n)
}
