# Set-up on a fresh machine needs only Go: "make demo" and "make test".
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)
LDFLAGS  := -X main.version=$(VERSION) -X main.commit=$(COMMIT)
FUZZTIME ?= 10s

.PHONY: build demo test fuzz bench bench-smoke bench-packages clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/accessaudit .

demo: build
	./bin/accessaudit demo

# vet, the race-enabled test suite, then a short run of every fuzz target.
# The workbook test in report/ opens the workbook in LibreOffice. Without
# soffice and pdftotext on PATH it is skipped, and this target says so.
test:
	$(GO) vet ./...
	@command -v soffice >/dev/null && command -v pdftotext >/dev/null || \
		echo "NOTE: soffice or pdftotext not found: the LibreOffice check of the workbook is skipped (Debian: apt-get install libreoffice-calc-nogui poppler-utils)"
	$(GO) test -race -count=1 ./...
	$(MAKE) fuzz

# Every fuzz target of every package, each for FUZZTIME; go test -fuzz
# takes one package and one target at a time.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

# The benchmark driver (bench_test.go): generates inputs, starts a loopback
# stub API, measures the tool against bare net/http, excelize and
# encoding/json baselines and prints every target with PASS or FAIL; about
# 15 minutes. BENCHMARKS.md records the results. bench-smoke runs it at small
# sizes in seconds; bench-packages runs the testing.B suites of the packages.
bench:
	ACCESSAUDIT_BENCH=full $(GO) test -run '^TestBenchDriver$$' -count=1 -timeout 0 -v .

bench-smoke:
	ACCESSAUDIT_BENCH=smoke $(GO) test -run '^TestBenchDriver$$' -count=1 -timeout 10m -v .

bench-packages:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./...

clean:
	rm -rf bin accessaudit-demo
