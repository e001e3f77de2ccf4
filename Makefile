# Rounds — developer tasks. `make help` lists them.

GO          ?= go
PKG         := ./cmd/rounds
BIN         := bin/rounds
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
# staticcheck 2026.2.2 (module v0.8.2) is the first release line that understands Go 1.26.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Extra arguments for scripts/bench, e.g. make bench BENCH_ARGS='--posts 1000000 --keep'
BENCH_ARGS  ?=

# Go files to format-check: everything except .git, testdata fixtures and local data.
FIND_GO := find . -name '*.go' -not -path './.git/*' -not -path '*/testdata/*' -not -path './data/*' -not -path './bin/*'

.PHONY: help run test bench bench-go lint fmt build ci clean

help:
	@echo 'make run    - start the demo server (go run ./cmd/rounds demo)'
	@echo 'make test   - go test ./...'
	@echo 'make bench  - the load test: ceiling, topic, board, tag, latest, profile, search, replies, start-up, memory (scripts/bench $$BENCH_ARGS)'
	@echo 'make bench-go - the Go benchmarks (go test -bench)'
	@echo 'make lint   - gofmt check, go vet, staticcheck'
	@echo 'make fmt    - gofmt -w'
	@echo 'make build  - static binary in $(BIN) (version $(VERSION))'
	@echo 'make ci     - what CI runs (.ci/run)'

run:
	$(GO) run $(PKG) demo

test:
	$(GO) test ./...

bench:
	scripts/bench $(BENCH_ARGS)

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint:
	@out=$$($(FIND_GO) -exec gofmt -l {} +); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

fmt:
	$(FIND_GO) -exec gofmt -w {} +

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) $(PKG)

ci:
	bash .ci/run

clean:
	rm -rf bin
