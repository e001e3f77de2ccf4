package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config locates a bucket on an S3-compatible service (AWS S3, MinIO,
// SeaweedFS, Garage, Ceph RGW, R2, B2…).
type S3Config struct {
	Endpoint  string // host[:port], such as s3.eu-west-1.amazonaws.com or 127.0.0.1:8333
	Bucket    string
	Prefix    string // prepended to every key, such as "rounds/"; optional
	Region    string // optional for most services
	AccessKey string
	SecretKey string
	// Insecure talks plain HTTP: only for a service on the same host or
	// private network.
	Insecure bool
	// PathStyle addresses the bucket as host/bucket rather than
	// bucket.host, as self-hosted services need.
	PathStyle bool
}

// S3 keeps blobs as objects in a bucket, for several nodes serving one
// site. An object appears whole when its upload completes, so readers
// never see part of one.
type S3 struct {
	client *minio.Client
	cfg    S3Config
}

// NewS3 connects to the bucket and checks that it exists.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("s3 blob store: endpoint and bucket are required")
	}
	if cfg.Prefix != "" && !strings.HasSuffix(cfg.Prefix, "/") {
		cfg.Prefix += "/"
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       !cfg.Insecure,
		Region:       cfg.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 blob store: %w", err)
	}
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3 blob store: bucket %s at %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("s3 blob store: bucket %s does not exist at %s", cfg.Bucket, cfg.Endpoint)
	}
	return &S3{client: client, cfg: cfg}, nil
}

// ParseS3URL reads s3://ACCESS:SECRET@host[:port]/bucket[/prefix]
// [?region=R&insecure=true&path_style=true]. The keys may instead come
// from the caller (ROUNDS_S3_ACCESS_KEY, ROUNDS_S3_SECRET_KEY), which
// keeps them out of the URL.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return S3Config{}, fmt.Errorf("%q is not an s3://host/bucket URL", redact(raw))
	}
	path := strings.Trim(u.Path, "/")
	bucket, prefix, _ := strings.Cut(path, "/")
	if bucket == "" {
		return S3Config{}, fmt.Errorf("%q names no bucket: s3://host/bucket", redact(raw))
	}
	q := u.Query()
	cfg := S3Config{Endpoint: u.Host, Bucket: bucket, Prefix: prefix, Region: q.Get("region"),
		Insecure: q.Get("insecure") == "true", PathStyle: q.Get("path_style") == "true"}
	if prefix != "" {
		if err := CheckKey(prefix); err != nil {
			return S3Config{}, fmt.Errorf("prefix of %q: %w", redact(raw), err)
		}
		cfg.Prefix = prefix + "/"
	}
	if u.User != nil {
		cfg.AccessKey = u.User.Username()
		cfg.SecretKey, _ = u.User.Password()
	}
	for k := range q {
		switch k {
		case "region", "insecure", "path_style":
		default:
			return S3Config{}, fmt.Errorf("%q: unknown setting %q (region, insecure, path_style)", redact(raw), k)
		}
	}
	return cfg, nil
}

// redact hides a URL's secret key for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

func (s *S3) object(key string) string { return s.cfg.Prefix + key }

// Put implements Store.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	_, err := s.client.PutObject(ctx, s.cfg.Bucket, s.object(key), r, size,
		minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// Get implements Store.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := CheckKey(key); err != nil {
		return nil, Info{}, err
	}
	obj, err := s.client.GetObject(ctx, s.cfg.Bucket, s.object(key), minio.GetObjectOptions{})
	if err != nil {
		return nil, Info{}, s.err("get", key, err)
	}
	st, err := obj.Stat()
	if err != nil {
		_ = obj.Close() // the stat's error says why
		return nil, Info{}, s.err("get", key, err)
	}
	return obj, Info{Key: key, Size: st.Size, Modified: st.LastModified}, nil
}

// err maps a missing object to ErrNotFound.
func (s *S3) err(op, key string, err error) error {
	resp := minio.ToErrorResponse(err)
	if resp.StatusCode == http.StatusNotFound || resp.Code == "NoSuchKey" {
		return ErrNotFound
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.cfg.Bucket, s.object(key), minio.RemoveObjectOptions{}); err != nil {
		if errors.Is(s.err("delete", key, err), ErrNotFound) {
			return nil
		}
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// List implements Store.
func (s *S3) List(ctx context.Context, prefix string) ([]Info, error) {
	if err := checkPrefix(prefix, false); err != nil {
		return nil, err
	}
	var out []Info
	var listErr error
	// The client asks for its channel to be read to the end, error or not.
	for obj := range s.client.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: s.object(prefix), Recursive: true}) {
		switch {
		case listErr != nil:
		case obj.Err != nil:
			listErr = fmt.Errorf("list %s: %w", prefix, obj.Err)
		default:
			key := strings.TrimPrefix(obj.Key, s.cfg.Prefix)
			if CheckKey(key) == nil { // else not one of ours
				out = append(out, Info{Key: key, Size: obj.Size, Modified: obj.LastModified})
			}
		}
	}
	if listErr != nil {
		return nil, listErr
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// DeleteAll implements Store, in batches of the service's bulk delete.
func (s *S3) DeleteAll(ctx context.Context, prefix string) (int, error) {
	if err := checkPrefix(prefix, true); err != nil {
		return 0, err
	}
	list, err := s.List(ctx, prefix)
	if err != nil {
		return 0, err
	}
	objects := make(chan minio.ObjectInfo, len(list))
	for _, b := range list {
		objects <- minio.ObjectInfo{Key: s.object(b.Key)}
	}
	close(objects)
	var firstErr error
	failed := 0
	for e := range s.client.RemoveObjects(ctx, s.cfg.Bucket, objects, minio.RemoveObjectsOptions{}) {
		failed++
		if firstErr == nil {
			firstErr = fmt.Errorf("delete %s: %w", e.ObjectName, e.Err)
		}
	}
	return len(list) - failed, firstErr
}
