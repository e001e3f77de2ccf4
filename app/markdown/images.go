package markdown

import (
	"github.com/yuin/goldmark/ast"
)

// Option adjusts a Renderer.
type Option func(*Renderer)

// WithImageURL has every image of a post load from the address imageURL
// gives for the one its author wrote, such as the site's own image proxy,
// so that a reader's browser asks no other site for anything. imageURL
// must give a path on this site, or "" to drop the image (its alt text
// stays). Without it, images load from the http(s) address written.
func WithImageURL(imageURL func(src string) string) Option {
	return func(r *Renderer) { r.imageURL = imageURL }
}

// proxyImages puts WithImageURL's address on each image of a post.
func proxyImages(doc ast.Node, imageURL func(string) string) {
	var dropped []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			if src := imageURL(string(img.Destination)); src != "" {
				img.Destination = []byte(src)
			} else {
				dropped = append(dropped, img)
			}
		}
		return ast.WalkContinue, nil
	})
	// An image without an address leaves its alt text in its place.
	for _, img := range dropped {
		parent := img.Parent()
		for child := img.FirstChild(); child != nil; child = img.FirstChild() {
			parent.InsertBefore(parent, img, child)
		}
		parent.RemoveChild(parent, img)
	}
}
