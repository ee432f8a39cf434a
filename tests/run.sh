#!/usr/bin/env bash
# Runs Cirt's whole test suite on a fresh machine: installs what the tests need when it is missing,
# runs every test project of Cirt.sln, and ends with the totals on one line:
#   N passed, N failed, N skipped
# Exit code: 0 only when every test project ran and nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."

install_missing() {
    local packages=()
    command -v npx >/dev/null 2>&1 || packages+=(npm)    # buf lint of the protos runs through npx
    command -v curl >/dev/null 2>&1 || packages+=(curl)  # docs/http-api.md's examples (HttpApiWalkthroughTests)
    command -v jq >/dev/null 2>&1 || packages+=(jq)
    command -v tmux >/dev/null 2>&1 || packages+=(tmux)  # cirt triage is tested in a terminal (tests/Cirt.EndToEnd.Tests/TmuxPane.cs)
    if ((${#packages[@]} > 0)); then
        echo "Installing ${packages[*]} ..."
        if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
    fi
}

# The full-disk test (tests/Cirt.Server.Tests/Storage/FullDiskTests.cs) fills a small file system
# of its own, named by CIRT_SMALL_DISK; as root this script mounts one (a 60 MiB tmpfs) and removes
# it at the end. Without it the test fails and says how to get one; it never skips.
small_disk=
make_small_disk() {
    [[ -z ${CIRT_SMALL_DISK:-} ]] || return 0
    if [[ $(id -u) -ne 0 ]]; then
        echo "Not running as root: the full-disk test needs a small file system of its own and will fail." >&2
        echo "  Run the suite as root, e.g.: sudo env \"PATH=\$PATH\" tests/run.sh" >&2
        echo "  or mount one yourself and name it: sudo mkdir -p /mnt/cirt-small && sudo mount -t tmpfs -o size=60m,mode=1777 tmpfs /mnt/cirt-small && export CIRT_SMALL_DISK=/mnt/cirt-small" >&2
        return 0
    fi
    small_disk=$(mktemp -d /tmp/cirt-small-disk.XXXXXX)
    if mount -t tmpfs -o size=60m,mode=1777 tmpfs "$small_disk"; then
        export CIRT_SMALL_DISK=$small_disk
    else
        echo "Could not mount a tmpfs on $small_disk: the full-disk test will fail." >&2
        rmdir "$small_disk"
        small_disk=
    fi
}

cleanup() {
    rm -rf "$results"
    if [[ -n $small_disk ]]; then
        umount "$small_disk" && rmdir "$small_disk"
    fi
}

install_missing
# The cluster profile's tests need PostgreSQL and Azurite: the script installs them when missing and
# starts them unless they already run. Should it fail, those tests fail saying how to get them.
if deploy/local-services.sh start; then
    eval "$(deploy/local-services.sh env)"
else
    echo "PostgreSQL or Azurite could not be started: the cluster profile's tests will fail." >&2
fi
results=$(mktemp -d)
trap cleanup EXIT
make_small_disk
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
projects=$(dotnet sln Cirt.sln list | grep -c '^tests/.*\.Tests\.csproj$')  # test projects only (tests/Cirt.ClusterSilo is a program the tests start)

dotnet test Cirt.sln --logger "trx" --results-directory "$results" --blame-hang-timeout 10m
status=$?

passed=0 failed=0 skipped=0 reports=0
for trx in "$results"/*.trx; do
    [[ -e $trx ]] || continue
    reports=$((reports + 1))
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
    total=$(value total) executed=$(value executed)
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
    skipped=$((skipped + total - executed))
done

# The ingest benchmark, small, so that it cannot rot: it must run and verify its counts exactly.
echo "Ingest benchmark (small run, verified counts):"
if dotnet run -c Release --project benchmarks/Cirt.Benchmarks -- ingest --events 20000 --stakeholders 100 --latency-warmup-seconds 1 --latency-seconds 2 | tee "$results/benchmark.log" \
   && grep -q ' verified=true$' "$results/benchmark.log"; then
    passed=$((passed + 1))
else
    echo "The ingest benchmark failed or did not verify." >&2
    failed=$((failed + 1))
fi

# The queue benchmark, small, so that it cannot rot: walking every page of two shapes must visit
# each incident the fill made for them exactly once (exit code 1 otherwise). Built by the ingest run above.
echo "Queue benchmark (small run, every page walked):"
if dotnet run -c Release --no-build --project benchmarks/Cirt.Benchmarks -- queue --incidents 2000 --baseline-incidents 1000 \
       --stakeholders 100 --repetitions 20 --seconds-per-shape 1 --deep-page 40 | tee "$results/queue.log" \
   && grep -q '^RESULT incidents=2000 ' "$results/queue.log"; then
    passed=$((passed + 1))
else
    echo "The queue benchmark failed or a walk did not visit each incident once." >&2
    failed=$((failed + 1))
fi

if ((reports < projects)); then
    echo "Only $reports of $projects test projects reported results: a test host crashed or did not build." >&2
    failed=$((failed + projects - reports))
    status=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
if ((failed > 0)); then status=1; fi
exit $status
