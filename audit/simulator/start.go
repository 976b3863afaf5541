package simulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// Start serves h on addr, or on a free port of 127.0.0.1 when addr is
// empty, and returns the base URL such as "http://127.0.0.1:40123".
// When addr leaves the host out or names an unspecified address such as
// 0.0.0.0, the base URL uses 127.0.0.1.
//
// stop shuts the server down: it stops accepting, waits for running
// requests until ctx is done, then closes every connection. It returns the
// context's error when it had to cut requests short, and it may be called
// more than once. The server logs nothing.
func Start(h http.Handler, addr string) (baseURL string, stop func(context.Context) error, err error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("listen on %s: %w", addr, err)
	}

	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	done := make(chan struct{})
	var serveErr error
	go func() {
		defer close(done)
		serveErr = srv.Serve(listener)
	}()

	stop = func(ctx context.Context) error {
		err := srv.Shutdown(ctx)
		if err != nil {
			_ = srv.Close()
		}
		<-done
		if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
			return errors.Join(err, fmt.Errorf("serve on %s: %w", listener.Addr(), serveErr))
		}
		return err
	}
	return "http://" + loopbackHostPort(listener.Addr()), stop, nil
}

// loopbackHostPort returns addr as host:port, with 127.0.0.1 in place of
// an unspecified host so that a client can dial it.
func loopbackHostPort(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return addr.String()
	}

	host := tcp.IP.String()
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}
