package flow

import (
	"io"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/interceptor"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/runtime/peer/httppeer"
	"github.com/rillstream/rill/runtime/peer/local"
	"github.com/rillstream/rill/runtime/peer/natspeer"
	"github.com/rillstream/rill/runtime/peer/tcp"
	"github.com/rillstream/rill/runtime/peer/udp"
	"github.com/rillstream/rill/runtime/peer/ws"
)

// Peers returns a registry with every built-in peer type. The stdio peer uses in, out and errw
// (the CLI passes the process's standard streams; tests pass buffers).
func Peers(in io.Reader, out, errw io.Writer) *peer.Registry {
	r := peer.NewRegistry()
	for _, family := range [][]*peer.Spec{local.Specs(), tcp.Specs(), udp.Specs(), httppeer.Specs(), ws.Specs(), natspeer.Specs(), peer.PlannedSpecs()} {
		for _, s := range family {
			r.Register(s)
		}
	}
	r.Register(local.StdioSpec(in, out, errw))
	return r
}

// DefaultEnv is the environment `rill run` compiles flows in: every built-in peer type, codec and
// interceptor, stdio on in/out/errw.
func DefaultEnv(ienv *interp.Env, dir string, in io.Reader, out, errw io.Writer) Env {
	return Env{Interp: ienv, Dir: dir, Peers: Peers(in, out, errw), Codecs: codec.Builtin(), Interceptors: interceptor.Builtin()}
}
