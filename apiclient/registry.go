package apiclient

import (
	"context"
	"net/url"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Health asks the server how its dependencies are; a degraded server answers 503, an *Error.
func (c *Client) Health(ctx context.Context) (api.Health, error) {
	var h api.Health
	return h, c.call(ctx, opHealth, nil, nil, nil, &h)
}

// OpenAPI fetches the server's OpenAPI document (YAML).
func (c *Client) OpenAPI(ctx context.Context) (*File, error) {
	return c.fetch(ctx, opOpenAPI, nil, nil, "", nil)
}

// ListCentres lists the training centres of the registry.
func (c *Client) ListCentres(ctx context.Context) ([]store.Centre, error) {
	var cs []store.Centre
	return cs, c.call(ctx, opListCentres, nil, nil, nil, &cs)
}

// ListPartners lists the partners of the registry: the insurer and the LSPs.
func (c *Client) ListPartners(ctx context.Context) ([]store.Partner, error) {
	var ps []store.Partner
	return ps, c.call(ctx, opListPartners, nil, nil, nil, &ps)
}

// ListPackages lists the training packages, of one centre when centre is not empty.
func (c *Client) ListPackages(ctx context.Context, centre string) ([]store.Package, error) {
	var ps []store.Package
	return ps, c.call(ctx, opListPackages, nil, url.Values(query{}.str("centre", centre)), nil, &ps)
}

// CreatePackage creates a training package.
func (c *Client) CreatePackage(ctx context.Context, req api.PackageRequest) (store.Package, error) {
	var p store.Package
	return p, c.call(ctx, opCreatePackage, nil, nil, req, &p)
}

// GetPackage reads one training package.
func (c *Client) GetPackage(ctx context.Context, code string) (store.Package, error) {
	var p store.Package
	return p, c.call(ctx, opGetPackage, []string{code}, nil, nil, &p)
}

// Enrol enrols validated people in a package, starting one journey each (at most 1,000 per
// call); the results are in the order of people. It makes a Client an importer.Enroller.
func (c *Client) Enrol(ctx context.Context, packageCode string, people []starter.Person) ([]starter.EnrolResult, error) {
	var resp api.EnrolResponse
	if err := c.call(ctx, opEnrol, []string{packageCode}, nil, api.EnrolRequest{People: people}, &resp); err != nil {
		return nil, err
	}
	return resp.Results, nil
}
