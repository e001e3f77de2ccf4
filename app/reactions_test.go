package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

func TestReactToAPost(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		okafor := a.Clinician(t, "okafor", "Dr. Amara Okafor", "physician", "Cardiology")
		weber := a.Clinician(t, "weber", "Jonas Weber, RN", "nurse", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Apixaban in dialysis", "What dose do you use?")
		post := openingPostOf(t, a, topic.ID)
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		react := fmt.Sprintf("/p/%d/react", post)

		nurse := a.Browser(t)
		nurse.SignIn(weber)
		mustContain(t, nurse.Get(topicPath), `action="`+react+`"`, `value="helpful" class="reaction" aria-pressed="false">Helpful</button>`)
		wantStatus(t, nurse.Submit(topicPath, react, url.Values{"kind": {"helpful"}}), http.StatusSeeOther)
		mustContain(t, nurse.Get(topicPath), `aria-pressed="true">Helpful <span class="reaction-count">1</span></button>`, "Who reacted")
		wantStatus(t, nurse.Submit(topicPath, react, url.Values{"kind": {"love"}}), http.StatusUnprocessableEntity)

		// The author sees the count, cannot react to their own post, and
		// hears of it; who reacted is listed by name.
		owner := a.Browser(t)
		owner.SignIn(okafor)
		page := owner.Get(topicPath)
		mustContain(t, page, `<span class="reaction">Helpful <span class="reaction-count">1</span></span>`)
		mustNotContain(t, page, `action="`+react+`"`)
		wantStatus(t, owner.Submit(topicPath, react, url.Values{"kind": {"agree"}}), http.StatusForbidden)
		mustContain(t, owner.Get("/notifications"), "<strong>Reactions</strong> to your post #1 in", "Apixaban in dialysis")
		mustContain(t, owner.Get(fmt.Sprintf("/p/%d/reactions", post)), "<strong>Helpful</strong>", "Jonas Weber, RN")

		// A member who cannot read the board can neither react nor see who did.
		pharmacists := a.Group(t, "Pharmacists", "pharmacist", "")
		a.Restrict(t, board, []*models.Group{pharmacists}, []*models.Group{pharmacists})
		wantStatus(t, nurse.Submit("/", react, url.Values{"kind": {"thanks"}}), http.StatusNotFound)
		wantStatus(t, nurse.Get(fmt.Sprintf("/p/%d/reactions", post)), http.StatusNotFound)
		if n := count(t, a, `SELECT COUNT(*) FROM post_reactions`); n != 1 {
			t.Fatalf("%d reactions, want the one given while the board was open", n)
		}
	})
}
