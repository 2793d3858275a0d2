package messaging

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"regexp"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

// Data fills a template. Every field is text already worded for the trainee (dates in
// Indonesian, see Date); a template uses the ones its parameter comment names.
type Data struct {
	Name        string // the trainee's first name
	Package     string // the training: trade and package code
	Start, End  string // training dates
	Place       string // where: the centre for training, the TUK for an assessment
	KPJ         string // BPJS Ketenagakerjaan membership number
	Date        string // assessment date and time
	Certificate string // certificate number
	Month       string // months since training, for a follow-up or reminder
	Link        string // self-report link; empty leaves it out (the "_nolink" template)
}

// Message is a template filled for one trainee: the WhatsApp template name with its body
// parameters in order, and the text an SMS carries.
type Message struct {
	Template string   // e.g. "kompeten_enrolment"
	Params   []string // body parameters, in the order the template file names them
	Text     string   // the rendered text
}

// tmpl is one parsed template file.
type tmpl struct {
	name   string
	params []string
	t      *template.Template
}

var (
	paramsLine = regexp.MustCompile(`^\{\{/\* params:([^*]*)\*/ -\}\}`)
	templates  = mustLoadTemplates()
)

// mustLoadTemplates parses every embedded template; a broken one is a build defect, caught by
// the package's tests.
func mustLoadTemplates() map[string]tmpl {
	ts, err := loadTemplates()
	if err != nil {
		panic(err)
	}
	return ts
}

func loadTemplates() (map[string]tmpl, error) {
	files, err := templateFiles.ReadDir("templates")
	if err != nil {
		return nil, fmt.Errorf("messaging templates: %w", err)
	}
	out := map[string]tmpl{}
	for _, f := range files {
		b, err := templateFiles.ReadFile(path.Join("templates", f.Name()))
		if err != nil {
			return nil, fmt.Errorf("messaging template %s: %w", f.Name(), err)
		}
		name := strings.TrimSuffix(f.Name(), ".tmpl")
		m := paramsLine.FindSubmatch(b)
		if m == nil {
			return nil, fmt.Errorf("messaging template %s: the first line must name its parameters ({{/* params: A B */ -}})", f.Name())
		}
		// A missing field is an error, not "<no value>" sent to a trainee.
		t, err := template.New(name).Option("missingkey=error").Parse(string(b))
		if err != nil {
			return nil, fmt.Errorf("messaging template %s: %w", f.Name(), err)
		}
		out[name] = tmpl{name: name, params: strings.Fields(string(m[1])), t: t}
	}
	return out, nil
}

// TemplateName is the template file a milestone is told with: follow-ups and reminders without
// a link take their "_nolink" variant.
func TemplateName(m Milestone, withLink bool) string {
	k := string(m.kind())
	if (k == string(milestoneFollowUp) || k == string(milestoneReminder)) && !withLink {
		return k + "_nolink"
	}
	return k
}

// Render fills the template of milestone m with d.
func Render(m Milestone, d Data) (Message, error) {
	name := TemplateName(m, d.Link != "")
	t, ok := templates[name]
	if !ok {
		return Message{}, fmt.Errorf("messaging: no template for milestone %s", m)
	}
	var buf bytes.Buffer
	if err := t.t.Execute(&buf, d); err != nil {
		return Message{}, fmt.Errorf("messaging: render %s: %w", name, err)
	}
	params := make([]string, len(t.params))
	for i, p := range t.params {
		v, err := field(d, p)
		if err != nil {
			return Message{}, fmt.Errorf("messaging: template %s: %w", name, err)
		}
		params[i] = v
	}
	return Message{Template: "kompeten_" + name, Params: params, Text: strings.TrimSpace(buf.String())}, nil
}

// RenderTemplate fills a template by its WhatsApp name ("kompeten_<file>") from its parameters
// in order: what Meta does with a registered template, and the simulators with ours.
func RenderTemplate(name string, params []string) (string, error) {
	t, ok := templates[strings.TrimPrefix(name, "kompeten_")]
	if !ok {
		return "", fmt.Errorf("messaging: no template %q", name)
	}
	if len(params) != len(t.params) {
		return "", fmt.Errorf("messaging: template %s takes %d parameters, got %d", name, len(t.params), len(params))
	}
	vals := map[string]string{}
	for i, p := range t.params {
		vals[p] = params[i]
	}
	var buf bytes.Buffer
	if err := t.t.Execute(&buf, vals); err != nil {
		return "", fmt.Errorf("messaging: render %s: %w", name, err)
	}
	return strings.TrimSpace(buf.String()), nil
}

// field reads one named field of d.
func field(d Data, name string) (string, error) {
	switch name {
	case "Name":
		return d.Name, nil
	case "Package":
		return d.Package, nil
	case "Start":
		return d.Start, nil
	case "End":
		return d.End, nil
	case "Place":
		return d.Place, nil
	case "KPJ":
		return d.KPJ, nil
	case "Date":
		return d.Date, nil
	case "Certificate":
		return d.Certificate, nil
	case "Month":
		return d.Month, nil
	case "Link":
		return d.Link, nil
	}
	return "", fmt.Errorf("unknown parameter %s", name)
}
