package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rounds/app/apptest"
)

// The demo's sign-in sends the browser only to the site's own address, so
// it works wherever the site is reached from: another machine, a
// container, an SSH tunnel. Nothing on the way points at loopback, and
// the site's own calls to its provider need no network at all.
func TestDemoSignInStaysOnTheSitesAddress(t *testing.T) {
	for _, base := range []string{"http://rounds.lan:8080", "https://rounds.example.org"} {
		t.Run(base, func(t *testing.T) {
			a := apptest.New(t, apptest.Options{BaseURL: base})
			okafor := a.VerifiedMember(t, "okafor", "Dr. Amara Okafor", "Cardiology")
			b := a.Browser(t)
			res := b.Submit("/demo/sign-in", "/demo/sign-in", url.Values{"username": {okafor.Username}})
			wantStatus(t, res, http.StatusSeeOther)
			if !strings.HasPrefix(res.Location(), base+"/oidc/authorize?") {
				t.Fatalf("the sign-in sends the browser to %s, want the provider under %s/oidc", res.Location(), base)
			}
			auth, err := url.Parse(res.Location())
			if err != nil {
				t.Fatal(err)
			}
			res = b.Get(auth.RequestURI())
			wantStatus(t, res, http.StatusFound)
			if back := res.Location(); !strings.HasPrefix(back, base+"/auth/demo/callback?") {
				t.Fatalf("the provider sends the browser back to %s", back)
			}
			back, err := url.Parse(res.Location())
			if err != nil {
				t.Fatal(err)
			}
			res = b.Get(back.RequestURI())
			wantStatus(t, res, http.StatusSeeOther)
			mustContain(t, b.Get("/settings/sessions"), "Dr. Amara Okafor")

			discovery := b.Get("/oidc/.well-known/openid-configuration")
			wantStatus(t, discovery, http.StatusOK)
			for _, bad := range []string{"127.0.0.1", "localhost", "[::1]"} {
				if strings.Contains(discovery.Body, bad) {
					t.Errorf("the provider's configuration names %s:\n%s", bad, discovery.Body)
				}
			}
			mustContain(t, discovery, `"issuer":"`+base+`/oidc"`)
		})
	}
}

// Members signing in to the demo at the same moment each end signed in as
// themselves, and the provider, which keeps its sessions in plain maps,
// is not run into from two requests at once (it crashed the process with
// a concurrent map read and write when one member's code was exchanged
// while another's authorization was written).
func TestDemoSignInsAtOnceEachGetTheirOwnSession(t *testing.T) {
	a := apptest.New(t, apptest.Options{})
	var members []string
	for i := range 12 {
		u := a.VerifiedMember(t, fmt.Sprintf("member%02d", i), fmt.Sprintf("Dr. Member %02d", i), "Cardiology")
		members = append(members, u.Username)
	}
	t.Run("together", func(t *testing.T) {
		for _, name := range members {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				for range 3 {
					b := a.Browser(t)
					b.SignInAs(name)
					mustContain(t, b.Get("/settings/sessions"), "Dr. Member "+strings.TrimPrefix(name, "member"))
				}
			})
		}
	})
}
