package models

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// The pool's SQLite connections run in SQLite's multi-thread mode: without
// the mutex SQLite otherwise takes around every call on a connection.
//
// The driver opens every connection SQLITE_OPEN_FULLMUTEX ("serialized"),
// for programs that share one connection between threads. database/sql
// never does: it hands a connection to one goroutine at a time, and the
// store's own sharing of a connection (a write group's host, sqlite_writer.go)
// passes it on under the write lock. The mutex guarded nothing here, and it
// is not free: SQLite takes it for every column a row hands over
// (sqlite3_column_*), and this SQLite's mutexes are Go code, a recursive
// lock each. At 1M posts that was about 5 % of a topic page's CPU
// (docs/performance.md). SQLite's shared structures (the page cache's
// free list, the allocator) keep their own mutexes, as multi-thread mode
// has them.
//
// The driver has no option for it, so the connection's mutex is taken off
// right after it opens, before anyone uses it: what SQLite's open does with
// SQLITE_OPEN_NOMUTEX, which leaves sqlite3.mutex empty (every
// sqlite3_mutex_enter of an empty mutex does nothing).

// withoutConnectionMutex puts a freshly opened connection of the driver in
// multi-thread mode. It must run before the connection is used.
func withoutConnectionMutex(conn driver.Conn) error {
	db, err := sqliteHandle(conn)
	if err != nil {
		return err
	}
	field := (*uintptr)(cMemory(db + unsafe.Offsetof(sqlite3.Tsqlite3{}.Fmutex)))
	mutex := *field
	if mutex == 0 {
		return nil // opened without one already
	}
	*field = 0
	tls := libc.NewTLS()
	defer tls.Close()
	sqlite3.Xsqlite3_mutex_free(tls, mutex)
	return nil
}

// sqliteHandle is the sqlite3* of one of the driver's connections, which
// the driver keeps in its unexported field db.
func sqliteHandle(conn driver.Conn) (uintptr, error) {
	v := reflect.ValueOf(conn)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if f := v.FieldByName("db"); f.IsValid() && f.Kind() == reflect.Uintptr && f.Uint() != 0 {
			return uintptr(f.Uint()), nil
		}
	}
	return 0, fmt.Errorf("sqlite: no database handle in the driver's connection (%T)", conn)
}
