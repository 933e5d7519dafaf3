package entra

import (
	"reflect"
	"strconv"
	"testing"
)

func TestAWatermarkKeepsEveryField(t *testing.T) {
	var u User
	v := reflect.ValueOf(&u).Elem()
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			f.SetString("field " + strconv.Itoa(i) + " é\x00" + string(make([]byte, i*20)))
		case reflect.Bool:
			f.SetBool(i%2 == 0)
		default:
			t.Fatalf("User.%s is a %s: pack it in watermark.go", v.Type().Field(i).Name, f.Kind())
		}
	}
	if got := markOf(u).User(); got != u {
		t.Errorf("unpacked %+v, want %+v", got, u)
	}
	u.Enabled, u.InScope, u.SoftDeleted = !u.Enabled, !u.InScope, !u.SoftDeleted
	if got := markOf(u).User(); got != u {
		t.Errorf("flags: unpacked %+v, want %+v", got, u)
	}
	if got := markOf(u).with("m-1").User().Manager; got != "m-1" {
		t.Errorf("with: manager %q, want m-1", got)
	}
	if got := watermark("").User(); got != (User{}) {
		t.Errorf("the zero watermark unpacked to %+v", got)
	}
}
