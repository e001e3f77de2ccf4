package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"rounds/models"
)

func runUser(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user", stdout)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err.Error()}
	}
	if fs.NArg() != 3 || fs.Arg(0) != "role" {
		return usageError{"rounds user: usage is 'rounds user role EMAIL member|moderator|admin'"}
	}
	email, role := strings.ToLower(strings.TrimSpace(fs.Arg(1))), models.Role(fs.Arg(2))
	switch role {
	case models.RoleMember, models.RoleModerator, models.RoleAdmin:
	default:
		return usageError{fmt.Sprintf("rounds user role: %q is not member, moderator or admin", role)}
	}
	ctx := context.Background()
	e, err := setup(ctx, stderr)
	if err != nil {
		return err
	}
	defer e.close()
	users, err := e.store.UsersByEmail(ctx, email)
	if err != nil {
		return err
	}
	switch len(users) {
	case 0:
		return fmt.Errorf("no account has signed in with %s; they must sign in once first", email)
	case 1:
	default:
		var names []string
		for _, u := range users {
			names = append(names, fmt.Sprintf("%s (id %d)", u.Username, u.ID))
		}
		return fmt.Errorf("%s belongs to %d accounts (%s); refusing to guess", email, len(users), strings.Join(names, ", "))
	}
	u := users[0]
	if err := e.store.SetRole(ctx, u.ID, role); err != nil {
		return err
	}
	e.log.Info("role changed by command", "user_id", u.ID, "role", role)
	fmt.Fprintf(stdout, "%s (%s) is now %s; their sessions have ended, so the change applies at their next sign-in\n", u.DisplayName, u.Username, role)
	return nil
}
