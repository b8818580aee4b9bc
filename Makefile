# The two commands: `make run` (PORT=8000 by default) and `make test`.
PORT ?= 8000
export PYTHON

.PHONY: run test setup db-stop lint format messages bench bench-pdf bench-deviations bench-outage bench-national bench-load db-start worker bench-two-servers

run:
	@bash scripts/dev.sh run $(PORT)

test:
	@bash scripts/dev.sh test $(ARGS)

setup:
	@bash scripts/dev.sh setup

bench:
	@bash scripts/dev.sh bench $(ARGS)

bench-pdf:
	@bash scripts/dev.sh bench-pdf

bench-deviations:
	@bash scripts/dev.sh bench-deviations $(ARGS)

bench-outage:
	@bash scripts/dev.sh bench-outage $(ARGS)

bench-national:
	@bash scripts/dev.sh bench-national $(ARGS)

bench-load:
	@bash scripts/dev.sh bench-load $(ARGS)

bench-two-servers:
	@bash scripts/dev.sh bench-two-servers $(ARGS)

worker:
	@bash scripts/dev.sh worker $(ARGS)

db-start:
	@bash scripts/dev.sh db-start

db-stop:
	@bash scripts/dev.sh db-stop

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	@.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages:
	@.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=var
