package models

// SchemaVersion is the version a fully migrated database reports.
func SchemaVersion() int { return migrations[len(migrations)-1].version }
