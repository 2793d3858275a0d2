// Package fieldcheck helps tests prove that a value survives a boundary whole: Fill gives every
// field of a value a distinct non-zero value, Zero names the fields still zero, and Differences
// compares two structs field by field by name. A field added later is filled and compared
// without anyone touching the tests, so a field an encoding drops (a JSON tag "-", say) or a
// mapping forgets is caught.
package fieldcheck

import (
	"fmt"
	"reflect"
	"time"
)

var timeType = reflect.TypeFor[time.Time]()

// base is the first time Fill hands out; each later one is an hour on, in UTC and without a
// monotonic reading, so it survives an encoding as it is.
var base = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Fill sets every field reachable from ptr (a non-nil pointer) to a non-zero value, distinct per
// field: strings get their field's path, numbers and times a running count, booleans true,
// pointers a filled value, slices two filled elements, maps one filled entry, and an interface
// field its path as a string. A type that holds itself (a message whose parts are messages) is
// filled but for that pointer, slice or map of itself, which stays empty (else Fill never ends),
// and Zero does not count it. It panics on a kind it cannot fill (channels, functions).
func Fill(ptr any) {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		panic("fieldcheck.Fill needs a non-nil pointer")
	}
	n := 0
	fill(v.Elem(), v.Elem().Type().String(), &n, map[reflect.Type]bool{})
}

// within is the struct a pointer, slice, map or array type leads to, if any.
func within(t reflect.Type) reflect.Type {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Array:
			t = t.Elem()
		case reflect.Struct:
			return t
		default:
			return nil
		}
	}
}

// selfHeld says whether v is a pointer, slice or map of a struct type being filled or looked at
// further up (onPath): where a type that holds itself ends.
func selfHeld(v reflect.Value, onPath map[reflect.Type]bool) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		t := within(v.Type())
		return t != nil && onPath[t]
	}
	return false
}

func fill(v reflect.Value, path string, n *int, onPath map[reflect.Type]bool) {
	*n++
	if selfHeld(v, onPath) {
		return
	}
	if v.Type() == timeType {
		v.Set(reflect.ValueOf(base.Add(time.Duration(*n) * time.Hour)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), path, n, onPath)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), fmt.Sprintf("%s[%d]", path, i), n, onPath)
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i), n, onPath)
		}
	case reflect.Map:
		m := reflect.MakeMapWithSize(v.Type(), 1)
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, path+".key", n, onPath)
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, path+".value", n, onPath)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Interface:
		v.Set(reflect.ValueOf(path))
	case reflect.Struct:
		onPath[v.Type()] = true
		defer delete(onPath, v.Type())
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				panic(fmt.Sprintf("fieldcheck.Fill: %s.%s is unexported", path, f.Name))
			}
			fill(v.Field(i), path+"."+f.Name, n, onPath)
		}
	default:
		panic(fmt.Sprintf("fieldcheck.Fill: cannot fill %s (%s)", path, v.Kind()))
	}
}

// Zero lists the paths of the fields reachable from v that are zero: a nil pointer, slice, map
// or interface, an empty slice or map, or a zero value of any other kind (a zero time, a false
// boolean). An empty list means every field holds something.
func Zero(v any) []string {
	var out []string
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return []string{"(nil)"}
	}
	zero(rv, rv.Type().String(), &out, map[reflect.Type]bool{})
	return out
}

func zero(v reflect.Value, path string, out *[]string, onPath map[reflect.Type]bool) {
	if selfHeld(v, onPath) && (v.IsNil() || v.Kind() != reflect.Pointer && v.Len() == 0) {
		return // where a type that holds itself ends (see Fill)
	}
	if v.Type() == timeType {
		if v.Interface().(time.Time).IsZero() {
			*out = append(*out, path)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			*out = append(*out, path)
			return
		}
		zero(v.Elem(), path, out, onPath)
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			*out = append(*out, path)
			return
		}
		if v.Kind() == reflect.Slice {
			for i := range v.Len() {
				zero(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out, onPath)
			}
			return
		}
		iter := v.MapRange()
		for iter.Next() {
			zero(iter.Value(), fmt.Sprintf("%s[%v]", path, iter.Key()), out, onPath)
		}
	case reflect.Array:
		for i := range v.Len() {
			zero(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out, onPath)
		}
	case reflect.Struct:
		onPath[v.Type()] = true
		defer delete(onPath, v.Type())
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				zero(v.Field(i), path+"."+v.Type().Field(i).Name, out, onPath)
			}
		}
	default:
		if v.IsZero() {
			*out = append(*out, path)
		}
	}
}

// Differences compares two structs (or pointers to them) field by field, by name, with the
// fields of embedded structs taken as their own: it lists every field of from that to lacks or
// holds differently. Fields only to has are not compared; Zero finds those left unset.
func Differences(from, to any) []string {
	fs, ts := fields(reflect.Indirect(reflect.ValueOf(from))), fields(reflect.Indirect(reflect.ValueOf(to)))
	var out []string
	for _, name := range fs.order {
		t, ok := ts.byName[name]
		switch {
		case !ok:
			out = append(out, name+": missing")
		default:
			diff(name, fs.byName[name], t, &out)
		}
	}
	return out
}

// diff names the differences between two values of a field, down to the innermost field that
// differs when both are structs or slices of the same type.
func diff(path string, want, got reflect.Value, out *[]string) {
	if reflect.DeepEqual(want.Interface(), got.Interface()) {
		return
	}
	if want.Type() == got.Type() && want.Type() != timeType {
		switch want.Kind() {
		case reflect.Struct:
			for i := range want.NumField() {
				if f := want.Type().Field(i); f.IsExported() {
					diff(path+"."+f.Name, want.Field(i), got.Field(i), out)
				}
			}
			return
		case reflect.Pointer:
			if !want.IsNil() && !got.IsNil() {
				diff(path, want.Elem(), got.Elem(), out)
				return
			}
		case reflect.Slice:
			if want.Len() == got.Len() {
				for i := range want.Len() {
					diff(fmt.Sprintf("%s[%d]", path, i), want.Index(i), got.Index(i), out)
				}
				return
			}
		}
	}
	*out = append(*out, fmt.Sprintf("%s: %v, want %v", path, got.Interface(), want.Interface()))
}

type fieldSet struct {
	order  []string
	byName map[string]reflect.Value
}

func fields(v reflect.Value) fieldSet {
	s := fieldSet{byName: map[string]reflect.Value{}}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		for i := range v.NumField() {
			f := v.Type().Field(i)
			switch {
			case !f.IsExported():
			case f.Anonymous && f.Type.Kind() == reflect.Struct:
				walk(v.Field(i))
			default:
				s.order = append(s.order, f.Name)
				s.byName[f.Name] = v.Field(i)
			}
		}
	}
	walk(v)
	return s
}
