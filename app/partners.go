package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/internal/outage"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/partners/bpjs"
	"github.com/bpvp-sidoarjo/kompeten/partners/lsp"
	"github.com/bpvp-sidoarjo/kompeten/registry"
	"github.com/bpvp-sidoarjo/kompeten/simulator"
)

// Insurer builds the BPJS adapter from partners.bpjs; nil for the batch exchange.
func Insurer(c *config.Config) (partners.Insurer, error) {
	p := c.Partners.BPJS
	if p.Adapter == "batch" {
		return nil, nil
	}
	if p.BaseURL == "" {
		return nil, fmt.Errorf("partners.bpjs.base_url: required with the http adapter (or set partners.bpjs.adapter: batch)")
	}
	return bpjs.New(bpjs.Config{BaseURL: p.BaseURL, APIKey: p.APIKey, Timeout: p.Timeout}), nil
}

// CheckCertifiers refuses a configuration that leaves an LSP of the registry without an
// address (partners.lsp.base_url, or partners.lsp_overrides.<CODE> for that LSP): a worker
// would start, and every assessment at that LSP would fail at its first call.
func CheckCertifiers(c *config.Config) error {
	if c.Partners.LSP.BaseURL != "" {
		return nil
	}
	reg, err := registry.Load()
	if err != nil {
		return err
	}
	var missing []string
	for _, p := range reg.Partners {
		if _, ok := c.Partners.LSPOverrides[p.Code]; p.Kind == registry.KindCertifier && !ok {
			missing = append(missing, p.Code)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("partners.lsp.base_url: required (the LSPs' API, called as <base_url>/<CODE>), or partners.lsp_overrides.<CODE> for every LSP; none for %s", strings.Join(missing, ", "))
	}
	return nil
}

// Certifiers returns a lookup of LSP adapters by registry code: partners.lsp_overrides[code]
// when given, else partners.lsp.base_url with the code as the last path segment.
func Certifiers(c *config.Config) func(code string) (partners.Certifier, error) {
	var mu sync.Mutex
	cache := map[string]partners.Certifier{}
	return func(code string) (partners.Certifier, error) {
		mu.Lock()
		defer mu.Unlock()
		if cl, ok := cache[code]; ok {
			return cl, nil
		}
		p, ok := c.Partners.LSPOverrides[code]
		if !ok {
			p = c.Partners.LSP
			if p.BaseURL == "" {
				return nil, fmt.Errorf("partners.lsp.base_url: no address for LSP %s", code)
			}
			p.BaseURL = strings.TrimRight(p.BaseURL, "/") + "/" + code
		}
		if p.Timeout == 0 {
			p.Timeout = c.Partners.LSP.Timeout
		}
		cl := lsp.New(lsp.Config{BaseURL: p.BaseURL, APIKey: p.APIKey, Timeout: p.Timeout})
		cache[code] = cl
		return cl, nil
	}
}

// Simulators are the partner simulators of one process.
type Simulators struct {
	BPJS *simulator.BPJS
	LSPs map[string]*simulator.LSP
	// WhatsApp and SMS are the messaging simulators; they post to kompeten's webhooks
	// (SetWebhook when the address is known only later).
	WhatsApp *simulator.WhatsApp
	SMS      *simulator.SMS
}

// NewSimulators builds a BPJS simulator and one LSP simulator per LSP in the registry, each
// assessing the registry's units of competence of every scheme. With a pool (a migrated
// database) they keep their state there and continue where they were at the previous start
// (simulator.OpenBPJS); without one they keep it in memory.
func NewSimulators(ctx context.Context, c *config.Config, pool *pgxpool.Pool) (*Simulators, error) {
	reg, err := registry.Load()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	simCfg := func(name string, s config.SimulatorConfig) (simulator.Config, error) {
		out, err := outage.Parse(s.Outages, now)
		if err != nil {
			return simulator.Config{}, fmt.Errorf("simulators.%s.outages: %w", name, err)
		}
		return simulator.Config{Latency: s.Latency, ErrorRate: s.ErrorRate, DataErrorRate: s.DataErrorRate, Outages: out}, nil
	}
	bcfg, err := simCfg("bpjs", c.Simulators.BPJS)
	if err != nil {
		return nil, err
	}
	lcfg, err := simCfg("lsp", c.Simulators.LSP)
	if err != nil {
		return nil, err
	}
	sims := &Simulators{BPJS: simulator.NewBPJS(bcfg), LSPs: map[string]*simulator.LSP{}}
	// Every simulated LSP assesses the registry's units of each scheme.
	units := map[string][]string{}
	for _, sc := range reg.Schemes {
		units[sc.Code] = sc.UnitCodes()
	}
	if pool != nil {
		if sims.BPJS, err = simulator.OpenBPJS(ctx, bcfg, pool); err != nil {
			return nil, err
		}
	}
	for _, p := range reg.Partners {
		if p.Kind != registry.KindCertifier {
			continue
		}
		s := c.Simulators.LSP
		lc := simulator.LSPConfig{
			Config: lcfg, Code: p.Code, ScheduleLead: s.ScheduleLead, ResultDelay: s.ResultDelay, BKRate: s.BKRate,
			SchemeUnits: units,
		}
		if pool == nil {
			sims.LSPs[p.Code] = simulator.NewLSP(lc)
			continue
		}
		if sims.LSPs[p.Code], err = simulator.OpenLSP(ctx, lc, pool); err != nil {
			return nil, err
		}
	}
	// The webhooks are on the HTTP address, as the simulators are in dev.
	if sims.WhatsApp, sims.SMS, err = newMessagingSimulators(ctx, c, pool, "http://"+c.HTTP.Addr+webhookPrefix); err != nil {
		return nil, err
	}
	return sims, nil
}

// Routes mounts the simulators under prefix: prefix+"/bpjs/..." and prefix+"/lsp/<CODE>/...".
func (s *Simulators) Routes(prefix string) map[string]http.Handler {
	r := map[string]http.Handler{
		prefix + "/bpjs/":     http.StripPrefix(prefix+"/bpjs", s.BPJS),
		prefix + "/whatsapp/": http.StripPrefix(prefix+"/whatsapp", s.WhatsApp),
		prefix + "/sms/":      http.StripPrefix(prefix+"/sms", s.SMS),
	}
	for code, h := range s.LSPs {
		p := prefix + "/lsp/" + code
		r[p+"/"] = http.StripPrefix(p, h)
	}
	return r
}

// Handler serves the simulators alone (kompeten simulate).
func (s *Simulators) Handler(prefix string) http.Handler {
	mux := http.NewServeMux()
	for p, h := range s.Routes(prefix) {
		mux.Handle(p, h)
	}
	return mux
}
