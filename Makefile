# Shortcuts for developers; the README's two commands need only python3.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint sim

$(BIN)/tui-pos: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: $(BIN)/tui-pos
	$(BIN)/tui-pos --demo

sim: $(BIN)/tui-pos
	$(BIN)/tui-pos sim --port 8787

test: $(BIN)/tui-pos
	$(BIN)/pytest

lint: $(BIN)/tui-pos
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy tui_pos
