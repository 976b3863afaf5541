package audit

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// sendFunc sends one request and returns the response or a transport error.
type sendFunc func(*http.Request) (*http.Response, error)

// newSender returns the function that sends requests: custom.Do for a
// client from Config.HTTPClient, or else RoundTrip of a tuned transport.
//
// The tuned path skips http.Client because the Client adds nothing the tool
// uses: it never follows redirects, keeps no cookies and times each attempt
// with its own context. Client.Do would still clone the request headers for
// a redirect that never comes and wrap every error in a *url.Error. A 3xx
// reaches classify as it is, also when its Location header cannot be parsed,
// which Client.Do turns into an error.
func newSender(custom *http.Client, concurrency int) sendFunc {
	if custom != nil {
		return custom.Do
	}
	transport := newTransport(concurrency)
	return func(req *http.Request) (*http.Response, error) {
		resp, err := transport.RoundTrip(req)
		if err != nil {
			return nil, schemeMismatch(err)
		}
		return resp, nil
	}
}

// schemeMismatch replaces the TLS error of an https request to a plain HTTP
// server with http.ErrSchemeMismatch, as http.Client does, so that the
// message names the problem.
func schemeMismatch(err error) error {
	if record, ok := err.(tls.RecordHeaderError); ok && string(record.RecordHeader[:]) == "HTTP/" {
		return http.ErrSchemeMismatch
	}
	return err
}

// requestHeader holds the header values every request carries. The slices
// are shared by all requests, which is safe because neither the transport
// nor the client changes a request's header after it is built.
type requestHeader struct {
	auth      []string
	accept    []string
	userAgent []string // nil when no User-Agent is configured
}

func newRequestHeader(auth, userAgent string) requestHeader {
	h := requestHeader{auth: []string{auth}, accept: []string{"application/json"}}
	if userAgent != "" {
		h.userAgent = []string{userAgent}
	}
	return h
}

// header returns a new header map for one request.
func (h requestHeader) header() http.Header {
	header := http.Header{"Authorization": h.auth, "Accept": h.accept}
	if h.userAgent != nil {
		header["User-Agent"] = h.userAgent
	}
	return header
}

// newRequest returns the GET request for p, bound to ctx.
func (c *Client) newRequest(ctx context.Context, p Pair) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(p), nil)
	if err != nil {
		return nil, err
	}
	req.Header = c.header.header()
	return req, nil
}

// endpoint returns the URL of the "Get user's group" endpoint for p: the
// base URL's escaped path prefix, which NewClient prepares once, and the
// two IDs, whose digits need no escaping.
func (c *Client) endpoint(p Pair) string {
	var buf [160]byte
	b := append(buf[:0], c.prefix...)
	b = strconv.AppendInt(b, p.ClientID, 10)
	b = append(b, "/client-users/"...)
	b = strconv.AppendInt(b, p.UserID, 10)
	return string(b)
}

// endpointPrefix returns the URL of base with "/iam/clients/" appended to
// its path, the part of every endpoint URL before the account ID.
func endpointPrefix(base *url.URL) string {
	u := *base
	u.Path += "/iam/clients/"
	return u.String()
}

// bodyBuffers recycles the buffers that response bodies are read into.
// classify copies whatever it keeps of a body, so a buffer can be reused as
// soon as its response is classified. Buffers that grew past maxPooledBody for
// a large body are left to the garbage collector.
var bodyBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, 4<<10)
	return &b
}}

const maxPooledBody = 64 << 10

// readBody reads r into buf until EOF or until it holds MaxBodyBytes+1
// bytes, as io.ReadAll(io.LimitReader(r, MaxBodyBytes+1)) does, but into a
// reused buffer.
func readBody(r io.Reader, buf []byte) ([]byte, error) {
	const limit = MaxBodyBytes + 1
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // let append grow the buffer
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), limit)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// getBodyBuffer returns an empty buffer from the pool.
func getBodyBuffer() *[]byte {
	b := bodyBuffers.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

// putBodyBuffer returns a buffer to the pool unless it grew too large.
func putBodyBuffer(b *[]byte) {
	if cap(*b) <= maxPooledBody {
		bodyBuffers.Put(b)
	}
}
