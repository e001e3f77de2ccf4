package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// Error is the one error type handlers return when the visitor should see
// something specific: an HTTP status, a message safe to show, and the cause
// for the log.
type Error struct {
	Status  int
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Message
	}
	return e.Message + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

func errNotFound(what string, err error) *Error {
	return &Error{Status: http.StatusNotFound, Message: what + " was not found.", Err: err}
}

// missing turns a store's not-found into a 404 that names what is missing,
// and passes any other failure on as the error it is.
func missing(what string, err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return errNotFound(what, err)
	}
	return err
}

func errForbidden(message string) *Error {
	return &Error{Status: http.StatusForbidden, Message: message}
}

func errBadRequest(message string, err error) *Error {
	return &Error{Status: http.StatusBadRequest, Message: message, Err: err}
}

// classify turns any error into the status and message to show; formMB
// is the most a form may hold, in MB, for the message of one too large.
func classify(err error, formMB int) (int, string) {
	var appErr *Error
	var limit *limitError
	var fiberErr *fiber.Error
	switch {
	case errors.As(err, &appErr):
		return appErr.Status, appErr.Message
	case errors.As(err, &limit):
		return http.StatusTooManyRequests, limit.message()
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, "That page was not found."
	case errors.Is(err, models.ErrBusy):
		return http.StatusServiceUnavailable, "Rounds is busy with other members' writes just now, so nothing was saved. " +
			"Go back and send it again in a few seconds; your browser keeps what you typed."
	case errors.As(err, &fiberErr):
		msg := fiberErr.Message
		switch code := fiberErr.Code; {
		case code == http.StatusNotFound:
			msg = "That page was not found."
		case code == http.StatusBadRequest:
			// The server's own words may repeat what was sent.
			msg = "Rounds could not read that request. Go back and try again."
		case code == http.StatusRequestEntityTooLarge:
			msg = fmt.Sprintf("What you sent is too large: a form can hold at most %d MB, so nothing was saved. "+
				"Go back, shorten it or split it in two, and send it again; your browser keeps what you typed.", formMB)
		case code == http.StatusRequestHeaderFieldsTooLarge:
			msg = "Your browser sent more than Rounds reads in a request's headers, most often too many or too large cookies. " +
				"Clear this site's cookies and try again."
		case code >= 500:
			msg = "Something went wrong on our side. Please try again in a moment."
		}
		return fiberErr.Code, msg
	default:
		return http.StatusInternalServerError, "Something went wrong on our side. Please try again in a moment."
	}
}

// handleError is Fiber's one error handler: it logs the cause and renders
// the error page, falling back to plain text if even that fails.
func (h *Handler) handleError(c *fiber.Ctx, err error) error {
	if requestID(c) == "" {
		// The server refused the request before any middleware ran: a
		// malformed request, or a body or headers too large.
		h.setSecurityHeaders(c)
		giveRequestID(c)
	}
	status, message := classify(err, bodyLimit(h.cfg)>>20)
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	h.log.Log(c.UserContext(), level, "request failed",
		"status", status, "method", c.Method(), "path", c.Path(),
		"request_id", requestID(c), "err", err)
	c.Status(status)
	page := errorPage{Status: status, Message: message, RequestID: requestID(c)}
	if status == http.StatusRequestEntityTooLarge || status == http.StatusUnprocessableEntity {
		page.Back = formPage(c)
	}
	if errors.Is(err, models.ErrBusy) {
		c.Set(fiber.HeaderRetryAfter, "5")
		page.Title, page.Back = "Rounds is busy for a moment", formPage(c)
	}
	var limit *limitError
	if errors.As(err, &limit) {
		c.Set(fiber.HeaderRetryAfter, limit.retryAfter())
		page.Title = "Please slow down"
	}
	data := h.page(c, http.StatusText(status))
	data.Page = page
	if renderErr := h.views.render(c, "error", data); renderErr != nil {
		h.log.Error("render error page", "err", renderErr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.SendString(fmt.Sprintf("%d %s\n%s\n", status, http.StatusText(status), message))
	}
	return nil
}

type errorPage struct {
	Status    int
	Message   string
	RequestID string
	// Title, when set, heads the page and Message follows it.
	Title string
	// Back is the form the refused request was sent from, on this site.
	Back string
}

// formPage is the page on this site that the request came from, as its
// Referer says, or "" when it came from elsewhere or does not say.
func formPage(c *fiber.Ctx) string {
	from, err := url.Parse(c.Get(fiber.HeaderReferer))
	if err != nil || from.Host != c.Hostname() || from.Path == "" {
		return ""
	}
	return safeReturn(from.RequestURI())
}
