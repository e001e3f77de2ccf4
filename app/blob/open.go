package blob

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Location is where a site keeps its blobs, as ROUNDS_BLOB_URL says.
type Location struct {
	// Dir is the directory of a filesystem store; empty for S3.
	Dir string
	// S3 locates the bucket of an S3 store.
	S3 *S3Config
}

// ParseLocation reads ROUNDS_BLOB_URL: empty for a directory "blobs" in
// the data directory, file:///path for another directory, or
// s3://ACCESS:SECRET@host[:port]/bucket[/prefix][?region=…&insecure=true&
// path_style=true] for a bucket. accessKey and secretKey, when set
// (ROUNDS_S3_ACCESS_KEY, ROUNDS_S3_SECRET_KEY), take the place of those in
// the URL.
func ParseLocation(raw, dataDir, accessKey, secretKey string) (Location, error) {
	switch {
	case raw == "":
		return Location{Dir: filepath.Join(dataDir, "blobs")}, nil
	case strings.HasPrefix(raw, "file:"):
		u, err := url.Parse(raw)
		if err != nil || u.Host != "" || !filepath.IsAbs(u.Path) {
			return Location{}, fmt.Errorf("%q is not file:///absolute/path", raw)
		}
		return Location{Dir: filepath.Clean(u.Path)}, nil
	case strings.HasPrefix(raw, "s3:"):
		cfg, err := ParseS3URL(raw)
		if err != nil {
			return Location{}, err
		}
		if accessKey != "" {
			cfg.AccessKey = accessKey
		}
		if secretKey != "" {
			cfg.SecretKey = secretKey
		}
		if cfg.AccessKey == "" || cfg.SecretKey == "" {
			return Location{}, fmt.Errorf("%q has no access key and secret key: put them in the URL or in ROUNDS_S3_ACCESS_KEY and ROUNDS_S3_SECRET_KEY", redact(raw))
		}
		return Location{S3: &cfg}, nil
	}
	return Location{}, fmt.Errorf("%q is not file:///path or s3://host/bucket", redact(raw))
}

// Open opens the store at the location.
func (l Location) Open(ctx context.Context) (Store, error) {
	if l.S3 != nil {
		return NewS3(ctx, *l.S3)
	}
	return NewDir(l.Dir)
}

// String describes the location without its secret, for the log.
func (l Location) String() string {
	if l.S3 != nil {
		return fmt.Sprintf("s3 bucket %s at %s", l.S3.Bucket, l.S3.Endpoint)
	}
	return "directory " + l.Dir
}
