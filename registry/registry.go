// Package registry holds the institutions named in the source article: the coordinator, the 19
// training centres and the partners that signed MoUs. The YAML is embedded so the binary can seed
// an empty database without any file next to it.
package registry

import (
	_ "embed"
	"fmt"
	"time"

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

// Registry is the parsed registry.yaml.
type Registry struct {
	Coordinator Coordinator       `yaml:"coordinator"`
	Centres     []Centre          `yaml:"training_centres"`
	Partners    []Partner         `yaml:"partners"`
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

// Partner returns the partner with the given code.
func (r *Registry) Partner(code string) (Partner, bool) {
	for _, p := range r.Partners {
		if p.Code == code {
			return p, true
		}
	}
	return Partner{}, false
}
