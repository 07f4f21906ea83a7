#!/usr/bin/env bash
# Runs a project command on the project's own Node.js, after installing what it needs:
#   bash scripts/run.sh [--test|--cluster] -- COMMAND [ARGS...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
setup_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do setup_args+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
bash "$root/scripts/setup.sh" "${setup_args[@]}"
cache=${RECONNECT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/reconnect-cases}
export PATH="$cache/node-$(cat "$root/.node-version")/bin:$root/node_modules/.bin:$PATH"
exec "$@"
