#!/usr/bin/env bash
# test-install.sh: `meson install` is the whole install, and the installed Downbeat runs from it
#
# Usage: test-install.sh SOURCE-ROOT
# Builds and installs into a temporary prefix, checks what is there, and runs the installed
# `downbeat --check` with the installed schema, resources and translations (LANGUAGE=de).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

source_root=$1
root=$(mktemp -d "${TMPDIR:-/tmp}/downbeat-install-XXXXXX")
trap 'rm -rf "$root"' EXIT
prefix=$root/usr

fail () { echo "not ok: $*" >&2; exit 1; }

meson setup --prefix="$prefix" "$root/build" "$source_root" >"$root/setup.log"

# As a distribution packages it: into a staging root, where nothing may land outside the prefix.
meson install -C "$root/build" --destdir "$root/staging" >"$root/staging.log"
outside=$(cd "$root/staging" && find . -type f | grep -v "^\.$prefix/" || true)
[[ -z $outside ]] || fail "installed outside the prefix: $outside"
echo "ok: meson install --destdir writes only below the prefix"

# And for real, into the temporary prefix: the program finds its translations there.
meson install -C "$root/build" >"$root/install.log"

for file in \
    bin/downbeat \
    share/applications/io.github.downbeat.Downbeat.desktop \
    share/metainfo/io.github.downbeat.Downbeat.metainfo.xml \
    share/glib-2.0/schemas/io.github.downbeat.Downbeat.gschema.xml \
    share/glib-2.0/schemas/gschemas.compiled \
    share/icons/hicolor/scalable/apps/io.github.downbeat.Downbeat.svg \
    share/icons/hicolor/symbolic/apps/io.github.downbeat.Downbeat-symbolic.svg \
    share/icons/hicolor/scalable/status/io.github.downbeat.Downbeat-operational.svg \
    share/icons/hicolor/scalable/status/io.github.downbeat.Downbeat-outage.svg \
    share/man/man1/downbeat.1 \
    share/locale/de/LC_MESSAGES/downbeat.mo \
    share/locale/es/LC_MESSAGES/downbeat.mo \
    share/locale/fr/LC_MESSAGES/downbeat.mo \
    share/locale/pt_BR/LC_MESSAGES/downbeat.mo \
    share/locale/sv/LC_MESSAGES/downbeat.mo; do
  [[ -e $prefix/$file ]] || fail "$file is not installed"
done
echo "ok: every file is installed"

grep -qx 'Comment\[de\]=.*' "$prefix/share/applications/io.github.downbeat.Downbeat.desktop" \
  || fail "the desktop file is not translated"
grep -q 'xml:lang="sv"' "$prefix/share/metainfo/io.github.downbeat.Downbeat.metainfo.xml" \
  || fail "the metainfo is not translated"
echo "ok: desktop file and metainfo translated"

# Nothing answers on 127.0.0.1:9: every check is refused, so this computer reads as offline.
cat >"$root/service.json" <<'JSON'
{ "format": 1, "name": "Spotify", "official": [],
  "probes": [ { "id": "a", "name": "A", "url": "http://127.0.0.1:9/a", "timeout_s": 2 },
              { "id": "b", "name": "B", "url": "http://127.0.0.1:9/b", "timeout_s": 2 } ],
  "control": { "url": "http://127.0.0.1:9/c", "timeout_s": 2 } }
JSON

run_installed () {
  env -i PATH=/usr/bin:/bin HOME="$root" XDG_STATE_HOME="$root/state" LC_ALL=C.UTF-8 \
    LANGUAGE=de XDG_DATA_DIRS="$prefix/share:/usr/share" GSETTINGS_BACKEND=memory \
    "$prefix/bin/downbeat" "$@"
}

status=0
json=$(run_installed --check --json --service "$root/service.json") || status=$?
[[ $status == 3 ]] || fail "--check exited $status, not 3 (offline)"
grep -q '"level" : "offline"' <<<"$json" || grep -q '"level": "offline"' <<<"$json" \
  || fail "no offline level in: $json"
grep -q 'Du bist offline' <<<"$json" || fail "the summary is not German: $json"
echo "ok: the installed downbeat --check --json runs, in German"

text=$(run_installed --check --service "$root/service.json") || true
grep -q 'Prüfungen:' <<<"$text" || fail "the text output is not German: $text"
version=$(run_installed --version)
[[ $version == "downbeat "* ]] || fail "--version says: $version"
echo "ok: text output in German; $version"
