package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

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

// classify turns any error into the status and message to show.
func classify(err error) (int, string) {
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
	case errors.As(err, &fiberErr):
		msg := fiberErr.Message
		if fiberErr.Code == http.StatusNotFound {
			msg = "That page was not found."
		} else if fiberErr.Code >= 500 {
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
	status, message := classify(err)
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	h.log.Log(c.UserContext(), level, "request failed",
		"status", status, "method", c.Method(), "path", c.Path(),
		"request_id", requestID(c), "err", err)
	c.Status(status)
	page := errorPage{Status: status, Message: message, RequestID: requestID(c)}
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
}
