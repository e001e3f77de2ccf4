package app

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rounds/app/verify"
	"rounds/models"
)

const membersPerPage = 50

// membersPage is the searchable list of members, with the filter as typed.
type membersPage struct {
	Query, Status, Role, Profession, Specialty, Method string
	Members                                            []memberListRow
	Older                                              string
	Professions                                        []verify.Profession
	Statuses, Roles                                    []string
	Methods                                            []verify.Profession // value and label
}

type memberListRow struct {
	models.MemberRow
	MethodLabel string
}

// memberStatuses, memberRoles and verificationMethods are the filter's
// choices; anything else filters nothing.
var (
	memberStatuses = []models.Status{models.StatusPending, models.StatusApplied, models.StatusVerified,
		models.StatusRejected, models.StatusSuspended}
	memberRoles         = []models.Role{models.RoleMember, models.RoleModerator, models.RoleAdmin}
	verificationMethods = []string{models.VerifiedByInstitution, models.VerifiedByWorkEmail, models.VerifiedByModerator}
)

func oneOf[T ~string](value string, choices []T) T {
	for _, c := range choices {
		if string(c) == value {
			return c
		}
	}
	return ""
}

// adminMembers lists members newest first, searched by name and filtered
// by status, role, profession, specialty and how they were verified.
// Moderators use it to find a member to warn or suspend.
func (h *Handler) adminMembers(c *fiber.Ctx) error {
	p := membersPage{Query: strings.TrimSpace(c.Query("q")), Specialty: strings.TrimSpace(c.Query("specialty")),
		Status: string(oneOf(c.Query("status"), memberStatuses)), Role: string(oneOf(c.Query("role"), memberRoles)),
		Method: oneOf(c.Query("method"), verificationMethods), Professions: verify.Professions}
	for _, s := range memberStatuses {
		p.Statuses = append(p.Statuses, string(s))
	}
	for _, r := range memberRoles {
		p.Roles = append(p.Roles, string(r))
	}
	for _, m := range verificationMethods {
		p.Methods = append(p.Methods, verify.Profession{Value: m, Label: methodLabel(m)})
	}
	if verify.ValidProfession(c.Query("profession")) {
		p.Profession = c.Query("profession")
	}
	before := int64(c.QueryInt("before", 0))
	if before < 0 {
		return errNotFound("That page", nil)
	}
	rows, more, err := h.store.SearchMembers(c.UserContext(), models.MemberFilter{Query: p.Query,
		Status: models.Status(p.Status), Role: models.Role(p.Role), Profession: p.Profession, Specialty: p.Specialty,
		Method: p.Method, Before: before, Limit: membersPerPage})
	if err != nil {
		return err
	}
	for _, r := range rows {
		p.Members = append(p.Members, memberListRow{MemberRow: r, MethodLabel: methodLabel(r.Method)})
	}
	if more {
		q := url.Values{}
		for k, v := range map[string]string{"q": p.Query, "status": p.Status, "role": p.Role, "profession": p.Profession,
			"specialty": p.Specialty, "method": p.Method} {
			if v != "" {
				q.Set(k, v)
			}
		}
		q.Set("before", fmt.Sprint(p.Members[len(p.Members)-1].ID))
		p.Older = "/admin/members?" + q.Encode()
	}
	data := h.page(c, "Members")
	data.Page = p
	return h.views.render(c, "admin_members", data)
}

// methodLabel names how a member was verified, for the administration
// pages.
func methodLabel(method string) string {
	return map[string]string{
		models.VerifiedByInstitution: "Institution's sign-in",
		models.VerifiedByWorkEmail:   "Work email",
		models.VerifiedByModerator:   "Moderator review",
	}[method]
}
