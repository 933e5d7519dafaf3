# idpconform: two commands matter. `make demo` runs the whole suite against
# the built-in reference target; `make test` runs the harness's own tests.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build image vendor-module demo demo-containers test fmt-check vet lint fuzz bench bench-scale bench-containers clean

all: test

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/idpconform ./cmd/idpconform

# The harness's own image (Dockerfile: FROM scratch, the static binary),
# for CI jobs that docker run it; IMAGE names it.
IMAGE ?= idpconform:latest
image:
	rm -rf bin/image && mkdir -p bin/image/rootfs && mkdir -m 1777 bin/image/rootfs/work bin/image/rootfs/tmp
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/image/rootfs/idpconform ./cmd/idpconform
	docker build -q -t $(IMAGE) -f Dockerfile bin/image

# testdata/vendor stands for a vendor's module using the public API; it
# requires what the root requires, so a change to go.mod is carried over
# here, from the module cache (its test runs offline).
vendor-module:
	cd testdata/vendor && GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod $(GO) mod tidy -e

demo:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/idpconform run

# The whole suite with each fake IdP (Okta, Entra, SAML, OIDC) in its own
# Docker container.
demo-containers:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/idpconform run --fakes container --out idpconform-report-containers

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# golangci-lint v2 with .golangci.yml, pinned: go run builds it once from the
# module proxy (about two minutes on a new machine) and caches it.
GOLANGCI_LINT ?= $(GO) run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
lint:
	$(GOLANGCI_LINT) run ./...

# go test hides a passing package's skips: say here that the container
# tests will skip (in CI, CI=true, they fail instead). The fault sweep
# (every reference-target fault caught) runs once per fault, and the
# liberty sweep (no failure against any legal choice) once per liberty:
# they skip under -race (about four times slower there) and run on their
# own after, with the whole-suite safety tests, which run a part of the
# suite and fewer interrupts under -race. internal/containers runs on its
# own: its tests look for containers left behind, and internal/cli's
# running at the same moment would count. The sweeps run 4 suites at once:
# each waits on loopback HTTP often enough that 2 cores keep up.
test: fmt-check vet lint
	@docker info >/dev/null 2>&1 || echo "note: no usable Docker engine: the container tests (internal/containers, internal/cli) skip; see README, In containers"
	$(GO) test -race -count=1 -timeout 20m $$($(GO) list ./... | grep -v '/internal/containers$$')
	$(GO) test -race -count=1 -timeout 20m ./internal/containers/
	$(GO) test -count=1 -timeout 20m -parallel 4 -run '^(TestEveryFaultIsCaught|TestEveryLibertyPasses|TestTheRunNeverTouchesWhatItDidNotCreate|TestAnInterruptedRunListsWhatItLeaves)$$' ./internal/runner/

# Each fuzz target for FUZZTIME (go test -fuzz takes one target per run),
# package:name. New inputs are minimized for 100 runs, not the default 60 s,
# which would eat a short run. A missing target fails (go test would pass
# it silently); failures are reported after the others ran, a crashing
# input saved in the package's testdata/fuzz.
FUZZTIME ?= 30s
FUZZ_TARGETS := \
	./internal/profile:FuzzLoadProfile \
	./internal/cli:FuzzTagExpression \
	./internal/scim:FuzzResponseObject \
	./internal/scim:FuzzListResponse \
	./internal/transcript:FuzzPlainBodiesNeedNoWalk \
	./internal/transcript:FuzzSAMLParamsAsTheExpression \
	./internal/transcript:FuzzHasFold \
	./internal/reference/target:FuzzFilter \
	./internal/reference/target:FuzzPatch \
	./reports:FuzzReadResults \
	./internal/reference/sp:FuzzSAMLResponse

fuzz:
	@failed=""; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz: $$name in $$pkg for $(FUZZTIME)"; \
		if ! $(GO) test -list "^$$name\$$" $$pkg | grep -qx "$$name"; then \
			echo "fuzz: no $$name in $$pkg"; failed="$$failed $$name"; continue; \
		fi; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 100x $$pkg || failed="$$failed $$name"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed"; exit 1; fi

# Benchmarks print wall time and requests per suite run, and the honest
# replay (BenchmarkHonestReplay): the harness's cost per request next to a
# bare net/http replay of the same requests, ids remapped, every status
# equal and the target empty after.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x -benchmem ./internal/runner/
	$(GO) test -run '^$$' -bench . -benchtime 1x ./internal/replay/

# The reference target at a customer's size: N users created, then one
# userName lookup and one page of a listing, at N = 1 000, 10 000, 100 000.
# Then the IdP fakes at those sizes, one line of SCALE_BENCHES each
# (package:benchmark, whose sub-benchmarks are named by N and report wall-s,
# req/s and peak-RSS-MB): each N runs in a process of its own, so its peak
# RSS is its own, and the growth exponent is
# log(wall at the largest N / wall at the smallest) / log(largest / smallest);
# 1 is linear.
SCALE_N ?= 1000 10000 100000
SCALE_BENCHES := \
	./fakes/entra:EntraCycleAtScale

bench-scale:
	$(GO) test -run '^$$' -bench DirectoryAtScale -benchtime 200x -benchmem ./internal/reference/target/
	@for b in $(SCALE_BENCHES); do \
		pkg=$${b%%:*}; name=$${b##*:}; out=""; \
		for n in $(SCALE_N); do \
			line=$$($(GO) test -run '^$$' -bench "^Benchmark$$name\$$/^$$n\$$" -benchtime 1x -timeout 30m $$pkg | grep "^Benchmark$$name/") || exit 1; \
			echo "$$line"; out="$$out$$n $$line\n"; \
		done; \
		printf "$$out" | awk -v name=$$name '{ for (i = 2; i < NF; i++) if ($$(i+1) == "wall-s") w[NR] = $$i; n[NR] = $$1 } \
			END { if (NR > 1 && w[1] > 0) printf "%s: growth exponent %.2f (wall %gs at %d, %gs at %d)\n", name, log(w[NR]/w[1])/log(n[NR]/n[1]), w[1], n[1], w[NR], n[NR] }'; \
	done
	# The Okta import runs each N in child processes itself and prints its exponent.
	$(GO) test -run '^$$' -bench OktaImportAtScale -benchtime 1x -timeout 30m ./fakes/okta/

# Container start time per fake, and the @okta/@entra suite with the fakes
# in process and in containers (needs Docker).
bench-containers:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./internal/containers/

clean:
	rm -rf bin idpconform-report idpconform-report-containers
