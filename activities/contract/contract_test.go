package contract_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/internal/fieldcheck"
)

// Every argument and result of every activity crosses Temporal's data converter (a local
// activity's argument is the exception today, but one made regular would cross it too), with the
// payload codec kompeten always uses. Each type, filled so that no field is zero, must come
// back field for field: a field the JSON encoding drops (a tag "-", an unexported field) fails
// here instead of arriving empty in production.
func TestEveryActivityPayloadRoundTrips(t *testing.T) {
	keys, err := codec.ReadKeyFile(filepath.Join("..", "..", "workflows", "testdata", "payload-test.keys"))
	if err != nil {
		t.Fatal(err)
	}
	ring, err := codec.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	dc := codec.DataConverter(ring)
	seen := map[reflect.Type]bool{}
	for _, a := range contract.All {
		in, out := a.Types()
		for _, typ := range []reflect.Type{in, out} {
			if typ == nil || seen[typ] {
				continue
			}
			seen[typ] = true
			t.Run(a.Name()+"/"+typ.String(), func(t *testing.T) {
				sent := reflect.New(typ)
				fieldcheck.Fill(sent.Interface())
				if z := fieldcheck.Zero(sent.Elem().Interface()); len(z) > 0 {
					t.Fatalf("the sample leaves fields zero, so it proves nothing about them: %v", z)
				}
				p, err := dc.ToPayload(sent.Elem().Interface())
				if err != nil {
					t.Fatal(err)
				}
				if !codec.IsEncrypted(p) {
					t.Fatal("the payload left the converter unencrypted")
				}
				got := reflect.New(typ)
				if err := dc.FromPayload(p, got.Interface()); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(sent.Elem().Interface(), got.Elem().Interface()) {
					if typ.Kind() == reflect.Struct {
						t.Fatalf("fields lost or changed on the way: %v", fieldcheck.Differences(sent.Interface(), got.Interface()))
					}
					t.Fatalf("sent %+v, received %+v", sent.Elem().Interface(), got.Elem().Interface())
				}
			})
		}
	}
	if len(seen) < 20 {
		t.Fatalf("only %d payload types checked; contract.All lost activities?", len(seen))
	}
}
