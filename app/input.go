package app

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"rounds/models"
)

// Rounds refuses NUL and the other control characters (tab, line feed and
// carriage return excepted) and bytes that are not UTF-8 wherever it is
// sent text: the address, the query string and every form field (see
// models.CleanText). PostgreSQL cannot store a NUL at all, and none of
// them belongs in what members write. Such a request saves nothing and is
// answered 422: a form that shows itself again does so with what was
// typed, those characters taken out, and says why; any other request gets
// an error page that says why.

const (
	// localRefused holds the names of the fields screenInput cleaned, for
	// the form shown again.
	localRefused = "refused_input"

	refusedCharacters = "characters Rounds cannot keep (NUL or other control characters, or bytes that are not valid UTF-8)"
	refusedInput      = "Nothing was saved: what you sent held " + refusedCharacters + "."
	refusedField      = "Characters Rounds cannot keep were taken out of this field: check it before sending again."
)

var (
	errRefusedAddress = &Error{Status: fiber.StatusUnprocessableEntity, Message: "That address holds " + refusedCharacters + "."}
	errRefusedForm    = &Error{Status: fiber.StatusUnprocessableEntity, Message: refusedInput + " Go back, take them out and send it again."}
)

// screenInput looks for refused characters in a request to a route. When
// the route's handler shows its form again (keepsForm), the request goes on
// to it cleaned, and the handler refuses it through inputRefusal or
// fieldErrors.addRefused; otherwise it is refused here.
func screenInput(keepsForm bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if path, err := url.PathUnescape(c.Path()); err == nil {
			if _, ok := models.CleanText(path); !ok {
				return errRefusedAddress
			}
		}
		req := c.Request()
		refused := cleanArgs(req.URI().QueryArgs())
		refused = append(refused, cleanArgs(req.PostArgs())...)
		if strings.HasPrefix(string(req.Header.ContentType()), fiber.MIMEMultipartForm) {
			if form, err := req.MultipartForm(); err == nil {
				for name, values := range form.Value {
					for i, v := range values {
						var ok bool
						if values[i], ok = models.CleanText(v); !ok {
							refused = append(refused, name)
						}
					}
				}
			}
		}
		if len(refused) == 0 {
			return c.Next()
		}
		if !keepsForm {
			if reading(c) {
				return errRefusedAddress
			}
			return errRefusedForm
		}
		c.Locals(localRefused, refused)
		return c.Next()
	}
}

// cleanArgs takes refused characters out of a query string or a form and
// returns the names of the fields that held any.
func cleanArgs(args *fasthttp.Args) []string {
	var refused []string
	var kept [][2]string
	args.VisitAll(func(k, v []byte) {
		key, keyOK := models.CleanText(string(k))
		value, valueOK := models.CleanText(string(v))
		if !keyOK || !valueOK {
			refused = append(refused, key)
		}
		kept = append(kept, [2]string{key, value})
	})
	if refused == nil {
		return nil
	}
	args.Reset()
	for _, kv := range kept {
		args.Add(kv[0], kv[1])
	}
	return refused
}

// inputRefusal is why a form is refused when screenInput took characters
// out of it, and "" when it took none.
func inputRefusal(c *fiber.Ctx) string {
	if _, ok := c.Locals(localRefused).([]string); ok {
		return refusedInput + " They are taken out below: check what you typed and send it again."
	}
	return ""
}

// addRefused marks the fields screenInput took characters out of, so the
// form is refused and shown again.
func (e *fieldErrors) addRefused(c *fiber.Ctx) {
	fields, _ := c.Locals(localRefused).([]string)
	for _, f := range fields {
		e.add(f, refusedField)
	}
}
