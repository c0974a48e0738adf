# genrelab — `make demo` and `make test` do all set-up on a fresh Debian machine (as root).
SHELL := /bin/bash
.DEFAULT_GOAL := build

# Debian packages genrelab needs: libtorch, an optimised BLAS (the reference BLAS makes the generator
# ~8x slower), tcmalloc (glibc malloc: ~4x slower classifier steps, unbounded RSS), a C++ toolchain,
# c10d's Gloo headers (libgloo-dev; libtorch itself carries the engine) for distributed training.
APT_PACKAGES := libtorch-dev libgloo-dev libopenblas0-openmp libtcmalloc-minimal4 g++ make python3
# Tests also drive the report in a headless browser, kill training at each file rename (strace) and
# measure peak memory (time).
APT_TEST_PACKAGES := chromium strace time
# Dev-only: PyTorch for the reference benchmark and for regenerating test fixtures; LAME for the FMA
# fixture's mp3s and `npm run bench:decode`; SoX for the IMA ADPCM fixture.
APT_DEV_PACKAGES := python3-torch python3-torchaudio libblas3 liblapack3 lame sox

NATIVE_SRC := $(wildcard native/src/*.cc native/src/*.h) native/binding.gyp native/libtorch-paths.cjs
ADDON := native/build/Release/genrelab_torch.node
TS_SRC := $(shell find src test bench experiments -name '*.ts' 2>/dev/null) tsconfig.json
GENRELAB := node bin/genrelab.js

.PHONY: build deps lint format format-native test demo doctor fixtures bench bench-setup clean

WEB_SRC := $(wildcard web/*.html web/src/*) vite.config.ts

build: deps node_modules/.stamp $(ADDON) dist/.stamp dist/web/index.html

# Installs only what is missing, so repeated runs need no network.
deps:
	@command -v node >/dev/null || { echo "genrelab needs Node.js >= 20 (node not found)"; exit 1; }
	@missing=$$(for p in $(APT_PACKAGES) $(EXTRA_APT); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Configure once, then incremental builds; LIBTORCH=/path selects another libtorch.
$(ADDON): node_modules/.stamp $(NATIVE_SRC)
	@test -f native/build/Makefile || (cd native && ../node_modules/.bin/node-gyp configure --nodedir=/usr)
	cd native && ../node_modules/.bin/node-gyp build -j 2
	@touch $@

dist/.stamp: node_modules/.stamp $(TS_SRC)
	npx tsc -p tsconfig.json
	@touch $@

# The dashboard's front end (vite builds web/ into dist/web).
dist/web/index.html: node_modules/.stamp $(WEB_SRC)
	npx vite build

# Lint (biome, config in biome.jsonc) and typecheck everything, the dashboard's front end included;
# the addon's C++ must be as clang-format writes it (native/.clang-format; `make format-native` fixes it);
# no line over 120 characters.
lint: node_modules/.stamp
	@$(MAKE) --no-print-directory deps EXTRA_APT="clang-format"
	clang-format --dry-run -Werror native/src/*.cc native/src/*.h
	npx biome check --error-on-warnings
	node scripts/line-length.js
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p web/tsconfig.json

# Writes the formatting `make lint` checks: biome for TS/JS/CSS/JSON (biome.jsonc), clang-format for C++.
# Neither breaks a long string or comment: scripts/line-length.js names those lines for the author to break.
format: node_modules/.stamp
	npx biome format --write .
	clang-format -i native/src/*.cc native/src/*.h

format-native:
	clang-format -i native/src/*.cc native/src/*.h

test: build
	@$(MAKE) --no-print-directory deps EXTRA_APT="$(APT_TEST_PACKAGES)"
	node scripts/run-tests.js

# The whole study on the synthetic demo set; a second `make demo` reuses finished stages.
demo: build
	$(GENRELAB) doctor
	$(GENRELAB) run --data demo --out runs/demo --resume

doctor: build
	$(GENRELAB) doctor

fixtures: bench-setup
	/usr/bin/python3 test/fixtures/make_fixtures.py test/fixtures

# genrelab against PyTorch (default and tuned) on this machine; prints a table.
bench: build bench-setup
	npm run bench

bench-setup:
	@$(MAKE) --no-print-directory deps EXTRA_APT="$(APT_DEV_PACKAGES)" APT_PACKAGES=

clean:
	rm -rf dist native/build
