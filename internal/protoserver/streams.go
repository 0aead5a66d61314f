package protoserver

import (
	"context"
	"fmt"
	"iter"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The list resource, action and state store RPCs live outside tfprotov6.ProviderServer
// (tf6server looks for them with ProviderServerWithListResource, ...WithActions and
// ...WithStateStores, which combine ProviderServer with ListResourceServer, ActionServer
// and StateStoreServer). A wrapper that only embedded ProviderServer would hide them from
// Terraform, so the releasing server implements them all and forwards each to the
// framework.
//
// Three of them answer with a stream that Terraform reads after the method has
// returned: the call is under way until the stream ends, so it keeps the gate's read
// lock until then; otherwise a release in between would cancel its context mid-stream.

var (
	_ tfprotov6.ListResourceServer = (*releasingServer)(nil)
	_ tfprotov6.ActionServer       = (*releasingServer)(nil)
	_ tfprotov6.StateStoreServer   = (*releasingServer)(nil)
)

// streaming runs a call that answers with a stream: seq, taken from the answer, is
// wrapped so that the call ends (the read lock is released) when the stream has been read
// to its end or abandoned, or, at the latest, when the RPC's context ends.
func streaming[Req, Resp, T any](s *releasingServer, ctx context.Context, req Req, f func(context.Context, Req) (*Resp, error), seq func(*Resp) *iter.Seq[T]) (*Resp, error) {
	s.streamStart.Lock()
	s.gate.RLock()
	s.streams.Add(1)
	s.streamStart.Unlock()
	var once sync.Once
	end := func() {
		once.Do(func() {
			s.streams.Add(-1)
			s.finish(ctx)
		})
	}
	resp, err := f(ctx, req)
	if err != nil || resp == nil || *seq(resp) == nil {
		end()
		return resp, err
	}
	stop := context.AfterFunc(ctx, end)
	inner := *seq(resp)
	*seq(resp) = func(yield func(T) bool) {
		defer func() {
			stop()
			end()
		}()
		inner(yield)
	}
	return resp, nil
}

// notOffered answers a call of an optional interface that the inner server lacks.
func notOffered(method string) error {
	return fmt.Errorf("the provider server does not implement %s", method)
}

func (s *releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	inner, ok := s.ProviderServer.(tfprotov6.ListResourceServer)
	if !ok {
		return nil, notOffered("ValidateListResourceConfig")
	}
	return call(s, ctx, req, inner.ValidateListResourceConfig)
}

func (s *releasingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	inner, ok := s.ProviderServer.(tfprotov6.ListResourceServer)
	if !ok {
		return nil, notOffered("ListResource")
	}
	return streaming(s, ctx, req, inner.ListResource, func(r *tfprotov6.ListResourceServerStream) *iter.Seq[tfprotov6.ListResourceResult] {
		return &r.Results
	})
}

func (s *releasingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	inner, ok := s.ProviderServer.(tfprotov6.ActionServer)
	if !ok {
		return nil, notOffered("ValidateActionConfig")
	}
	return call(s, ctx, req, inner.ValidateActionConfig)
}

func (s *releasingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	inner, ok := s.ProviderServer.(tfprotov6.ActionServer)
	if !ok {
		return nil, notOffered("PlanAction")
	}
	return call(s, ctx, req, inner.PlanAction)
}

func (s *releasingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	inner, ok := s.ProviderServer.(tfprotov6.ActionServer)
	if !ok {
		return nil, notOffered("InvokeAction")
	}
	return streaming(s, ctx, req, inner.InvokeAction, func(r *tfprotov6.InvokeActionServerStream) *iter.Seq[tfprotov6.InvokeActionEvent] {
		return &r.Events
	})
}

// stateStores returns the inner server's state store methods, if it has them.
func (s *releasingServer) stateStores(method string) (tfprotov6.StateStoreServer, error) {
	inner, ok := s.ProviderServer.(tfprotov6.StateStoreServer)
	if !ok {
		return nil, notOffered(method)
	}
	return inner, nil
}

func (s *releasingServer) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	inner, err := s.stateStores("ValidateStateStoreConfig")
	if err != nil {
		return nil, err
	}
	return call(s, ctx, req, inner.ValidateStateStoreConfig)
}

func (s *releasingServer) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	inner, err := s.stateStores("ConfigureStateStore")
	if err != nil {
		return nil, err
	}
	return call(s, ctx, req, inner.ConfigureStateStore)
}

func (s *releasingServer) ReadStateBytes(ctx context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	inner, err := s.stateStores("ReadStateBytes")
	if err != nil {
		return nil, err
	}
	return streaming(s, ctx, req, inner.ReadStateBytes, func(r *tfprotov6.ReadStateBytesStream) *iter.Seq[tfprotov6.ReadStateByteChunk] {
		return &r.Chunks
	})
}

// WriteStateBytes reads Terraform's stream before it returns, so it is an ordinary call.
func (s *releasingServer) WriteStateBytes(ctx context.Context, req *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	inner, err := s.stateStores("WriteStateBytes")
	if err != nil {
		return nil, err
	}
	return call(s, ctx, req, inner.WriteStateBytes)
}

func (s *releasingServer) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	inner, err := s.stateStores("GetStates")
	if err != nil {
		return nil, err
	}
	return call(s, ctx, req, inner.GetStates)
}

func (s *releasingServer) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	inner, err := s.stateStores("DeleteState")
	if err != nil {
		return nil, err
	}
	return call(s, ctx, req, inner.DeleteState)
}

func (s *releasingServer) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	inner, err := s.stateStores("LockState")
	if err != nil {
		return nil, err
	}
	return call(s, ctx, req, inner.LockState)
}

func (s *releasingServer) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	inner, err := s.stateStores("UnlockState")
	if err != nil {
		return nil, err
	}
	return call(s, ctx, req, inner.UnlockState)
}
