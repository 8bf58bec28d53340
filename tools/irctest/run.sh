#!/usr/bin/env bash
# Runs irctest's core modules against target/chat-server.jar (build it first: mvn -B package -DskipTests).
# Usage: tools/irctest/run.sh <irctest checkout>   (a clone of progval/irctest, kept outside this repository)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
irctest="${1:?usage: $0 <irctest checkout>}"
modules="connection_registration pingpong join part messages quit names list lusers topic cap message_tags
  echo_message isupport who regressions buffering utf8 multi_prefix time"
files=()
for m in $modules; do files+=("irctest/server_tests/$m.py"); done
deselect=()
while read -r id; do deselect+=(--deselect "$id"); done < <(grep -v '^#' "$here/deselected.txt" | grep -v '^$')
cd "$irctest"
PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" python3 -m pytest -p no:cacheprovider --controller chat_irctest \
  -m 'not implementation-specific and not deprecated and not strict and not services' \
  "${deselect[@]}" "${files[@]}" -q -rfs --tb=short
