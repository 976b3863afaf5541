package simulator

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
)

// userRoleBody is the 200 response: {"user_role":{"id":1,"name":"Administrators"}}.
type userRoleBody struct {
	UserRole groupJSON `json:"user_role"`
}

// messageJSON is the body of every error response.
type messageJSON struct {
	Message string `json:"message"`
}

// normalBody returns the JSON body of a directory response.
func normalBody(a Response) []byte {
	if a.Status == http.StatusOK {
		body, _ := json.Marshal(userRoleBody{UserRole: groupJSON(a.Group)})
		return body
	}
	return messageBody(a.Message)
}

func messageBody(msg string) []byte {
	body, _ := json.Marshal(messageJSON{Message: msg})
	return body
}

func (s *Server) sendResponse(w http.ResponseWriter, r *http.Request, a Response) {
	s.send(w, r, a.Status, normalBody(a), nil)
}

func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request, status int, msg string, header http.Header) {
	s.send(w, r, status, messageBody(msg), header)
}

// send writes a complete JSON response with the extra header fields.
func (s *Server) send(w http.ResponseWriter, r *http.Request, status int, body []byte, header http.Header) {
	h := w.Header()
	for name, values := range header {
		h[name] = values
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))

	w.WriteHeader(status)
	_, _ = w.Write(body)
	s.logResponse(r, status)
}

// serveFault responds with fault f for a pair whose directory response is
// normal. The package comment describes each field's effect.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, normal Response, f *Fault) {
	ctx := r.Context()
	if !pause(ctx, f.Delay) {
		return
	}

	if f.Disconnect == DisconnectReset || f.Disconnect == DisconnectClose {
		s.logResponse(r, 0, slog.String("disconnect", string(f.Disconnect)))
		dropConnection(w, f.Disconnect == DisconnectReset)
		return
	}

	// Headers.
	status, body := f.responseFor(normal)
	size := max(int64(len(body)), f.BodyBytes)
	h := w.Header()
	h.Set("Content-Type", cmp.Or(f.ContentType, "application/json"))
	if f.RetryAfter != "" {
		h.Set("Retry-After", f.RetryAfter)
	}
	if f.Location != "" {
		h.Set("Location", f.Location)
	}
	if !bodyAllowed(status) {
		body, size = nil, 0
	} else {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	w.WriteHeader(status)
	s.logResponse(r, status, slog.Bool("fault", true), slog.String("disconnect", string(f.Disconnect)))

	// Body, possibly late or cut short.
	if f.BodyDelay > 0 {
		_ = http.NewResponseController(w).Flush()
		if !pause(ctx, f.BodyDelay) {
			return
		}
	}
	if f.Disconnect == DisconnectMidBody {
		writeBody(w, body, size, size/2)
		_ = http.NewResponseController(w).Flush()
		dropConnection(w, false)
		return
	}
	writeBody(w, body, size, size)
}

// bodyAllowed reports whether HTTP lets a response with status carry a body.
func bodyAllowed(status int) bool {
	return status != http.StatusNoContent && status != http.StatusNotModified
}

// writeBody writes the first n bytes of body padded with spaces to size
// bytes. It stops at the first write error, such as a client that left.
func writeBody(w io.Writer, body []byte, size, n int64) {
	padding := io.LimitReader(spaces{}, size-int64(len(body)))
	_, _ = io.CopyN(w, io.MultiReader(bytes.NewReader(body), padding), n)
}

// spaces is an endless reader of ' ' bytes.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// dropConnection closes the client connection without finishing the
// response, with a TCP reset when reset is true. Where the connection cannot
// be taken over, as with HTTP/2, it aborts the handler so that net/http
// drops the connection or stream itself.
func dropConnection(w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}

	raw := conn
	if wrapped, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = wrapped.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// logResponse records one response on Options.Logger; status 0 means none was
// sent.
func (s *Server) logResponse(r *http.Request, status int, attrs ...slog.Attr) {
	if s.opts.Logger == nil {
		return
	}
	attrs = append([]slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
	}, attrs...)
	s.opts.Logger.LogAttrs(r.Context(), slog.LevelInfo, "response", attrs...)
}
