package simulator

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStartServesOnLoopback(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello"))
	})
	baseURL, stop, err := Start(handler, "")
	if err != nil {
		t.Fatal(err)
	}

	if !strings.HasPrefix(baseURL, "http://127.0.0.1:") {
		t.Errorf("base URL = %q, want http://127.0.0.1:<port>", baseURL)
	}
	got, err := do(context.Background(), "GET", baseURL+"/", "")
	if err != nil || string(got.body) != "hello" {
		t.Errorf("GET = %q, %v; want hello", got.body, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := stop(ctx); err != nil {
		t.Errorf("stop = %v", err)
	}
	if err := stop(ctx); err != nil {
		t.Errorf("second stop = %v, want nil", err)
	}
	if _, err := do(context.Background(), "GET", baseURL+"/", ""); err == nil {
		t.Error("GET after stop succeeded, want a connection error")
	}
}

func TestStartAddressInUse(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()

	_, _, err = Start(http.NotFoundHandler(), listener.Addr().String())
	if err == nil || !strings.Contains(err.Error(), listener.Addr().String()) {
		t.Errorf("Start on a used address = %v, want an error naming it", err)
	}
}

func TestStopCutsLongRequests(t *testing.T) {
	started := make(chan struct{})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(time.Second) // ignores cancellation on purpose
	})
	baseURL, stop, err := Start(handler, "")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = do(context.Background(), "GET", baseURL+"/", "") }()
	<-started

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := stop(ctx); err == nil {
		t.Error("stop = nil while a request was still running, want the context error")
	}
}

func TestLoopbackHostPort(t *testing.T) {
	tests := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, "127.0.0.1:8080"},
		{&net.TCPAddr{Port: 8080}, "127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "[::1]:8080"},
	}
	for _, tt := range tests {
		if got := loopbackHostPort(tt.addr); got != tt.want {
			t.Errorf("loopbackHostPort(%v) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
