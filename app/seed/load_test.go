package seed

import (
	"context"
	"testing"

	"rounds/app/markdown"
	"rounds/models"
	"rounds/models/modelstest"
)

// The demo loads once, whole, with a report waiting for the moderators.
func TestLoadDemo(t *testing.T) {
	modelstest.Run(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		loaded, err := LoadDemo(ctx, store, markdown.New(), store.Now())
		if err != nil || !loaded {
			t.Fatalf("first load: %v, %v", loaded, err)
		}
		queue, err := store.ReviewQueue(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(queue) != 1 || queue[0].TopicTitle != "Ketamine vs etomidate for RSI in shock" || queue[0].PostNumber != 3 ||
			queue[0].Hidden || len(queue[0].Reasons) != 1 || queue[0].Reasons[0] != models.FlagMisinformation {
			t.Fatalf("the demo's review queue: %+v", queue)
		}
		if loaded, err := LoadDemo(ctx, store, markdown.New(), store.Now()); err != nil || loaded {
			t.Fatalf("second load: %v, %v; want nothing done", loaded, err)
		}
	})
}
