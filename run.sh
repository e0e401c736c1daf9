#!/usr/bin/env bash
# Sets up (apt packages, Rust, build) and starts newsbot: the Telegram bot when
# TELOXIDE_TOKEN is set, otherwise a terminal chat over the bundled corpus.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec target/release/newsbot "$@"
