#!/usr/bin/env bash
# Sets up if needed, then runs every test (unit, CLI, fake Telegram server, accuracy).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
cargo test --release --locked
