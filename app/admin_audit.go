package app

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// auditPerPage is how many entries one page of the audit log shows.
const auditPerPage = 50

type auditPage struct {
	Entries []auditRow
	Actions []string
	// The filter as typed, kept in the form.
	Action  string
	Actor   string
	Subject string
	Problem string
	Older   string
}

type auditRow struct {
	models.AuditEntry
	SubjectURL string
}

// adminAudit is the audit log, newest first, filtered by action, by who
// acted (a username) and by subject ("post 42", or just "post"; a post's
// entries include those about its author, and "author of post 42" asks
// for those alone). It only reads: no route edits or deletes an entry.
func (h *Handler) adminAudit(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p := auditPage{Action: c.Query("action"), Actor: strings.TrimSpace(c.Query("actor")), Subject: strings.TrimSpace(c.Query("subject"))}
	f, err := h.auditFilter(ctx, &p, c.Query("before"))
	if err != nil {
		return err
	}
	if p.Actions, err = h.store.AuditActions(ctx); err != nil {
		return err
	}
	if p.Problem == "" {
		entries, more, err := h.store.AuditLog(ctx, f)
		if err != nil {
			return err
		}
		p.Entries = make([]auditRow, len(entries))
		for i, e := range entries {
			p.Entries[i] = auditRow{AuditEntry: e, SubjectURL: auditSubjectURL(e.SubjectType, e.SubjectID)}
		}
		if more {
			p.Older = p.olderURL(entries[len(entries)-1].ID)
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	data := h.page(c, "Audit log")
	data.Page = p
	if p.Problem != "" {
		c.Status(fiber.StatusBadRequest)
	}
	return h.views.render(c, "admin_audit", data)
}

// auditFilter reads the filter the admin typed into what the store
// searches for, from the entry before (the last one of the page before).
// A member or subject it cannot read is a problem the page shows.
func (h *Handler) auditFilter(ctx context.Context, p *auditPage, before string) (models.AuditFilter, error) {
	f := models.AuditFilter{Action: p.Action, Limit: auditPerPage}
	if before, err := strconv.ParseInt(before, 10, 64); err == nil && before > 0 {
		f.Before = before
	}
	if p.Actor != "" {
		u, err := h.store.UserByUsername(ctx, strings.TrimPrefix(p.Actor, "@"))
		if err != nil && !models.IsNotFound(err) {
			return f, err
		}
		if u == nil {
			p.Problem = "No member is called " + p.Actor + "."
		} else {
			f.ActorID = u.ID
		}
	}
	if p.Subject != "" {
		kind, id, _ := strings.Cut(auditSubjectKind.Replace(strings.ToLower(p.Subject)), " ")
		f.SubjectType = kind
		if id != "" {
			n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(id), "#"), 10, 64)
			if err != nil || n <= 0 {
				p.Problem = "Write the subject as a kind and a number, such as “post 42”, or a kind alone."
			}
			f.SubjectID = n
		}
	}
	return f, nil
}

// olderURL is the next page of the log, under the same filter, from
// before the entry last.
func (p *auditPage) olderURL(last int64) string {
	q := url.Values{"before": {strconv.FormatInt(last, 10)}}
	for k, v := range map[string]string{"action": p.Action, "actor": p.Actor, "subject": p.Subject} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return "/admin/audit?" + q.Encode()
}

// auditSubjectKind reads the subject of an action on the author of an
// anonymous post as the log writes it, "the author of post 42", into its
// kind.
var auditSubjectKind = strings.NewReplacer("the author of post", models.SubjectPostAuthor, "author of post", models.SubjectPostAuthor)

// auditSubjectURL is where an entry's subject can be seen, if anywhere:
// for the author of an anonymous post, the post.
func auditSubjectURL(kind string, id int64) string {
	switch kind {
	case "post", models.SubjectPostAuthor:
		return fmt.Sprintf("/p/%d", id)
	case "verification":
		return fmt.Sprintf("/mod/verifications/%d", id)
	case "board":
		return fmt.Sprintf("/admin/boards/%d", id)
	case "topic":
		return fmt.Sprintf("/t/%d", id)
	case "group":
		return fmt.Sprintf("/admin/groups/%d", id)
	case "consult_message":
		// Only a reported message has entries, and moderators see it.
		return fmt.Sprintf("/mod/consult-messages/%d", id)
	}
	return ""
}
