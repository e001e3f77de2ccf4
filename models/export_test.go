package models

import "fmt"

// SchemaVersion is the version a fully migrated database reports.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// ProfileCountsCounted counts what ProfileOf keeps, the slow way it once
// did on every view: from the member's posts, joined to their topics,
// boards and opening posts. The tests hold the kept counts to it.
func (s *Store) ProfileCountsCounted(viewer *User, userID int64) (counts [5]int64, err error) {
	from, args := profilePostsFrom(s.engine, viewer)
	err = s.db.Raw(`SELECT COALESCE(SUM(CASE WHEN p.number = 1 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN p.number > 1 THEN 1 ELSE 0 END), 0) `+from,
		append([]any{userID}, args...)...).Row().Scan(&counts[0], &counts[1])
	if err != nil {
		return counts, err
	}
	err = s.db.Raw(`SELECT COALESCE(SUM(CASE WHEN r.kind = ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN r.kind = ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN r.kind = ? THEN 1 ELSE 0 END), 0)
		FROM post_reactions r WHERE r.post_id IN (SELECT p.id `+from+`)`,
		append([]any{ReactHelpful, ReactAgree, ReactThanks, userID}, args...)...).Row().Scan(&counts[2], &counts[3], &counts[4])
	return counts, err
}

// MemberCountsDrift lists every member and board whose kept counts differ
// from a count made afresh from the posts, one line each; none when the
// writes kept them right.
func (s *Store) MemberCountsDrift() ([]string, error) {
	fresh, err := countMembers(s.db, "1 = 1")
	if err != nil {
		return nil, err
	}
	var kept []memberCount
	if err := s.db.Raw(`SELECT ` + memberCountColumns + ` FROM member_board_counts`).Scan(&kept).Error; err != nil {
		return nil, err
	}
	var drift []string
	for _, k := range kept {
		f := fresh[memberKey{k.UserID, k.BoardID}]
		f.UserID, f.BoardID = k.UserID, k.BoardID
		if f != k {
			drift = append(drift, fmt.Sprintf("kept %+v, counted %+v", k, f))
		}
		delete(fresh, memberKey{k.UserID, k.BoardID})
	}
	for _, f := range fresh {
		if f != (memberCount{UserID: f.UserID, BoardID: f.BoardID}) {
			drift = append(drift, fmt.Sprintf("kept nothing, counted %+v", f))
		}
	}
	return drift, nil
}
