package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"

	"rounds/app/apptest"
	"rounds/app/imageproxy"
	"rounds/app/notify"
	"rounds/models"
)

// getBookkeeping is what a GET may write: the session's own bookkeeping
// (its last use, the sign-in attempt a callback takes), the counts of the
// rate limits and the job queue's tables, when a feed token was last
// used, which its owner reads on the feeds page, and how far the member
// has read each topic: reading a topic page is what moves that position
// (see readBatcher), and it is the reader's own, shown to no one else.
var getBookkeeping = map[string][]string{
	"sessions":       nil, // the whole table
	"login_attempts": nil,
	"rate_limits":    nil,
	"feed_tokens":    {"last_used_at"},
	"topic_reads":    nil,
	// How far a participant has read a consult, and the notifications of
	// what they have now read: reading records it, as a mail client does.
	"consult_members":       {"last_read_message_id"},
	"consult_notifications": {"read_at"},
}

// No GET changes what a member has: a link on another site, a mail
// scanner or a browser's prefetch can make one. Every GET route is asked
// for, with the addresses of real things, by the member they belong to;
// the database is the same afterwards.
func TestNoGETChangesData(t *testing.T) {
	apptest.Run(t, func(t *testing.T, a *apptest.App) {
		ctx := t.Context()
		// An administrator reaches every page; the things are theirs.
		okafor := a.Admin(t, "okafor", "Dr. Amara Okafor", "Cardiology")
		weber := a.VerifiedMember(t, "weber", "Jonas Weber, RN", "Critical Care Nursing")
		board := a.Board(t, "cardiology", "Cardiology")
		topic := a.Topic(t, board, okafor, "Amiodarone and warfarin", "Opening post", "anticoagulation")
		group := a.Group(t, "Cardiology team", "", "", okafor)
		nurse := a.Browser(t)
		nurse.SignIn(weber)
		topicPath := fmt.Sprintf("/t/%d", topic.ID)
		wantStatus(t, nurse.Submit(topicPath, topicPath+"/reply", url.Values{"body": {"Ask @okafor."}}), http.StatusSeeOther)
		reply := a.Reply(t, topic, weber, "Another reply")
		if _, err := a.Store.FlagPost(ctx, models.NewFlag{PostID: reply.ID, ReporterID: okafor.ID, Reason: "spam"}); err != nil {
			t.Fatal(err)
		}
		applicant := a.PendingMember(t, "newcomer")
		application := &models.Verification{UserID: applicant.ID, FullName: "New Comer", Profession: "physician", Specialty: "Cardiology"}
		if err := a.Store.SubmitVerification(ctx, application); err != nil {
			t.Fatal(err)
		}
		feedToken, err := a.Store.CreateFeedToken(ctx, okafor.ID)
		if err != nil {
			t.Fatal(err)
		}
		unsubscribe, err := a.Store.CreateUnsubscribeToken(ctx, okafor.ID)
		if err != nil {
			t.Fatal(err)
		}
		consult := a.Consult(t, weber, "A private question", "Hello", okafor)
		messages, err := a.Store.ConsultMessages(ctx, consult.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Store.ReportConsultMessage(ctx, messages[0].ID, okafor.ID, models.FlagSpam, ""); err != nil {
			t.Fatal(err)
		}
		b := a.Browser(t)
		b.SignIn(okafor)
		notification := unreadNotification(b.Get("/notifications").Body)
		if notification == "" {
			t.Fatal("okafor has no unread notification")
		}

		// A posted image, and an upload still staged in okafor's composer.
		image := postImage(t, b, topic, "12-lead ECG")
		staged := submitMultipart(t, b, topicPath, topicPath+"/reply", url.Values{"body": {"Another film"}},
			&upload{"image", "film.png", "image/png", pngBytes(t, 64, 64)})
		ticket := ticketInput.FindStringSubmatch(staged.Body)

		ids := strings.NewReplacer(
			"/t/:id<int>/:slug", fmt.Sprintf("/t/%d/%s", topic.ID, topic.Slug),
			"/t/:id<int>", topicPath,
			"/p/:id<int>", fmt.Sprintf("/p/%d", reply.ID),
			"/mod/review/:id<int>", fmt.Sprintf("/mod/review/%d", reply.ID),
			"/mod/posts/:id<int>", fmt.Sprintf("/mod/posts/%d", reply.ID),
			"/mod/topics/:id<int>", fmt.Sprintf("/mod/topics/%d", topic.ID),
			"/mod/verifications/:id<int>", fmt.Sprintf("/mod/verifications/%d", application.ID),
			"/admin/boards/:id<int>", fmt.Sprintf("/admin/boards/%d", board.ID),
			"/admin/groups/:id<int>", fmt.Sprintf("/admin/groups/%d", group.ID),
			"/admin/members/:id<int>", fmt.Sprintf("/admin/members/%d", weber.ID),
			"/consults/:id<int>", fmt.Sprintf("/consults/%d", consult.ID),
			"/consult-messages/:id<int>", fmt.Sprintf("/consult-messages/%d", messages[0].ID),
			"/mod/consult-messages/:id<int>", fmt.Sprintf("/mod/consult-messages/%d", messages[0].ID),
			"/u/:username", "/u/weber",
			"/notifications/:id<int>", "/notifications/"+notification,
			"/unsubscribe/email/:token", notify.UnsubscribePath+a.Site.Unsubscribes.Token(okafor.ID, models.EmailKinds),
			"/unsubscribe/:token", "/unsubscribe/"+unsubscribe,
			"/feeds/:token", "/feeds/"+feedToken,
			"/admin/outbox/:name", "/admin/outbox/none.eml",
			"/auth/:provider", "/auth/demo",
			// An image the server's fetcher refuses to reach at once.
			"/img/:signature/:address", imageproxy.NewSigner(a.Config.Secret).URL("http://127.0.0.1/ecg.png"),
			"/media/:name/:size", "/media/"+image+"/full",
			"/uploads/:ticket", "/uploads/"+ticket[1],
			":slug", board.Slug, ":tag", "anticoagulation",
		)
		// What the set-up read is written before the count starts.
		if err := a.Site.FlushReadPositions(ctx); err != nil {
			t.Fatal(err)
		}
		before := databaseRows(t, a)
		positionsBefore := readingPositions(t, a)
		var asked int
		for key := range routeAccess {
			method, pattern, _ := strings.Cut(key, " ")
			if method != http.MethodGet || pattern == "/static/*" {
				continue
			}
			path := ids.Replace(pattern)
			if strings.ContainsAny(path, ":<") {
				t.Fatalf("no address for %s: %s", key, path)
			}
			// The image is out of reach, which the proxy answers with 502.
			unreachable := strings.HasPrefix(pattern, imageproxy.Prefix)
			if res := b.Get(path); res.Status >= 500 && !(unreachable && res.Status == http.StatusBadGateway) {
				t.Errorf("GET %s: status %d", path, res.Status)
			}
			asked++
		}
		if asked < 40 {
			t.Fatalf("only %d GET routes asked for", asked)
		}
		after := databaseRows(t, a)
		for table, rows := range before {
			if !reflect.DeepEqual(rows, after[table]) {
				t.Errorf("a GET changed %s:\nbefore %v\nafter  %v", table, rows, after[table])
			}
		}
		// Reading positions are the reader's own: the GETs moved only
		// okafor's, and only forward.
		if err := a.Site.FlushReadPositions(ctx); err != nil {
			t.Fatal(err)
		}
		for key, n := range readingPositions(t, a) {
			was, ok := positionsBefore[key]
			switch {
			case ok && n < was:
				t.Errorf("a GET moved the reading position %v back from %d to %d", key, was, n)
			case n != was && key[0] != okafor.ID:
				t.Errorf("okafor's GETs moved another member's reading position %v to %d", key, n)
			}
		}
	})
}

// readingPositions reads every member's position in every topic, by
// member and topic.
func readingPositions(t *testing.T, a *apptest.App) map[[2]int64]int {
	t.Helper()
	var rows []struct {
		UserID, TopicID int64
		LastRead        int
	}
	if err := a.Store.DB().Raw(`SELECT user_id, topic_id, last_read FROM topic_reads`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[[2]int64]int{}
	for _, r := range rows {
		out[[2]int64{r.UserID, r.TopicID}] = r.LastRead
	}
	return out
}

// databaseRows reads every table but the bookkeeping a GET may write, as
// sorted lines of column=value.
func databaseRows(t *testing.T, a *apptest.App) map[string][]string {
	t.Helper()
	db := a.Store.DB()
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, table := range tables {
		skipped, bookkeeping := getBookkeeping[table]
		if strings.HasPrefix(table, "river_") || (bookkeeping && skipped == nil) {
			continue
		}
		var rows []map[string]any
		if err := db.Table(table).Find(&rows).Error; err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		lines := make([]string, 0, len(rows))
		for _, row := range rows {
			for _, column := range skipped {
				delete(row, column)
			}
			lines = append(lines, fmt.Sprint(row))
		}
		sort.Strings(lines)
		out[table] = lines
	}
	return out
}
