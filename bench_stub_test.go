package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchStubEnv turns TestBenchStub into the stub server of the benchmark
// driver. The driver starts the test binary again with it set, so the stub
// runs in a process of its own and shares only the CPUs with the client.
const benchStubEnv = "ACCESSAUDIT_BENCH_STUB"

// benchStubReady starts the line on which the stub prints its addresses.
const benchStubReady = "bench stub listening:"

// The response bodies of the stub, chosen by the user ID as benchOutcome
// decides. They are fixed byte slices, so the stub does no more work per
// request than net/http needs.
var (
	stubUsers     = []byte(`{"user_role":{"id":2,"name":"Users"}}`)
	stubAdmin     = []byte(`{"user_role":{"id":1,"name":"Administrators"}}`)
	stubNotFound  = []byte(`{"message":"user not found"}`)
	stubForbidden = []byte(`{"message":"no permission for this account"}`)
	stubJSONType  = []string{"application/json"}
)

// benchOutcome returns the HTTP status the stub sends for a user ID: one
// user in 20 is an administrator, one is not found, one is in an account the
// key cannot see, and the rest are ordinary users. The reports then have
// rows on every data sheet, as a real audit does.
func benchOutcome(userID int64) int {
	switch userID % 20 {
	case 1:
		return http.StatusNotFound
	case 2:
		return http.StatusForbidden
	}
	return http.StatusOK
}

// benchIsAdmin reports whether the stub returns the Administrators group
// for userID.
func benchIsAdmin(userID int64) bool { return userID%20 == 0 }

// benchStub is a minimal IAM API: a fixed response per user ID, with counters
// of connections and requests, and a record of arrival times for the rate
// measurement. It is not the simulator, whose directory lookups and fault
// injection would cost time of their own.
type benchStub struct {
	connections atomic.Int64 // connections accepted (net/http's StateNew)
	requests    atomic.Int64
	recording   atomic.Bool

	mu       sync.Mutex
	start    time.Time
	arrivals []int64 // nanoseconds after start, while recording
}

func (s *benchStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if s.recording.Load() {
		s.mu.Lock()
		s.arrivals = append(s.arrivals, time.Since(s.start).Nanoseconds())
		s.mu.Unlock()
	}

	path := r.URL.Path
	userID, _ := strconv.ParseInt(path[strings.LastIndexByte(path, '/')+1:], 10, 64)
	status := benchOutcome(userID)
	body := stubUsers
	switch {
	case status == http.StatusNotFound:
		body = stubNotFound
	case status == http.StatusForbidden:
		body = stubForbidden
	case benchIsAdmin(userID):
		body = stubAdmin
	}

	header := w.Header()
	header["Content-Type"] = stubJSONType
	header["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// benchStubStats is what the control endpoint /stats returns.
type benchStubStats struct {
	Connections int64 `json:"connections"`
	Requests    int64 `json:"requests"`
}

// controlHandler serves the driver on a listener of its own, so that its
// requests are not counted: /stats, /reset, /record (clear and start
// recording arrivals) and /arrivals (stop recording and return them).
func (s *benchStub) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/stats", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(benchStubStats{Connections: s.connections.Load(), Requests: s.requests.Load()})
	})
	mux.HandleFunc("/reset", func(http.ResponseWriter, *http.Request) {
		s.recording.Store(false)
		s.connections.Store(0)
		s.requests.Store(0)
	})
	mux.HandleFunc("/record", func(http.ResponseWriter, *http.Request) {
		s.mu.Lock()
		s.start, s.arrivals = time.Now(), nil
		s.mu.Unlock()
		s.recording.Store(true)
	})
	mux.HandleFunc("/arrivals", func(w http.ResponseWriter, _ *http.Request) {
		s.recording.Store(false)
		s.mu.Lock()
		defer s.mu.Unlock()
		_ = json.NewEncoder(w).Encode(s.arrivals)
	})
	return mux
}

// TestBenchStub is the stub server process of TestBenchDriver. It prints its
// addresses on stdout and serves until its standard input closes.
func TestBenchStub(t *testing.T) {
	if os.Getenv(benchStubEnv) != "1" {
		t.Skip("the stub server of TestBenchDriver; it starts this test itself")
	}

	stub := &benchStub{}
	api := &http.Server{Handler: stub, ConnState: func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			stub.connections.Add(1)
		}
	}}
	control := &http.Server{Handler: stub.controlHandler()}
	apiListener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	controlListener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = api.Serve(apiListener) }()
	go func() { _ = control.Serve(controlListener) }()

	fmt.Printf("%s api=%s control=%s\n", benchStubReady, apiListener.Addr(), controlListener.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = api.Close()
	_ = control.Close()
}

// benchStubProcess is the driver's handle on the running stub process.
type benchStubProcess struct {
	apiURL     string // base URL of the API, for --base-url
	controlURL string
	control    *http.Client
}

// startBenchStub starts the stub process and stops it when the test ends.
func startBenchStub(t *testing.T) *benchStubProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchStub$", "-test.count=1")
	cmd.Env = append(os.Environ(), benchStubEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the stub server: %v", err)
	}
	t.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	})

	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		rest, ok := strings.CutPrefix(lines.Text(), benchStubReady)
		if !ok {
			continue
		}
		var api, control string
		if _, err := fmt.Sscanf(rest, " api=%s control=%s", &api, &control); err != nil {
			t.Fatalf("stub server printed %q: %v", lines.Text(), err)
		}
		if !strings.HasPrefix(api, "127.0.0.1:") || !strings.HasPrefix(control, "127.0.0.1:") {
			t.Fatalf("stub server listens on %s and %s, want loopback addresses", api, control)
		}
		go func() { _, _ = io.Copy(io.Discard, stdout) }()
		return &benchStubProcess{apiURL: "http://" + api, controlURL: "http://" + control, control: &http.Client{Timeout: time.Minute}}
	}
	t.Fatalf("stub server exited before it printed its addresses: %v", errors.Join(lines.Err(), cmd.Wait()))
	return nil
}

// call sends one control request and decodes its JSON response into out, if
// out is not nil.
func (s *benchStubProcess) call(t *testing.T, path string, out any) {
	t.Helper()
	resp, err := s.control.Get(s.controlURL + path)
	if err != nil {
		t.Fatalf("stub control %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("stub control %s: HTTP %d", path, resp.StatusCode)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("stub control %s: %v", path, err)
		}
	}
}

func (s *benchStubProcess) reset(t *testing.T) { s.call(t, "/reset", nil) }

func (s *benchStubProcess) stats(t *testing.T) benchStubStats {
	var st benchStubStats
	s.call(t, "/stats", &st)
	return st
}

func (s *benchStubProcess) record(t *testing.T) { s.call(t, "/record", nil) }

func (s *benchStubProcess) arrivals(t *testing.T) []int64 {
	var at []int64
	s.call(t, "/arrivals", &at)
	return at
}
