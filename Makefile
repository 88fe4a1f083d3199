# Thin, self-documenting wrapper over `python -m pipeline`. `make help` lists targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
INPUT  ?= seeds
OUTPUT ?= outputs
GOLD   ?= gold

.DEFAULT_GOAL := help
.PHONY: help install extract test score score-holdout gold-check gold-export knowledge bench baseline clean-outputs

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project (once; again only when pyproject.toml changes)

extract: $(STAMP) ## Extract the dataset from $(INPUT)/ into $(OUTPUT)/
	$(BIN)/python -m pipeline extract --input $(INPUT) --output $(OUTPUT)

test: $(STAMP) ## Run the test suite
	$(BIN)/python -m pytest -q

$(OUTPUT)/.extracted: $(STAMP) $(shell find $(INPUT) -iname '*.txt' -not -path '*/.*' 2>/dev/null | sed 's/ /\\ /g') $(shell find pipeline -name '*.py' -o -name '*.json*' -o -name '*.txt' 2>/dev/null)
	@# exit 6 = some documents failed, the rest written (and listed in errors.csv): still score them
	$(BIN)/python -m pipeline extract --input $(INPUT) --output $(OUTPUT) || [ $$? -eq 6 ]
	@touch $@

score: $(OUTPUT)/.extracted ## Score $(OUTPUT)/ against $(GOLD)/ (extracts first when outputs are missing or stale)
	$(BIN)/python -m pipeline score --pred $(OUTPUT) --gold $(GOLD)

score-holdout: $(STAMP) ## Score on the held-out documents (rules never tuned on them)
	$(BIN)/python -m pipeline extract --input holdout/seeds --output $(OUTPUT)/holdout || [ $$? -eq 6 ]
	$(BIN)/python -m pipeline score --pred $(OUTPUT)/holdout --gold holdout/gold --input holdout/seeds

gold-check: $(STAMP) ## Validate the gold files
	$(BIN)/python -m pipeline gold check --gold $(GOLD)

gold-export: $(STAMP) ## Write the gold as dataset tables into $(OUTPUT)/gold/
	$(BIN)/python -m pipeline gold export --gold $(GOLD) --output $(OUTPUT)/gold

knowledge: $(STAMP) ## Recompile pipeline/knowledge/phrase_patterns.jsonl after editing a knowledge file
	$(BIN)/python -m pipeline.knowledge_ruler

bench: $(STAMP) ## Speed and memory benchmark against bare spaCy (writes benchmarks/results.md)
	$(BIN)/python benchmarks/bench.py

clean-outputs: ## Delete $(OUTPUT)/
	rm -rf $(OUTPUT)
