package emulator

// StoredCredential returns the credential stored for a PSP, for tests that must prove
// which credential the provider sent (rotation, "keep the stored one"). It exists only on
// the Go side: no HTTP route, admin or API, ever returns a credential.
func (s *Server) StoredCredential(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.psps[id]
	if !ok {
		return "", false
	}
	return rec.credential, true
}
