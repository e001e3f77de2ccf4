package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// OIDCProvider is a generic OpenID Connect provider, such as a hospital's
// single sign-on, configured by ROUNDS_OIDC_<NAME>_* variables.
type OIDCProvider struct {
	Name         string // lower-case NAME, used in URLs
	Issuer       string // ROUNDS_OIDC_<NAME>_ISSUER
	ClientID     string // ROUNDS_OIDC_<NAME>_CLIENT_ID
	ClientSecret string // ROUNDS_OIDC_<NAME>_CLIENT_SECRET
	Label        string // ROUNDS_OIDC_<NAME>_LABEL, shown on the sign-in page
	// Trusted marks an institution whose sign-in itself proves a
	// clinician: its members are verified on first sign-in.
	Trusted bool // ROUNDS_OIDC_<NAME>_TRUSTED
}

var oidcVar = regexp.MustCompile(`^ROUNDS_OIDC_([A-Z0-9]+)_(ISSUER|CLIENT_ID|CLIENT_SECRET|LABEL|TRUSTED)=`)

// LoadProviders finds every ROUNDS_OIDC_<NAME>_* group in environ (as from
// os.Environ) and checks each, naming the variable at fault.
func (c *Config) LoadProviders(environ []string) error {
	groups := map[string]map[string]string{}
	for _, kv := range environ {
		m := oidcVar.FindStringSubmatch(kv)
		if m == nil {
			if strings.HasPrefix(kv, "ROUNDS_OIDC_") {
				name, _, _ := strings.Cut(kv, "=")
				return &Error{Var: name, Problem: "is not ROUNDS_OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _LABEL or _TRUSTED with NAME in A-Z and 0-9"}
			}
			continue
		}
		if groups[m[1]] == nil {
			groups[m[1]] = map[string]string{}
		}
		groups[m[1]][m[2]] = strings.TrimSpace(kv[len(m[0]):])
	}
	names := make([]string, 0, len(groups))
	for name := range groups {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs []error
	c.OIDC = nil
	for _, name := range names {
		g := groups[name]
		prefix := "ROUNDS_OIDC_" + name + "_"
		p := OIDCProvider{Name: strings.ToLower(name), Issuer: strings.TrimRight(g["ISSUER"], "/"),
			ClientID: g["CLIENT_ID"], ClientSecret: g["CLIENT_SECRET"], Label: g["LABEL"]}
		if p.Label == "" {
			p.Label = name[:1] + strings.ToLower(name[1:])
		}
		if err := checkIssuer(p.Issuer); err != nil {
			errs = append(errs, &Error{Var: prefix + "ISSUER", Problem: err.Error()})
		}
		if p.ClientID == "" {
			errs = append(errs, &Error{Var: prefix + "CLIENT_ID", Problem: "is required"})
		}
		if p.ClientSecret == "" {
			errs = append(errs, &Error{Var: prefix + "CLIENT_SECRET", Problem: "is required"})
		}
		if raw, ok := g["TRUSTED"]; ok && raw != "" {
			trusted, err := strconv.ParseBool(raw)
			if err != nil {
				errs = append(errs, &Error{Var: prefix + "TRUSTED", Problem: fmt.Sprintf("%q is not true or false", raw)})
			}
			p.Trusted = trusted
		}
		c.OIDC = append(c.OIDC, p)
	}
	return errors.Join(errs...)
}

// checkIssuer accepts an https issuer, or http on a loopback address for a
// provider running on the same machine.
func checkIssuer(issuer string) error {
	if issuer == "" {
		return errors.New("is required: the provider's issuer URL, e.g. https://login.hospital.org")
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", issuer)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if ip := net.ParseIP(u.Hostname()); (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost" {
			return nil
		}
	}
	return fmt.Errorf("%q must use https (plain http is allowed only on this machine's loopback)", issuer)
}
