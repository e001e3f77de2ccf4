package fetch

import (
	"fmt"
	"mime"
	"strings"
)

// acceptHeader turns the caller's media types into an Accept header.
func acceptHeader(accept []string) string {
	if len(accept) == 0 {
		return "*/*"
	}
	return strings.Join(accept, ", ")
}

// checkMediaType returns the lower-cased media type of a Content-Type header
// and whether the caller listed it. Matching is exact apart from "type/*"
// and "*/*" wildcards: a caller that can read application/xml says so.
// A missing header is taken as application/octet-stream (RFC 9110 8.3).
func checkMediaType(header string, accept []string) (string, error) {
	mediaType := "application/octet-stream"
	if strings.TrimSpace(header) != "" {
		mt, _, err := mime.ParseMediaType(header)
		if err != nil && err != mime.ErrInvalidMediaParameter {
			if len(accept) == 0 {
				return "", nil
			}
			return "", fmt.Errorf("content type %q: %w", header, err)
		}
		mediaType = strings.ToLower(mt)
	}
	if len(accept) == 0 {
		return mediaType, nil
	}
	for _, a := range accept {
		pattern, _, _ := strings.Cut(a, ";") // a caller's "text/html; q=0.9" still means text/html
		if mediaTypeMatches(strings.ToLower(strings.TrimSpace(pattern)), mediaType) {
			return mediaType, nil
		}
	}
	return "", fmt.Errorf("content type %q not in %q", mediaType, accept)
}

func mediaTypeMatches(pattern, mediaType string) bool {
	if pattern == "*/*" || pattern == mediaType {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, "/*"); ok {
		typ, _, _ := strings.Cut(mediaType, "/")
		return typ == prefix
	}
	return false
}
