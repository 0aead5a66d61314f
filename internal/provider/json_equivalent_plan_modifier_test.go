package provider

import "testing"

func TestJSONEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{`{"apiKey":"k","merchantId":1}`, `{ "merchantId": 1, "apiKey": "k" }`, true},
		{`{"n":1}`, `{"n":1.0}`, true},
		{`{"n":1e3}`, `{"n":1000}`, true},
		{`{"n":[1,2]}`, `{"n":[2,1]}`, false},
		{`{"id":12345678901234567890}`, `{"id":12345678901234567891}`, false},
		{`{"id":12345678901234567890}`, `{"id":12345678901234567890}`, true},
		{`{"a":"1"}`, `{"a":1}`, false},
		{`{"a":null}`, `{}`, false},
		{`{"a":true}`, `{"a":true}`, true},
		{`{"a":1}`, `{"a":1} {"b":2}`, false},
		{`{"a":1}`, `{"a":1}}`, false},
		{`{"a":1}`, `{"a":1}]`, false},
		{`{"a":1}`, " {\"a\":1}\n", true},
		{`{"a":1}`, `not json`, false},
	} {
		if got := jsonEqual(tc.a, tc.b); got != tc.want {
			t.Errorf("jsonEqual(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := jsonEqual(tc.b, tc.a); got != tc.want {
			t.Errorf("jsonEqual(%s, %s) = %v, want %v (swapped)", tc.b, tc.a, got, tc.want)
		}
	}
}
