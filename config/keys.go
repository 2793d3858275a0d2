package config

import (
	"reflect"
	"strings"
)

// Key is one configuration key: its dotted name (as in the file; KOMPETEN_ plus the name in
// capitals with dots as underscores in the environment) and its value in a configuration.
type Key struct {
	Name  string
	Value any
	// Map is set for a key whose entries are keys of their own (partners.lsp_overrides.<CODE>).
	Map bool
}

// Keys lists every key of c in the order the fields are declared, walking the structs by
// their mapstructure tags, so that adding a field adds a key with no list to update.
func Keys(c Config) []Key {
	var out []Key
	walk(reflect.ValueOf(c), "", &out)
	return out
}

func walk(v reflect.Value, prefix string, out *[]Key) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		if !f.IsExported() || tag == "" || tag == "-" {
			continue
		}
		name := prefix + tag
		fv := v.Field(i)
		switch fv.Kind() {
		case reflect.Struct:
			walk(fv, name+".", out)
		case reflect.Map:
			*out = append(*out, Key{Name: name, Value: fv.Interface(), Map: true})
		default:
			*out = append(*out, Key{Name: name, Value: fv.Interface()})
		}
	}
}

// EnvVar is the environment variable that sets key, e.g. KOMPETEN_SLA_INSURANCE.
func EnvVar(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// defaultValues are the defaults Load gives viper: every key of Default() except maps, whose
// entries are keys of their own (a default for the whole map would shadow them). Lists are
// given as empty rather than nil lists, as they always were, so an unset list decodes as before.
func defaultValues() map[string]any {
	out := map[string]any{}
	for _, k := range Keys(Default()) {
		if k.Map {
			continue
		}
		v := reflect.ValueOf(k.Value)
		if v.Kind() == reflect.Slice && v.IsNil() {
			k.Value = reflect.MakeSlice(v.Type(), 0, 0).Interface()
		}
		out[k.Name] = k.Value
	}
	return out
}
