#!/usr/bin/env bash
# Installs what newsbot needs on Debian 12 and builds it. Idempotent: a second run
# only checks. Used by ./run.sh, ./test.sh and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

# 1. System packages: libtorch 1.13 from Debian (the only libtorch rust-bert 0.20 builds
#    against without a download) and OpenBLAS (30x faster than the reference BLAS).
need=()
for pkg in libtorch-dev libopenblas0-pthread g++ pkg-config ca-certificates; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]} (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# 2. Rust (rustup's stable; Debian 12's rustc is too old).
if ! command -v cargo >/dev/null 2>&1; then
  [ -x "$HOME/.cargo/bin/cargo" ] || {
    say "installing Rust with rustup"
    command -v curl >/dev/null || { $SUDO apt-get install -y -qq curl; }
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  }
  export PATH="$HOME/.cargo/bin:$PATH"
fi

# 3. The reader model ships in the repository (models/newsbot-reader).
model_dir="models/newsbot-reader"
if [ ! -f "$model_dir/model.ot" ]; then
  echo "error: $model_dir/model.ot is missing. It ships with the repository; check out" >&2
  echo "the full repository, or train one: scripts/fetch-base-model.sh && newsbot train-reader" >&2
  exit 1
fi

# 4. Build (release: one build serves the bot, the tests and the benchmark).
say "building (first time: about 6 minutes on 2 cores)"
cargo build --release --locked --quiet
