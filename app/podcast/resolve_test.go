package podcast

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"rounds/app/fetch"
)

// An audio file bigger than the fetcher's limit, at an address with no
// audio extension (as podcast hosts' tracking links often are), is still
// an episode: its type says so, and the address as shared is kept.
func TestResolveLargeAudioWithoutExtension(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/track/abc123", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/cdn/abc123?signature=short-lived", http.StatusFound)
	})
	mux.HandleFunc("/cdn/abc123", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "audio/mp4")
		w.Write([]byte(strings.Repeat("\x00", 8<<10)))
	})
	mux.HandleFunc("/big-page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>" + strings.Repeat("words ", 4<<10)))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := fetch.New(fetch.Options{AllowLoopback: true, MaxBytes: 1 << 10})

	found, err := Resolve(context.Background(), f, srv.URL+"/track/abc123")
	if err != nil {
		t.Fatal(err)
	}
	if found.Audio == nil || found.Audio.AudioURL != srv.URL+"/track/abc123" || found.Audio.AudioType != "audio/mp4" {
		t.Fatalf("found %+v", found.Audio)
	}
	// A page too large to read is not mistaken for audio.
	if _, err := Resolve(context.Background(), f, srv.URL+"/big-page"); err == nil {
		t.Fatal("a huge page was taken for an episode")
	}
}

// An audio file's name becomes its title, decoded from the address; a NUL
// or other control character encoded in the address does not reach it.
func TestResolveAudioNamedWithControlCharacters(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "audio/mpeg")
		w.Write([]byte("ID3"))
	}))
	defer srv.Close()
	f := fetch.New(fetch.Options{AllowLoopback: true})
	found, err := Resolve(context.Background(), f, srv.URL+"/Syncope%00work-up%1B%FF.mp3")
	if err != nil {
		t.Fatal(err)
	}
	if found.Audio == nil || found.Audio.Title != "Syncopework-up\ufffd.mp3" {
		t.Fatalf("found %+v", found.Audio)
	}
}
