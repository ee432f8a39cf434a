#!/usr/bin/env bash
# Cirt as a cluster on this machine: N silos (server processes) on loopback, sharing PostgreSQL and
# Azurite (started by deploy/local-services.sh when not running). For trying the cluster profile,
# for tests and for benchmarks; a deployment runs one silo a machine (see deploy/README.md).
#
#   deploy/local-cluster.sh start [N] [--rebuild]   starts silos 1..N (default 3) that are not running
#   deploy/local-cluster.sh status                  each silo: pid, ports, up/down; exit 0 when all are up
#   deploy/local-cluster.sh stop [--silo I] [--all] stops every silo (or silo I); --all also PostgreSQL and Azurite
#
# Silo I listens on 127.0.0.1 at base+10*(I-1) (gRPC), +1 (HTTP endpoint), +2 (metrics),
# +3 (Orleans silo-to-silo), +4 (Orleans gateway).
#
# Settings (environment):
#   CIRT_CLUSTER_DIR        where silos keep data, logs and pids, and the key file (/var/tmp/cirt-cluster)
#   CIRT_CLUSTER_DATABASE   the PostgreSQL database, created when missing (cirt_local)
#   CIRT_CLUSTER_ID         Cirt:ClusterId (local); CIRT_SERVICE_ID: Cirt:ServiceId (cirt)
#   CIRT_CLUSTER_BASE_PORT  silo 1's gRPC port (15080)
#   CIRT_CLUSTER_START_TIMEOUT  seconds to wait for every silo to answer (180)
#   CIRT_SERVER_DLL         run this Cirt.Server.dll instead of publishing src/Cirt.Server into $CIRT_CLUSTER_DIR/server
# and those of deploy/local-services.sh (CIRT_SERVICES_DIR, CIRT_POSTGRES_PORT, CIRT_AZURITE_*_PORT).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
services=$here/local-services.sh
dir=${CIRT_CLUSTER_DIR:-/var/tmp/cirt-cluster}
database=${CIRT_CLUSTER_DATABASE:-cirt_local}
cluster_id=${CIRT_CLUSTER_ID:-local}
service_id=${CIRT_SERVICE_ID:-cirt}
base_port=${CIRT_CLUSTER_BASE_PORT:-15080}
start_timeout=${CIRT_CLUSTER_START_TIMEOUT:-180}
pg_port=${CIRT_POSTGRES_PORT:-54329}
key_file=$dir/bootstrap-coordinator.key

usage() {
    echo "usage: $0 start [N] [--rebuild] | status | stop [--silo I] [--all]" >&2
    exit 2
}

fail() {
    echo "local-cluster: $*" >&2
    exit 1
}

# The ports of silo $1, in the order gRPC, HTTP, metrics, silo-to-silo, gateway.
ports_of() {
    local first=$((base_port + 10 * ($1 - 1)))
    echo "$first $((first + 1)) $((first + 2)) $((first + 3)) $((first + 4))"
}

silo_dir() { echo "$dir/silo-$1"; }

# The silos that have a folder here, by number.
known_silos() {
    local path
    for path in "$dir"/silo-*; do
        if [[ -d $path ]]; then echo "${path##*/silo-}"; fi
    done | sort -n
}

# The pid of silo $1 when its process runs (a recorded pid that now names another program does not count).
running_pid() {
    local file pid
    file=$(silo_dir "$1")/pid
    [[ -f $file ]] || return 1
    pid=$(<"$file")
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'Cirt.Server.dll' || return 1
    echo "$pid"
}

# What grpc.health.v1.Health/Check answers on port $1 for the whole server (""): SERVING, NOT_SERVING or nothing.
health() {
    local body
    body=$(printf '\0\0\0\0\0' | curl -s --max-time 3 --http2-prior-knowledge \
        -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- \
        "http://127.0.0.1:$1/grpc.health.v1.Health/Check" 2>/dev/null | od -An -tx1 | tr -d ' \n') || true
    # One gRPC frame: no compression, length 2, field 1 (status) as a varint: 1 serving, 2 not.
    case $body in
        00000000020801) echo SERVING ;;
        00000000020802) echo NOT_SERVING ;;
        *) echo "" ;;
    esac
}

check_settings() {
    [[ $database =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || fail "CIRT_CLUSTER_DATABASE must be lower-case letters, digits and '_' (it is '$database')."
    [[ $cluster_id =~ ^[A-Za-z0-9_-]{1,64}$ ]] || fail "CIRT_CLUSTER_ID must be 1 to 64 letters, digits, '-' or '_' (it is '$cluster_id')."
    [[ $service_id =~ ^[A-Za-z0-9_-]{1,64}$ ]] || fail "CIRT_SERVICE_ID must be 1 to 64 letters, digits, '-' or '_' (it is '$service_id')."
    [[ $base_port =~ ^[0-9]+$ ]] && ((base_port >= 1024 && base_port <= 65000)) \
        || fail "CIRT_CLUSTER_BASE_PORT must be a port from 1024 to 65000 (it is '$base_port')."
}

psql_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -n $found && -x $found/psql ]]; then echo "$found/psql"; else command -v psql; fi
}

create_database() {
    local psql
    psql=$(psql_bin) || fail "psql not found (deploy/local-services.sh start installs PostgreSQL)."
    if [[ -z $("$psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'") ]]; then
        "$psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qc "CREATE DATABASE $database" >/dev/null
        echo "Created database $database" >&2
    fi
}

# A coordinator key every silo creates at start (Cirt:Security:BootstrapKey), made once and kept
# in a file only this user may read: cirt_<16 hex digits>_<43 base64url characters>.
ensure_key() {
    [[ -s $key_file ]] && return 0
    local id secret
    id=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
    secret=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
    (umask 077 && echo "cirt_${id}_${secret}" >"$key_file.new" && mv "$key_file.new" "$key_file")
    echo "Bootstrap coordinator key written to $key_file" >&2
}

server_dll() {
    if [[ -n ${CIRT_SERVER_DLL:-} ]]; then
        [[ -f $CIRT_SERVER_DLL ]] || fail "CIRT_SERVER_DLL names no file: $CIRT_SERVER_DLL"
        echo "$CIRT_SERVER_DLL"
        return
    fi
    local published=$dir/server/Cirt.Server.dll
    if [[ ! -f $published || ${rebuild:-0} -eq 1 ]]; then
        echo "Publishing src/Cirt.Server into $dir/server (once; --rebuild publishes again) ..." >&2
        dotnet publish "$repo/src/Cirt.Server" -c Release -o "$dir/server" --nologo -v quiet >"$dir/publish.log" 2>&1 \
            || { tail -n 30 "$dir/publish.log" >&2; fail "dotnet publish failed (log: $dir/publish.log)."; }
    fi
    echo "$published"
}

start_silo() {
    local i=$1 dll=$2 folder grpc http metrics silo gateway
    folder=$(silo_dir "$i")
    read -r grpc http metrics silo gateway <<<"$(ports_of "$i")"
    mkdir -p "$folder/data"
    echo "$grpc $http $metrics $silo $gateway" >"$folder/ports"
    (
        cd "$folder"
        umask 077
        export Cirt__Storage=Cluster
        export Cirt__ClusterId=$cluster_id Cirt__ServiceId=$service_id
        export Cirt__DataDirectory=$folder/data
        export ASPNETCORE_URLS=http://127.0.0.1:$grpc
        export Cirt__Http__Url=http://127.0.0.1:$http Cirt__Metrics__Url=http://127.0.0.1:$metrics
        export Cirt__SiloPort=$silo Cirt__GatewayPort=$gateway
        # Orleans' own traffic is not encrypted: on one machine it stays on loopback.
        export Cirt__Cluster__AdvertisedAddress=127.0.0.1 Cirt__Cluster__ListenAddress=127.0.0.1
        export ConnectionStrings__Postgres=$postgres ConnectionStrings__AzureStorage=$azure
        Cirt__Security__BootstrapKey=$(<"$key_file")
        export Cirt__Security__BootstrapKey
        export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
        echo "=== local-cluster.sh: silo $i starting at $(date -u +%FT%TZ)" >>"$folder/server.log"
        nohup dotnet "$dll" </dev/null >>"$folder/server.log" 2>&1 &
        echo $! >"$folder/pid"
    )
}

# Waits until silos $@ answer SERVING; stops waiting on one that exits, showing the end of its log.
wait_for() {
    local deadline=$((SECONDS + start_timeout)) waiting=("$@") still i grpc
    while ((${#waiting[@]} > 0)); do
        still=()
        for i in "${waiting[@]}"; do
            if ! running_pid "$i" >/dev/null; then
                echo "Silo $i exited during start; the end of $(silo_dir "$i")/server.log:" >&2
                tail -n 20 "$(silo_dir "$i")/server.log" >&2
                return 1
            fi
            read -r grpc _ <<<"$(ports_of "$i")"
            [[ $(health "$grpc") == SERVING ]] || still+=("$i")
        done
        waiting=("${still[@]+"${still[@]}"}")
        ((${#waiting[@]} == 0)) && return 0
        if ((SECONDS >= deadline)); then
            echo "Silos ${waiting[*]} did not answer within $start_timeout s (logs: $dir/silo-*/server.log)." >&2
            return 1
        fi
        sleep 1
    done
}

print_addresses() {
    local i grpc http metrics silo gateway joined="" servers=()
    for i in $(known_silos); do
        running_pid "$i" >/dev/null || continue
        read -r grpc http metrics silo gateway <<<"$(ports_of "$i")"
        echo "silo $i: gRPC http://127.0.0.1:$grpc  HTTP http://127.0.0.1:$http  metrics http://127.0.0.1:$metrics/metrics  (Orleans $silo, gateway $gateway)"
        servers+=("http://127.0.0.1:$grpc")
    done
    if ((${#servers[@]} > 0)); then
        joined=$(IFS=,; echo "${servers[*]}")
        echo "--server $joined"
    fi
    echo "Coordinator key: $key_file (cirt login --server ${joined:-URL} --key \"\$(cat $key_file)\")"
}

start() {
    local count=3 arg
    rebuild=0
    for arg in "$@"; do
        case $arg in
            --rebuild) rebuild=1 ;;
            *[!0-9]* | '') usage ;;
            *) count=$arg ;;
        esac
    done
    ((count >= 1 && count <= 50)) || fail "N must be from 1 to 50 (it is $count)."
    check_settings
    mkdir -p "$dir"
    chmod 700 "$dir"

    "$services" start
    local env_lines
    env_lines=$("$services" env)
    local server_level azure
    server_level=$(sed -n "s/^export ConnectionStrings__Postgres='\(.*\)'$/\1/p" <<<"$env_lines")
    azure=$(sed -n "s/^export ConnectionStrings__AzureStorage='\(.*\)'$/\1/p" <<<"$env_lines")
    postgres=${server_level/Database=postgres/Database=$database}
    create_database
    ensure_key
    local dll
    dll=$(server_dll)

    local i pid started=()
    for ((i = 1; i <= count; i++)); do
        if pid=$(running_pid "$i"); then
            echo "Silo $i already runs (pid $pid)" >&2
            continue
        fi
        start_silo "$i" "$dll"
        started+=("$i")
    done
    if ((${#started[@]} > 0)); then
        echo "Waiting for silos ${started[*]} to answer ..." >&2
        if ! wait_for "${started[@]}"; then
            # Half a cluster helps nobody: what this call started goes again, its logs stay.
            for i in "${started[@]}"; do stop --silo "$i"; done
            fail "silos ${started[*]} did not start (logs: $dir/silo-*/server.log)."
        fi
    fi
    print_addresses
}

status() {
    local silos i pid grpc http metrics silo gateway state up=0 total=0
    silos=$(known_silos)
    "$services" status || true
    if [[ -z $silos ]]; then
        echo "No silos in $dir (start some with: $0 start [N])"
        exit 3
    fi
    for i in $silos; do
        total=$((total + 1))
        read -r grpc http metrics silo gateway <<<"$(ports_of "$i")"
        if pid=$(running_pid "$i"); then
            case $(health "$grpc") in
                SERVING) state=up; up=$((up + 1)) ;;
                NOT_SERVING) state="not serving (storage refuses writes?)" ;;
                *) state="starting or not answering" ;;
            esac
        else
            pid=-
            state=down
        fi
        printf 'silo %s: pid %s  gRPC %s  HTTP %s  metrics %s  silo %s  gateway %s  %s\n' \
            "$i" "$pid" "$grpc" "$http" "$metrics" "$silo" "$gateway" "$state"
    done
    print_addresses
    if ((up == total)); then exit 0; elif ((up == 0)); then exit 3; else exit 1; fi
}

stop() {
    local only="" all=0
    while (($# > 0)); do
        case $1 in
            --all) all=1 ;;
            --silo) [[ ${2:-} =~ ^[0-9]+$ ]] || usage; only=$2; shift ;;
            *) usage ;;
        esac
        shift
    done
    local i pid pids=() silos
    silos=${only:-$(known_silos)}
    for i in $silos; do
        if pid=$(running_pid "$i"); then
            # SIGTERM: acknowledged writes finish and the silo leaves the cluster cleanly.
            kill -TERM "$pid"
            pids+=("$i:$pid")
        fi
    done
    local deadline=$((SECONDS + 60)) entry
    for entry in "${pids[@]+"${pids[@]}"}"; do
        i=${entry%%:*}
        pid=${entry#*:}
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "Silo $i (pid $pid) did not stop within 60 s: killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        echo "Stopped silo $i (pid $pid)" >&2
    done
    for i in $silos; do rm -f "$(silo_dir "$i")/pid"; done
    if ((all == 1)); then
        "$services" stop
        echo "Stopped PostgreSQL and Azurite" >&2
    fi
}

# The health checks speak HTTP/2 through curl.
command -v curl >/dev/null 2>&1 || fail "curl is needed to ask the silos' health (apt-get install curl)."

case ${1:-} in
    start) shift; start "$@" ;;
    status) shift; (($# == 0)) || usage; status ;;
    stop) shift; stop "$@" ;;
    *) usage ;;
esac
