#!/usr/bin/env bash
# Installs the Debian packages that the offline providers and their tests use:
#   pocketsphinx, pocketsphinx-en-us  speech recognition (packages/local-speech)
#   sox                               resamples audio to 16 kHz mono for pocketsphinx
#   imagemagick, fonts-dejavu-core    renders PNG images of text for the OCR tests
#   redis-server                      Redis for the hosted notebook's and batch queue's tests (each test starts its own server)
# Text-to-speech (espeak-ng) and OCR (tesseract.js) need nothing from here: they
# run from npm packages (WebAssembly). Idempotent: it installs only what is
# missing, and runs `apt-get update` only then. Needs root (or sudo).
set -euo pipefail

packages=(pocketsphinx pocketsphinx-en-us sox imagemagick fonts-dejavu-core redis-server)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: all present (${packages[*]})"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-system-deps: done"
