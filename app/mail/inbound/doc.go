// Package inbound turns an email a member sends in reply to a Rounds email
// into a reply Rounds can post, without knowing anything about posts.
//
// It has four parts, each usable alone:
//
//   - Reply addresses (Addresses): every email Rounds sends about a topic
//     or consult can carry a Reply-To such as
//     reply+<token>@rounds.example.org, where the token names the member,
//     the topic or consult and when it was issued, and is signed with a key
//     derived from the site's secret. ParseReplyAddress reads it back and
//     says why it cannot (ErrNotReplyAddress, ErrMalformed,
//     ErrBadSignature, ErrExpired).
//   - Message reading (ReadMessage): from a raw RFC 5322 message, the text
//     the member wrote, with the quoted email, the signature and mobile
//     footers taken out, decoded from whatever transfer encoding and
//     charset it came in, from HTML when there is no plain text part.
//     ReplyText and HTMLText are the two steps on their own.
//   - Loop protection (Automatic): auto-replies, bounces and list traffic
//     are recognised so that they are dropped, never posted and never
//     answered.
//   - An SMTP listener (Server) that accepts mail only for valid reply
//     addresses of the site's domain and hands each reply to a Poster; a
//     refused reply goes to a Bouncer, which BounceMessage helps write.
//
// The package never posts, never reads the database and never scans for
// identifiers: the Poster the application gives the Server does that, on
// the same write path as the composer.
package inbound
