package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/models"
)

func TestAuditLogRecordsBoardSettingsAndRoles(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		b := signedInAdmin(t, a)
		res := b.Submit("/admin/boards/new", "/admin/boards/new", url.Values{"title": {"Frank talk"}, "slug": {"frank"},
			"position": {"5"}, "email_policy": {"titles"}, "allow_anonymous": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		board, err := a.Store.BoardBySlug(context.Background(), "frank")
		if err != nil {
			t.Fatal(err)
		}
		if !board.AllowAnonymous {
			t.Fatal("the new board does not allow anonymous posts")
		}
		if policy, _ := a.Store.BoardEmailPolicy(context.Background(), board.ID); policy != models.EmailTitles {
			t.Fatalf("email policy %q", policy)
		}
		edit := res.Location()
		res = b.Submit(edit, strings.TrimSuffix(edit, "?saved=1"), url.Values{"title": {"Frank talk"}, "slug": {"frank"},
			"position": {"5"}, "email_policy": {"counts"}})
		wantStatus(t, res, http.StatusSeeOther)

		res = b.Get("/admin/audit")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "<code>board.create</code>", "<code>board.update</code>", "anonymous posts allowed",
			"digests: counts", `href="/admin/boards/`)
		res = b.Get("/admin/audit?action=board.update")
		mustContain(t, res, "<code>board.update</code>")
		mustNotContain(t, res, "<code>board.create</code>")
		res = b.Get("/admin/audit?action=board.")
		mustContain(t, res, "<code>board.update</code>", "<code>board.create</code>")
		res = b.Get("/admin/audit?actor=nobody_here")
		wantStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, "No member is called nobody_here")
		res = b.Get("/admin/audit?subject=board+x")
		wantStatus(t, res, http.StatusBadRequest)

		// Role changes from the command line are recorded too.
		okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		if err := a.Store.SetRole(context.Background(), okafor.ID, models.RoleModerator); err != nil {
			t.Fatal(err)
		}
		res = b.Get("/admin/audit?subject=user")
		mustContain(t, res, "<code>user.role</code>", "role set to moderator", "Rounds or an operator")
		mustNotContain(t, res, "<code>board.create</code>")
	})
}

func TestAuditLogPagesBackUnderTheSameFilter(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		b := signedInAdmin(t, a)
		// Sixty events about boards, one page and ten more, among events
		// of another kind that the filter leaves out.
		for i := range 60 {
			for _, kind := range []string{"board", "group"} {
				if err := a.Store.RecordAudit(t.Context(), &models.AuditEvent{Action: kind + ".update", SubjectType: kind,
					SubjectID: int64(1000 + i), Reason: fmt.Sprintf("%s change %d", kind, i)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		res := b.Get("/admin/audit?subject=board")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "board change 59", "board change 10", "Older entries")
		mustNotContain(t, res, "board change 9<", "group change")
		start := strings.Index(res.Body, `<a href="/admin/audit?before=`)
		if start < 0 {
			t.Fatal("no link to older entries")
		}
		older := res.Body[start+len(`<a href="`):]
		older = html.UnescapeString(older[:strings.Index(older, `"`)])
		if !strings.Contains(older, "subject=board") {
			t.Fatalf("the older entries' link %q drops the filter", older)
		}
		res = b.Get(older)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "board change 9<", "board change 0<")
		mustNotContain(t, res, "board change 10<", "group change", "Older entries")
	})
}
