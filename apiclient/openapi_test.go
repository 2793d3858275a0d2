package apiclient

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/bpvp-sidoarjo/kompeten/api"
)

// docOperation is one operation of api/openapi.yaml as the drift tests need it.
type docOperation struct {
	ID     string
	Method string
	Path   string
	// Query maps each documented query parameter to whether it is required.
	Query map[string]bool
	// Formats are the values the format parameter may take, when it has an enum.
	Formats []string
}

// docParam is a parameter in the document, inline or a $ref to components.parameters.
type docParam struct {
	Ref      string `yaml:"$ref"`
	Name     string `yaml:"name"`
	In       string `yaml:"in"`
	Required bool   `yaml:"required"`
	Schema   struct {
		Enum []string `yaml:"enum"`
	} `yaml:"schema"`
}

// documented reads every operation of the OpenAPI document the api package serves.
func documented(t *testing.T) []docOperation {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string     `yaml:"operationId"`
			Parameters  []docParam `yaml:"parameters"`
		} `yaml:"paths"`
		Components struct {
			Parameters map[string]docParam `yaml:"parameters"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatalf("api/openapi.yaml: %v", err)
	}
	var ops []docOperation
	for path, item := range doc.Paths {
		for method, o := range item {
			op := docOperation{ID: o.OperationID, Method: strings.ToUpper(method), Path: path, Query: map[string]bool{}}
			for _, p := range o.Parameters {
				if p.Ref != "" {
					name := strings.TrimPrefix(p.Ref, "#/components/parameters/")
					ref, ok := doc.Components.Parameters[name]
					if !ok {
						t.Fatalf("%s: parameter %s does not resolve", op.ID, p.Ref)
					}
					p = ref
				}
				if p.In == "query" {
					op.Query[p.Name] = p.Required
					if p.Name == "format" {
						op.Formats = p.Schema.Enum
					}
				}
			}
			ops = append(ops, op)
		}
	}
	if len(ops) < 30 {
		t.Fatalf("found only %d operations in api/openapi.yaml; has it changed shape?", len(ops))
	}
	return ops
}

// matches says whether an escaped request path fits a documented path template: the same
// segments, a {placeholder} standing for any one non-empty segment.
func matches(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if strings.HasPrefix(ts[i], "{") && strings.HasSuffix(ts[i], "}") {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}

// checkRequest finds the documented operation a request is, and reports any query parameter
// the document does not list for it, a required one missing, or a format it does not offer.
func checkRequest(t *testing.T, ops []docOperation, who, method string, u *url.URL) (docOperation, bool) {
	t.Helper()
	for _, op := range ops {
		if op.Method != method || !matches(op.Path, u.EscapedPath()) {
			continue
		}
		q := u.Query()
		for name := range q {
			if _, ok := op.Query[name]; !ok {
				t.Errorf("%s sends query parameter %q, which api/openapi.yaml does not list for %s (%s %s)", who, name, op.ID, op.Method, op.Path)
			}
		}
		for name, required := range op.Query {
			if required && !q.Has(name) {
				t.Errorf("%s leaves out %q, which %s requires", who, name, op.ID)
			}
		}
		if f := q.Get("format"); f != "" && len(op.Formats) > 0 && !slices.Contains(op.Formats, f) {
			t.Errorf("%s asks for format %q; %s offers %v", who, f, op.ID, op.Formats)
		}
		return op, true
	}
	t.Errorf("%s sends %s %s, which api/openapi.yaml does not describe", who, method, u.RequestURI())
	return docOperation{}, false
}

// Each operation the client declares is the document's operation of the same id, with the
// same method and path, and the document has no operation the client does not declare.
func TestOperationsAreTheDocuments(t *testing.T) {
	ops := documented(t)
	byID := map[string]docOperation{}
	for _, op := range ops {
		byID[op.ID] = op
	}
	declared := map[string]bool{}
	for _, o := range operations {
		declared[o.ID] = true
		d, ok := byID[o.ID]
		switch {
		case !ok:
			t.Errorf("the client declares operation %s, which api/openapi.yaml does not have", o.ID)
		case d.Method != o.Method || d.Path != o.Path:
			t.Errorf("operation %s: the client sends %s %s, api/openapi.yaml says %s %s", o.ID, o.Method, o.Path, d.Method, d.Path)
		}
	}
	for _, d := range ops {
		if !declared[d.ID] {
			t.Errorf("api/openapi.yaml has %s (%s %s), which the client does not declare: add it to operations.go with a method", d.ID, d.Method, d.Path)
		}
	}
}

// recorder answers every request with 200 and a JSON null, and remembers what it was sent.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte("null"))
}

func (r *recorder) take() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.reqs
	r.reqs = nil
	return out
}

// generic are the methods that take any path: the typed methods are built on them.
var generic = []string{"Do", "Fetch", "Download"}

// Every method of the client, called with every argument filled in (so every query
// parameter it can send is sent), sends one request that is a documented operation, with
// only documented query parameters; every documented operation has the method named after its
// operationId, and that method sends that operation. A method, a path or a parameter added on
// either side alone fails here.
func TestEveryMethodIsADocumentedOperation(t *testing.T) {
	ops := documented(t)
	rec := &recorder{}
	c := InProcess(rec)
	reached := map[string]string{} // operationId -> the method that sent it
	ct := reflect.TypeOf(c)
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		if slices.Contains(generic, m.Name) {
			continue
		}
		args := []reflect.Value{reflect.ValueOf(c)}
		for j := 1; j < m.Type.NumIn(); j++ {
			args = append(args, filled(m.Type.In(j), 0))
		}
		out := m.Func.Call(args)
		if err, _ := out[len(out)-1].Interface().(error); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
		reqs := rec.take()
		if len(reqs) != 1 {
			t.Errorf("%s sent %d requests, want 1", m.Name, len(reqs))
			continue
		}
		op, ok := checkRequest(t, ops, m.Name, reqs[0].Method, reqs[0].URL)
		if !ok {
			continue
		}
		if strings.EqualFold(m.Name, op.ID) {
			reached[op.ID] = m.Name
		}
	}
	for _, op := range ops {
		if reached[op.ID] == "" {
			t.Errorf("api/openapi.yaml has %s (%s %s): the client needs a method named %s that sends it",
				op.ID, op.Method, op.Path, strings.ToUpper(op.ID[:1])+op.ID[1:])
		}
	}
}

// Every download link the client makes is a documented operation offering that format.
func TestDownloadsAreDocumented(t *testing.T) {
	ops := documented(t)
	for name, d := range map[string]Download{
		"CasesCSV":        CasesCSV(filled(reflect.TypeFor[CaseFilter](), 0).Interface().(CaseFilter)),
		"CaseEventsCSV":   CaseEventsCSV("k3f9x2m7qa"),
		"StuckCSV":        StuckCSV(filled(reflect.TypeFor[StuckFilter](), 0).Interface().(StuckFilter)),
		"InboxCSV":        InboxCSV(filled(reflect.TypeFor[InboxFilter](), 0).Interface().(InboxFilter)),
		"OverviewCSV":     OverviewCSV(),
		"TracerStudyCSV":  TracerStudyCSV(),
		"TracerStudyXLSX": TracerStudyXLSX(),
	} {
		u, err := url.Parse(string(d))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if u.Query().Get("format") == "" {
			t.Errorf("%s = %s asks for no format", name, d)
		}
		checkRequest(t, ops, name, http.MethodGet, u)
	}
}

// filled is a value of type t with everything set that can be: strings, numbers and booleans
// not zero, structs and pointers filled in, a context for a context.
func filled(t reflect.Type, depth int) reflect.Value {
	if t == reflect.TypeFor[context.Context]() {
		return reflect.ValueOf(context.Background())
	}
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.String:
		v.SetString("x1")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float64:
		v.SetFloat(1)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte("x"))
		}
	case reflect.Pointer:
		if depth < 3 {
			p := reflect.New(t.Elem())
			p.Elem().Set(filled(t.Elem(), depth+1))
			v.Set(p)
		}
	case reflect.Struct:
		if depth < 3 {
			for i := range t.NumField() {
				if f := v.Field(i); f.CanSet() {
					f.Set(filled(t.Field(i).Type, depth+1))
				}
			}
		}
	}
	return v
}
