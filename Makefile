# SwiftLRP — `make run` explains the bundled demo, `make test` runs the tests.
# Both install the Debian packages the build needs when run as root, or say exactly what to install.

SYSTEM_PACKAGES := libopenblas-dev liblapacke-dev zlib1g-dev
SWIFT ?= swift

.PHONY: all build release test snippets test-kernels test-cluster test-browser check-core-only run serve bench docs fuzz system-packages clean

all: build

system-packages:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing missing system packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		else \
			echo "Missing system packages. Install them with:"; \
			echo "    sudo apt-get install -y$$missing"; \
			exit 1; \
		fi; \
	fi

build: system-packages
	$(SWIFT) build

release: system-packages
	$(SWIFT) build -c release

test: system-packages
	$(SWIFT) test

# Regenerates Tests/LRPDocumentationTests/Snippets from the documentation's Swift snippets (README.md, the DocC
# articles, the `///` comments); `make test` compiles them and fails while they are out of date.
snippets: system-packages
	mkdir -p .build
	swiftc Tests/LRPDocumentationTests/SnippetExtraction.swift scripts/snippets/main.swift -o .build/generate-snippets
	.build/generate-snippets

# The numerical suites again under OpenBLAS kernels other than the one this CPU gets (SwiftLRP picks the proper
# kernel when it loads; OPENBLAS_CORETYPE overrides it): their summation orders differ, and the tests must hold
# under any of them. The command-line suites, which only add process plumbing, are skipped.
OTHER_KERNELS ?= Haswell Prescott
test-kernels: system-packages
	@for kernel in $(OTHER_KERNELS); do \
		echo "== numerical suites under OPENBLAS_CORETYPE=$$kernel"; \
		OPENBLAS_CORETYPE=$$kernel $(SWIFT) test --skip CommandTests || exit 1; \
	done

# The Slurm job-array scripts (scripts/slurm, docs/scaling.md) under a throwaway single-node Slurm started as root:
# explain, evaluate and spray in 4 shards against one run, and a task killed mid-run and re-queued. Installs the
# Debian packages of Slurm and MUNGE when run as root, or says what to install.
SLURM_PACKAGES := slurm-wlm slurmctld slurmd munge
test-cluster: release
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(SLURM_PACKAGES)"
	scripts/slurm/test-cluster.sh

# The slides' comparison on genuine CIFAR-10 test images (demo/README.md): LRP-0, LRP-ε, LRP-γ and the
# composition side by side on the pretrained ResNet-20's 20 weighted layers: γ on the stem and the first stage
# (1–7), ε on the second and third stages (8–19), LRP-0 on the dense layer (20).
DEMO_METHODS := --method zero --method epsilon:0.25 --method gamma:0.25 \
	--method '1-7=gamma:0.25;8-19=epsilon:0.25;20=zero'

run: release
	.build/release/lrp compare --model demo/cifar10_resnet20.onnx --input demo/images $(DEMO_METHODS) --report out

# A package that depends on the LRPCore product alone (Examples/CoreOnly) builds, runs, and has neither
# SwiftProtobuf, zlib nor LAPACKE in its build.
check-core-only: system-packages
	cd Examples/CoreOnly && $(SWIFT) build
	Examples/CoreOnly/.build/debug/CoreOnly
	@if find Examples/CoreOnly/.build -path '*SwiftProtobuf*' -name '*.o' | grep -q .; then \
		echo "check-core-only: SwiftProtobuf was built for a package that uses only LRPCore"; exit 1; fi
	@if ldd Examples/CoreOnly/.build/debug/CoreOnly | grep -E 'libz\.so|liblapacke'; then \
		echo "check-core-only: the binary links zlib or LAPACKE"; exit 1; fi
	@echo "check-core-only: built and ran with LRPCore alone (no SwiftProtobuf, zlib or LAPACKE)"

# The explorer on the bundled demo: open the address it prints (PORT=8081 make serve for another port).
PORT ?= 8080
serve: release
	.build/release/lrp serve --model demo/cifar10_cnn.onnx --input demo/images --port $(PORT)

# `lrp serve` in headless Chromium (Debian's chromium, installed like the other system packages): choose an
# image, move a slider, check the new heatmap, the spec string and the error path; the screenshot goes to
# SCREENSHOT.
SCREENSHOT ?= .build/browser/explorer.png
test-browser: system-packages
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES=chromium
	LRP_BROWSER_TEST=1 LRP_SCREENSHOT=$(SCREENSHOT) $(SWIFT) test --filter BrowserTests

bench: system-packages
	$(SWIFT) run -c release LRPBenchmarks

docs: system-packages
	$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --enable-experimental-combined-documentation \
		--target LRP --target LRPCore --target LRPData --target LRPONNX --target LRPVisualization --target LRPEvaluation \
		--target LRPExplorer --output-path .build/docs --transform-for-static-hosting --hosting-base-path LRP
	@echo "API documentation of every library module written to .build/docs (open .build/docs/index.html through a web server)"

# libFuzzer targets for the readers of untrusted files (docs/fuzzing.md): built with coverage and
# AddressSanitizer in .build/fuzz, each run FUZZ_SECONDS from the test fixtures; a finding fails the run.
FUZZ_TARGETS := onnx npy png cifar spec
FUZZ_SECONDS ?= 60

fuzz: system-packages
	LRP_FUZZ=1 $(SWIFT) build --scratch-path .build/fuzz --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address --product LRPFuzz
	@for target in $(FUZZ_TARGETS); do Fuzz/run $$target $(FUZZ_SECONDS) || exit 1; done

clean:
	rm -rf .build
