# Shared set-up steps for scripts/dev.sh. Sourced, not run.
# shellcheck shell=bash

VENV=${VENV:-$ROOT/.venv}
PGDIR=$ROOT/var/pg
STARTED_DB=0

step() { printf '\n==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

# Debian packages WeasyPrint needs to draw text (Pango, HarfBuzz with its subsetter).
WEASYPRINT_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"

# System packages the project needs: PostgreSQL server, gettext for translations, WeasyPrint's libraries,
# xmlsec1 for SAML2.
ensure_system_packages() {
    local missing=() package
    pg_bindir >/dev/null 2>&1 || missing+=(postgresql)
    command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
    # The browser tests (tests/e2e): the system Chromium, Java for the Nu Html Checker, npm for the checkers.
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    # SAML2 (pysaml2) signs and checks XML with xmlsec1.
    command -v xmlsec1 >/dev/null 2>&1 || missing+=(xmlsec1)
    if command -v dpkg-query >/dev/null 2>&1; then
        for package in $WEASYPRINT_PACKAGES; do
            dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
        done
    fi
    [ ${#missing[@]} -eq 0 ] && return 0
    step "Installerar systempaket: ${missing[*]}"
    apt_install "${missing[@]}" || {
        echo "Kunde inte installera ${missing[*]} (apt-get). Installera dem och försök igen." >&2
        exit 1
    }
}

# apt-get, waiting (up to APT_LOCK_WAIT seconds, 15 minutes by default) while another installation holds
# apt's locks, as the automatic updates of a new virtual machine do during its first minutes.
APT_LOCK_WAIT=${APT_LOCK_WAIT:-900}

apt_get_waiting() {
    local log waited=0 status
    log=$(mktemp)
    while true; do
        as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 "$@" >"$log" 2>&1
        status=$?
        if [ "$status" -eq 0 ] || ! grep -qiE 'could not get lock|unable to acquire|lock-frontend' "$log" \
                || [ "$waited" -ge "$APT_LOCK_WAIT" ]; then
            grep -v '^$' "$log" | grep -viE '^(reading|building|selecting|preparing|unpacking|setting up|processing)' >&2 || true
            rm -f "$log"
            return "$status"
        fi
        [ "$waited" -eq 0 ] && echo "En annan paketinstallation håller apt-låset (t.ex. automatiska uppdateringar på en ny maskin). Väntar på att den blir klar (högst $((APT_LOCK_WAIT / 60)) minuter)…" >&2
        sleep 10
        waited=$((waited + 10))
    done
}

apt_install() {
    apt_get_waiting update -qq && apt_get_waiting install -y -qq --no-install-recommends "$@"
}

# Tools only the benchmarks need (not `make test`): wrk drives the load benchmark.
ensure_bench_tools() {
    command -v wrk >/dev/null 2>&1 && return 0
    step "Installerar wrk (lastmätning)"
    apt_install wrk || {
        echo "Kunde inte installera wrk (apt-get). Installera det och försök igen." >&2
        exit 1
    }
}

deps_hash() { cat pyproject.toml scripts/lib.sh | sha256sum | cut -c1-16; }

ensure_venv() {
    local python stamp
    stamp="$VENV/.installed-$(deps_hash)"
    [ -f "$stamp" ] && return 0
    python=$(bash scripts/find-python.sh)
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c \
            'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
        step "Skapar virtuell miljö med $python"
        rm -rf "$VENV"
        "$python" -m venv "$VENV"
    fi
    step "Installerar Python-beroenden"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    # The dependency lists live in pyproject.toml; install them without building the project itself.
    "$VENV/bin/python" - <<'PY' > "$VENV/requirements.txt"
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["dev"]))
PY
    "$VENV/bin/python" -m pip install -q -r "$VENV/requirements.txt"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
}

compile_translations() {
    local po mo
    for po in locale/*/LC_MESSAGES/django.po; do
        [ -f "$po" ] || continue
        mo=${po%.po}.mo
        if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
            msgfmt --check -o "$mo" "$po"
        fi
    done
}

# The accessibility and HTML checkers the browser tests run, and the local OpenID Connect provider (idp/) of
# the sign-in tests and `make run`, from the npm registry into var/node/ (pinned; installed only when missing
# or at another version). The tests find them there.
NODE_PACKAGES="axe-core@4.14.1 vnu-jar@26.9.27 oidc-provider@9.13.3"
NODE_PREFIX=$ROOT/var/node

ensure_node_packages() {
    local spec name version missing=()
    for spec in $NODE_PACKAGES; do
        name=${spec%@*}
        version=${spec##*@}
        grep -qs "\"version\": \"$version\"" "$NODE_PREFIX/node_modules/$name/package.json" || missing+=("$spec")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    step "Installerar npm-paket till var/node: ${missing[*]}"
    mkdir -p "$NODE_PREFIX"
    npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --loglevel=error "${missing[@]}" \
        || { echo "Kunde inte installera ${missing[*]} (npm)." >&2; exit 1; }
}

setup_all() {
    ensure_system_packages
    ensure_venv
    ensure_node_packages
    compile_translations
}

# --- project-local PostgreSQL (used only when DATABASE_URL is unset) ---

pg_bindir() {
    local d
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
}

# Runs a PostgreSQL tool as the postgres user when we are root (PostgreSQL refuses root).
pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The postgres user must be able to reach var/pg; give the parents search (x) permission if not.
ensure_pg_reachable() {
    [ "$(id -u)" -eq 0 ] || return 0
    chown -R postgres: "$PGDIR"
    runuser -u postgres -- test -w "$PGDIR" && return 0
    # Walk from / down so each message names a folder that really lacked the permission.
    local d path=""
    local IFS=/
    for d in $PGDIR; do
        [ -n "$d" ] || continue
        path="$path/$d"
        if ! runuser -u postgres -- test -x "$path"; then
            echo "Ger användaren postgres sökrättighet (o+x) i $path"
            chmod o+x "$path"
        fi
    done
}

pick_port() {
    local port=$((54320 + $(printf '%s' "$ROOT" | cksum | cut -d' ' -f1) % 400))
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

db_running() { [ -d "$PGDIR/data" ] && pg_as_owner "$BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; }

db_start() {
    BIN=$(pg_bindir) || { echo "PostgreSQL (pg_ctl) saknas." >&2; exit 1; }
    mkdir -p "$PGDIR"
    [ -f "$PGDIR/port" ] || pick_port > "$PGDIR/port"
    PGPORT_LOCAL=$(cat "$PGDIR/port")
    ensure_pg_reachable
    if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
        step "Skapar lokal PostgreSQL-kluster i var/pg"
        pg_as_owner "$BIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >"$PGDIR/initdb.log" 2>&1 || { cat "$PGDIR/initdb.log" >&2; exit 1; }
    fi
    if db_running; then
        step "Återanvänder lokal PostgreSQL på port $PGPORT_LOCAL"
    else
        step "Startar lokal PostgreSQL på 127.0.0.1:$PGPORT_LOCAL"
        pg_as_owner "$BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
            -o "-p $PGPORT_LOCAL -c listen_addresses=127.0.0.1 -k $PGDIR" start >/dev/null \
            || { tail -n 20 "$PGDIR/server.log" >&2; exit 1; }
        STARTED_DB=1
    fi
    if ! pg_as_owner "$BIN/psql" -h 127.0.0.1 -p "$PGPORT_LOCAL" -U postgres -Atqc \
            "select 1 from pg_database where datname = 'samverkan'" postgres | grep -q 1; then
        pg_as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT_LOCAL" -U postgres samverkan
    fi
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT_LOCAL/samverkan"
    printf '# Generated by scripts/lib.sh for the project-local cluster; development only.\nDEBUG=true\nDATABASE_URL=%s\n' \
        "$DATABASE_URL" > "$ROOT/var/local.env"
}

db_stop() {
    BIN=$(pg_bindir) || return 0
    if db_running; then
        step "Stoppar lokal PostgreSQL"
        pg_as_owner "$BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null
    fi
}

stop_db_if_started() { [ "$STARTED_DB" -eq 1 ] && db_stop; return 0; }

# Uses DATABASE_URL when set; otherwise starts (or reuses) the project-local cluster and stops it on exit
# if this run started it.
with_database() {
    if [ -n "${DATABASE_URL:-}" ]; then
        step "Använder DATABASE_URL från miljön"
        return 0
    fi
    db_start
    trap stop_db_if_started EXIT
    trap 'exit 130' INT TERM
}

# --- the local identity providers of `make run` (idp/): a SAML2 IdP and an OpenID Connect provider ---

DEMO_PIDS=""

url_answers() {  # url seconds: true once the URL answers 200 within the time
    "$VENV/bin/python" - "$1" "$2" <<'PY'
import sys, time, urllib.request
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=1) as answer:
            sys.exit(0 if answer.status == 200 else 1)
    except OSError:
        time.sleep(0.2)
sys.exit(1)
PY
}

# Start both on PORT+1 and PORT+2 and connect the demo's Karlskrona kommun (SAML2) and Region Blekinge
# (OpenID Connect) to them. Nothing here stops the portal: a provider that does not start is reported.
start_demo_providers() {
    local port=$1 saml_port=$(($1 + 1)) oidc_port=$(($1 + 2)) state=$ROOT/var/idp secret
    mkdir -p "$state"
    [ -s "$state/oidc-client-secret" ] || "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$state/oidc-client-secret"
    secret=$(cat "$state/oidc-client-secret")
    "$VENV/bin/python" -m idp.saml_idp --port "$saml_port" --sp-metadata-url "$SITE_URL/konto/saml/metadata/" \
        --users idp/demo_users.json --state-dir "$state/saml" >"$state/saml.log" 2>&1 &
    DEMO_PIDS="$!"
    node idp/oidc_provider.mjs --module "$NODE_PREFIX/node_modules/oidc-provider/lib/index.js" --port "$oidc_port" \
        --client-id samverkan --client-secret "$secret" --redirect-uri "$SITE_URL/konto/oidc/callback/" \
        --post-logout-uri "$SITE_URL/konto/utloggad/" --users idp/demo_users.json >"$state/oidc.log" 2>&1 &
    DEMO_PIDS="$DEMO_PIDS $!"
    if url_answers "http://127.0.0.1:$saml_port/metadata" 20 \
        && url_answers "http://127.0.0.1:$oidc_port/.well-known/openid-configuration" 20 \
        && "$VENV/bin/python" manage.py signin_demo_connect \
            --saml-metadata-url "http://127.0.0.1:$saml_port/metadata" --saml-certificate "$state/saml/idp-cert.pem" \
            --oidc-issuer "http://127.0.0.1:$oidc_port" --oidc-client-secret "$secret"; then
        step "Lokala identitetsleverantörer: SAML2 på port $saml_port, OpenID Connect på port $oidc_port. Logga in via organisationens konto: välj Karlskrona kommun (anna) eller skriv erik.eriksson@regionblekinge.se (erik); lösenord samverkan-demo"
    else
        echo "De lokala identitetsleverantörerna startade inte (se var/idp/*.log); portalen körs ändå." >&2
    fi
}

stop_demo_providers() {
    # shellcheck disable=SC2086
    [ -n "$DEMO_PIDS" ] && kill $DEMO_PIDS 2>/dev/null
    return 0
}
