#!/usr/bin/env bash
# The two services the cluster profile stores its data in, run on this machine's loopback:
#   PostgreSQL (the read model, the ingest log, the request ledger, federation) and
#   Azurite, the Azure Storage emulator (Orleans membership, grain state, reminders).
#
#   deploy/local-services.sh start    installs what is missing (apt-get, npm), starts both unless running
#   deploy/local-services.sh stop     stops both (their data stays in $CIRT_SERVICES_DIR)
#   deploy/local-services.sh status   says what runs, exit code 0 when both do
#   deploy/local-services.sh env      prints the connection strings as shell exports
#
# Settings (environment): CIRT_SERVICES_DIR (default /var/tmp/cirt-services), CIRT_POSTGRES_PORT
# (54329), CIRT_AZURITE_BLOB_PORT, _QUEUE_PORT, _TABLE_PORT (10010, 10011, 10012).
set -euo pipefail

dir=${CIRT_SERVICES_DIR:-/var/tmp/cirt-services}
pg_port=${CIRT_POSTGRES_PORT:-54329}
blob_port=${CIRT_AZURITE_BLOB_PORT:-10010}
queue_port=${CIRT_AZURITE_QUEUE_PORT:-10011}
table_port=${CIRT_AZURITE_TABLE_PORT:-10012}
tools=${CIRT_TOOLS_DIR:-$HOME/.cache/cirt/tools}
azurite_version=3.37.0
# Azurite's single, documented development account: a published test key, not a secret.
account=devstoreaccount1
account_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

if [[ $(id -u) -eq 0 ]]; then sudo=; else sudo=sudo; fi

pg_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $found && -x $found/initdb ]] && echo "$found"
}

# PostgreSQL refuses to run as root: as root, its files and process belong to the postgres user.
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

azurite_bin() {
    if [[ -x $tools/node_modules/.bin/azurite ]]; then echo "$tools/node_modules/.bin/azurite"
    elif command -v azurite >/dev/null 2>&1; then command -v azurite
    fi
}

install_missing() {
    if [[ -z $(pg_bin) ]]; then
        echo "Installing PostgreSQL (apt-get install postgresql) ..." >&2
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
        # The Debian package starts a cluster of its own on port 5432; ours runs apart from it.
    fi
    if [[ -z $(azurite_bin) ]]; then
        command -v npm >/dev/null 2>&1 || {
            echo "Installing npm (apt-get install npm) ..." >&2
            $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
        }
        echo "Installing Azurite $azurite_version (npm) into $tools ..." >&2
        mkdir -p "$tools"
        npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "azurite@$azurite_version" >/dev/null
    fi
}

pg_running() { [[ -n $(pg_bin) ]] && "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; }
azurite_running() { (exec 3<>"/dev/tcp/127.0.0.1/$table_port") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$blob_port") 2>/dev/null; }

start_postgres() {
    pg_running && return 0
    local bin data=$dir/postgres
    bin=$(pg_bin)
    mkdir -p "$dir"
    if [[ ! -f $data/PG_VERSION ]]; then
        mkdir -p "$data"
        [[ $(id -u) -ne 0 ]] || chown postgres: "$data"
        chmod 700 "$data"
        # Loopback only, trust authentication: a development and test service, never a deployment.
        as_pg "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $data -c max_connections=300 -c fsync=on" start >/dev/null \
        || { tail -n 20 "$data/server.log" >&2; exit 1; }
}

start_azurite() {
    azurite_running && return 0
    local bin
    bin=$(azurite_bin)
    mkdir -p "$dir/azurite"
    nohup "$bin" --silent --skipApiVersionCheck --disableTelemetry --location "$dir/azurite" \
        --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
        --tableHost 127.0.0.1 --tablePort "$table_port" >"$dir/azurite.log" 2>&1 &
    echo $! >"$dir/azurite.pid"
    for _ in $(seq 1 100); do
        azurite_running && return 0
        sleep 0.2
    done
    echo "Azurite did not start within 20 s; its log:" >&2
    tail -n 20 "$dir/azurite.log" >&2
    exit 1
}

print_env() {
    echo "export ConnectionStrings__Postgres='Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres'"
    echo "export ConnectionStrings__AzureStorage='DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$account_key;BlobEndpoint=http://127.0.0.1:$blob_port/$account;QueueEndpoint=http://127.0.0.1:$queue_port/$account;TableEndpoint=http://127.0.0.1:$table_port/$account;'"
}

case ${1:-} in
    start)
        install_missing
        start_postgres
        start_azurite
        echo "PostgreSQL on 127.0.0.1:$pg_port, Azurite on 127.0.0.1:$blob_port (blob) and :$table_port (table); data in $dir" >&2
        ;;
    stop)
        if pg_running; then as_pg "$(pg_bin)/pg_ctl" -D "$dir/postgres" -m fast -w stop >/dev/null; fi
        if [[ -f $dir/azurite.pid ]]; then kill "$(cat "$dir/azurite.pid")" 2>/dev/null || true; rm -f "$dir/azurite.pid"; fi
        ;;
    status)
        ok=0
        if pg_running; then echo "PostgreSQL: running on 127.0.0.1:$pg_port"; else echo "PostgreSQL: not running"; ok=1; fi
        if azurite_running; then echo "Azurite: running on 127.0.0.1:$blob_port (blob), :$table_port (table)"; else echo "Azurite: not running"; ok=1; fi
        exit $ok
        ;;
    env)
        print_env
        ;;
    *)
        echo "usage: $0 start|stop|status|env" >&2
        exit 2
        ;;
esac
