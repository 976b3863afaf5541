package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// ErrKeyRejected means the API returned 401 because the key itself is
// invalid, expired or revoked. It is the one API response that stops a run.
var ErrKeyRejected = errors.New("the API rejected the key (HTTP 401): check that it is valid and not expired, then supply it with GCORE_API_KEY or --api-key-file")

// Config sets up a Client. Zero values take the defaults given per field.
type Config struct {
	BaseURL      string        // API root; DefaultBaseURL when empty
	Key          string        // API key, with or without the leading word "APIKey"
	Limiter      *rate.Limiter // shared by every attempt; nil means no limit
	Concurrency  int           // workers, sizes the connection pool; default 8
	Timeout      time.Duration // per attempt, body included; default 30s
	Retries      int           // extra attempts after the first; negative means 0
	MaxRetryWait time.Duration // longest Retry-After honoured; default 2m
	UserAgent    string        // sent as User-Agent
	Logger       *slog.Logger  // retries are logged at Info; nil logs nothing
	HTTPClient   *http.Client  // replaces the tuned default, for tests
}

// Client requests the group of one user in one account from the IAM API.
// It is safe for concurrent use. All callers share its rate limiter, its
// Retry-After pause and its memory of a rejected key.
type Client struct {
	base         *url.URL
	redact       redactor
	limiter      *rate.Limiter
	timeout      time.Duration
	retries      int
	maxRetryWait time.Duration
	logger       *slog.Logger
	send         sendFunc
	header       requestHeader
	prefix       string // endpoint URL up to the account ID
	backoff      func(retry int) time.Duration

	pause    pause
	throttle *throttle
	window   *sendWindow
	rejected atomic.Bool
}

// NewClient checks cfg and returns a Client. Errors name the bad setting;
// none of them contains the key.
func NewClient(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	auth, err := authorization(cfg.Key)
	if err != nil {
		return nil, err
	}
	if cfg.Limiter == nil {
		cfg.Limiter = rate.NewLimiter(rate.Inf, 1)
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = 2 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Client{
		base:         base,
		redact:       newRedactor(auth),
		limiter:      cfg.Limiter,
		timeout:      cfg.Timeout,
		retries:      max(cfg.Retries, 0),
		maxRetryWait: cfg.MaxRetryWait,
		logger:       cfg.Logger,
		send:         newSender(cfg.HTTPClient, cfg.Concurrency),
		header:       newRequestHeader(auth, cfg.UserAgent),
		prefix:       endpointPrefix(base),
		backoff:      backoff,
		throttle:     newThrottle(cfg.Limiter),
		window:       newSendWindow(cfg.Limiter),
	}, nil
}

// Check looks up job's pair until it has a final outcome and returns it as a
// Result. Every attempt first waits for the shared Retry-After pause and then
// for a token from the shared limiter. The error is ErrKeyRejected after a
// 401 (here or in another worker), or the cause of ctx when it ended first;
// in both cases the pair has no final answer and the Result only counts the
// attempts made.
func (c *Client) Check(ctx context.Context, job Job) (Result, error) {
	res := Result{Job: job}
	for {
		if err := c.awaitTurn(ctx); err != nil {
			return res, err
		}

		res.Attempts++
		a := c.attempt(ctx, job.Pair)
		if ctx.Err() != nil {
			return res, context.Cause(ctx)
		}
		if a.status == http.StatusTooManyRequests {
			c.throttle.throttled(time.Now())
		} else if a.status != 0 {
			c.throttle.answered(time.Now())
		}
		if a.status == http.StatusUnauthorized {
			c.rejected.Store(true)
			return res, ErrKeyRejected
		}

		wait, retry := c.nextWait(&a, res.Attempts)
		if !retry {
			a.apply(&res, c.redact)
			return res, nil
		}
		c.logger.Info("retry", "client_id", job.ClientID, "user_id", job.UserID,
			"status", a.status, "error_kind", string(a.kind), "attempt", res.Attempts, "wait", wait)
		if err := sleep(ctx, wait); err != nil {
			return res, err
		}
	}
}

// awaitTurn blocks until the caller may send: the shared pause is over and
// the limiter has given it a token. A caller can wait for its token for a
// long time when the limiter is slow or throttled. A pause that began or a
// 401 that arrived meanwhile sends it back to wait again, so that it sends
// neither inside the pause nor with a rejected key.
func (c *Client) awaitTurn(ctx context.Context) error {
	for {
		if c.rejected.Load() {
			return ErrKeyRejected
		}
		if err := c.pause.wait(ctx); err != nil {
			return err
		}
		if err := c.throttle.wait(ctx); err != nil {
			return fmt.Errorf("waiting for the rate limiter: %w", err)
		}
		if !c.rejected.Load() && c.pause.over(time.Now()) {
			return nil
		}
	}
}

// nextWait decides whether attempt number n, which got a, is retried and
// how long to wait first. A Retry-After on a 429 or 503 sets the wait and
// pauses every worker. It does so also when this pair has no retries left,
// because the other workers would only draw more 429s. A Retry-After longer
// than MaxRetryWait ends the pair at once and pauses no worker.
func (c *Client) nextWait(a *answer, n int) (time.Duration, bool) {
	if !retryable(a.status, a.kind) {
		return 0, false
	}
	honoured := a.hasRetryAfter && (a.status == http.StatusTooManyRequests || a.status == http.StatusServiceUnavailable)
	if honoured && a.retryAfter > c.maxRetryWait {
		a.message = fmt.Sprintf("%s (Retry-After %s is longer than --max-retry-wait %s)", a.message, a.retryAfter, c.maxRetryWait)
		return 0, false
	}
	if honoured {
		c.pause.extend(time.Now().Add(a.retryAfter))
	}
	if n > c.retries {
		a.message = fmt.Sprintf("%s (gave up after %d attempts)", a.message, n)
		return 0, false
	}
	if !honoured {
		return c.backoff(n), true
	}
	return a.retryAfter, true
}

// attempt sends one request and classifies what came back. It never returns
// an error: transport failures become an error with kind timeout or network.
func (c *Client) attempt(ctx context.Context, p Pair) answer {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	// The send window is checked once the connection is ready, so that
	// dialing time cannot bunch requests up on the wire. Without a rate
	// limit there is no window and no trace to pay for.
	if c.window != nil {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			GotConn: func(httptrace.GotConnInfo) { c.window.wait(ctx) },
		})
	}
	req, err := c.newRequest(ctx, p)
	if err != nil {
		return answer{outcome: OutcomeError, kind: KindNetwork, message: err.Error()}
	}

	resp, err := c.send(req)
	if err != nil {
		return transportFailure(ctx, err, c.timeout)
	}
	defer closeBody(resp.Body)

	buf := getBodyBuffer()
	defer putBodyBuffer(buf)
	body, err := readBody(resp.Body, *buf)
	*buf = body
	if err != nil {
		a := transportFailure(ctx, err, c.timeout)
		a.status = resp.StatusCode
		a.message = fmt.Sprintf("HTTP %d, reading the body failed: %s", resp.StatusCode, a.message)
		return a
	}

	// Messages quote excerpts of the body and the Location header. Redact
	// them whole first: an excerpt cut short can keep part of an echoed key,
	// which the redactor no longer recognises. A body over the cap is never
	// quoted and keeps its length for the size check.
	if len(body) <= MaxBodyBytes {
		body = c.redact.cleanBytes(body)
	}
	if location := resp.Header.Get("Location"); location != "" {
		resp.Header.Set("Location", c.redact.clean(location))
	}
	return classify(resp, body, time.Now())
}

// transportFailure classifies an error from sending a request or reading
// its body. An attempt that ran past its own deadline is a timeout.
func transportFailure(ctx context.Context, err error, timeout time.Duration) answer {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	var netErr interface{ Timeout() bool }
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &netErr) && netErr.Timeout()) {
		return answer{outcome: OutcomeError, kind: KindTimeout, message: fmt.Sprintf("timed out: no complete response within %s (--timeout)", timeout)}
	}
	return answer{outcome: OutcomeError, kind: KindNetwork, message: err.Error()}
}

// closeBody drains a little of what is left so the connection can be
// reused, then closes. A body longer than that is dropped with its
// connection rather than read to the end.
func closeBody(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 64<<10)
	_ = body.Close()
}
