package modelstest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// The PostgreSQL schemas of MigratedEngines are migrated once and kept for
// the next test: creating a schema, running every migration in it and
// dropping it with CASCADE took several seconds a test on a busy machine,
// nearly all of it PostgreSQL's own work on its catalog. Between tests a
// schema is put back as its migrations left it, in one transaction: every
// table emptied, the rows the migrations wrote put back and every sequence
// set where they left it (schemaSnapshot).
//
// A pool's schemas are named t_pool_<owner>_<n>, and the process keeps a
// session advisory lock on <owner> for as long as it runs. Nothing drops
// them when the process ends (a test binary has no last word), so a pool
// drops the schemas of owners that hold no lock any more, the leftovers of
// earlier runs, when it starts.
type schemaPool struct {
	base  string
	admin *sql.DB
	// owner holds the advisory lock that says this process's schemas are
	// in use; it is never given back.
	owner *sql.Conn
	token string

	mu       sync.Mutex
	free     []string
	made     int
	snapshot *schemaSnapshot
}

// poolLockClass is the first key of the pools' advisory locks (the second
// is the owner's token); the store's migration lock is a single key, which
// PostgreSQL keeps apart from pairs.
const poolLockClass = 7262011

var pools struct {
	mu     sync.Mutex
	byBase map[string]*schemaPool
}

// poolFor returns the process's pool for the database at base, starting it
// on first use, or nil when the tests' role may not reset a schema in one
// go (session_replication_role needs a superuser): each test then has a
// schema of its own, as FreshSchema makes.
func poolFor(t testing.TB, base string) *schemaPool {
	t.Helper()
	pools.mu.Lock()
	defer pools.mu.Unlock()
	if p, ok := pools.byBase[base]; ok {
		return p
	}
	p, err := startPool(base)
	if err != nil {
		t.Fatalf("PostgreSQL schema pool: %v", err)
	}
	if pools.byBase == nil {
		pools.byBase = map[string]*schemaPool{}
	}
	pools.byBase[base] = p
	return p
}

func startPool(base string) (*schemaPool, error) {
	ctx := context.Background()
	gdb, err := gorm.Open(postgres.Open(base), &gorm.Config{})
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", EnvDatabaseURL, err)
	}
	admin, err := gdb.DB()
	if err != nil {
		return nil, err
	}
	if _, err := schemaURL(base, "probe"); err != nil {
		return nil, err
	}
	var superuser bool
	if err := admin.QueryRowContext(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&superuser); err != nil {
		return nil, fmt.Errorf("connect to %s: %w", EnvDatabaseURL, err)
	}
	if !superuser {
		return nil, admin.Close()
	}
	owner, err := admin.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", EnvDatabaseURL, err)
	}
	var raw [4]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	key := int32(binary.BigEndian.Uint32(raw[:]))
	p := &schemaPool{base: base, admin: admin, owner: owner, token: fmt.Sprintf("%08x", uint32(key))}
	if _, err := owner.ExecContext(ctx, `SELECT pg_advisory_lock($1, $2)`, poolLockClass, key); err != nil {
		return nil, fmt.Errorf("lock the pool's owner token: %w", err)
	}
	if err := p.dropAbandoned(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// dropAbandoned drops the pool schemas whose owner's lock is free: their
// process has ended.
func (p *schemaPool) dropAbandoned(ctx context.Context) error {
	rows, err := p.owner.QueryContext(ctx, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\_pool\_%'`)
	if err != nil {
		return fmt.Errorf("list pool schemas: %w", err)
	}
	names, err := scanStrings(rows)
	if err != nil {
		return fmt.Errorf("list pool schemas: %w", err)
	}
	byOwner := map[string][]string{}
	for _, name := range names {
		if parts := strings.Split(name, "_"); len(parts) == 4 && parts[2] != p.token {
			byOwner[parts[2]] = append(byOwner[parts[2]], name)
		}
	}
	for token, schemas := range byOwner {
		key, err := strconv.ParseUint(token, 16, 32)
		if err != nil {
			continue // not a pool's name after all
		}
		var gone bool
		if err := p.owner.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, poolLockClass, int32(uint32(key))).Scan(&gone); err != nil {
			return fmt.Errorf("ask whether pool %s is in use: %w", token, err)
		}
		if !gone {
			continue
		}
		for _, schema := range schemas {
			if _, err := p.owner.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+quoteIdent(schema)+` CASCADE`); err != nil {
				return fmt.Errorf("drop abandoned schema %s: %w", schema, err)
			}
		}
		if _, err := p.owner.ExecContext(ctx, `SELECT pg_advisory_unlock($1, $2)`, poolLockClass, int32(uint32(key))); err != nil {
			return err
		}
	}
	return nil
}

// acquire returns a migrated schema no other test is using, and gives it
// back, as its migrations left it, when the test ends.
func (p *schemaPool) acquire(t testing.TB) string {
	t.Helper()
	p.mu.Lock()
	var schema string
	n := len(p.free)
	if n > 0 {
		schema, p.free = p.free[n-1], p.free[:n-1]
	} else {
		p.made++
		schema = fmt.Sprintf("t_pool_%s_%d", p.token, p.made)
	}
	p.mu.Unlock()
	if n == 0 {
		if err := p.migrate(schema); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if err := p.reset(schema); err != nil {
			t.Errorf("put schema %s back as migrated: %v", schema, err)
			if _, err := p.admin.Exec(`DROP SCHEMA ` + quoteIdent(schema) + ` CASCADE`); err != nil {
				t.Errorf("drop schema %s: %v", schema, err)
			}
			return
		}
		p.mu.Lock()
		p.free = append(p.free, schema)
		p.mu.Unlock()
	})
	return schema
}

// migrate creates schema and brings it up to date as Migrated would; the
// first schema migrated is the one the pool's snapshot is taken of.
func (p *schemaPool) migrate(schema string) error {
	ctx := context.Background()
	if _, err := p.admin.ExecContext(ctx, `CREATE SCHEMA `+quoteIdent(schema)); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	u, err := schemaURL(p.base, schema)
	if err != nil {
		return err
	}
	if err := migrateOnce(ctx, u, "", nil); err != nil {
		return fmt.Errorf("migrate schema %s: %w", schema, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.snapshot == nil {
		snap, err := takeSnapshot(ctx, p.admin, schema)
		if err != nil {
			return err
		}
		p.snapshot = snap
	}
	return nil
}

// reset puts schema back as its migrations left it.
func (p *schemaPool) reset(schema string) error {
	p.mu.Lock()
	snap := p.snapshot
	p.mu.Unlock()
	_, err := p.admin.Exec(snap.resetSQL(schema))
	return err
}

// schemaSnapshot is what a freshly migrated schema holds: its tables, the
// rows the migrations wrote into some of them, and its sequences' state.
type schemaSnapshot struct {
	tables []string
	// rows are the tables the migrations wrote rows into, with those rows
	// as JSON and the columns that can be written back (not generated).
	rows []snapshotRows
	// sequences are where each sequence stood: setval's arguments.
	sequences []snapshotSequence
}

type snapshotRows struct {
	table   string
	columns []string
	json    string
}

type snapshotSequence struct {
	name   string
	value  int64
	called bool
}

func takeSnapshot(ctx context.Context, db *sql.DB, schema string) (*schemaSnapshot, error) {
	snap := &schemaSnapshot{}
	rows, err := db.QueryContext(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`, schema)
	if err != nil {
		return nil, fmt.Errorf("list the tables of %s: %w", schema, err)
	}
	if snap.tables, err = scanStrings(rows); err != nil {
		return nil, fmt.Errorf("list the tables of %s: %w", schema, err)
	}
	for _, table := range snap.tables {
		qualified := quoteIdent(schema) + "." + quoteIdent(table)
		var n int64
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+qualified).Scan(&n); err != nil {
			return nil, fmt.Errorf("count the rows of %s: %w", table, err)
		}
		if n == 0 {
			continue
		}
		saved := snapshotRows{table: table}
		if err := db.QueryRowContext(ctx, `SELECT json_agg(t)::text FROM `+qualified+` t`).Scan(&saved.json); err != nil {
			return nil, fmt.Errorf("read the rows of %s: %w", table, err)
		}
		cols, err := db.QueryContext(ctx, `SELECT a.attname FROM pg_attribute a
			WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
			ORDER BY a.attnum`, qualified)
		if err != nil {
			return nil, fmt.Errorf("list the columns of %s: %w", table, err)
		}
		if saved.columns, err = scanStrings(cols); err != nil {
			return nil, fmt.Errorf("list the columns of %s: %w", table, err)
		}
		snap.rows = append(snap.rows, saved)
	}
	seqs, err := db.QueryContext(ctx, `SELECT sequencename, COALESCE(last_value, start_value), last_value IS NOT NULL
		FROM pg_sequences WHERE schemaname = $1 ORDER BY sequencename`, schema)
	if err != nil {
		return nil, fmt.Errorf("list the sequences of %s: %w", schema, err)
	}
	if err := scanAll(seqs, func(r *sql.Rows) error {
		var s snapshotSequence
		err := r.Scan(&s.name, &s.value, &s.called)
		snap.sequences = append(snap.sequences, s)
		return err
	}); err != nil {
		return nil, err
	}
	return snap, nil
}

// resetSQL empties every table of schema, writes back the migrations' rows
// and sets the sequences back, in one transaction sent as one statement.
// Foreign keys and triggers are off while it runs (session_replication_role):
// every table ends empty or as the migrations left it, and the rows written
// back are the migrations' own, not what a trigger would make of them.
func (s *schemaSnapshot) resetSQL(schema string) string {
	var b strings.Builder
	b.WriteString("BEGIN;\nSET LOCAL session_replication_role = replica;\n")
	for _, table := range s.tables {
		fmt.Fprintf(&b, "DELETE FROM %s.%s;\n", quoteIdent(schema), quoteIdent(table))
	}
	for _, r := range s.rows {
		cols := make([]string, len(r.columns))
		for i, c := range r.columns {
			cols[i] = quoteIdent(c)
		}
		list := strings.Join(cols, ", ")
		qualified := quoteIdent(schema) + "." + quoteIdent(r.table)
		fmt.Fprintf(&b, "INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM json_populate_recordset(NULL::%s, %s);\n",
			qualified, list, list, qualified, quoteLiteral(r.json))
	}
	for _, seq := range s.sequences {
		fmt.Fprintf(&b, "SELECT setval(%s, %d, %t);\n", quoteLiteral(quoteIdent(schema)+"."+quoteIdent(seq.name)), seq.value, seq.called)
	}
	b.WriteString("COMMIT;")
	return b.String()
}

// scanStrings reads rows of one text column.
func scanStrings(rows *sql.Rows) ([]string, error) {
	var out []string
	err := scanAll(rows, func(r *sql.Rows) error {
		var s string
		err := r.Scan(&s)
		out = append(out, s)
		return err
	})
	return out, err
}

func scanAll(rows *sql.Rows, scan func(*sql.Rows) error) error {
	for rows.Next() {
		if err := scan(rows); err != nil {
			rows.Close()
			return err
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	return rows.Err()
}

// schemaURL is base with its connections' search path set to schema.
func schemaURL(base, schema string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("parse %s: %w", EnvDatabaseURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
