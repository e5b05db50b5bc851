package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// newLogger builds the structured logger of `rill run` (log/slog): level is debug, info, warn or
// error; format is text or json. quiet raises the level to warn.
func newLogger(w io.Writer, level, format string, quiet bool) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		return nil, fmt.Errorf("--log-level: expected debug, info, warn or error, not %q", level)
	}
	if quiet && lv < slog.LevelWarn {
		lv = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: expected text or json, not %q", format)
}
