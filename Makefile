# Coproduce: the commands a newcomer needs. See README.md.
#
#   make run    set up, build and start the platform on var/coproduce.db
#   make test   set up, build and run every test suite (the HTTP tests on
#               SQLite and again on a throwaway PostgreSQL server)
#   make demo   load made-up demonstration data and start the platform on it
#   make bench  run the benchmarks under bench/ (prints figures)

BUILD      ?= build
LISTEN     ?= 127.0.0.1:8080
DATABASE   ?= var/coproduce.db
DEMO_DB    ?= var/demo.db
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: all deps configure build static run demo test test-unit test-http test-http-postgres test-browser test-deploy \
        test-sanitize test-fuzz test-durability bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null

configure: $(BUILD)/build.ninja

build: deps configure
	@ninja -C $(BUILD) -j $(JOBS) --quiet
	@node scripts/build-static.mjs --out $(BUILD)/static

run: build
	@mkdir -p var
	@$(BUILD)/coproduce serve --listen $(LISTEN) --database $(DATABASE)

demo: build
	@mkdir -p var
	@$(BUILD)/coproduce demo --database $(DEMO_DB)
	@$(BUILD)/coproduce serve --listen $(LISTEN) --database $(DEMO_DB)

test: build
	@$(MAKE) --no-print-directory test-unit test-http test-http-postgres test-browser test-deploy
	@if [ "$$CI" = "true" ]; then $(MAKE) --no-print-directory test-sanitize test-fuzz test-durability; fi

test-unit:
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

test-http:
	@COPRODUCE_BIN=$(abspath $(BUILD))/coproduce node --test --test-concurrency=1 tests/http/ tests/support/fakes.test.mjs

# The same HTTP tests, each on its own database of a throwaway PostgreSQL
# server that scripts/with-postgres starts and stops.
test-http-postgres:
	@COPRODUCE_BIN=$(abspath $(BUILD))/coproduce scripts/with-postgres node --test --test-concurrency=1 tests/http/

test-browser:
	@COPRODUCE_BIN=$(abspath $(BUILD))/coproduce node --test --test-concurrency=1 tests/browser/

# Two server processes on a throwaway PostgreSQL server with Debian's nginx in
# front (its own configuration in a temporary folder): journeys through nginx,
# one process killed while writing (tests/deploy/, docs/deploy/).
test-deploy:
	@COPRODUCE_BIN=$(abspath $(BUILD))/coproduce scripts/with-postgres node --test --test-concurrency=1 tests/deploy/

# Address and undefined-behaviour sanitizers over the unit and HTTP tests.
test-sanitize: deps
	@cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCOPRODUCE_SANITIZE=ON >/dev/null
	@ninja -C build-sanitize -j $(JOBS) --quiet
	@node scripts/build-static.mjs --out build-sanitize/static
	@cd build-sanitize && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS) -L unit
	@COPRODUCE_BIN=$(abspath build-sanitize)/coproduce node --test --test-concurrency=1 tests/http/ tests/support/fakes.test.mjs

# libFuzzer targets, each run briefly.
FUZZ_SECONDS ?= 30
test-fuzz: deps
	@CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOPRODUCE_FUZZ=ON >/dev/null
	@ninja -C build-fuzz -j $(JOBS) --quiet fuzz_request fuzz_urlencoded fuzz_multipart fuzz_xlsx
	@for t in fuzz_request fuzz_urlencoded fuzz_multipart fuzz_xlsx; do \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  mkdir -p build-fuzz/corpus/$$t; \
	  build-fuzz/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 \
	    build-fuzz/corpus/$$t tests/fuzz/seeds/$$t 2>build-fuzz/$$t.log \
	    || { tail -50 build-fuzz/$$t.log; exit 1; }; \
	done

# The short run of bench/durability/run: 10 cycles of writes, SIGKILL and
# restart on each engine, failing if an acknowledged write is lost.
test-durability:
	@COPRODUCE_BIN=$(abspath $(BUILD))/coproduce bench/durability/run --cycles 10

bench: build
	@bench/web/run
	@COPRODUCE_BIN=$(abspath $(BUILD))/coproduce bench/durability/run
	@BUILD=$(BUILD) bench/messages/run
	@bench/selection/run.sh $(abspath $(BUILD))
	@COPRODUCE_BIN=$(abspath $(BUILD))/coproduce COPRODUCE_BUILD=$(BUILD) node bench/selection/web_round.mjs

clean:
	rm -rf $(BUILD) build-sanitize build-fuzz
