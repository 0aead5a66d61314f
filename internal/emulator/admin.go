package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"slices"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// adminPrefix is where the admin API lives: outside /connxt/v2 so it can never be
// mistaken for (or collide with) the real API.
const adminPrefix = "/_emulator"

// RequestCounts is the body of GET /_emulator/requests.
type RequestCounts struct {
	Counts map[string]int `json:"counts"`
	Total  int            `json:"total"`
}

// adminConfig is the body of GET and PUT /_emulator/config.
type adminConfig struct {
	DeleteUnsupported *bool `json:"delete_unsupported,omitempty"`
}

// adminMux is a ServeMux that remembers its patterns, so that a test can hold the
// documentation of the admin API to what is served.
type adminMux struct {
	*http.ServeMux
	patterns []string
}

// HandleFunc registers a handler and records its pattern.
func (m *adminMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.HandleFunc(pattern, h)
}

// adminHandler serves the admin API. It needs no token (it is for loopback test
// tooling) and its requests are not counted as API traffic.
func (s *Server) adminHandler() *adminMux {
	mux := &adminMux{ServeMux: http.NewServeMux()}
	mux.HandleFunc("GET "+adminPrefix+"/requests", func(w http.ResponseWriter, r *http.Request) {
		counts := s.Counts()
		total := 0
		for _, n := range counts {
			total += n
		}
		adminJSON(w, http.StatusOK, RequestCounts{Counts: counts, Total: total})
	})
	mux.HandleFunc("POST "+adminPrefix+"/reset", func(w http.ResponseWriter, r *http.Request) {
		switch what := r.URL.Query().Get("what"); what {
		case "", "all":
			s.reset()
		case "counters":
			s.ResetCounts()
		default:
			adminError(w, http.StatusBadRequest, "what must be \"all\" or \"counters\"")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET "+adminPrefix+"/psps", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, s.PSPs())
	})
	mux.HandleFunc("DELETE "+adminPrefix+"/psps/{id}", func(w http.ResponseWriter, r *http.Request) {
		if !s.RemovePSP(r.PathValue("id")) {
			adminError(w, http.StatusNotFound, "no such PSP")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("PUT "+adminPrefix+"/psps/{id}", s.adminPutPSP)
	mux.HandleFunc("GET "+adminPrefix+"/transactions", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, s.Transactions())
	})
	mux.HandleFunc("GET "+adminPrefix+"/config", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, s.config())
	})
	mux.HandleFunc("PUT "+adminPrefix+"/config", func(w http.ResponseWriter, r *http.Request) {
		var cfg adminConfig
		if !adminDecode(w, r, &cfg) {
			return
		}
		if cfg.DeleteUnsupported != nil {
			s.SetDeleteUnsupported(*cfg.DeleteUnsupported)
		}
		adminJSON(w, http.StatusOK, s.config())
	})
	mux.HandleFunc("GET "+adminPrefix+"/faults", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, s.faults.settings())
	})
	mux.HandleFunc("PUT "+adminPrefix+"/faults", func(w http.ResponseWriter, r *http.Request) {
		fs, err := ParseFaults(io.LimitReader(r.Body, maxBody))
		if err == nil {
			err = s.SetFaults(fs)
		}
		if err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		adminJSON(w, http.StatusOK, s.faults.settings())
	})
	mux.HandleFunc("GET "+adminPrefix+"/pay/{order}", func(w http.ResponseWriter, r *http.Request) {
		// The page a DEPOSIT redirect points at: enough for a browser or a test to
		// see that the URL leads somewhere.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprintf(w, "<!doctype html><title>Connxt emulator payment page</title><p>Payment page for order %s (emulated).</p>\n",
			html.EscapeString(r.PathValue("order")))
	})
	return mux
}

// config snapshots the settings GET /_emulator/config shows.
func (s *Server) config() adminConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.deleteUnsupported
	return adminConfig{DeleteUnsupported: &v}
}

// adminPutPSP overwrites stored fields of a PSP out of band, like a change made in the
// Connxt back office: the body is PSP details, and only the members it contains change.
// The whole body is checked before anything is stored, so a 400 changes nothing.
func (s *Server) adminPutPSP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		adminError(w, http.StatusBadRequest, "body must be a JSON object of at most 1 MiB")
		return
	}
	var out connxt.PSP
	found, err := s.mutatePSP(r.PathValue("id"), func(p *connxt.PSP) error {
		if err := decodeStrict(bytes.NewReader(body), p); err != nil {
			return fmt.Errorf("body does not decode as PSP details: %w", err)
		}
		if _, ok := s.catalog.pspTarget(p.FlowTargetID); !ok {
			return errors.New("flowTargetId is not a target of flow type PSP")
		}
		return nil
	}, &out)
	switch {
	case !found:
		adminError(w, http.StatusNotFound, "no such PSP")
	case err != nil:
		adminError(w, http.StatusBadRequest, err.Error()+"; nothing was changed")
	default:
		adminJSON(w, http.StatusOK, out)
	}
}

// adminDecode reads a small JSON body, answering 400 itself on failure.
func adminDecode(w http.ResponseWriter, r *http.Request, dst any) bool {
	if err := decodeStrict(io.LimitReader(r.Body, maxBody), dst); err != nil {
		adminError(w, http.StatusBadRequest, "invalid body: "+err.Error())
		return false
	}
	return true
}

// decodeStrict decodes exactly one JSON value with no member dst lacks: a typo or a
// second document is an error rather than something silently ignored.
func decodeStrict(rd io.Reader, dst any) error {
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON document")
	}
	return nil
}

// adminJSON answers with plain JSON (the admin API has no Connxt envelope).
func adminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// adminError answers {"error": msg}.
func adminError(w http.ResponseWriter, status int, msg string) {
	adminJSON(w, status, map[string]string{"error": msg})
}

// Counts returns the number of API requests seen per route key, e.g.
// "GET /connxt/v2/psps/{id}"; requests that match no route count under
// "<METHOD> (unmatched)". Admin requests are not counted.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// ResetCounts zeroes the request counters, e.g. between the steps of a test.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int{}
}

// reset forgets all PSPs, transactions and counters. Settings (tokens, catalog,
// delete support, faults) are kept.
func (s *Server) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.psps = map[string]*pspRecord{}
	s.txns = nil
	s.counts = map[string]int{}
}

// PSPs returns every stored PSP of every environment, in creation order, as PSP
// details (credential masked).
func (s *Server) PSPs() []connxt.PSP {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []connxt.PSP{}
	for _, rec := range s.sortedPSPs() {
		out = append(out, s.details(rec))
	}
	return out
}

// RemovePSP deletes a PSP out of band (as if removed in the back office), without
// counting as API traffic. It reports whether the PSP existed.
func (s *Server) RemovePSP(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.psps[id]; !ok {
		return false
	}
	delete(s.psps, id)
	return true
}

// MutatePSP changes a stored PSP out of band, to simulate drift. fn sees the PSP
// details (credential masked); afterwards name, description, logo, status, operations,
// updatedAt and updatedBy are stored as fn left them, and flowTargetId too when it names
// a target of flow type PSP. Other fields (id, environment, credential) cannot change.
// When fn changes a stored field but leaves updatedAt alone, updatedAt becomes the
// current time, as after an edit in the back office. It reports whether the PSP
// exists; fn runs under the server's lock and must not call the Server.
func (s *Server) MutatePSP(id string, fn func(*connxt.PSP)) bool {
	found, _ := s.mutatePSP(id, func(p *connxt.PSP) error {
		target := p.FlowTargetID
		fn(p)
		if _, known := s.catalog.pspTarget(p.FlowTargetID); !known {
			p.FlowTargetID = target
		}
		return nil
	}, nil)
	return found
}

// mutatePSP is MutatePSP with a veto: when fn returns an error nothing is stored, else
// fn's PSP is (fn checks its flowTargetId). When out is not nil it receives the PSP
// details as stored.
func (s *Server) mutatePSP(id string, fn func(*connxt.PSP) error, out *connxt.PSP) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.psps[id]
	if !ok {
		return false, nil
	}
	before := s.details(rec)
	p := s.details(rec)
	if err := fn(&p); err != nil {
		return true, err
	}
	changed := p.Name != before.Name || !sameText(p.Description, before.Description) ||
		!sameText(p.Logo, before.Logo) || p.Status != before.Status ||
		!slices.Equal(p.Operations, before.Operations) || p.FlowTargetID != before.FlowTargetID ||
		p.UpdatedBy != before.UpdatedBy
	if changed && p.UpdatedAt == before.UpdatedAt {
		p.UpdatedAt = s.localTime()
	}
	rec.psp.Name = p.Name
	rec.psp.Description = p.Description
	rec.psp.Logo = p.Logo
	rec.psp.Status = p.Status
	rec.psp.Operations = append([]connxt.PSPOperation{}, p.Operations...)
	rec.psp.UpdatedAt = p.UpdatedAt
	rec.psp.UpdatedBy = p.UpdatedBy
	rec.psp.FlowTargetID = p.FlowTargetID
	if out != nil {
		*out = s.details(rec)
	}
	return true, nil
}

// sameText compares two optional strings by value.
func sameText(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// SetDeleteUnsupported switches DELETE /psps/{id} between working and answering 405.
func (s *Server) SetDeleteUnsupported(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteUnsupported = v
}

// Transactions returns the transactions created so far, oldest first.
func (s *Server) Transactions() []TransactionRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TransactionRecord{}, s.txns...)
}
