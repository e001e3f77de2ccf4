package app

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// viewer is who asks for a page, carried in the request's context so that
// code given only a context, such as the podcast card of a topic, can fit
// what it shows to them: a notice only the sharer needs, a form that must
// carry their CSRF token.
type viewer struct {
	Member *models.User
	csrf   func() string
}

type viewerKey struct{}

// carryViewer puts the signed-in member, if any, in the request's context.
func (h *Handler) carryViewer(c *fiber.Ctx) {
	m := member(c)
	if m == nil {
		return
	}
	v := &viewer{Member: m, csrf: func() string { return h.csrfToken(c) }}
	c.SetUserContext(context.WithValue(c.UserContext(), viewerKey{}, v))
}

// viewerOf is the member a request's context carries; nil for a guest or a
// context that carries none.
func viewerOf(ctx context.Context) *viewer {
	v, _ := ctx.Value(viewerKey{}).(*viewer)
	return v
}

// CSRF is the token the viewer's forms must send back.
func (v *viewer) CSRF() string { return v.csrf() }
