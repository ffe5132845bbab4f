# SPDX-License-Identifier: MIT
# Turns the "->NAME value" lines of the assembly compiled from
# hv/arch/arm32/offsets.c (IN) into a header of #defines (OUT).
# Usage: cmake -DIN=offsets.s -DOUT=gen/arch/offsets.h -P offsets.cmake
file(STRINGS ${IN} lines REGEX "^->[A-Za-z_][A-Za-z0-9_]* ")
set(text "/* Generated from hv/arch/arm32/offsets.c by cmake/offsets.cmake: do not edit. */\n")
string(APPEND text "#ifndef ARCH_OFFSETS_H\n#define ARCH_OFFSETS_H\n\n")
set(count 0)
foreach(line ${lines})
  string(REGEX MATCH "^->([A-Za-z_][A-Za-z0-9_]*) +#?(-?[0-9]+)$" _ "${line}")
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "${IN}: cannot read \"${line}\"")
  endif()
  string(APPEND text "#define ${CMAKE_MATCH_1} ${CMAKE_MATCH_2}\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "${IN}: no ->NAME lines (not compiled with -S?)")
endif()
string(APPEND text "\n#endif /* ARCH_OFFSETS_H */\n")
file(WRITE ${OUT} "${text}")
