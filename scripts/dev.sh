#!/usr/bin/env bash
# Sets up everything a fresh machine lacks, then runs the portal or the test suite.
#   scripts/dev.sh run [PORT]    migrate, load demo data, serve on 127.0.0.1:PORT (default 8000)
#   scripts/dev.sh test [ARGS]   lint, then the whole pytest suite in parallel (pytest-xdist) and the view
#                                tests again with the real page cache; with ARGS, lint and then pytest ARGS
#   scripts/dev.sh setup         only the set-up
#   scripts/dev.sh db-stop       stop the project-local PostgreSQL if it runs
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. scripts/lib.sh

command=${1:-}
# The view tests, run a second time with the page cache of production (--real-caches, tests/conftest.py).
VIEW_TESTS=(
    tests/agreements/test_views.py
    tests/deviations/test_views.py
    tests/governance/test_views.py
    tests/governance/test_written_views.py
    tests/samverkan/test_views.py
)
shift || true

if [ -f .env ]; then
    set -a
    # shellcheck disable=SC1091
    . ./.env
    set +a
fi
export DEBUG=${DEBUG:-true}

case "$command" in
    setup)
        setup_all
        ;;
    run)
        port=${1:-8000}
        export SITE_URL=${SITE_URL:-http://127.0.0.1:$port}
        setup_all
        with_database
        step "Migrerar databasen"
        "$VENV/bin/python" manage.py migrate --no-input
        step "Laddar demodata"
        "$VENV/bin/python" manage.py load_demo
        start_demo_providers "$port"
        step "Portalen körs på http://127.0.0.1:$port/ (avsluta med Ctrl-C)"
        # In the background and waited for, so that a TERM (not only Ctrl-C) stops the server and then,
        # through the EXIT trap, the database this run started.
        "$VENV/bin/python" manage.py runserver "127.0.0.1:$port" --noreload &
        server=$!
        trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; stop_demo_providers; exit 130' INT TERM
        wait "$server"
        stop_demo_providers
        ;;
    test)
        setup_all
        with_database
        step "Ruff (lint och format)"
        "$VENV/bin/ruff" check .
        "$VENV/bin/ruff" format --check .
        if [ $# -gt 0 ]; then  # make test ARGS=…: just that, in this process
            step "Tester: $*"
            "$VENV/bin/python" -m pytest "$@"
        else
            # pytest-xdist: one process (and one test database) per core; the browser tests stay together
            # in one of them (tests/e2e/conftest.py). TEST_WORKERS=1 runs it all in this process.
            workers=${TEST_WORKERS:-auto}
            parallel=(-n "$workers" --dist loadgroup)
            if [ "$workers" = 1 ]; then
                parallel=(-p no:xdist)
            fi
            step "Testsviten"
            "$VENV/bin/python" -m pytest "${parallel[@]}"
            step "Vytesterna igen, med cacharna som i produktion (sidcachen)"
            "$VENV/bin/python" -m pytest "${parallel[@]}" --real-caches "${VIEW_TESTS[@]}"
        fi
        ;;
    bench)
        setup_all
        with_database
        "$VENV/bin/python" bench/agreements_bench.py "$@"
        ;;
    bench-pdf)
        setup_all
        with_database
        "$VENV/bin/python" bench/pdf_bench.py "$@"
        ;;
    bench-deviations)
        setup_all
        with_database
        "$VENV/bin/python" bench/deviations_bench.py "$@"
        ;;
    bench-outage)
        setup_all
        with_database
        "$VENV/bin/python" manage.py migrate --no-input -v0
        "$VENV/bin/python" manage.py load_demo >/dev/null
        "$VENV/bin/python" bench/outage.py "$@"
        ;;
    bench-national)
        setup_all
        with_database
        "$VENV/bin/python" bench/national.py "$@"
        ;;
    bench-load)
        setup_all
        ensure_bench_tools
        with_database
        "$VENV/bin/python" bench/national.py
        "$VENV/bin/python" bench/load.py "$@"
        ;;
    bench-two-servers)
        setup_all
        with_database
        "$VENV/bin/python" bench/two_servers.py "$@"
        ;;
    worker)
        setup_all
        with_database
        "$VENV/bin/python" manage.py migrate --no-input -v0
        step "Arbetsprocessen för bakgrundsjobb körs (avsluta med Ctrl-C)"
        TASKS_BACKEND=${TASKS_BACKEND:-django_tasks_db.DatabaseBackend} "$VENV/bin/python" manage.py db_worker "$@"
        ;;
    db-start)
        setup_all
        db_start
        ;;
    db-stop)
        db_stop
        ;;
    *)
        echo "användning: scripts/dev.sh run [PORT] | test [pytest-argument] | setup | db-stop" >&2
        exit 2
        ;;
esac
