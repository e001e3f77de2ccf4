package app

import (
	"bytes"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"rounds/app/fetch"
	"rounds/app/seed"
)

// demoPodcastFile serves the demo's own show: its feed and the audio of
// its episodes. net/http's ServeContent answers range requests, which a
// player needs to seek, and conditional ones.
func (h *Handler) demoPodcastFile() fiber.Handler {
	return adaptor.HTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := h.demoPodcast.File(r.URL.Path)
		if f == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f.ContentType)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		http.ServeContent(w, r, "", h.demoPodcast.Modified, bytes.NewReader(f.Body()))
	})
}

// demoResources are the files of the demo's own show, which the demo's
// fetcher answers from memory, so the site reads the show it serves
// without asking the network for its own, often loopback, address.
func demoResources(show *seed.Podcast) map[string]fetch.LocalResource {
	local := make(map[string]fetch.LocalResource, len(show.Files))
	for _, f := range show.Files {
		local[f.URL] = fetch.LocalResource{ContentType: f.ContentType, Size: f.Size, Body: f.Body}
	}
	return local
}
