# SPDX-License-Identifier: MIT
# --- A Debian 12 armhf system in a PV Linux guest (docs/debian.md) ---------
# Included at the end of tests/CMakeLists.txt (HVTEST, SYSTEMS,
# HV_PVLINUX_DIR, hv_qemu_test come from there).
#
# scripts/debian-build makes build/debian/debian-sd.img: a root file
# system from Debian's armhf packages (mmdebstrap --variant=extract from
# the machine's apt sources), on an SD card, configured by one boot of
# tests/systems/linux-debian.dts under hv (the guest installs the
# packages natively: no armhf maintainer script can run on the build
# machine). That boot takes minutes, so it happens once, when an input
# changed: the target "debian" and the ctest fixture "debian" (the test
# debian.build) run it; each test boot then starts from the configured
# card (--sd-snapshot: the card file stays as built).
set(HV_DEBIAN_DIR ${CMAKE_BINARY_DIR}/debian)
set(HV_DEBIAN_BOARD vexpress-a9)
# The system that boots the card, as the runner's arguments; the build's
# boot adds --sd, its bootargs, what to expect (and no -icount: its
# speed matters, not its timing).
set(HV_DEBIAN_SYSTEM
  --board ${HV_DEBIAN_BOARD} --qemu ${QEMU_SYSTEM_ARM} --dtc ${DTC}
  --hvpack $<TARGET_FILE:hvpack> --monitor ${HV_MONITOR_BIN}
  --board-dtb ${CMAKE_BINARY_DIR}/boards/${HV_DEBIAN_BOARD}.dtb
  --image-dir ${HV_GUEST_DIR} --image-dir ${HV_PVLINUX_DIR}
  --image dtb-dd=${HV_ROOT}/tests/linux/debian/dd-${HV_DEBIAN_BOARD}.dts
  --image dtb-linux=${HV_ROOT}/tests/linux/guest.dts
  --manifest-dts ${SYSTEMS}/linux-debian.dts)
set(HV_DEBIAN_BUILD ${HV_ROOT}/scripts/debian-build ${HV_DEBIAN_DIR}
  --boot ${Python3_EXECUTABLE} ${HVTEST} ${HV_DEBIAN_SYSTEM})

# cmake --build build --target debian (the PV kernel first: target pvlinux)
add_custom_target(debian
  COMMAND ${HV_DEBIAN_BUILD}
  DEPENDS hvpack images pvlinux
  USES_TERMINAL VERBATIM)

add_test(NAME debian.build COMMAND ${HV_DEBIAN_BUILD})
set_tests_properties(debian.build PROPERTIES FIXTURES_SETUP debian
  FIXTURES_REQUIRED linux TIMEOUT 3000 LABELS "linux;debian" COST 10000)

# Boot to the login prompt on the PV console (UART1), log in as root (no
# password), run commands (typed ahead, one a line: no ';', CMake's list
# separator): the Debian release, eth0's address from
# QEMU's DHCP server through dd's bridge, the guest's uptime; then
# poweroff, Debian's own shutdown (runlevel 0), which ends the run
# (halt-on-shutdown). The boot time to the login prompt is the
# "hv-debian: runlevel 2 reached at uptime" line (guest seconds).
hv_qemu_test(debian.login BOARDS ${HV_DEBIAN_BOARD} TIMEOUT 600 ARGS
  --image-dir ${HV_PVLINUX_DIR}
  --image dtb-dd=${HV_ROOT}/tests/linux/debian/dd-${HV_DEBIAN_BOARD}.dts
  --image dtb-linux=${HV_ROOT}/tests/linux/guest.dts
  --manifest-dts ${SYSTEMS}/linux-debian.dts
  --sd ${HV_DEBIAN_DIR}/debian-sd.img --sd-snapshot
  --uart 1 --uart-input-after "hvdebian login:"
  --uart-input "1:root\\necho debian-version \$(cat /etc/debian_version)\\nip -4 -o addr show dev eth0 | awk '{print \"address\", \$2, \$4}'\\necho uptime \$(cat /proc/uptime)\\necho pid1 \$(cat /proc/1/comm)\\npoweroff\\n"
  --expect "^\\[debian\\] init: root on /dev/hvblk0.*switch_root"
  --expect "^\\[debian\\] hv-debian: runlevel 2 reached at uptime [0-9.]+ s"
  --expect "^hv: guest 1 'debian' shut down with code 0"
  --expect "^\\[uart1\\] hvdebian login: root"
  --expect "^\\[uart1\\] .*debian-version 12\\.[0-9]+"
  --expect "^\\[uart1\\] .*address eth0 10\\.0\\.2\\.[0-9]+/24"
  --expect "^\\[uart1\\] .*uptime [0-9.]+ "
  --expect "^\\[uart1\\] .*pid1 init"
  --forbid "Oops|Kernel panic|BUG:|WARNING:|I/O error"
  --forbid "hv-firstboot"
  --expect-exit 0)
set_tests_properties(${HV_DEBIAN_BOARD}.debian.login PROPERTIES
  FIXTURES_REQUIRED debian LABELS "qemu;linux;debian;${HV_DEBIAN_BOARD}")

# cmake --build build --target debian-image: build/hv-debian-vexpress-a9.img,
# the Debian system packed for an interactive run (docs/debian.md):
#   cp --sparse=always build/debian/debian-sd.img build/debian/boot-sd.img
#   scripts/qemu-run vexpress-a9 build/hv-debian-vexpress-a9.img \
#     -drive if=sd,format=raw,file=build/debian/boot-sd.img \
#     -chardev socket,id=uart1,path=build/uart1.sock,server=on,wait=off \
#     -serial mon:stdio -serial chardev:uart1
# and scripts/console 1 in another terminal for the login prompt.
set(HV_DEBIAN_IMG ${CMAKE_BINARY_DIR}/hv-debian-${HV_DEBIAN_BOARD}.img)
set(HV_DEBIAN_DTBS ${CMAKE_BINARY_DIR}/systems/debian)
add_custom_command(OUTPUT ${HV_DEBIAN_IMG}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${HV_DEBIAN_DTBS}
  COMMAND ${DTC} -q -I dts -O dtb -o ${HV_DEBIAN_DTBS}/manifest.dtb
          ${SYSTEMS}/linux-debian.dts
  COMMAND ${DTC} -q -I dts -O dtb -o ${HV_DEBIAN_DTBS}/dd.dtb
          ${HV_ROOT}/tests/linux/debian/dd-${HV_DEBIAN_BOARD}.dts
  COMMAND ${DTC} -q -I dts -O dtb -o ${HV_DEBIAN_DTBS}/guest.dtb
          ${HV_ROOT}/tests/linux/guest.dts
  COMMAND hvpack -o ${HV_DEBIAN_IMG} -m ${HV_MONITOR_BIN}
          -b ${CMAKE_BINARY_DIR}/boards/${HV_DEBIAN_BOARD}.dtb
          -g ${HV_DEBIAN_DTBS}/manifest.dtb
          -i linux=${HV_PVLINUX_DIR}/linux.bin
          -i dtb-linux=${HV_DEBIAN_DTBS}/guest.dtb
          -i dtb-dd=${HV_DEBIAN_DTBS}/dd.dtb
  DEPENDS hvpack target ${SYSTEMS}/linux-debian.dts ${HV_PVLINUX_DIR}/linux.bin
          ${HV_ROOT}/tests/linux/debian/dd-${HV_DEBIAN_BOARD}.dts
          ${HV_ROOT}/tests/linux/system-dd-${HV_DEBIAN_BOARD}.dts
          ${HV_ROOT}/tests/linux/driver-domain-${HV_DEBIAN_BOARD}.dts
          ${HV_ROOT}/tests/linux/guest.dts
  VERBATIM)
add_custom_target(debian-image DEPENDS ${HV_DEBIAN_IMG} images pvlinux)
