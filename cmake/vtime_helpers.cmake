# Shared build settings: warnings as errors, sanitizers, and one-line helpers for
# library folders (one target per folder) and test folders (one executable per folder).

set(VTIME_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)
if(VTIME_WERROR)
  list(APPEND VTIME_WARNINGS -Werror)
endif()

if(VTIME_SANITIZE)
  add_compile_options(-fsanitize=${VTIME_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${VTIME_SANITIZE})
endif()

# vtime_library(NAME SOURCES... [DEPS targets...]): the folder's one library target, vtime_NAME.
function(vtime_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(vtime_${name} ${ARG_SOURCES})
  add_library(vtime::${name} ALIAS vtime_${name})
  target_include_directories(vtime_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(vtime_${name} PRIVATE ${VTIME_WARNINGS})
  target_link_libraries(vtime_${name} PUBLIC ${ARG_DEPS})
endfunction()

# vtime_test(NAME SOURCES... DEPS targets...): one GoogleTest executable, NAME_tests,
# registered with CTest test by test.
function(vtime_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name}_tests ${ARG_SOURCES})
  target_compile_options(${name}_tests PRIVATE ${VTIME_WARNINGS})
  target_include_directories(${name}_tests PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name}_tests PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name}_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${name})
endfunction()
