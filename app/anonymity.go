package app

import "rounds/models"

// anonymizeEditors shows the author of an anonymous post as the topic page
// does wherever they appear as the editor of a version.
func anonymizeEditors(post *models.Post, revs []models.RevisionView) {
	if !post.Anonymous {
		return
	}
	for i := range revs {
		if revs[i].EditorID == post.AuthorID {
			revs[i].EditorName = models.AnonymousAuthor(post.AnonymousAs)
		}
	}
}
