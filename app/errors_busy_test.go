package app

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"rounds/models"
)

// TestBusyDatabaseIsNotAServerFault checks that a write that waited its
// whole allowance for other writes (models.ErrBusy, however deeply
// wrapped) is answered as a passing condition the member can act on — a
// 503 that says nothing was saved and to send it again — not as a fault
// of ours, and that other errors keep their answers.
func TestBusyDatabaseIsNotAServerFault(t *testing.T) {
	busy := fmt.Errorf("link identity to user 362: %w", fmt.Errorf("sqlite: waited 10s: %w", models.ErrBusy))
	status, message := classify(busy, 10)
	if status != http.StatusServiceUnavailable {
		t.Fatalf("busy: status %d, want 503", status)
	}
	for _, want := range []string{"nothing was saved", "send it again", "keeps what you typed"} {
		if !strings.Contains(message, want) {
			t.Errorf("busy: message %q does not say %q", message, want)
		}
	}
	if status, _ := classify(errors.New("disk full"), 10); status != http.StatusInternalServerError {
		t.Errorf("another error: status %d, want 500", status)
	}
	if status, _ := classify(fmt.Errorf("load topic: %w", models.ErrNotFound), 10); status != http.StatusNotFound {
		t.Errorf("not found: status %d, want 404", status)
	}
}
