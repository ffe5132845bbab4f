# SPDX-License-Identifier: MIT
# cmake -DROOT=<repo> -DOUT=<header> -P version.cmake: writes the monitor's
# version string (git describe) to OUT if it changed.
execute_process(COMMAND git -C ${ROOT} describe --always --dirty
                OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET)
if(NOT version)
  set(version "unknown")
endif()
file(WRITE ${OUT}.tmp "#define HV_VERSION_STRING \"${version}\"\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
