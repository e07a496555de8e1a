# claimstance: set-up, the main job, tests, evaluation and benchmarks.
# `make demo` on a fresh machine creates .venv, installs everything and runs the main job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TORCH_VERSION ?= 2.13.0
# Where the torch wheel comes from. Empty: the configured index (on our machines a local CPU
# wheel). Elsewhere use PyTorch's CPU index: make demo TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
OUT ?= out

.PHONY: demo install test test-slow test-all evaluate reports check-reports bench bench-peers bench-stages bench-batch bench-onnx bench-stance bench-tagger stance-model stance-ablation tagger-model lexicon clean

$(BIN)/claimstance: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	# torch first: a bare `torch` requirement would pull a multi-GB CUDA build
	$(BIN)/python -m pip install torch==$(TORCH_VERSION) $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	# the test extras include Ray (the distributed backend is tested in local mode); a plain
	# `pip install claimstance` does not need it
	$(BIN)/python -m pip install -e '.[test,ray]'
	@touch $@

install: $(BIN)/claimstance

# The main job: attribution and stance over our sample articles (data/samples/articles.jsonl),
# then the corpus report on that output (report.html, report.md, metrics.json, figures), the
# article viewer's pages and the speaker -> party network (gexf).
demo: install
	$(BIN)/claimstance infer data/samples/articles.jsonl --output $(OUT)/samples.jsonl
	$(BIN)/claimstance evaluate corpus $(OUT)/samples.jsonl --output $(OUT)/reports/samples-corpus
	$(BIN)/claimstance show $(OUT)/samples.jsonl --texts data/samples/articles.jsonl --output $(OUT)/samples-pages
	$(BIN)/claimstance export $(OUT)/samples.jsonl --format gexf --output $(OUT)/samples-network.gexf
	@echo "wrote $(OUT)/samples.jsonl, $(OUT)/reports/samples-corpus/report.html, $(OUT)/samples-pages/index.html and $(OUT)/samples-network.gexf"

# the default suite: rules on parsed docs, tiny models, fixtures (under 2 minutes on 2 cores)
test: install
	$(BIN)/python -m pytest -q

# the slow tests alone: processes and kill -9, Ray, a wheel build, a 1 MB article end to end
test-slow: install
	$(BIN)/python -m pytest -q -m slow

# both suites in one run
test-all: install
	$(BIN)/python -m pytest -q -m "slow or not slow"

# PolNeAR dev attribution scores of every segment mode side by side, rules-only included
# (needs the data root: $$CLAIMSTANCE_DATA or ../shared/data)
evaluate: install
	$(BIN)/claimstance evaluate attribution --split dev --modes rules,tagger,tagger_quotes,union,rules_first --output $(OUT)/polnear-dev-metrics.json

# evaluation reports (configs/eval/*.yaml): PolNeAR dev, DSA valid, NewsMTSC rw test, our sample gold, the matrix dev set;
# then rules-only against the default (tagger) on PolNeAR dev, with the paired bootstrap test
reports: install
	$(BIN)/claimstance evaluate report configs/eval/polnear-dev.yaml
	$(BIN)/claimstance evaluate report configs/eval/dsa-valid.yaml
	$(BIN)/claimstance evaluate report configs/eval/newsmtsc-rw-test.yaml
	$(BIN)/claimstance evaluate report configs/eval/samples.yaml
	$(BIN)/claimstance evaluate report configs/eval/matrix-dev.yaml
	$(BIN)/claimstance evaluate report configs/eval/polnear-dev.yaml infer.segment.mode=rules output_dir=$(OUT)/reports/polnear-dev-rules title="Attribution on PolNeAR dev, rules only"
	$(BIN)/claimstance evaluate compare $(OUT)/reports/polnear-dev-rules $(OUT)/reports/polnear-dev --name-a rules --name-b tagger --output $(OUT)/reports/compare-rules-tagger

# open every report in headless Chromium (apt-get install chromium): all figures shown, screenshots
check-reports:
	for r in polnear-dev dsa-valid newsmtsc-rw-test samples matrix-dev compare-rules-tagger samples-corpus; do \
		$(BIN)/claimstance evaluate check-html $(OUT)/reports/$$r/report.html --screenshot $(OUT)/reports/$$r/screenshot.png || exit 1; done

bench: install
	$(BIN)/python benchmarks/bench_infer.py --modes rules,tagger,rules_first --repeat 2 --json $(OUT)/bench-infer.json

# claimstance against textacy 0.13 (its own venv, made on first use), whole processes, in turn
bench-peers: install
	$(BIN)/python benchmarks/bench_peers.py --repeat 2 --json $(OUT)/bench-peers.json

# each stage of the default pipeline on PolNeAR dev
bench-stages: install
	$(BIN)/python benchmarks/bench_stages.py --json $(OUT)/bench-stages.json

# batch inference at scale: naive loop vs batched job, 2 workers, ONNX; peak RSS; linear growth
bench-batch: install
	$(BIN)/python benchmarks/bench_batch.py --articles 2000 --scaling 500,1000,2000 --json $(OUT)/bench-batch.json

# ONNX Runtime vs torch for both shipped models; int8 agreement with fp32 on dev (writes int8.json)
bench-onnx: install
	$(BIN)/python benchmarks/bench_onnx.py --write-records --json $(OUT)/bench-onnx.json

# stance figures: TF-IDF baseline vs the shipped model, sample gold through infer, pairs/s, training examples/s
bench-stance: install
	$(BIN)/python benchmarks/bench_stance.py --json $(OUT)/bench-stance.json

# the tagger alone on PolNeAR dev: own encoder vs the stance model's frozen encoder; tagger speed
bench-tagger: install
	$(BIN)/python benchmarks/bench_tagger.py --json $(OUT)/bench-tagger.json

# retrain the shipped attribution tagger from its config (about 50 min on 2 CPU cores) and install it
tagger-model: install
	$(BIN)/claimstance train configs/train/attribution-tagger.yaml output_dir=runs/attribution-tagger
	rm -rf models/attribution-tagger-minilm && cp -r runs/attribution-tagger/model models/attribution-tagger-minilm

# retrain the shipped default stance model from its config (about 30 min on 2 CPU cores) and install it
stance-model: install
	$(BIN)/claimstance train configs/train/stance-default.yaml output_dir=runs/stance-default
	rm -rf models/stance-minilm && cp -r runs/stance-default/model models/stance-minilm

# the stance ablation table (docs/results.md): the default config against one change at a time,
# 500 optimiser steps each (about 15 min per variant on 2 CPU cores)
stance-ablation: install
	$(BIN)/python benchmarks/stance_ablation.py --out runs/ablation --overrides optim.epochs=1 optim.max_steps=500 --markdown $(OUT)/stance-ablation.md

# rebuild data/lexicons/cue_lexicon.tsv from the quote-verb list and PolNeAR train
lexicon: install
	$(BIN)/python -m claimstance.data.cue_lexicon

clean:
	rm -rf $(OUT) build dist *.egg-info .pytest_cache
