package validators

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// JSONObjectProblem says what is wrong with s as a JSON object, without quoting any value;
// "" when nothing is.
func JSONObjectProblem(s string) string {
	var doc any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		var syntaxErr *json.SyntaxError
		if errors.As(err, &syntaxErr) {
			return fmt.Sprintf("is not valid JSON (syntax error at byte %d of %d)", syntaxErr.Offset, len(s))
		}
		return fmt.Sprintf("is not valid JSON (%d bytes)", len(s))
	}
	if _, ok := doc.(map[string]any); !ok {
		return fmt.Sprintf("is valid JSON but a %s, not an object", jsonKind(doc))
	}
	if key, at, found := duplicateKey(s); found {
		// encoding/json (and so Terraform's jsondecode) silently keeps the last of the two;
		// which one Connxt would keep is anybody's guess.
		return fmt.Sprintf("has the key %q twice in the same object (the second time at byte %d)", key, at)
	}
	return ""
}

// duplicateKey finds the first key that appears twice in one object of the valid JSON
// document s, at any depth, and the byte (counted from 1) where its second occurrence starts.
func duplicateKey(s string) (key string, at int64, found bool) {
	type frame struct {
		keys      map[string]bool // nil for an array
		expectKey bool
	}
	var stack []*frame
	// valueDone is called after each complete value: in an object, a key comes next.
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].expectKey = true
		}
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			return "", 0, false
		}
		if err != nil {
			return "", 0, false // s was checked to be valid JSON: cannot happen
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{keys: map[string]bool{}, expectKey: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].expectKey {
				top := stack[n-1]
				top.expectKey = false
				if top.keys[t] {
					return t, keyStart(s, before), true
				}
				top.keys[t] = true
				continue
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// keyStart is the byte, counted from 1, of the opening quote of the key the decoder read
// after offset: only white space and a comma can come between.
func keyStart(s string, offset int64) int64 {
	for offset < int64(len(s)) && strings.IndexByte(" \t\r\n,", s[offset]) >= 0 {
		offset++
	}
	return offset + 1
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	default:
		return "null"
	}
}

// SecretJSONObject checks that a secret string holds a JSON object of at most maxBytes bytes
// in which no object has the same key twice. Its diagnostics never quote a value, not even
// the character where parsing failed; they may name a key, which is not secret.
func SecretJSONObject(maxBytes int) validator.String {
	return jsonObjectValidator{maxBytes: maxBytes, secret: true,
		example: "jsonencode({ apiKey = var.api_key })"}
}

// JSONObject checks that a string that is not secret (a transaction's payload, say) holds a
// JSON object of at most maxBytes bytes in which no object has the same key twice. Such a
// value may still carry customer data (names, e-mail addresses), so its diagnostics say
// what is wrong and where, but quote no value either.
func JSONObject(maxBytes int) validator.String {
	return jsonObjectValidator{maxBytes: maxBytes,
		example: "jsonencode({ body = { order = { id = \"smoke-1\" } } })"}
}

// jsonObjectValidator is both: they differ only in how they name the value, and in that a
// secret's messages say why it is not shown.
type jsonObjectValidator struct {
	maxBytes int
	secret   bool
	example  string
}

func (v jsonObjectValidator) Description(context.Context) string {
	return "must be a JSON object, for example " + v.example
}

func (v jsonObjectValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v jsonObjectValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	attribute := req.Path.String()
	notShown := ""
	if v.secret {
		notShown = " The value itself is not shown because it is secret."
	}
	tooLarge, invalid := "JSON document too large", "Invalid JSON object"
	if v.secret {
		tooLarge, invalid = "Credential too large", "Invalid credential"
	}
	// Checked before parsing, so that an oversized value costs nothing more.
	if len(s) > v.maxBytes {
		resp.Diagnostics.AddAttributeError(req.Path, tooLarge,
			fmt.Sprintf("The value of %s is %d bytes; %s accepts at most %d bytes.%s", attribute, len(s), attribute, v.maxBytes, notShown))
		return
	}
	if problem := JSONObjectProblem(s); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, invalid,
			fmt.Sprintf("The value of %s %s; it %s.%s", attribute, problem, v.Description(ctx), notShown))
	}
}
