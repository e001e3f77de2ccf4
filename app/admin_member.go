package app

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// memberAdminPage is one member as the administration pages show them.
// Moderators see what they need to warn or suspend and to check a
// verification; administrators also see and change roles and sessions.
type memberAdminPage struct {
	Record       *models.MemberRecord
	Verification *models.VerificationHistory
	MethodLabel  string
	// CanModerate says whether the viewer may warn or suspend the member.
	CanModerate bool
	// Sessions are the member's live sessions, for administrators only.
	Sessions []sessionRow
	Roles    []string
	// Form is a refused action, with what was typed.
	Form memberForm
	Done string
}

// memberForm is an action on a member as typed.
type memberForm struct {
	Action string
	Reason string
	Length string // "until" or "indefinite", for a suspension
	Until  string // YYYY-MM-DD
	Role   string
	Error  string
}

// adminMember shows one member.
func (h *Handler) adminMember(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	done := c.Query("done")
	switch done {
	case "warn", "suspend", "unsuspend", "role", "sessions":
	default:
		done = ""
	}
	return h.renderAdminMember(c, id, memberForm{}, done)
}

func (h *Handler) renderAdminMember(c *fiber.Ctx, id int64, f memberForm, done string) error {
	ctx, viewer := c.UserContext(), member(c)
	rec, err := h.store.MemberRecordOf(ctx, id)
	if err != nil {
		return missing("That member", err)
	}
	p := memberAdminPage{Record: rec, Form: f, Done: done, CanModerate: canModerate(viewer, &rec.User)}
	switch f.Action {
	case "warn", "suspend", "unsuspend":
		// A refused action comes back with what was typed, even one the
		// page would not have offered.
		p.CanModerate = true
	}
	if p.Verification, err = h.store.VerificationHistoryOf(ctx, id); err != nil {
		return err
	}
	if a := p.Verification.Application; a != nil && a.Status == models.VerificationApproved {
		p.MethodLabel = methodLabel(a.Method)
	}
	if viewer.IsAdmin() {
		sessions, err := h.store.SessionsOf(ctx, id, h.now())
		if err != nil {
			return err
		}
		for _, s := range sessions {
			p.Sessions = append(p.Sessions, sessionRow{Session: s, Browser: browserOn(s.UserAgent)})
		}
		for _, r := range memberRoles {
			p.Roles = append(p.Roles, string(r))
		}
	}
	if f.Error != "" {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	data := h.page(c, rec.User.DisplayName)
	data.Page = p
	return h.views.render(c, "admin_member", data)
}

// canModerate mirrors the store's rule for warnings and suspensions, to
// offer only the actions the viewer may take: never on themselves, and on
// moderators and administrators only as an administrator.
func canModerate(actor, target *models.User) bool {
	if actor.ID == target.ID {
		return false
	}
	if target.Role == models.RoleModerator || target.Role == models.RoleAdmin {
		return actor.IsAdmin()
	}
	return true
}

// memberAct reads the action form of the member page, runs act and sends
// the moderator back to the page; a refused form comes back with what was
// typed. act returns the form's error as a message, or a failure.
func (h *Handler) memberAct(c *fiber.Ctx, action string, act func(id int64, f *memberForm) error) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	f := memberForm{Action: action, Reason: strings.TrimSpace(c.FormValue("reason")), Length: c.FormValue("length"),
		Until: strings.TrimSpace(c.FormValue("until")), Role: c.FormValue("role")}
	if f.Error = inputRefusal(c); f.Error == "" {
		if n := utf8.RuneCountInString(f.Reason); n > moderatorReasonMax {
			f.Error = fmt.Sprintf("The reason can be at most %d characters; yours has %d.", moderatorReasonMax, n)
		} else if err := act(id, &f); err != nil {
			switch {
			case errors.Is(err, models.ErrNotModeratable):
				f.Error = "You cannot warn or suspend yourself, a moderator or an administrator, nor a member who is not verified; an administrator can act on moderators."
			case errors.Is(err, models.ErrOwnRole):
				f.Error = "You cannot change your own role; ask another administrator."
			default:
				return missing("That member", err)
			}
		}
	}
	if f.Error != "" {
		return h.renderAdminMember(c, id, f, "")
	}
	return c.Redirect(fmt.Sprintf("/admin/members/%d?done=%s", id, action), fiber.StatusSeeOther)
}

// needReason refuses a reason shorter than five characters.
func needReason(f *memberForm, message string) bool {
	if utf8.RuneCountInString(f.Reason) < 5 {
		f.Error = message
		return false
	}
	return true
}

// adminMemberWarn sends a member a warning, not about any one post.
func (h *Handler) adminMemberWarn(c *fiber.Ctx) error {
	return h.memberAct(c, "warn", func(id int64, f *memberForm) error {
		if !needReason(f, "Write the warning: the member reads it as you write it.") {
			return nil
		}
		return h.store.WarnMember(c.UserContext(), member(c), id, nil, f.Reason)
	})
}

// adminMemberSuspend suspends a member without a report: until a day, or
// indefinitely. They are signed out at once.
func (h *Handler) adminMemberSuspend(c *fiber.Ctx) error {
	return h.memberAct(c, "suspend", func(id int64, f *memberForm) error {
		if !needReason(f, "Give the reason for the suspension: the member is shown it when they try to sign in.") {
			return nil
		}
		rf := reviewForm{Length: f.Length, Until: f.Until}
		until, ok := h.suspensionEnd(&rf)
		if !ok {
			f.Error = rf.Error
			return nil
		}
		return h.store.SuspendMember(c.UserContext(), member(c), id, until, f.Reason)
	})
}

// adminMemberUnsuspend lifts a member's suspension.
func (h *Handler) adminMemberUnsuspend(c *fiber.Ctx) error {
	return h.memberAct(c, "unsuspend", func(id int64, f *memberForm) error {
		reason := f.Reason
		if reason == "" {
			reason = "lifted by a moderator"
		}
		return h.store.LiftMemberSuspension(c.UserContext(), member(c), id, reason)
	})
}

// adminMemberRole changes a member's role, for administrators.
func (h *Handler) adminMemberRole(c *fiber.Ctx) error {
	return h.memberAct(c, "role", func(id int64, f *memberForm) error {
		role := oneOf(f.Role, memberRoles)
		if role == "" {
			f.Error = "Choose member, moderator or administrator."
			return nil
		}
		return h.store.ChangeRole(c.UserContext(), member(c), id, role, f.Reason)
	})
}

// adminMemberSessionsEnd signs a member out of one session, or of all.
func (h *Handler) adminMemberSessionsEnd(c *fiber.Ctx) error {
	return h.memberAct(c, "sessions", func(id int64, f *memberForm) error {
		session := c.FormValue("session")
		if session == "" && c.FormValue("all") == "" {
			f.Error = "Choose a session to end, or end them all."
			return nil
		}
		_, err := h.store.EndMemberSessions(c.UserContext(), member(c), id, session)
		return err
	})
}

// profileForms are the forms of profiles and member administration that
// show themselves again when refused (see the forms of routes).
var profileForms = []string{
	"POST /settings/profile",
	"POST /mod/profile-changes/:id<int>/decide",
	"POST /admin/members/:id<int>/warn",
	"POST /admin/members/:id<int>/suspend",
	"POST /admin/members/:id<int>/unsuspend",
	"POST /admin/members/:id<int>/role",
}
