#!/bin/sh
# SPDX-License-Identifier: MIT
# broken-series.sh ROOT WORKDIR: scripts/pvlinux-build must stop, naming
# the patch, when a patch of the series does not apply (here: the real
# series plus one whose context is not in the tree), and build nothing.
set -u
root=$1
work=$2
rm -rf "$work"
mkdir -p "$work/patches"
cp "$root"/pvlinux-patches/* "$work/patches/"
cat > "$work/patches/9999-broken.patch" <<'PATCH'
--- a/Makefile
+++ b/Makefile
@@ -1,3 +1,3 @@
 this context line is not in Linux's Makefile
-nor is this one
+so the patch cannot apply
 and the build must say which patch failed
PATCH
echo 9999-broken.patch >> "$work/patches/series"
out=$(PVLINUX_PATCHES="$work/patches" "$root/scripts/pvlinux-build" "$work/out" 2>&1)
rc=$?
echo "$out" | tail -4
if [ $rc -eq 0 ]; then
    echo "FAIL: pvlinux-build succeeded with a broken series"
    exit 1
fi
if ! echo "$out" | grep -q "pvlinux: error: 9999-broken.patch does not apply"; then
    echo "FAIL: pvlinux-build failed without naming the broken patch"
    exit 1
fi
if [ -e "$work/out/linux.bin" ]; then
    echo "FAIL: a kernel was produced from a broken series"
    exit 1
fi
rm -rf "$work"
echo "OK: the broken patch is named and nothing is built"
