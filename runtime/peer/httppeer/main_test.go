package httppeer

import (
	"testing"

	"github.com/rillstream/rill/runtime/peer/peertest"
)

// TestMain fails the package when a goroutine running this package's code outlives the tests:
// Stop must wait for every handler and request of its peer.
func TestMain(m *testing.M) { peertest.MainCheckingLeaks(m, "runtime/peer/httppeer") }
