#!/usr/bin/env bash
# npm run test:e2e — the extension in a real VS Code.
#   1. installs the tools (scripts/e2e-setup.sh: chromium, Node 24, code-server, all cached);
#   2. builds and packages the vsix (npm run package) — the same artifact a user installs;
#   3. installs it into a fresh code-server profile and serves the workbench on 127.0.0.1 only;
#   4. drives it with playwright-core + Debian's chromium (test/e2e/run.ts) and prints
#      "e2e: N passed, N failed, N skipped"; screenshots land in test/e2e/artifacts/.
# Env: FLTSIM_E2E_STEPS=grammar,walkthrough (subset; default all), FLTSIM_E2E_PORT (default: first
# free port from 18180), FLTSIM_E2E_KEEP=1 (leave the server running), FLTSIM_E2E_SKIP_PACKAGE=1
# (reuse the existing vsix), FLTSIM_E2E_EXPECT_* (see test/e2e/run.ts).
# Exit: 0 all selected steps passed; 1 a step failed; 3 setup, packaging or server start failed.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
T0=$SECONDS

CACHE=$(mkdir -p "${FLTSIM_E2E_CACHE:-.e2e-cache}" && cd "${FLTSIM_E2E_CACHE:-.e2e-cache}" && pwd)
export FLTSIM_E2E_CACHE=$CACHE
RUN=$CACHE/run
ARTIFACTS=$REPO/test/e2e/artifacts
say() { echo "[e2e $(date +%T)] $*"; }
fail() { echo "[e2e $(date +%T)] ERROR: $*" >&2; echo "e2e: 0 passed, 1 failed"; exit 3; }

bash scripts/e2e-setup.sh || fail "tool setup failed (see the lines above)"
# shellcheck source=/dev/null
. "$CACHE/env.sh"
T_SETUP=$((SECONDS - T0))

VERSION=$(node -p "require('./package.json').version")
VSIX=$REPO/fltsim-$VERSION.vsix
if [ "${FLTSIM_E2E_SKIP_PACKAGE:-0}" != 1 ] || [ ! -f "$VSIX" ]; then
  say "packaging $(basename "$VSIX")"
  npm run -s package >"$CACHE/logs/package.log" 2>&1 || { tail -30 "$CACHE/logs/package.log"; fail "npm run package failed"; }
fi
[ -f "$VSIX" ] || fail "npm run package did not produce $VSIX"
T_PACKAGE=$((SECONDS - T0 - T_SETUP))

# code-server and chromium keep state in XDG folders; keep it in the cache, never in $HOME.
export XDG_DATA_HOME=$CACHE/xdg/data XDG_CONFIG_HOME=$CACHE/xdg/config XDG_CACHE_HOME=$CACHE/xdg/cache
CS=$FLTSIM_E2E_CODE_SERVER
CS_PATH=$FLTSIM_E2E_NODE24_BIN:$PATH   # code-server runs on Node 24; the driver below stays on the repo's Node

stop_server() {
  # Only the process group this script started, and only if it is still our code-server.
  [ -f "$RUN/server.pid" ] || return 0
  local pid
  pid=$(cat "$RUN/server.pid")
  if [ -n "$pid" ] && ps -o args= -p "$pid" 2>/dev/null | grep -q "code-server.*$RUN/profile"; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do ps -o pid= -g "$pid" >/dev/null 2>&1 || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/server.pid"
}
stop_server
rm -rf "$RUN"
mkdir -p "$RUN/profile/data/User" "$RUN/profile/extensions" "$RUN/workspace" "$CACHE/logs"
rm -rf "$ARTIFACTS"; mkdir -p "$ARTIFACTS"

# A quiet, offline profile: no welcome page, telemetry, update checks, trust prompt or AI panels;
# the terminal draws with DOM rows (not WebGL) so the test can read what a task printed.
cat >"$RUN/profile/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.enableExperiments": false,
  "workbench.tips.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "window.restoreWindows": "none",
  "files.hotExit": "off",
  "git.enabled": false,
  "terminal.integrated.gpuAcceleration": "off"
}
JSON
printf 'auth: none\ncert: false\n' >"$RUN/profile/config.yaml"
cp -R test/e2e/fixtures/workspace/. "$RUN/workspace/"
cp samples/lint-demo/buggy.c "$RUN/workspace/buggy.c"
cp samples/worker-flag-race/flagworker.c samples/worker-flag-race/race.fltsim "$RUN/workspace/"

CS_ARGS=(--config "$RUN/profile/config.yaml" --user-data-dir "$RUN/profile/data" --extensions-dir "$RUN/profile/extensions")
PATH=$CS_PATH timeout 180 "$CS" "${CS_ARGS[@]}" --install-extension "$VSIX" --force >"$CACHE/logs/install-vsix.log" 2>&1 \
  || { cat "$CACHE/logs/install-vsix.log"; fail "code-server --install-extension failed"; }
INSTALLED=$(PATH=$CS_PATH timeout 60 "$CS" "${CS_ARGS[@]}" --list-extensions --show-versions 2>/dev/null | tr '\n' ' ')
case "$INSTALLED" in *"fltsim.fltsim@$VERSION"*) say "installed: $INSTALLED" ;; *) fail "the vsix did not install (installed: '$INSTALLED')" ;; esac

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=${FLTSIM_E2E_PORT:-}
if [ -z "$PORT" ]; then
  for p in $(seq 18180 18199); do port_free "$p" && { PORT=$p; break; }; done
  [ -n "$PORT" ] || fail "no free port in 18180-18199 on 127.0.0.1"
fi
port_free "$PORT" || fail "port $PORT on 127.0.0.1 is in use"

PATH=$CS_PATH setsid "$CS" "${CS_ARGS[@]}" --auth none --bind-addr "127.0.0.1:$PORT" \
  --disable-telemetry --disable-update-check --disable-workspace-trust "$RUN/workspace" \
  >"$CACHE/logs/code-server.log" 2>&1 </dev/null &
echo $! >"$RUN/server.pid"
[ "${FLTSIM_E2E_KEEP:-0}" = 1 ] || trap stop_server EXIT
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" 2>/dev/null)" = 200 ] && break
  sleep 0.5
done
[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ] \
  || { tail -20 "$CACHE/logs/code-server.log"; fail "code-server did not answer on 127.0.0.1:$PORT"; }
say "code-server up on http://127.0.0.1:$PORT (setup ${T_SETUP}s, package ${T_PACKAGE}s)"

set +e
FLTSIM_E2E_URL="http://127.0.0.1:$PORT" FLTSIM_E2E_WORKSPACE="$RUN/workspace" FLTSIM_E2E_ARTIFACTS="$ARTIFACTS" \
  timeout 900 node --import tsx test/e2e/run.ts 2>&1 | tee "$CACHE/logs/driver.log"
RC=${PIPESTATUS[0]}
set -e

# The extension host's own logs (activation, adapter and server errors) go next to the screenshots.
mkdir -p "$ARTIFACTS/logs"
find "$RUN/profile/data/logs" -name '*.log' \( -path '*exthost*' -o -name 'remoteagent.log' \) -exec cp {} "$ARTIFACTS/logs/" \; 2>/dev/null || true
cp "$CACHE/logs/code-server.log" "$ARTIFACTS/logs/" 2>/dev/null || true
say "done in $((SECONDS - T0))s (exit $RC); extension-host logs in $ARTIFACTS/logs"
# The driver's summary goes last, so it is the closing line of the run.
SUMMARY=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed' "$CACHE/logs/driver.log" | tail -1)
echo "${SUMMARY:-e2e: 0 passed, 1 failed}"
[ -n "$SUMMARY" ] || exit 1
exit "$RC"
