#!/usr/bin/env bash
# Writes a tar of a minimal busybox root filesystem (Debian's busybox-static, applet links in /bin,
# /etc/passwd and /etc/group) to $1: the test and first-run image of Berth, since there is no Docker Hub here.
set -euo pipefail
out=$1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/bin" "$t/tmp" "$t/etc" "$t/root" "$t/home" "$t/var" "$t/usr/bin" "$t/usr/sbin" "$t/sbin"
chmod 1777 "$t/tmp"
cp /bin/busybox "$t/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$t/bin/$a"; done
cat > "$t/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
P
cat > "$t/etc/group" <<'G'
root:x:0:
daemon:x:1:
nogroup:x:65534:
G
tar --numeric-owner -C "$t" -cf "$out" .
