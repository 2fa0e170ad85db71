# The installed package of libvtime, as fmt and abseil ship theirs:
#   include/vtime/<folder>/*.h       the public headers (internal ones stay out)
#   lib/libvtime_<folder>.a          one library per folder
#   lib/cmake/vtime/                 vtimeConfig.cmake, its version file, the targets:
#                                    find_package(vtime 0.1 CONFIG REQUIRED) gives
#                                    vtime::vtime and vtime::time ... vtime::devices
#   lib/pkgconfig/vtime.pc           for builds without CMake
# and, when the command is built, bin/vtime. `cpack -G DEB` makes a Debian package.
include(CMakePackageConfigHelpers)

set(VTIME_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/vtime)
install(EXPORT vtimeTargets NAMESPACE vtime:: DESTINATION ${VTIME_CMAKE_DIR} FILE vtimeTargets.cmake)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/vtimeConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/vtimeConfig.cmake INSTALL_DESTINATION ${VTIME_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/vtimeConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/vtimeConfig.cmake ${PROJECT_BINARY_DIR}/vtimeConfigVersion.cmake
        DESTINATION ${VTIME_CMAKE_DIR})

# vtime.pc finds the prefix from where it lies (${pcfiledir}), so an install
# with `cmake --install --prefix` elsewhere still works.
set(VTIME_PC_PREFIX "\${pcfiledir}")
string(REPLACE "/" ";" pc_dirs "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
foreach(dir ${pc_dirs})
  string(APPEND VTIME_PC_PREFIX "/..")
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/vtime.pc.in ${PROJECT_BINARY_DIR}/vtime.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/vtime.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

set(CPACK_PACKAGE_NAME vtime)
set(CPACK_PACKAGE_VENDOR "the vtime project")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "virtual-time engine for machine emulators, and a reference RISC-V board")
set(CPACK_PACKAGE_CONTACT "vtime developers")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "vtime developers")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libfmt-dev")
include(CPack)
