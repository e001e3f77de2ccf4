package models

import (
	"fmt"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite's page cache lives in one buffer taken when the process starts,
// not in pages allocated one at a time.
//
// This build of SQLite (modernc.org/sqlite, with SQLITE_ENABLE_MEMORY_MANAGEMENT)
// keeps one page cache shared by every connection and allocates each page
// with its own malloc, which the Go port of libc serves from slabs it maps
// and unmaps with the kernel as they fill and empty. In WAL mode a
// connection drops every page it holds whenever another connection has
// committed since its last read: each write (a reply, the reading
// positions written once a second) freed thousands of pages, the slabs
// went back to the kernel, and the next reads mapped them again and took a
// page fault for every page. At 1M posts that churn, and the page faults
// on the memory-mapped file that a commit's unmapping caused in the same
// way (see sqliteDSN), were over 40 % of a topic page's CPU
// (docs/performance.md). Pages taken from a fixed buffer go back to its
// free list instead: no system call, no fault.
//
// sqlitePageCacheSlots is enough for every pooled connection's cache_size
// of pages of the default size (4 KiB); past it (a larger page size, or
// every slot taken) SQLite falls back to its malloc as before.
const sqlitePageCacheSlots = sqliteMaxConns * sqliteCacheKiB / 4

// sqlitePageCacheErr is why the buffer could not be given, reported by the
// first Open of a SQLite store; nil when it was.
var sqlitePageCacheErr = giveSQLitePageCache(sqlitePageCacheSlots)

// giveSQLitePageCache hands SQLite a buffer of slots pages. It must run
// before the process opens its first SQLite connection (SQLite reads its
// configuration once, when first used), hence a package variable's
// initialiser: this package is what opens them.
func giveSQLitePageCache(slots int) error {
	tls := libc.NewTLS()
	defer tls.Close()
	// Room for sqlite3_config's three arguments and the header size.
	args := libc.Xmalloc(tls, 4*8)
	if args == 0 {
		return fmt.Errorf("no memory for the SQLite page cache's arguments")
	}
	defer libc.Xfree(tls, args)
	header := args + 3*8
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PCACHE_HDRSZ, libc.VaList(args, header)); rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ): code %d", rc)
	}
	// A slot holds a page and SQLite's header for it, 8-byte aligned.
	slot := (4096 + *(*int32)(cMemory(header)) + 7) &^ 7
	buf := libc.Xmalloc(tls, types.Size_t(int64(slot)*int64(slots)))
	if buf == 0 {
		return fmt.Errorf("no memory for the SQLite page cache (%d pages)", slots)
	}
	// The buffer is SQLite's for the life of the process.
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PAGECACHE, libc.VaList(args, buf, slot, int32(slots))); rc != sqlite3.SQLITE_OK {
		libc.Xfree(tls, buf)
		return fmt.Errorf("sqlite3_config(SQLITE_CONFIG_PAGECACHE): code %d", rc)
	}
	return nil
}

// cMemory is the address p of memory from libc's allocator, outside Go's
// heap, as a pointer to read what SQLite wrote there.
func cMemory(p uintptr) unsafe.Pointer { return unsafe.Add(nil, p) }
