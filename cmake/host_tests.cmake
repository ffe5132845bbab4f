# SPDX-License-Identifier: MIT
# hv_register_tests(<prefix> <executable> <label> <timeout> <sources>...):
# every TEST(suite, name) line of the sources (tests/unit/unit.h's harness)
# becomes the ctest test <prefix>.<suite>.<name>, running
# "<executable> <suite>.<name>"; DISABLED_TEST(...) lines become disabled
# tests. The sources are re-read when they change. Sources are relative
# to the calling directory.
function(hv_register_tests prefix exe label timeout)
  foreach(source ${ARGN})
    set(path ${CMAKE_CURRENT_SOURCE_DIR}/${source})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${path})
    unset(lines)
    file(STRINGS ${path} lines
         REGEX "^(DISABLED_)?TEST\\([A-Za-z0-9_]+, *[A-Za-z0-9_]+\\)")
    foreach(line ${lines})
      string(REGEX MATCH
             "^(DISABLED_)?TEST\\(([A-Za-z0-9_]+), *([A-Za-z0-9_]+)\\)"
             _ "${line}")
      set(name ${CMAKE_MATCH_2}.${CMAKE_MATCH_3})
      add_test(NAME ${prefix}.${name} COMMAND ${exe} ${name})
      if(CMAKE_MATCH_1)
        set_tests_properties(${prefix}.${name} PROPERTIES DISABLED TRUE)
      endif()
      set_tests_properties(${prefix}.${name} PROPERTIES LABELS ${label}
                           TIMEOUT ${timeout})
    endforeach()
  endforeach()
endfunction()
