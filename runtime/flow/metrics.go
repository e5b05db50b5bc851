package flow

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rillstream/rill/interp/value"
)

// peerKinds are the per-peer counters (peers.md §1): in pipeline→peer, out peer→pipeline, err
// error events, send peer→outside, recv outside→peer.
var peerKinds = []string{"in", "out", "err", "send", "recv"}

// counter is one metric reading.
type counter struct {
	name   string            // "rill_peer_events"
	labels map[string]string // flow, peer, kind / flow, pipeline, node, kind
	value  uint64
}

// counters reads every counter of the deployment.
func (r *Runner) counters() []counter {
	var out []counter
	for _, pr := range r.peers {
		m := &pr.metrics
		for i, v := range []uint64{m.In.Load(), m.Out.Load(), m.Err.Load(), m.Send.Load(), m.Recv.Load()} {
			out = append(out, counter{"rill_peer_events", map[string]string{"flow": pr.flow, "peer": pr.inst.Name, "type": pr.inst.Spec.Name, "kind": peerKinds[i]}, v})
		}
	}
	for _, pr := range r.pipes {
		for i := range pr.p.Counts() {
			c := &pr.p.Counts()[i]
			for _, kv := range []struct {
				kind string
				v    uint64
			}{{"in", c.In.Load()}, {"out", c.Out.Load()}, {"err", c.Err.Load()}} {
				if c.Kind == "output" && kv.kind != "in" || c.Kind == "input" && kv.kind == "err" {
					continue
				}
				out = append(out, counter{"rill_node_events", map[string]string{"flow": pr.flow, "pipeline": pr.inst.Name, "node": c.Name, "kind": kv.kind}, kv.v})
			}
			for j := range c.Ports {
				out = append(out, counter{"rill_node_port_events", map[string]string{"flow": pr.flow, "pipeline": pr.inst.Name, "node": c.Name, "port": c.Ports[j].Port}, c.Ports[j].N.Load()})
			}
		}
	}
	out = append(out,
		counter{"rill_events_acked", nil, r.acked.Load()},
		counter{"rill_events_failed", nil, r.failed.Load()},
		counter{"rill_events_lost_on_stop", nil, r.lost.Load()})
	return out
}

// Snapshot returns the deployment's counters as events, the way the metrics peer emits them:
// {"measurement": "rill_peer_events", "tags": {"flow", "peer", "type", "kind"}, "fields":
// {"count": n}, "timestamp": ns} (and rill_node_events with flow, pipeline, node, kind;
// rill_node_port_events with flow, pipeline, node, port).
func (r *Runner) Snapshot() []value.Value {
	now := value.NewUint(uint64(time.Now().UnixNano()))
	var out []value.Value
	for _, c := range r.counters() {
		tags := value.NewRec(len(c.labels))
		for _, k := range []string{"flow", "peer", "type", "pipeline", "node", "port", "kind"} {
			if v, ok := c.labels[k]; ok {
				tags.Set(k, value.NewString(v))
			}
		}
		fields := value.NewRec(1)
		fields.Set("count", value.NewUint(c.value))
		rec := value.NewRec(4)
		rec.Set("measurement", value.NewString(c.name))
		rec.Set("tags", value.NewRecordValue(tags))
		rec.Set("fields", value.NewRecordValue(fields))
		rec.Set("timestamp", now)
		out = append(out, value.NewRecordValue(rec))
	}
	return out
}

// collector exports the counters to Prometheus.
type collector struct{ r *Runner }

var descs = map[string]*prometheus.Desc{
	"rill_peer_events": prometheus.NewDesc("rill_peer_events_total",
		"Events and messages per peer: in (pipeline to peer), out (peer to pipeline), err (error events), send (written to the outside), recv (read from the outside).",
		[]string{"flow", "peer", "type", "kind"}, nil),
	"rill_node_events": prometheus.NewDesc("rill_node_events_total",
		"Events per pipeline node: in (delivered to it), out (emitted on ports other than err), err (emitted on err).",
		[]string{"flow", "pipeline", "node", "kind"}, nil),
	"rill_node_port_events": prometheus.NewDesc("rill_node_port_events_total",
		"Events per pipeline node and output port (the connected ones).",
		[]string{"flow", "pipeline", "node", "port"}, nil),
	"rill_events_acked":        prometheus.NewDesc("rill_events_acked_total", "Events sinks acknowledged.", nil, nil),
	"rill_events_failed":       prometheus.NewDesc("rill_events_failed_total", "Events sinks failed to deliver.", nil, nil),
	"rill_events_lost_on_stop": prometheus.NewDesc("rill_events_lost_on_stop_total", "Events dropped because the flow stopped before they were delivered.", nil, nil),
}

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range descs {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	for _, m := range c.r.counters() {
		d := descs[m.name]
		var lv []string
		switch m.name {
		case "rill_peer_events":
			lv = []string{m.labels["flow"], m.labels["peer"], m.labels["type"], m.labels["kind"]}
		case "rill_node_events":
			lv = []string{m.labels["flow"], m.labels["pipeline"], m.labels["node"], m.labels["kind"]}
		case "rill_node_port_events":
			lv = []string{m.labels["flow"], m.labels["pipeline"], m.labels["node"], m.labels["port"]}
		}
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(m.value), lv...)
	}
}

// MetricsServer serves the runner's counters in Prometheus' text format on /metrics.
type MetricsServer struct {
	srv *http.Server
	ln  net.Listener
}

// ServeMetrics starts an HTTP server on addr ("127.0.0.1:9898") exposing /metrics.
func (r *Runner) ServeMetrics(addr string) (*MetricsServer, error) {
	reg := prometheus.NewRegistry()
	if err := reg.Register(collector{r}); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	s := &MetricsServer{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, ln: ln}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.log.Error("metrics server", "error", err.Error())
		}
	}()
	return s, nil
}

// Addr is the address the metrics server listens on.
func (s *MetricsServer) Addr() net.Addr { return s.ln.Addr() }

// Close stops the metrics server.
func (s *MetricsServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// Totals returns how many events sinks acknowledged and failed, and how many were dropped
// because the flow stopped before they were delivered.
func (r *Runner) Totals() (acked, failed, lost uint64) {
	return r.acked.Load(), r.failed.Load(), r.lost.Load()
}
