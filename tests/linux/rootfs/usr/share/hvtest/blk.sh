# SPDX-License-Identifier: MIT
# Sourced by the block frontend tests (blk_*.sh) after common.sh. The
# backend is the test guest's role "blkback": a RAM disk of 128 sectors
# of 512 bytes whose every byte starts as (sector * 7 + byte * 13 + 1)
# mod 256, in each life of the backend (tests/guests/tguest/conn_tests.c).

BLK_SECTORS=128
BLK_BLOCKS=16 # of 4 KiB
# md5 of the whole pristine disk, and of each 4 KiB block of it
BLK_PRISTINE=ff573801caf45a929dd30a3771b890b9
BLK_PRISTINE_BLOCKS="e241e7a826b79d9db10a5342ac3a372b
35abdbbcc313a2a5db2b8eac9e22f1da bd6cd7895c8a3aee4bc3d171580006c2
b87e3d153f154b33b7b445ece95fe876 09f86e88a66860351421733c71eb73fc
bfbccb231fbeee3f4afd9ab8ff349e9a f5d378d58d20badbf852b64db02c3202
0c515e93a4a89d0e57270ec3c1201f6c 66afb380a80da48ff59ce02cdc9ed405
ebeea4864c7b8d8a073ddcb90f78b81f 0794efc520c392b5790a492248090ee8
1959d64136deb4c3426a865ca103adc7 3f95348370441826b1c504e040ef1273
67f3e29efc3ad673b9ebdac8b51a4959 8eba2ea407af1af9445b4687093584d5
d0fcfdaae6cba4f98b2c37d13ff901a0"

# blk_wait DEV: waits (up to 60 s) for /dev/DEV, connected in the
# background by the driver, and checks its size.
blk_wait() {
    _i=0
    while [ ! -b "/dev/$1" ] || [ ! -e "/sys/block/$1/size" ]; do
        _i=$((_i + 1))
        [ $_i -le 600 ] || fail "/dev/$1 did not appear in 60 s"
        sleep 0.1
    done
    _size=$(cat "/sys/block/$1/size")
    echo "$1: $_size sectors"
    [ "$_size" -eq $BLK_SECTORS ] || fail "$1: $_size sectors, not $BLK_SECTORS"
}

# md5 FILE-OR-DEV [dd args]: md5 of what dd reads
md5() {
    _f=$1
    shift
    dd if="$_f" "$@" 2>/dev/null | md5sum | cut -d' ' -f1
}

# blk_read DEV OUT: the whole disk, O_DIRECT, 4 KiB requests
blk_read() {
    dd if="/dev/$1" of="$2" bs=4096 iflag=direct 2>/tmp/dd.err ||
        { cat /tmp/dd.err; fail "reading /dev/$1"; }
    [ "$(wc -c < "$2")" -eq $((BLK_SECTORS * 512)) ] ||
        fail "short read of /dev/$1: $(wc -c < "$2") bytes"
}

# blk_no_errors: the kernel logged no I/O error and no broken ring
blk_no_errors() {
    if dmesg | grep -E 'I/O error|hvblk.*(broke|failed|gave up|cannot)|Buffer I/O'; then
        fail "the kernel logged an I/O error"
    fi
}

# blk_pristine DEV: waits for DEV and checks it holds the backend's
# pattern (read whole into /tmp/pristine).
blk_pristine() {
    blk_wait "$1"
    blk_read "$1" /tmp/pristine
    [ "$(md5 /tmp/pristine)" = $BLK_PRISTINE ] ||
        fail "the disk is not the backend's pattern"
}

# blk_wait_connects DEV N: waits (up to 30 s) until the frontend has
# logged DEV's connection N times (a reconnection on a new ring).
blk_wait_connects() {
    _i=0
    while [ "$(dmesg | grep -c "$1: $BLK_SECTORS sectors of 512 bytes")" -lt "$2" ]; do
        _i=$((_i + 1))
        [ $_i -le 300 ] || fail "$1 did not connect again in 30 s"
        sleep 0.1
    done
}

# blk_write_fails DEV WHY: fresh data (/tmp/p1), 4 KiB O_DIRECT writes to
# DEV one at a time, must stop with an I/O error (dd's message in
# /tmp/dd.err); WHY says what every write succeeding would mean.
blk_write_fails() {
    dd if=/dev/urandom of=/tmp/p1 bs=4096 count=$BLK_BLOCKS 2>/dev/null
    if dd if=/tmp/p1 of=/dev/"$1" bs=4096 oflag=direct 2>/tmp/dd.err; then
        fail "every write succeeded: $2"
    fi
    cat /tmp/dd.err
    grep -q 'Input/output error' /tmp/dd.err ||
        fail "the write did not fail with EIO"
}
