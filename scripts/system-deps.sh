#!/usr/bin/env bash
# Make sure the programs the build and the tests need are installed: install them with apt-get
# when we can (root on Debian/Ubuntu), otherwise say in one line how to get them, and fail.
#
#   scripts/system-deps.sh dot npm chromium
set -euo pipefail

package_for() {
  case "$1" in
    dot) echo graphviz ;;
    npm) echo npm ;;
    chromium) echo "chromium chromium-driver" ;;
    *) echo "$1" ;;
  esac
}

have() {
  if [ "$1" = chromium ]; then
    # The browser tests use CHROMIUM_PATH, else Debian's chromium, else Google Chrome.
    [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ] && return 0
    command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1
  else
    command -v "$1" >/dev/null 2>&1
  fi
}

missing=()
for program in "$@"; do
  have "$program" || missing+=("$program")
done
[ ${#missing[@]} -eq 0 ] && exit 0

packages=$(for program in "${missing[@]}"; do package_for "$program"; done | tr '\n' ' ')
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${packages}with apt-get (needed: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086  # the package list is meant to split into words
  apt-get install -y -qq --no-install-recommends $packages >/dev/null
  exit 0
fi
echo "Missing ${missing[*]}: install the Debian/Ubuntu packages '${packages% }' (sudo apt-get install ${packages% }), or the same programs from your system's package manager." >&2
exit 1
