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

# vtime_library(NAME SOURCES... [DEPS targets...] [INSTALL] [INTERNAL headers...]):
# the folder's one library target, vtime_NAME (alias vtime::NAME).
# With GLOB, every .cc in the folder is a source (so adding a file needs no CMake
# edit); a folder with headers only becomes an INTERFACE library.
# INSTALL: part of the installed package (libvtime): the target is exported as
# vtime::NAME and the folder's headers go to include/vtime/NAME, except the
# INTERNAL ones (implementation details no user includes).
function(vtime_library name)
  cmake_parse_arguments(ARG "GLOB;INSTALL" "" "SOURCES;DEPS;INTERNAL" ${ARGN})
  if(ARG_GLOB)
    file(GLOB globbed CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
    list(APPEND ARG_SOURCES ${globbed})
  endif()
  set(include_root $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  if(ARG_SOURCES)
    add_library(vtime_${name} ${ARG_SOURCES})
    target_include_directories(vtime_${name} PUBLIC ${include_root})
    target_compile_options(vtime_${name} PRIVATE ${VTIME_WARNINGS})
    target_link_libraries(vtime_${name} PUBLIC ${ARG_DEPS})
  else()
    add_library(vtime_${name} INTERFACE)
    target_include_directories(vtime_${name} INTERFACE ${include_root})
    target_link_libraries(vtime_${name} INTERFACE ${ARG_DEPS})
  endif()
  add_library(vtime::${name} ALIAS vtime_${name})
  if(ARG_INSTALL AND ARG_SOURCES AND BUILD_SHARED_LIBS)
    # A shared libvtime exports its API and nothing else (cmake/vtime.map).
    target_link_options(vtime_${name} PRIVATE "LINKER:--version-script=${PROJECT_SOURCE_DIR}/cmake/vtime.map")
    # $ORIGIN: an installed library finds the libvtime libraries it needs
    # beside it, wherever the prefix is (a program's own RUNPATH does not
    # reach the libraries its libraries need).
    set_target_properties(vtime_${name} PROPERTIES LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/vtime.map
                                                 VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
                                                 INSTALL_RPATH "\$ORIGIN")
  endif()
  if(ARG_INSTALL)
    set_target_properties(vtime_${name} PROPERTIES EXPORT_NAME ${name})
    install(TARGETS vtime_${name} EXPORT vtimeTargets
            ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
            LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
            RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    file(GLOB headers CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.h)
    foreach(internal ${ARG_INTERNAL})
      list(REMOVE_ITEM headers ${CMAKE_CURRENT_SOURCE_DIR}/${internal})
    endforeach()
    install(FILES ${headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vtime/${name})
  endif()
endfunction()

# vtime_test(NAME SOURCES... DEPS targets...): one GoogleTest executable, NAME_tests,
# registered with CTest test by test.
# With GLOB, every _test.cc in the folder is a source. Name a test set
# "<something>_threads" to have it run under ThreadSanitizer too; SERIAL runs its
# tests alone (for the few that measure host time).
function(vtime_test name)
  cmake_parse_arguments(ARG "GLOB;SERIAL" "" "SOURCES;DEPS" ${ARGN})
  if(ARG_GLOB)
    file(GLOB globbed CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
    list(APPEND ARG_SOURCES ${globbed})
  endif()
  add_executable(${name}_tests ${ARG_SOURCES})
  target_compile_options(${name}_tests PRIVATE ${VTIME_WARNINGS})
  target_include_directories(${name}_tests PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name}_tests PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(ARG_SERIAL)  # tests that measure host time run alone
    gtest_discover_tests(${name}_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${name} RUN_SERIAL TRUE)
  else()
    gtest_discover_tests(${name}_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${name})
  endif()
endfunction()
