package emulator

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// pspRecord is a stored PSP. psp holds the details except the credential, which is
// kept apart (in clear, as the real server keeps it encrypted) and never copied into
// anything that is returned or logged.
type pspRecord struct {
	psp        connxt.PSP // Credential is always the mask; FlowTarget is rebuilt on output
	credential string
	seq        int64 // creation order, for a stable list
}

// details renders a stored PSP as the API returns it. The caller holds s.mu.
func (s *Server) details(rec *pspRecord) connxt.PSP {
	p := rec.psp
	p.Credential = connxt.CredentialMask
	p.Operations = append([]connxt.PSPOperation{}, rec.psp.Operations...)
	if rec.psp.Description != nil {
		d := *rec.psp.Description
		p.Description = &d
	}
	if rec.psp.Logo != nil {
		l := *rec.psp.Logo
		p.Logo = &l
	}
	p.FlowTarget = nil
	if ref, ok := s.catalog.byTarget[p.FlowTargetID]; ok {
		p.FlowTarget = ref.pspFlowTarget()
	}
	return p
}

// pspInput is what create and update have in common, after decoding.
type pspInput struct {
	name         string
	flowTargetID string
	credential   *string // nil: keep the stored one (update only)
	operations   []connxt.PSPOperation
	opsPresent   bool // create requires operations; update treats absent as "none"
	status       string
}

// validatePSP checks a create or update request. It returns the target when the request
// may proceed, or answers the request itself (400 with every field error, or 404 for an
// unknown target) and returns nil. storedCredential is used on update when the request
// keeps the credential but moves the PSP to another target.
func (s *Server) validatePSP(w http.ResponseWriter, in pspInput, isCreate bool, storedCredential, storedTarget string) *targetRef {
	var errs fieldErrors
	if strings.TrimSpace(in.name) == "" {
		errs.add("name", "name is required and must not be blank")
	}
	if in.credential == nil && isCreate || in.credential != nil && *in.credential == "" {
		errs.add("credential", "credential is required: a string holding a JSON object, e.g. {\"apiKey\":\"...\"}")
	}
	// The provider's model of the size limits, which the contract does not state.
	if n := utf8.RuneCountInString(in.name); n > connxt.MaxPSPNameChars {
		errs.add("name", "name is %d characters long; at most %d are accepted", n, connxt.MaxPSPNameChars)
	}
	credentialTooLarge := in.credential != nil && len(*in.credential) > connxt.MaxCredentialBytes
	if credentialTooLarge {
		errs.add("credential", "credential is %d bytes; at most %d are accepted", len(*in.credential), connxt.MaxCredentialBytes)
	}
	if in.flowTargetID == "" {
		errs.add("flowTargetId", "flowTargetId is required")
	}
	if !validStatus(in.status) {
		errs.add("status", "status must be %s or %s", connxt.StatusEnabled, connxt.StatusDisabled)
	}
	if isCreate && !in.opsPresent {
		errs.add("operations", "operations is required")
	} else if isCreate && len(in.operations) == 0 {
		errs.add("operations", "at least one operation is required")
	}

	var ref *targetRef
	if in.flowTargetID != "" {
		var found bool
		ref, found = s.catalog.pspTarget(in.flowTargetID)
		if !found {
			if len(errs) > 0 {
				// The request is malformed anyway; say so before looking things up,
				// as a server validating its input first would.
				s.invalid(w, errs)
				return nil
			}
			s.fail(w, http.StatusNotFound, connxt.CodeNotFound, msgTargetNotFound,
				connxt.FieldError{Field: "flowTargetId", Message: fmt.Sprintf("no flow target with this id in flow type %s", pspFlowType)})
			return nil
		}
		if ref.target.Status != connxt.StatusEnabled && (isCreate || in.flowTargetID != storedTarget) {
			errs.add("flowTargetId", "flow target %s is %s; PSPs cannot be configured for it", ref.target.Name, ref.target.Status)
		}
	}

	if ref != nil {
		switch {
		case in.credential != nil && *in.credential != "" && !credentialTooLarge:
			for _, m := range s.checkCredential(ref.target.ID, *in.credential) {
				errs.add("credential", "%s", m)
			}
		case in.credential == nil && !isCreate && in.flowTargetID != storedTarget:
			// The kept credential was written for another target's schema.
			if len(s.checkCredential(ref.target.ID, storedCredential)) > 0 {
				errs.add("credential", "the stored credential does not satisfy the credentialSchema of flow target %s; send a new credential with the new flowTargetId", ref.target.Name)
			}
		}
		seen := map[string]int{}
		for i, op := range in.operations {
			base := fmt.Sprintf("operations[%d].", i)
			var action *connxt.FlowAction
			switch a, ok := ref.target.action(op.FlowActionID); {
			case op.FlowActionID == "":
				errs.add(base+"flowActionId", "flowActionId is required")
			case !ok:
				errs.add(base+"flowActionId", "action is not offered by flow target %s", ref.target.Name)
			default:
				if first, dup := seen[op.FlowActionID]; dup {
					errs.add(base+"flowActionId", "action %s is already configured by operations[%d]", a.Name, first)
				} else {
					seen[op.FlowActionID] = i
				}
				action = a
			}
			switch {
			case op.FlowDefinitionID == "":
				errs.add(base+"flowDefinitionId", "flowDefinitionId is required")
			case action != nil && action.Definition == nil:
				errs.add(base+"flowDefinitionId", "action %s has no definition on flow target %s, so it cannot be configured", action.Name, ref.target.Name)
			case action != nil && action.Definition.ID != op.FlowDefinitionID:
				errs.add(base+"flowDefinitionId", "not the definition of action %s on flow target %s (expected %s)", action.Name, ref.target.Name, action.Definition.ID)
			}
			if op.Status != "" && !validStatus(op.Status) {
				errs.add(base+"status", "status must be %s or %s", connxt.StatusEnabled, connxt.StatusDisabled)
			}
		}
	}
	if len(errs) > 0 {
		s.invalid(w, errs)
		return nil
	}
	return ref
}

// normalizeOperations copies the operations, filling the default status.
func normalizeOperations(ops []connxt.PSPOperation) []connxt.PSPOperation {
	out := make([]connxt.PSPOperation, 0, len(ops))
	for _, op := range ops {
		if op.Status == "" {
			op.Status = connxt.StatusEnabled
		}
		out = append(out, op)
	}
	return out
}

// nameTaken reports whether another PSP of the environment and target has the name.
// The caller holds s.mu.
func (s *Server) nameTaken(envID, targetID, name, exceptID string) bool {
	for id, rec := range s.psps {
		if id != exceptID && rec.psp.EnvironmentID == envID && rec.psp.FlowTargetID == targetID && rec.psp.Name == name {
			return true
		}
	}
	return false
}

// conflict answers 409 for a duplicate name.
func (s *Server) conflict(w http.ResponseWriter) {
	s.fail(w, http.StatusConflict, connxt.CodeConflict, msgDuplicateName,
		connxt.FieldError{Field: "name", Message: "another PSP of this environment and flow target has this name"})
}

// handleCreatePSP implements POST /psps/external (internal/connxt/CONTRACT.md §4).
func (s *Server) handleCreatePSP(w http.ResponseWriter, r *http.Request, c *call) {
	var req connxt.CreatePSPRequest
	members, ok := s.decodeBody(w, r, &req)
	if !ok {
		return
	}
	_, hasCredential := members["credential"]
	var credential *string
	if hasCredential && string(members["credential"]) != "null" {
		credential = &req.Credential
	}
	_, opsPresent := members["operations"]
	// The documented request has neither description nor status, but Connxt's create DTO
	// takes both; absent, a new PSP is ENABLED without a description.
	status := req.Status
	if status == "" {
		status = connxt.StatusEnabled
	}
	in := pspInput{
		name:         req.Name,
		flowTargetID: req.FlowTargetID,
		credential:   credential,
		operations:   req.Operations,
		opsPresent:   opsPresent && string(members["operations"]) != "null",
		status:       status,
	}
	if s.validatePSP(w, in, true, "", "") == nil {
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nameTaken(c.token.EnvironmentID, req.FlowTargetID, req.Name, "") {
		s.conflict(w)
		return
	}
	id := s.newPSPID()
	now := s.localTime()
	var logo *string
	if req.Logo != "" {
		l := req.Logo
		logo = &l
	}
	s.seq++
	rec := &pspRecord{
		psp: connxt.PSP{
			ID:            id,
			Name:          req.Name,
			Description:   nonEmpty(req.Description),
			Logo:          logo,
			Credential:    connxt.CredentialMask,
			BrandID:       c.token.BrandID,
			EnvironmentID: c.token.EnvironmentID,
			FlowTargetID:  req.FlowTargetID,
			Status:        status,
			CreatedAt:     now,
			UpdatedAt:     now,
			CreatedBy:     c.token.EnvironmentID,
			UpdatedBy:     c.token.EnvironmentID,
			Operations:    normalizeOperations(req.Operations),
		},
		credential: req.Credential,
		seq:        s.seq,
	}
	s.psps[id] = rec
	s.ok(w, http.StatusCreated, msgOK, s.details(rec))
}

// newPSPID draws an unused PSP id. The caller holds s.mu.
func (s *Server) newPSPID() string {
	for {
		id := "psp_" + randomAlnum(s.rng, 26)
		if _, used := s.psps[id]; !used {
			return id
		}
	}
}

// lookup finds a PSP of the caller's environment; others' PSPs do not exist for it.
// The caller holds s.mu.
func (s *Server) lookup(c *call) (*pspRecord, bool) {
	rec, ok := s.psps[c.id]
	if !ok || rec.psp.EnvironmentID != c.token.EnvironmentID {
		return nil, false
	}
	return rec, true
}

// pspNotFound answers 404 for a PSP.
func (s *Server) pspNotFound(w http.ResponseWriter) {
	s.fail(w, http.StatusNotFound, connxt.CodeNotFound, msgPSPNotFound,
		connxt.FieldError{Field: "id", Message: "no PSP with this id in the token's environment"})
}

// handleGetPSP implements GET /psps/{id} (internal/connxt/CONTRACT.md §5).
func (s *Server) handleGetPSP(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.lookup(c)
	if !ok {
		s.pspNotFound(w)
		return
	}
	s.ok(w, http.StatusOK, msgOK, s.details(rec))
}

// handleListPSPs implements GET /psps (internal/connxt/CONTRACT.md §5): the
// environment's PSPs in creation order.
func (s *Server) handleListPSPs(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []connxt.PSP{}
	for _, rec := range s.sortedPSPs() {
		if rec.psp.EnvironmentID == c.token.EnvironmentID {
			out = append(out, s.details(rec))
		}
	}
	s.ok(w, http.StatusOK, msgOK, out)
}

// sortedPSPs lists the stored PSPs in creation order. The caller holds s.mu.
func (s *Server) sortedPSPs() []*pspRecord {
	recs := make([]*pspRecord, 0, len(s.psps))
	for _, rec := range s.psps {
		recs = append(recs, rec)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].seq < recs[j].seq })
	return recs
}

// handleUpdatePSP implements PUT /psps/{id} (internal/connxt/CONTRACT.md §5): a full
// replacement in which operations replaces the list and an absent credential keeps the
// stored one.
func (s *Server) handleUpdatePSP(w http.ResponseWriter, r *http.Request, c *call) {
	var req connxt.UpdatePSPRequest
	members, ok := s.decodeBody(w, r, &req)
	if !ok {
		return
	}
	if raw, present := members["credential"]; present && string(raw) == "null" {
		req.Credential = nil
	}

	// Look the PSP up before validating, but validate outside the lock: checks only
	// read the immutable catalog. The record is re-checked after re-locking.
	s.mu.Lock()
	rec, found := s.lookup(c)
	var storedCredential, storedTarget string
	if found {
		storedCredential, storedTarget = rec.credential, rec.psp.FlowTargetID
	}
	s.mu.Unlock()
	if !found {
		s.pspNotFound(w)
		return
	}
	in := pspInput{
		name:         req.Name,
		flowTargetID: req.FlowTargetID,
		credential:   req.Credential,
		operations:   req.Operations,
		status:       req.Status,
	}
	if s.validatePSP(w, in, false, storedCredential, storedTarget) == nil {
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	rec, found = s.lookup(c)
	if !found {
		s.pspNotFound(w)
		return
	}
	if s.nameTaken(c.token.EnvironmentID, req.FlowTargetID, req.Name, rec.psp.ID) {
		s.conflict(w)
		return
	}
	rec.psp.Name = req.Name
	rec.psp.Description = nonEmpty(req.Description)
	rec.psp.Logo = nonEmpty(req.Logo)
	rec.psp.FlowTargetID = req.FlowTargetID
	rec.psp.Status = req.Status
	rec.psp.Operations = normalizeOperations(req.Operations)
	if req.Credential != nil {
		rec.credential = *req.Credential
	}
	rec.psp.UpdatedAt = s.localTime()
	rec.psp.UpdatedBy = c.token.EnvironmentID
	s.ok(w, http.StatusOK, msgOK, s.details(rec))
}

// nonEmpty copies an optional string, treating "" like null as the API shows no
// difference between them.
func nonEmpty(p *string) *string {
	if p == nil || *p == "" {
		return nil
	}
	v := *p
	return &v
}

// handleDeletePSP implements DELETE /psps/{id} (internal/connxt/CONTRACT.md §5), or
// refuses it with 405 when the server is configured as one without PSP deletion.
func (s *Server) handleDeletePSP(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.deleteUnsupported {
		s.methodNotAllowed(w, []string{http.MethodGet, http.MethodPut})
		return
	}
	if _, ok := s.lookup(c); !ok {
		s.pspNotFound(w)
		return
	}
	delete(s.psps, c.id)
	s.ok(w, http.StatusOK, msgOK, nil)
}

// handleDefinitions implements GET /flow-types/definitions?type=
// (internal/connxt/CONTRACT.md §3).
func (s *Server) handleDefinitions(w http.ResponseWriter, r *http.Request, c *call) {
	name := r.URL.Query().Get(connxt.QueryFlowType)
	if name == "" {
		s.invalid(w, []connxt.FieldError{{Field: connxt.QueryFlowType, Message: "query parameter type is required, e.g. type=" + pspFlowType}})
		return
	}
	ft, ok := s.catalog.flowType(name)
	if !ok {
		s.fail(w, http.StatusNotFound, connxt.CodeNotFound, msgFlowTypeNotFound,
			connxt.FieldError{Field: connxt.QueryFlowType, Message: "no flow type with this name"})
		return
	}
	out := connxt.FlowTypeDefinitions{Name: ft.Name, Targets: make([]connxt.FlowTarget, 0, len(ft.Targets))}
	for _, t := range ft.Targets {
		out.Targets = append(out.Targets, t.FlowTarget)
	}
	s.ok(w, http.StatusOK, msgOK, out)
}

// validStatus reports whether v is ENABLED or DISABLED.
func validStatus(v string) bool { return v == connxt.StatusEnabled || v == connxt.StatusDisabled }
