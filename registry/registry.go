// Package registry holds the institutions named in the source article: the coordinator, the 19
// training centres and the partners that signed MoUs, and the certification schemes with their
// units of competence (sample data, each list saying where it comes from). The YAML is embedded so
// the binary can seed an empty database without any file next to it.
package registry

import (
	_ "embed"
	"fmt"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"
)

//go:embed registry.yaml
var registryYAML []byte

// Coordinator is the unit that coordinates the network and signs the MoUs (BPVP Sidoarjo).
type Coordinator struct {
	Code    string `yaml:"code"`
	Name    string `yaml:"name"`
	Owner   string `yaml:"owner"`
	Address string `yaml:"address"`
	Regency string `yaml:"regency"`
}

// Centre is one training centre (BLK). Regency is the official regency code ("35.78") when the
// article makes it unambiguous; otherwise only RegencyName is known (e.g. "Kediri" may be the city
// or the regency), and we do not guess.
type Centre struct {
	Code        string `yaml:"code"`
	Name        string `yaml:"name"`
	Owner       string `yaml:"owner"` // province | regency
	Regency     string `yaml:"regency"`
	RegencyName string `yaml:"regency_name"`
}

// Partner is an insurer or a certification body (LSP).
type Partner struct {
	Code string `yaml:"code"`
	Kind string `yaml:"kind"` // insurer | certifier
	Name string `yaml:"name"`
}

// Scheme is a certification scheme (skema sertifikasi): the SKKNI units of competence an LSP
// assesses, each K or BK, before it certifies someone on the scheme.
type Scheme struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
	// Sample marks a unit list that is not the certifying LSP's own published list; Source
	// says where the list comes from either way.
	Sample bool   `yaml:"sample"`
	Source string `yaml:"source"`
	Units  []Unit `yaml:"units"`
}

// Unit is one unit of competence, by its SKKNI code (e.g. LOG.OO01.002.01).
type Unit struct {
	Code  string `yaml:"code"`
	Title string `yaml:"title"`
}

// UnitCodes lists the scheme's unit codes in their order.
func (s Scheme) UnitCodes() []string {
	out := make([]string, len(s.Units))
	for i, u := range s.Units {
		out[i] = u.Code
	}
	return out
}

// Registry is the parsed registry.yaml.
type Registry struct {
	Coordinator Coordinator       `yaml:"coordinator"`
	Centres     []Centre          `yaml:"training_centres"`
	Partners    []Partner         `yaml:"partners"`
	Schemes     []Scheme          `yaml:"schemes"`
	MoUSignedOn time.Time         `yaml:"-"`
	Regulations map[string]string `yaml:"regulations"`
	Figures     map[string]any    `yaml:"figures"`
}

// file mirrors the YAML layout where it differs from Registry (the date is a quoted string).
type file struct {
	Registry    `yaml:",inline"`
	MoUSignedOn string `yaml:"mou_signed_on"`
}

// Load parses the embedded registry and checks it is internally consistent.
func Load() (*Registry, error) {
	return parse(registryYAML)
}

func parse(data []byte) (*Registry, error) {
	var f file
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("parse registry: %w", err)
	}
	signed, err := time.Parse(time.DateOnly, f.MoUSignedOn)
	if err != nil {
		return nil, fmt.Errorf("parse registry: mou_signed_on %q: %w", f.MoUSignedOn, err)
	}
	r := f.Registry
	r.MoUSignedOn = signed
	if err := r.validate(); err != nil {
		return nil, fmt.Errorf("parse registry: %w", err)
	}
	return &r, nil
}

// validate catches editing mistakes early; a duplicate code would silently merge two rows at seed.
func (r *Registry) validate() error {
	if r.Coordinator.Code == "" {
		return fmt.Errorf("coordinator code is empty")
	}
	seen := map[string]bool{}
	for _, c := range r.Centres {
		if c.Code == "" || c.Name == "" {
			return fmt.Errorf("centre %q: code and name are required", c.Code)
		}
		if seen[c.Code] {
			return fmt.Errorf("duplicate centre code %q", c.Code)
		}
		seen[c.Code] = true
	}
	seen = map[string]bool{}
	for _, p := range r.Partners {
		if p.Code == "" || p.Name == "" {
			return fmt.Errorf("partner %q: code and name are required", p.Code)
		}
		if p.Kind != KindInsurer && p.Kind != KindCertifier {
			return fmt.Errorf("partner %q: unknown kind %q", p.Code, p.Kind)
		}
		if seen[p.Code] {
			return fmt.Errorf("duplicate partner code %q", p.Code)
		}
		seen[p.Code] = true
	}
	return r.validateSchemes()
}

// validateSchemes requires each scheme's code, name, source and at least one unit, and unit
// codes without spaces, each once per scheme: a journey holds a result to exactly these units.
func (r *Registry) validateSchemes() error {
	seen := map[string]bool{}
	for _, s := range r.Schemes {
		if s.Code == "" || s.Name == "" || s.Source == "" {
			return fmt.Errorf("scheme %q: code, name and source are required", s.Code)
		}
		if seen[s.Code] {
			return fmt.Errorf("duplicate scheme code %q", s.Code)
		}
		seen[s.Code] = true
		if len(s.Units) == 0 {
			return fmt.Errorf("scheme %s: no units of competence", s.Code)
		}
		units := map[string]bool{}
		for _, u := range s.Units {
			if u.Code == "" || strings.ContainsFunc(u.Code, unicode.IsSpace) {
				return fmt.Errorf("scheme %s: unit code %q is empty or has spaces", s.Code, u.Code)
			}
			if units[u.Code] {
				return fmt.Errorf("scheme %s: unit %s listed twice", s.Code, u.Code)
			}
			units[u.Code] = true
		}
	}
	return nil
}

// Partner kinds.
const (
	// KindInsurer is a social-security insurer (BPJS Ketenagakerjaan).
	KindInsurer = "insurer"
	// KindCertifier is a certification body (LSP).
	KindCertifier = "certifier"
)

// Centre returns the centre with the given code.
func (r *Registry) Centre(code string) (Centre, bool) {
	for _, c := range r.Centres {
		if c.Code == code {
			return c, true
		}
	}
	return Centre{}, false
}

// Scheme returns the certification scheme with the given code.
func (r *Registry) Scheme(code string) (Scheme, bool) {
	for _, s := range r.Schemes {
		if s.Code == code {
			return s, true
		}
	}
	return Scheme{}, false
}

// Partner returns the partner with the given code.
func (r *Registry) Partner(code string) (Partner, bool) {
	for _, p := range r.Partners {
		if p.Code == code {
			return p, true
		}
	}
	return Partner{}, false
}
