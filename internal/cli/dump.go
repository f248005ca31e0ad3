package cli

import (
	"encoding"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"time"
)

// ValueKind says what a dumped Value holds.
type ValueKind int

const (
	// Scalar is a single value rendered as text (numbers, strings, addresses, durations, enums).
	Scalar ValueKind = iota
	// Object is a struct or map: named fields in order.
	Object
	// List is a slice or array: items in order.
	List
)

// Value is one node of a dumped model. The dump is built once by Tree and then rendered as text or
// JSON, so both outputs always agree.
type Value struct {
	Kind ValueKind
	// Text is a Scalar's rendering; JSON is its JSON literal (a number, true/false or a string).
	Text string
	JSON string
	// Fields are an Object's members, in declaration order (structs) or sorted by key (maps).
	Fields []Field
	// Items are a List's elements in order.
	Items []*Value
}

// Field is a named member of an Object.
type Field struct {
	Name  string
	Value *Value
}

// Tree turns any model value into a dump tree by reflection, so it follows the configuration model
// as it grows without knowing its fields:
//   - struct fields that hold their zero value are left out, so a dump shows what the configuration
//     (and keepalived's non-zero defaults) set, except integer enums with a String method, whose
//     zero is a named value (TCP_CHECK, INIT); exported fields only; a field tagged `dump:"-"` and
//     source positions (a field of a type named Pos) are skipped, so dumps are position-free;
//   - embedded structs are flattened, as Go promotes their fields;
//   - values whose type implements fmt.Stringer or encoding.TextMarshaler print through it when the
//     type is not a struct with exported fields: durations, netip addresses and prefixes, enums;
//   - maps are listed by sorted key; []byte prints as hex; pointers and interfaces are followed, and a
//     pointer back to a value being printed prints as "(cycle)".
//
// Tree returns nil for a nil or zero value.
func Tree(v any) *Value {
	d := dumper{onPath: map[uintptr]bool{}}
	return d.value(reflect.ValueOf(v))
}

// dumper carries the pointers on the current path, for cycle detection.
type dumper struct {
	onPath map[uintptr]bool
}

var (
	stringerType = reflect.TypeFor[fmt.Stringer]()
	textType     = reflect.TypeFor[encoding.TextMarshaler]()
)

func (d *dumper) value(v reflect.Value) *Value {
	if !v.IsValid() {
		return nil
	}
	if s, ok := viaMethod(v); ok {
		return scalarString(s)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		p := v.Pointer()
		if d.onPath[p] {
			return scalarString("(cycle)")
		}
		d.onPath[p] = true
		defer delete(d.onPath, p)
		return d.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return d.value(v.Elem())
	case reflect.Struct:
		o := &Value{Kind: Object}
		d.fields(v, o)
		return o
	case reflect.Map:
		return d.mapValue(v)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return scalarString(hex.EncodeToString(v.Bytes()))
		}
		l := &Value{Kind: List}
		for i := 0; i < v.Len(); i++ {
			if it := d.value(v.Index(i)); it != nil {
				l.Items = append(l.Items, it)
			}
		}
		return l
	case reflect.Bool:
		s := strconv.FormatBool(v.Bool())
		return &Value{Kind: Scalar, Text: s, JSON: s}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s := strconv.FormatInt(v.Int(), 10)
		return &Value{Kind: Scalar, Text: s, JSON: s}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s := strconv.FormatUint(v.Uint(), 10)
		return &Value{Kind: Scalar, Text: s, JSON: s}
	case reflect.Float32, reflect.Float64:
		s := strconv.FormatFloat(v.Float(), 'g', -1, 64)
		return &Value{Kind: Scalar, Text: s, JSON: s}
	case reflect.String:
		return scalarString(v.String())
	}
	// Functions, channels and unsafe pointers are not configuration.
	return nil
}

// fields appends the dumpable fields of struct v to o, flattening embedded structs.
func (d *dumper) fields(v reflect.Value, o *Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		fv := v.Field(i)
		if sf.Tag.Get("dump") == "-" || sf.Type.Name() == "Pos" {
			continue
		}
		// An embedded struct's exported fields are promoted even when its type is unexported.
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			if _, ok := viaMethod(fv); !ok {
				d.fields(fv, o)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if fv.IsZero() && !namedZero(fv) {
			continue
		}
		if val := d.value(fv); val != nil && !emptyComposite(val) {
			o.Fields = append(o.Fields, Field{Name: sf.Name, Value: val})
		}
	}
}

// namedZero reports an integer enum whose zero value has a name of its own (TCP_CHECK, INIT): it
// is printed even when zero. time.Duration is the exception: a zero duration means "not set".
func namedZero(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
	default:
		return false
	}
	if v.Type() == reflect.TypeFor[time.Duration]() {
		return false
	}
	if !v.Type().Implements(stringerType) {
		return false
	}
	// An enum whose zero prints as "" has no name for it: treat it as unset.
	return v.Interface().(fmt.Stringer).String() != ""
}

// emptyComposite reports an object or list with nothing to show (for example a struct whose only
// non-zero fields are positions).
func emptyComposite(v *Value) bool {
	return (v.Kind == Object && len(v.Fields) == 0) || (v.Kind == List && len(v.Items) == 0)
}

// mapValue renders a map as an object keyed by the keys' text, in sorted order.
func (d *dumper) mapValue(v reflect.Value) *Value {
	o := &Value{Kind: Object}
	type kv struct {
		key string
		val reflect.Value
	}
	var entries []kv
	it := v.MapRange()
	for it.Next() {
		k := d.value(it.Key())
		key := ""
		if k != nil {
			key = k.Text
		}
		entries = append(entries, kv{key, it.Value()})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	for _, e := range entries {
		if val := d.value(e.val); val != nil {
			o.Fields = append(o.Fields, Field{Name: e.key, Value: val})
		}
	}
	return o
}

// viaMethod renders v with String() or MarshalText() when its type has one and is not a struct
// with exported fields (a model struct with a debugging String method is still walked).
func viaMethod(v reflect.Value) (string, bool) {
	t := v.Type()
	base := t
	if base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if base.Kind() == reflect.Struct && hasExportedField(base) {
		return "", false
	}
	if (t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface) && v.IsNil() {
		return "", false
	}
	if t.Kind() == reflect.Interface {
		return "", false
	}
	if !t.Implements(stringerType) && !t.Implements(textType) && v.CanAddr() {
		v = v.Addr()
		t = v.Type()
	}
	if t.Implements(textType) {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err == nil {
			return string(b), true
		}
	}
	if t.Implements(stringerType) {
		return v.Interface().(fmt.Stringer).String(), true
	}
	return "", false
}

func hasExportedField(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			return true
		}
	}
	return false
}

// scalarString makes a string scalar.
func scalarString(s string) *Value {
	j, _ := json.Marshal(s) // a string always marshals
	return &Value{Kind: Scalar, Text: s, JSON: string(j)}
}
