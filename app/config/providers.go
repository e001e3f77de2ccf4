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
		if reservedNames[p.Name] {
			errs = append(errs, &Error{Var: prefix + "ISSUER", Problem: fmt.Sprintf("NAME %s is reserved for ROUNDS_%s_*; choose another NAME", name, name)})
		}
		c.OIDC = append(c.OIDC, p)
	}
	errs = append(errs, c.loadNamedProviders(environ)...)
	return errors.Join(errs...)
}

// reservedNames are the providers configured by their own variables.
var reservedNames = map[string]bool{"google": true, "microsoft": true, "github": true}

// GitHubApp is a GitHub OAuth app (GitHub offers OAuth 2.0 without OpenID
// Connect), configured by ROUNDS_GITHUB_CLIENT_ID and _CLIENT_SECRET.
type GitHubApp struct {
	ClientID     string
	ClientSecret string
	// AuthURL, TokenURL and APIURL replace GitHub's own endpoints in
	// tests; they are never read from the environment.
	AuthURL, TokenURL, APIURL string
}

// tenantGUID is a Microsoft Entra tenant ID.
var tenantGUID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// loadNamedProviders reads Google, Microsoft Entra ID and GitHub.
func (c *Config) loadNamedProviders(environ []string) []error {
	vars := map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = strings.TrimSpace(v)
	}
	var errs []error
	// pair reads a client ID and secret: both or neither.
	pair := func(prefix string) (id, secret string, ok bool) {
		id, secret = vars[prefix+"CLIENT_ID"], vars[prefix+"CLIENT_SECRET"]
		switch {
		case id == "" && secret == "":
			return "", "", false
		case id == "":
			errs = append(errs, &Error{Var: prefix + "CLIENT_ID", Problem: "is required when " + prefix + "CLIENT_SECRET is set"})
			return "", "", false
		case secret == "":
			errs = append(errs, &Error{Var: prefix + "CLIENT_SECRET", Problem: "is required when " + prefix + "CLIENT_ID is set"})
			return "", "", false
		}
		return id, secret, true
	}
	if id, secret, ok := pair("ROUNDS_GOOGLE_"); ok {
		c.OIDC = append(c.OIDC, OIDCProvider{Name: "google", Label: "Google", Issuer: "https://accounts.google.com",
			ClientID: id, ClientSecret: secret})
	}
	tenant := vars["ROUNDS_MICROSOFT_TENANT"]
	id, secret, ok := pair("ROUNDS_MICROSOFT_")
	if ok || tenant != "" {
		switch lower := strings.ToLower(tenant); {
		case tenant == "":
			errs = append(errs, &Error{Var: "ROUNDS_MICROSOFT_TENANT", Problem: "is required: your organisation's Entra tenant ID (a GUID)"})
			ok = false
		case lower == "common" || lower == "organizations" || lower == "consumers":
			errs = append(errs, &Error{Var: "ROUNDS_MICROSOFT_TENANT", Problem: fmt.Sprintf("%q would let any Microsoft account sign in and has no fixed issuer; use your organisation's tenant ID (a GUID)", tenant)})
			ok = false
		case !tenantGUID.MatchString(tenant):
			errs = append(errs, &Error{Var: "ROUNDS_MICROSOFT_TENANT", Problem: fmt.Sprintf("%q is not a tenant ID: use the GUID (Entra admin center, Overview, Tenant ID), not a domain", tenant)})
			ok = false
		}
		if tenant != "" && id == "" && secret == "" {
			errs = append(errs, &Error{Var: "ROUNDS_MICROSOFT_CLIENT_ID", Problem: "is required when ROUNDS_MICROSOFT_TENANT is set"})
		}
		p := OIDCProvider{Name: "microsoft", Label: "Microsoft", Issuer: "https://login.microsoftonline.com/" + strings.ToLower(tenant) + "/v2.0",
			ClientID: id, ClientSecret: secret}
		if raw := vars["ROUNDS_MICROSOFT_TRUSTED"]; raw != "" {
			trusted, err := strconv.ParseBool(raw)
			if err != nil {
				errs = append(errs, &Error{Var: "ROUNDS_MICROSOFT_TRUSTED", Problem: fmt.Sprintf("%q is not true or false", raw)})
				ok = false
			}
			p.Trusted = trusted
		}
		if ok {
			c.OIDC = append(c.OIDC, p)
		}
	}
	if tenant == "" && id == "" && secret == "" && vars["ROUNDS_MICROSOFT_TRUSTED"] != "" {
		errs = append(errs, &Error{Var: "ROUNDS_MICROSOFT_TRUSTED", Problem: "is set but ROUNDS_MICROSOFT_TENANT is not"})
	}
	c.GitHub = nil
	if id, secret, ok := pair("ROUNDS_GITHUB_"); ok {
		c.GitHub = &GitHubApp{ClientID: id, ClientSecret: secret}
	}
	return errs
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
