#!/usr/bin/env bash
# One-time set-up of what the tests need beyond npm: Debian's Chromium (the report is checked in a
# real browser and printed to PDF), poppler-utils (pdftotext and pdfinfo read that PDF back),
# Jupyter with the project's tslab kernel (the notebooks are executed headless), SymPy for Debian's
# python3 and Maxima (the derivation's exports, `gaitid derive --export sympy|maxima`, are run).
# Idempotent and quick when everything is there. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
for pkg in poppler-utils jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client python3-sympy maxima; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

if [ ! -d node_modules ]; then npm ci; fi
npm run build --silent

if [ -f scripts/setup-jupyter.sh ]; then bash scripts/setup-jupyter.sh; fi
echo "setup: done (chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), node $(node --version))"
