package emulator

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// checkCredential validates a credential (a JSON document held in a string) against a
// target's credentialSchema. It returns one message per problem. Messages name keys and
// schema keywords only: the library's own messages quote values (patterns, formats,
// enums), and a credential value must never leave the server, so they are not used.
func (s *Server) checkCredential(targetID, credential string) []string {
	sch := s.catalog.schemas[targetID]
	if sch == nil {
		return []string{"the flow target has no usable credentialSchema"}
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(credential))
	if err != nil {
		return []string{"must be a string holding a JSON object, e.g. {\"apiKey\":\"...\"}; it is not valid JSON"}
	}
	if _, isObject := doc.(map[string]any); !isObject {
		return []string{"must be a string holding a JSON object, e.g. {\"apiKey\":\"...\"}"}
	}
	err = sch.Validate(doc)
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

// leaves returns the innermost errors of a validation error tree, which name the
// actual problems.
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

// describeLeaf words one schema violation using only key names (from the instance
// location and the schema) and keyword names.
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
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		var out []string
		for _, m := range k.Missing {
			out = append(out, "missing required key "+join(m))
		}
		return out
	case *kind.AdditionalProperties:
		var out []string
		for _, p := range k.Properties {
			out = append(out, "unexpected key "+join(p)+" (the schema allows no other keys)")
		}
		return out
	case *kind.DependentRequired:
		var out []string
		for _, m := range k.Missing {
			out = append(out, fmt.Sprintf("missing key %s, required when %s is present", join(m), join(k.Prop)))
		}
		return out
	case *kind.Dependency:
		var out []string
		for _, m := range k.Missing {
			out = append(out, fmt.Sprintf("missing key %s, required when %s is present", join(m), join(k.Prop)))
		}
		return out
	case *kind.Type:
		// Want is from the schema; Got is a JSON type name, not a value.
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
