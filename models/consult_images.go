package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ConsultImage is an image on a consult message, de-identified and kept as
// a post's image is (ImageBlobPrefix(Name)); only the consult's current
// participants, and moderators reviewing a report that shows the message,
// are served it.
type ConsultImage struct {
	ID          int64
	MessageID   int64
	Name        string
	Position    int
	Alt         string
	ContentType string
	Width       int
	Height      int
	PageWidth   int
	PageHeight  int
	ThumbWidth  int
	ThumbHeight int
	DICOM       bool `gorm:"column:dicom"`
	CreatedAt   time.Time
}

// TableName keeps consult images apart from posts' images.
func (ConsultImage) TableName() string { return "consult_message_images" }

// PostImage is the image in the shape the pages write images in.
func (img ConsultImage) PostImage() PostImage {
	return PostImage{ID: img.ID, Name: img.Name, Position: img.Position, Alt: img.Alt, ContentType: img.ContentType,
		Width: img.Width, Height: img.Height, PageWidth: img.PageWidth, PageHeight: img.PageHeight,
		ThumbWidth: img.ThumbWidth, ThumbHeight: img.ThumbHeight, DICOM: img.DICOM, CreatedAt: img.CreatedAt}
}

// attachConsultImages records a new message's images, in its transaction.
func attachConsultImages(tx *gorm.DB, messageID int64, images []PostImage, now time.Time) error {
	for i, img := range images {
		ci := ConsultImage{MessageID: messageID, Name: img.Name, Position: i + 1, Alt: img.Alt, ContentType: img.ContentType,
			Width: img.Width, Height: img.Height, PageWidth: img.PageWidth, PageHeight: img.PageHeight,
			ThumbWidth: img.ThumbWidth, ThumbHeight: img.ThumbHeight, DICOM: img.DICOM, CreatedAt: now}
		if err := tx.Create(&ci).Error; err != nil {
			return fmt.Errorf("attach image %d: %w", i+1, err)
		}
	}
	return nil
}

// ConsultImageByName loads a consult message's image by its name.
func (s *Store) ConsultImageByName(ctx context.Context, name string) (*ConsultImage, error) {
	return imageByName[ConsultImage](ctx, s.db, name, "load consult image")
}

// ImagesOfConsultMessages returns the images of the messages, by message,
// in order.
func (s *Store) ImagesOfConsultMessages(ctx context.Context, messageIDs []int64) (map[int64][]ConsultImage, error) {
	return imagesOf[ConsultImage](ctx, s.db, messageIDs, "consult messages")
}

// ConsultImageNames lists the names of a message's images, for a purge
// to delete their sizes once it has committed.
func (s *Store) ConsultImageNames(ctx context.Context, messageID int64) ([]string, error) {
	var names []string
	err := s.db.WithContext(ctx).Model(&ConsultImage{}).Where("message_id = ?", messageID).Order("position").Pluck("name", &names).Error
	if err != nil {
		return nil, fmt.Errorf("list the images of consult message %d: %w", messageID, err)
	}
	return names, nil
}

// ReportedCaseShowing is the reported case in which moderators see a
// consult message: the nearest reported message at or after it, whose
// case shows it when it is that message or one of the few before. A
// message no case shows is ErrNotFound.
func (s *Store) ReportedCaseShowing(ctx context.Context, messageID int64) (*ConsultCase, error) {
	var consultID int64
	err := s.db.WithContext(ctx).Model(&ConsultMessage{}).Where("id = ?", messageID).Pluck("consult_id", &consultID).Error
	if err != nil {
		return nil, fmt.Errorf("load consult message %d: %w", messageID, err)
	}
	var reported *int64
	err = s.db.WithContext(ctx).Raw(`SELECT MIN(r.message_id) FROM consult_reports r JOIN consult_messages m ON m.id = r.message_id
		WHERE m.consult_id = ? AND r.message_id >= ?`, consultID, messageID).Scan(&reported).Error
	if err != nil {
		return nil, fmt.Errorf("find a report showing consult message %d: %w", messageID, err)
	}
	if consultID == 0 || reported == nil {
		return nil, fmt.Errorf("consult message %d in a report: %w", messageID, ErrNotFound)
	}
	cc, err := s.ConsultCaseFor(ctx, *reported)
	if err != nil {
		return nil, err
	}
	if cc.Message.ID == messageID {
		return cc, nil
	}
	for _, m := range cc.Before {
		if m.ID == messageID {
			return cc, nil
		}
	}
	return nil, fmt.Errorf("consult message %d in a report: %w", messageID, ErrNotFound)
}
