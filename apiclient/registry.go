package apiclient

import (
	"context"
	"fmt"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Health asks the server how its dependencies are; a degraded server answers 503, an *Error.
func (c *Client) Health(ctx context.Context) (api.Health, error) {
	return do[api.Health](ctx, c, opHealth, nil, nil, nil)
}

// OpenAPI fetches the server's OpenAPI document (YAML).
func (c *Client) OpenAPI(ctx context.Context) (*File, error) {
	return c.fetch(ctx, opOpenAPI, nil, nil, "", nil)
}

// ListCentres lists the training centres of the registry.
func (c *Client) ListCentres(ctx context.Context) ([]store.Centre, error) {
	return do[[]store.Centre](ctx, c, opListCentres, nil, nil, nil)
}

// ListPartners lists the partners of the registry: the insurer and the LSPs.
func (c *Client) ListPartners(ctx context.Context) ([]store.Partner, error) {
	return do[[]store.Partner](ctx, c, opListPartners, nil, nil, nil)
}

// ListSchemes lists the certification schemes with their units of competence.
func (c *Client) ListSchemes(ctx context.Context) ([]store.Scheme, error) {
	return do[[]store.Scheme](ctx, c, opListSchemes, nil, nil, nil)
}

// ListPackages lists the training packages, of one centre when centre is not empty.
func (c *Client) ListPackages(ctx context.Context, centre string) ([]store.Package, error) {
	return do[[]store.Package](ctx, c, opListPackages, nil, query{}.str("centre", centre), nil)
}

// CreatePackage creates a training package; the answer warns of agreements that do not cover it.
func (c *Client) CreatePackage(ctx context.Context, req api.PackageRequest) (api.PackageCreated, error) {
	return do[api.PackageCreated](ctx, c, opCreatePackage, nil, nil, req)
}

// UpdatePackage changes a package's capacity (a coordinator's change); a raise seats the cases on
// its waiting list in order, and the answer names them.
func (c *Client) UpdatePackage(ctx context.Context, code string, capacity int) (starter.CapacityChange, error) {
	return do[starter.CapacityChange](ctx, c, opUpdatePackage, []string{code}, nil, api.PackageUpdate{Capacity: &capacity})
}

// EditPackage changes a package (a coordinator's change): the fields set in u. The answer has
// each change in words, the agreements that do not cover the package, and what each running
// journey of the package answered.
func (c *Client) EditPackage(ctx context.Context, code string, u api.PackageUpdate) (starter.PackageEdited, error) {
	return do[starter.PackageEdited](ctx, c, opUpdatePackage, []string{code}, nil, u)
}

// GetPackage reads one training package.
func (c *Client) GetPackage(ctx context.Context, code string) (store.Package, error) {
	return do[store.Package](ctx, c, opGetPackage, []string{code}, nil, nil)
}

// Enrol enrols validated people in a package, starting one journey each (at most 1,000 per
// call); the results are in the order of people. It makes a Client an importer.Enroller.
func (c *Client) Enrol(ctx context.Context, packageCode string, people []starter.Person) ([]starter.EnrolResult, error) {
	resp, err := do[api.EnrolResponse](ctx, c, opEnrol, []string{packageCode}, nil, api.EnrolRequest{People: people})
	return resp.Results, err
}

// Enrolled answers, for each NIK in order, the case ID of that person's enrolment in the package
// ("" when not enrolled), in batches of at most 1,000 (the API's limit). It makes a Client an
// importer.EnrolledChecker: a dry run then reads already-enrolled as a start would.
func (c *Client) Enrolled(ctx context.Context, packageCode string, niks []string) ([]string, error) {
	out := make([]string, 0, len(niks))
	// One request at least: no NIKs is a question too (answered with no results).
	for from := 0; from == 0 || from < len(niks); from += maxEnrolledBatch {
		batch := niks[from:min(from+maxEnrolledBatch, len(niks))]
		resp, err := do[api.EnrolledResponse](ctx, c, opEnrolled, []string{packageCode}, nil, api.EnrolledRequest{NIKs: batch})
		if err != nil {
			return nil, err
		}
		if len(resp.Results) != len(batch) {
			return nil, fmt.Errorf("enrolled in %s: %d answers for %d NIKs", packageCode, len(resp.Results), len(batch))
		}
		for _, r := range resp.Results {
			out = append(out, r.CaseID)
		}
	}
	return out, nil
}

// maxEnrolledBatch is the API's limit of NIKs per enrolled question.
const maxEnrolledBatch = 1000

// PackageView reads a package with its seats taken and its waiting list.
func (c *Client) PackageView(ctx context.Context, code string) (api.PackageView, error) {
	return do[api.PackageView](ctx, c, opGetPackage, []string{code}, nil, nil)
}

// PreviewPackage asks whether agreements cover a package before it is created: the warnings
// CreatePackage would answer, nothing stored.
func (c *Client) PreviewPackage(ctx context.Context, req api.PackageRequest) (api.PackagePreview, error) {
	return do[api.PackagePreview](ctx, c, opPreviewPackage, nil, nil, req)
}
