package app

import (
	"strings"
	"testing"
	"time"

	"github.com/valyala/bytebufferpool"

	"rounds/models"
	"rounds/public"
	"rounds/views"
)

// The topic page's frame alone, written by the templates and in Go, for a
// verified member on the middle page of a long topic with the empty reply
// composer: what is left of the page once its posts are written.
func BenchmarkTopicFrame(b *testing.B) {
	assets, err := loadAssets(public.FS)
	if err != nil {
		b.Fatal(err)
	}
	v, err := loadViews(views.FS, templateFuncs(assets, time.Now))
	if err != nil {
		b.Fatal(err)
	}
	topic := &models.TopicSummary{Topic: models.Topic{ID: 4711, Title: "Rate or rhythm control in new AF", Slug: "rate-or-rhythm-control-in-new-af",
		PostCount: 95}, BoardSlug: "cardiology", BoardTitle: "Cardiology", Tags: []string{"afib", "anticoagulation"}}
	page := &topicPage{Topic: topic, PostsHTML: cookedHTML(strings.Repeat("<article class=\"post\">…</article>\n", 20)), Page: 3, Pages: 5,
		URL: "/t/4711/rate-or-rhythm-control-in-new-af", Pager: pager(3, 5), CanPost: true, ReadURL: "/t/4711/read",
		Level: topicLevelControl(topic.ID, ""),
		Reply: &composer{Action: "/t/4711/reply", Submit: "Post reply", OfferPoll: true, Place: models.ReplyDraft(topic.ID),
			MentionBoard: "cardiology", DraftReturn: "/t/4711/rate-or-rhythm-control-in-new-af#reply-heading",
			Images: &imageTray{MaxMB: 10, MaxMP: 40}}}
	data := pageData{Title: topic.Title, SignIn: true, Path: "/t/4711?page=3", Unread: 2,
		Member: &models.User{ID: 7, DisplayName: "Jonas Weber, RN", Specialty: "Critical Care Nursing", Status: models.StatusVerified},
		csrf:   func() string { return "c2VjcmV0LXRva2VuLWZvci10aGUtYmVuY2htYXJr" }}
	b.Run("templates", func(b *testing.B) {
		b.ReportAllocs()
		data := data
		data.Page = *page
		t, err := v.page("topic_show")
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			buf := bytebufferpool.Get()
			if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
				b.Fatal(err)
			}
			bytebufferpool.Put(buf)
		}
	})
	b.Run("go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf := bytebufferpool.Get()
			if err := v.writeTopicPage(buf, &data, page); err != nil {
				b.Fatal(err)
			}
			bytebufferpool.Put(buf)
		}
	})
}
