package emulator

import "time"

// SetClock replaces the server's clock, so that tests can assert timestamps exactly;
// call it before the server handles requests. It exists only in tests: nothing outside
// the package needs another clock.
func (s *Server) SetClock(now func() time.Time) { s.now = now }
