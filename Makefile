# idpconform: two commands matter. `make demo` runs the whole suite against
# the built-in reference target; `make test` runs the harness's own tests.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build demo test fmt-check vet bench clean

all: test

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/idpconform ./cmd/idpconform

demo:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/idpconform run

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

test: fmt-check vet
	$(GO) test -race -count=1 -timeout 20m ./...

# Benchmarks print wall time, requests per suite run and the harness's
# overhead per request next to a bare net/http replay.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x -benchmem ./internal/runner/

clean:
	rm -rf bin idpconform-report
