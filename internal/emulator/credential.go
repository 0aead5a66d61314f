package emulator

// checkCredential validates a credential (a JSON document held in a string) against a
// target's credentialSchema. It returns one message per problem, naming keys and schema
// keywords only: a credential value must never leave the server.
func (s *Server) checkCredential(targetID, credential string) []string {
	sch := s.catalog.schemas[targetID]
	if sch == nil {
		return []string{"the flow target has no usable credentialSchema"}
	}
	return sch.Check(credential)
}
