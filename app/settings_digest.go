package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rounds/models"
)

// commonZones are offered in the time zone field; any IANA name is accepted.
var commonZones = []string{
	"UTC", "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu", "America/Toronto", "America/Vancouver", "America/Halifax",
	"America/Mexico_City", "America/Sao_Paulo", "America/Bogota", "America/Argentina/Buenos_Aires",
	"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
	"Europe/Rome", "Europe/Amsterdam", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens", "Europe/Istanbul",
	"Africa/Lagos", "Africa/Johannesburg", "Africa/Nairobi", "Africa/Cairo", "Asia/Dubai", "Asia/Karachi",
	"Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok", "Asia/Singapore", "Asia/Manila", "Asia/Hong_Kong",
	"Asia/Shanghai", "Asia/Seoul", "Asia/Tokyo", "Australia/Perth", "Australia/Adelaide", "Australia/Sydney",
	"Pacific/Auckland",
}

type digestSettingsPage struct {
	Frequency string
	Hour      int
	Weekday   int
	TimeZone  string
	// Unsaved is true while the member still has the defaults, so the
	// page may suggest their browser's time zone.
	Unsaved    bool
	Saved      bool
	Errors     fieldErrors
	Zones      []string
	Hours      []hourChoice
	Weekdays   []string
	Deliveries []models.DigestDelivery
	Next       string
	// Email is the section "Email for replies and mentions": a delivery
	// per kind, saved by its own form.
	Email       []emailChoice
	EmailSaved  bool
	EmailErrors fieldErrors
	// DigestOff warns that "in the digest" sends nothing while digests
	// are off.
	DigestOff bool
}

// emailChoice is one kind of notification email and how it comes.
type emailChoice struct {
	Kind     string
	Label    string
	Hint     string
	Delivery string
}

// emailKindLabels name each kind on the settings page.
var emailKindLabels = map[string][2]string{
	models.NotifyReply:    {"Replies to your topics", "Someone answers a topic you started."},
	models.NotifyMention:  {"Mentions", "Someone writes @ and your username."},
	models.EmailConsult:   {"Consult messages", "A new message in a private consult you take part in."},
	models.NotifyReaction: {"Reactions", "Colleagues find your post helpful, agree or thank you."},
}

func emailChoices(es models.EmailSettings) []emailChoice {
	out := make([]emailChoice, len(models.EmailKinds))
	for i, k := range models.EmailKinds {
		out[i] = emailChoice{Kind: k, Label: emailKindLabels[k][0], Hint: emailKindLabels[k][1], Delivery: string(es[k])}
	}
	return out
}

type hourChoice struct {
	Value int
	Label string
}

func digestHours() []hourChoice {
	hours := make([]hourChoice, 24)
	for h := range hours {
		hours[h] = hourChoice{h, time.Date(2000, 1, 1, h, 0, 0, 0, time.UTC).Format("15:04")}
	}
	return hours
}

func weekdayNames() []string {
	names := make([]string, 7)
	for d := range names {
		names[d] = time.Weekday(d).String()
	}
	return names
}

func (h *Handler) settingsDigest(c *fiber.Ctx) error {
	ds, err := h.store.DigestSettingsFor(c.UserContext(), member(c).ID)
	if err != nil {
		return err
	}
	p := &digestSettingsPage{Frequency: string(ds.Frequency), Hour: ds.Hour, Weekday: ds.Weekday, TimeZone: ds.TimeZone,
		Unsaved: ds.UpdatedAt.IsZero(), Saved: c.Query("saved") != "", EmailSaved: c.Query("email_saved") != ""}
	return h.renderDigestSettings(c, p, ds, fiber.StatusOK)
}

// settingsEmailSave saves how each kind of notification comes by email.
func (h *Handler) settingsEmailSave(c *fiber.Ctx) error {
	m := member(c)
	es := models.EmailSettings{}
	p := &digestSettingsPage{}
	for _, k := range models.EmailKinds {
		d := models.EmailDelivery(c.FormValue("email_" + k))
		if !d.Valid() {
			p.EmailErrors.add("email_"+k, "Choose how "+strings.ToLower(emailKindLabels[k][0])+" come: right away, in the digest or never.")
		}
		es[k] = d
	}
	if p.EmailErrors == nil {
		if err := h.store.SaveEmailSettings(c.UserContext(), m.ID, es); err != nil {
			return err
		}
		return c.Redirect("/settings/digest?email_saved=1#email", fiber.StatusSeeOther)
	}
	ds, err := h.store.DigestSettingsFor(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	p.Frequency, p.Hour, p.Weekday, p.TimeZone, p.Unsaved = string(ds.Frequency), ds.Hour, ds.Weekday, ds.TimeZone, ds.UpdatedAt.IsZero()
	p.Email = emailChoices(es)
	return h.renderDigestSettings(c, p, ds, fiber.StatusUnprocessableEntity)
}

func (h *Handler) settingsDigestSave(c *fiber.Ctx) error {
	m := member(c)
	p := &digestSettingsPage{Frequency: c.FormValue("frequency"), TimeZone: strings.TrimSpace(c.FormValue("time_zone"))}
	hour, hourErr := strconv.Atoi(c.FormValue("hour"))
	weekday, dayErr := strconv.Atoi(c.FormValue("weekday"))
	p.Hour, p.Weekday = hour, weekday
	ds := models.DigestSettings{UserID: m.ID, Frequency: models.DigestFrequency(p.Frequency), Hour: hour, Weekday: weekday, TimeZone: p.TimeZone}
	switch ds.Frequency {
	case models.DigestNever, models.DigestDaily, models.DigestWeekly:
	default:
		p.Errors.add("frequency", "Choose how often the digest comes: never, daily or weekly.")
	}
	if hourErr != nil || hour < 0 || hour > 23 {
		p.Errors.add("hour", "Choose the hour the digest comes.")
	}
	if dayErr != nil || weekday < 0 || weekday > 6 {
		p.Errors.add("weekday", "Choose the day a weekly digest comes.")
	}
	if p.TimeZone == "" {
		p.Errors.add("time_zone", "Give your time zone, such as Europe/Berlin or America/Chicago.")
	} else if _, err := time.LoadLocation(p.TimeZone); err != nil || strings.EqualFold(p.TimeZone, "Local") {
		p.Errors.add("time_zone", "“"+p.TimeZone+"” is not a time zone Rounds knows. Use a name such as Europe/Berlin or America/Chicago.")
	}
	if p.Errors == nil {
		err := h.store.SaveDigestSettings(c.UserContext(), ds)
		if errors.Is(err, models.ErrInvalidSettings) {
			p.Errors.add("frequency", "These settings could not be saved: "+strings.TrimPrefix(err.Error(), models.ErrInvalidSettings.Error()+": "))
		} else if err != nil {
			return err
		} else {
			return c.Redirect("/settings/digest?saved=1", fiber.StatusSeeOther)
		}
	}
	return h.renderDigestSettings(c, p, ds, p.Errors.status())
}

func (h *Handler) renderDigestSettings(c *fiber.Ctx, p *digestSettingsPage, ds models.DigestSettings, status int) error {
	p.Zones, p.Hours, p.Weekdays = commonZones, digestHours(), weekdayNames()
	var err error
	if p.Deliveries, err = h.store.DigestDeliveries(c.UserContext(), member(c).ID, 10); err != nil {
		return err
	}
	if p.Errors == nil {
		p.Next = nextDigest(ds, h.now())
	}
	if p.Email == nil {
		es, err := h.store.EmailSettingsFor(c.UserContext(), member(c).ID)
		if err != nil {
			return err
		}
		p.Email = emailChoices(es)
	}
	p.DigestOff = ds.Frequency == models.DigestNever
	data := h.page(c, "Digest email")
	data.Page = p
	c.Status(status)
	return h.views.render(c, "settings_digest", data)
}

// nextDigest says in words when the next digest is due, in the member's
// own time zone.
func nextDigest(ds models.DigestSettings, now time.Time) string {
	// The next moment is one period after the current one, as the
	// scheduler counts them.
	current, ok := models.DigestPeriod(ds, now)
	if !ok {
		return ""
	}
	days := 7
	if ds.Frequency == models.DigestDaily {
		days = 1
	}
	local := current.Due.In(ds.Location())
	next := time.Date(local.Year(), local.Month(), local.Day()+days, ds.Hour, 0, 0, 0, local.Location())
	return next.Format("Monday 2 January, 15:04") + " (" + ds.TimeZone + ")"
}

// levelForm reads a watch/mute/default choice.
func levelOf(c *fiber.Ctx) (models.SubscriptionLevel, error) {
	switch v := c.FormValue("level"); v {
	case "watch", "mute":
		return models.SubscriptionLevel(v), nil
	case "default", "":
		return models.LevelDefault, nil
	}
	return "", errBadRequest("Choose watch, mute or the default.", nil)
}

// boardLevelSave watches or mutes a board for the member.
func (h *Handler) boardLevelSave(c *fiber.Ctx) error {
	board, err := h.store.BoardBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return missing("That board", err)
	}
	if _, err := h.readableBoard(c, board.ID, "That board"); err != nil {
		return err
	}
	level, err := levelOf(c)
	if err != nil {
		return err
	}
	if err := h.store.SetBoardLevel(c.UserContext(), member(c).ID, board.ID, level); err != nil {
		return err
	}
	return c.Redirect("/b/"+board.Slug, fiber.StatusSeeOther)
}

// topicLevelSave watches or mutes a topic for the member.
func (h *Handler) topicLevelSave(c *fiber.Ctx) error {
	topic, _, err := h.readableTopic(c)
	if err != nil {
		return err
	}
	level, err := levelOf(c)
	if err != nil {
		return err
	}
	if err := h.store.SetTopicLevel(c.UserContext(), member(c).ID, topic.ID, level); err != nil {
		return err
	}
	return c.Redirect(topicURL(&topic.Topic), fiber.StatusSeeOther)
}

// levelControl is the watch/default/mute switch of a board or topic page.
type levelControl struct {
	Action string
	Level  string // "watch", "mute" or "" for the default
	What   string // "board" or "topic"
}

type levelView struct {
	*levelControl
	CSRF string
}

func (h *Handler) boardLevelControl(c *fiber.Ctx, boardID int64, slug string) (*levelControl, error) {
	level, err := h.boardLevel(c, member(c).ID, boardID)
	if err != nil {
		return nil, err
	}
	return &levelControl{Action: "/b/" + slug + "/level", Level: string(level), What: "board"}, nil
}

// topicLevelControl is the digest switch of a topic page, showing the
// member's level on the topic.
func topicLevelControl(topicID int64, level models.SubscriptionLevel) *levelControl {
	return &levelControl{Action: "/t/" + strconv.FormatInt(topicID, 10) + "/level", Level: string(level), What: "topic"}
}
