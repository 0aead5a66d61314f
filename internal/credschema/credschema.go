// Package credschema checks a PSP credential against its flow target's credentialSchema
// (a draft-07 JSON Schema). The provider uses it at plan time and the emulator on every
// write, so both word problems the same way: by key names and schema keywords only, never
// by a value, because a credential value must not reach a message or a log.
package credschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// Schema is a compiled credentialSchema.
type Schema struct {
	compiled *jsonschema.Schema
}

// refuseLoader stops compilation from reading files or URLs named in $ref: a
// credentialSchema must be self-contained, and nothing should be fetched on behalf of it.
type refuseLoader struct{}

// Load implements jsonschema.URLLoader.
func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external reference %q is not allowed; the schema must be self-contained", url)
}

// Compile compiles a credentialSchema as draft-07 (the contract's dialect) unless it
// declares its own $schema. id names the schema in errors (a flow target id).
func Compile(id string, raw json.RawMessage) (*Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	comp := jsonschema.NewCompiler()
	comp.DefaultDraft(jsonschema.Draft7)
	comp.UseLoader(refuseLoader{})
	loc := "urn:connxt:credential-schema:" + id
	if err := comp.AddResource(loc, doc); err != nil {
		return nil, err
	}
	compiled, err := comp.Compile(loc)
	if err != nil {
		return nil, err
	}
	return &Schema{compiled: compiled}, nil
}

// Check validates a credential (a JSON document held in a string). It returns one sorted
// message per problem, or nil when the credential satisfies the schema.
func (s *Schema) Check(credential string) []string {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(credential))
	if err != nil {
		return []string{"must be a string holding a JSON object, e.g. {\"apiKey\":\"...\"}; it is not valid JSON"}
	}
	if _, isObject := doc.(map[string]any); !isObject {
		return []string{"must be a string holding a JSON object, e.g. {\"apiKey\":\"...\"}"}
	}
	err = s.compiled.Validate(doc)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{"does not satisfy the flow target's credentialSchema"}
	}
	var msgs []string
	seen := map[string]bool{}
	for _, leaf := range leaves(ve) {
		for _, m := range describeLeaf(leaf) {
			if !seen[m] {
				seen[m] = true
				msgs = append(msgs, m)
			}
		}
	}
	if len(msgs) == 0 {
		msgs = []string{"does not satisfy the flow target's credentialSchema"}
	}
	sort.Strings(msgs)
	return msgs
}

// leaves returns the innermost errors of a validation error tree, which name the actual
// problems.
func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// describeLeaf words one violation using only key names (from the instance location and
// the schema) and keyword names. The library's own messages quote values (patterns,
// formats, enums), so they are not used.
func describeLeaf(ve *jsonschema.ValidationError) []string {
	at := keyPath(ve.InstanceLocation)
	join := func(key string) string {
		if at == "" {
			return strconv.Quote(key)
		}
		return strconv.Quote(at + "." + key)
	}
	subject := "the credential"
	if at != "" {
		subject = "key " + strconv.Quote(at)
	}
	missing := func(keys []string, format string, args ...any) []string {
		out := make([]string, 0, len(keys))
		for _, k := range keys {
			out = append(out, fmt.Sprintf(format, append([]any{join(k)}, args...)...))
		}
		return out
	}
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		return missing(k.Missing, "missing required key %s")
	case *kind.AdditionalProperties:
		return missing(k.Properties, "unexpected key %s (the schema allows no other keys)")
	case *kind.DependentRequired:
		return missing(k.Missing, "missing key %s, required when %s is present", join(k.Prop))
	case *kind.Dependency:
		return missing(k.Missing, "missing key %s, required when %s is present", join(k.Prop))
	case *kind.Type:
		// Want comes from the schema; Got is a JSON type name, not a value.
		return []string{fmt.Sprintf("%s must be of type %s", subject, strings.Join(k.Want, " or "))}
	case *kind.FalseSchema:
		return []string{subject + " is not allowed"}
	default:
		kw := strings.Join(ve.ErrorKind.KeywordPath(), "/")
		if kw == "" {
			return []string{subject + " does not satisfy the credentialSchema"}
		}
		return []string{fmt.Sprintf("%s does not satisfy the schema keyword %q", subject, kw)}
	}
}

// keyPath renders an instance location (keys and array indexes) as a.b[0].c.
func keyPath(loc []string) string {
	var b strings.Builder
	for _, p := range loc {
		if _, err := strconv.Atoi(p); err == nil && b.Len() > 0 {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}
