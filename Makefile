# gokeepalived build and test entry points. `make test` is the one command CI runs.
GO ?= go
GOBIN := $(shell $(GO) env GOPATH)/bin
PKGS := ./...

.PHONY: all build test deps lint unit fuzz bench clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/gokeepalived ./cmd/gokeepalived

## test: install what the tests need, then lint, unit + integration tests (root tests run as root), fuzz smoke.
test: deps lint unit fuzz
	@echo "make test: all passed"

deps:
	./scripts/install-deps.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GOBIN)/staticcheck $(PKGS)

unit:
	$(GO) test -race -count=1 -timeout 25m $(PKGS)

fuzz:
	./scripts/fuzz-smoke.sh

bench:
	$(GO) test -run='^$$' -bench=. -benchmem $(PKGS)

clean:
	rm -rf bin

## demo: throw-away namespaces with two gokeepalived load balancers, a client and two web
## servers; crashes the master and prints the failover timeline (root; see docs/demo.md).
.PHONY: demo
demo:
	./scripts/demo.sh
