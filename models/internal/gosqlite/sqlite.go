// Package sqlite stands in for github.com/glebarez/go-sqlite (see the
// replace directive in Rounds' go.mod): it registers modernc.org/sqlite,
// the driver glebarez/go-sqlite was forked from, under the same name
// ("sqlite"), and gives the GORM dialector (github.com/glebarez/sqlite) the
// one thing it takes from the fork, its error type.
//
// Why: the fork keeps only a statement's SQL text and has SQLite parse it
// again on every execution, which was about 40 % of a topic page's CPU
// under load (docs/performance.md). modernc.org/sqlite keeps the compiled
// statement of a prepared *sql.Stmt per connection, so the store's prepared
// hot queries (models/prepared.go) are parsed once per connection. The SQL
// dialect, the DSN (_pragma, _txlock, _time_format), the time formats and
// the error codes are the same, as the fork follows upstream.
package sqlite

import (
	modernc "modernc.org/sqlite"
)

// Error is the driver's error, with its SQLite extended result code.
type Error = modernc.Error
