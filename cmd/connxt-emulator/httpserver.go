package main

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// timeouts bound how long a client may hold a connection without doing its part, so
// that a stuck or hostile client on a shared CI machine cannot pile up connections.
type timeouts struct {
	readHeader time.Duration // from accepting a request to the end of its header
	read       time.Duration // from accepting a request to the end of its body
	idle       time.Duration // between requests on a kept-alive connection
}

// defaultTimeouts are generous for a loopback client, which sends a request (at most
// 1 MiB) in milliseconds.
var defaultTimeouts = timeouts{readHeader: 10 * time.Second, read: time.Minute, idle: 2 * time.Minute}

// writeTimeout bounds a request from the end of its header to the end of its answer.
// Fault rules may delay an answer by up to emulator.MaxLatencyMS before it is
// written, so the limit lies a margin beyond that: it stops a client that never
// reads its answer from holding the connection forever, and never cuts an injected
// delay short.
const writeTimeout = time.Duration(emulator.MaxLatencyMS)*time.Millisecond + time.Minute

// newHTTPServer configures the server of the command.
func newHTTPServer(h http.Handler, t timeouts, errorLog io.Writer) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.readHeader,
		ReadTimeout:       t.read,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       t.idle,
		ErrorLog:          slog.NewLogLogger(slog.NewTextHandler(errorLog, nil).WithAttrs([]slog.Attr{slog.String("component", "http")}), slog.LevelWarn),
	}
}
