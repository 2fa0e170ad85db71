# Building RISC-V guest programs with Debian's riscv64-unknown-elf toolchain, and
# embedding one in a host program. Included by guests/CMakeLists.txt; a host
# target that embeds a guest (tools/vtime) may include it too - it is include-safe.
#
#   vtime_add_guest(NAME SOURCES... [HARTS n] [FLAGS extra-gcc-flags...]
#                   [BOARD_ONLY] [NO_EXPECTED] [BOARD_ARGS vtime-run-options...])
#       -> ${VTIME_GUEST_BINARY_DIR}/NAME.elf (with debug info), NAME.stripped.elf and
#          NAME.bin (raw image for 0x8000_0000), target guest_NAME,
#          listed in the global property VTIME_GUESTS (see vtime_guest_info).
#       BOARD_ONLY: the guest needs devices only vtime's board has (no QEMU test).
#       NO_EXPECTED: no tests/guests/expected text and no board.guest.NAME /
#         qemu.guest.NAME test: the output depends on how harts interleave (it is
#         only compared between runs), or the guest is a benchmark's load; the
#         guest must still run on QEMU.
#       BOARD_ARGS: extra `vtime run` options for its board test (e.g. --pvclock).
#   vtime_guest_info(NAME ELF_VAR BIN_VAR HARTS_VAR)
#   vtime_guest_board_info(NAME BOARD_ONLY_VAR BOARD_ARGS_VAR)
#   vtime_guest_has_expected(NAME HAS_EXPECTED_VAR)
#   vtime_embed_guest(NAME TARGET target [SYMBOL kDefaultGuest] [FORMAT ELF|BIN])
#       -> adds a generated .cc (from NAME.stripped.elf, or NAME.bin) defining
#          extern const unsigned char SYMBOL[]; extern const std::size_t SYMBOLSize;
#          (an empty image, size 0, when guests are not built).
include_guard(DIRECTORY)  # variables are directory-scoped: tools/ includes it again

find_program(VTIME_RISCV_GCC riscv64-unknown-elf-gcc)
find_program(VTIME_RISCV_OBJCOPY riscv64-unknown-elf-objcopy)
if(VTIME_BUILD_GUESTS AND VTIME_RISCV_GCC AND VTIME_RISCV_OBJCOPY)
  set(VTIME_GUESTS_ENABLED ON)
else()
  set(VTIME_GUESTS_ENABLED OFF)
endif()
set(VTIME_GUEST_SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR})
set(VTIME_GUEST_BINARY_DIR ${PROJECT_BINARY_DIR}/guests)
set(VTIME_GUEST_CFLAGS -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -O2 -g
    -std=gnu11 -nostdlib -ffreestanding -fno-common -fno-pic -static
    -Wall -Wextra -Wno-unused-parameter -I${VTIME_GUEST_SOURCE_DIR})
set(VTIME_GUEST_LDFLAGS -Wl,--gc-sections -Wl,--no-warn-rwx-segments)
if(VTIME_WERROR)
  list(APPEND VTIME_GUEST_CFLAGS -Werror)
endif()
set(VTIME_GUEST_RUNTIME_SOURCES start.S trap_entry.S boot.c check.c fdt.c plic.c print.c pvclock.c
    string.c trap.c uart.c)

# One object per source, with a depfile so header edits rebuild what they touch.
function(_vtime_guest_object source object_dir out_var)
  get_filename_component(abs ${source} ABSOLUTE)
  get_filename_component(stem ${source} NAME)
  set(object ${object_dir}/${stem}.o)
  add_custom_command(
    OUTPUT ${object}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${object_dir}
    COMMAND ${VTIME_RISCV_GCC} ${VTIME_GUEST_CFLAGS} ${ARGN} -MD -MF ${object}.d -c ${abs} -o ${object}
    DEPENDS ${abs}
    DEPFILE ${object}.d
    COMMENT "Guest: compiling ${stem}"
    VERBATIM)
  set(${out_var} ${object} PARENT_SCOPE)
endfunction()

function(vtime_add_guest name)
  if(NOT VTIME_GUESTS_ENABLED)
    return()
  endif()
  cmake_parse_arguments(ARG "BOARD_ONLY;NO_EXPECTED" "HARTS" "SOURCES;FLAGS;BOARD_ARGS" ${ARGN})
  list(APPEND ARG_SOURCES ${ARG_UNPARSED_ARGUMENTS})
  if(NOT ARG_HARTS)
    set(ARG_HARTS 1)
  endif()
  set(object_dir ${VTIME_GUEST_BINARY_DIR}/obj/${name})
  set(objects)
  foreach(source ${ARG_SOURCES})
    _vtime_guest_object(${source} ${object_dir} object ${ARG_FLAGS})
    list(APPEND objects ${object})
  endforeach()
  foreach(source ${VTIME_GUEST_RUNTIME_SOURCES})
    _vtime_guest_object(${VTIME_GUEST_SOURCE_DIR}/runtime/${source} ${object_dir}/runtime object)
    list(APPEND objects ${object})
  endforeach()
  set(elf ${VTIME_GUEST_BINARY_DIR}/${name}.elf)
  set(bin ${VTIME_GUEST_BINARY_DIR}/${name}.bin)
  set(stripped ${VTIME_GUEST_BINARY_DIR}/${name}.stripped.elf)
  set(linker_script ${VTIME_GUEST_SOURCE_DIR}/runtime/link.ld)
  add_custom_command(
    OUTPUT ${elf} ${bin} ${stripped}
    COMMAND ${VTIME_RISCV_GCC} ${VTIME_GUEST_CFLAGS} -T ${linker_script} ${VTIME_GUEST_LDFLAGS}
            -o ${elf} ${objects} -lgcc
    COMMAND ${VTIME_RISCV_OBJCOPY} -O binary ${elf} ${bin}
    COMMAND ${VTIME_RISCV_OBJCOPY} --strip-all ${elf} ${stripped}
    DEPENDS ${objects} ${linker_script}
    COMMENT "Guest: linking ${name}.elf"
    VERBATIM)
  add_custom_target(guest_${name} ALL DEPENDS ${elf} ${bin} ${stripped})
  set_property(GLOBAL APPEND PROPERTY VTIME_GUESTS ${name})
  set_property(GLOBAL PROPERTY VTIME_GUEST_${name}_ELF ${elf})
  set_property(GLOBAL PROPERTY VTIME_GUEST_${name}_BIN ${bin})
  set_property(GLOBAL PROPERTY VTIME_GUEST_${name}_HARTS ${ARG_HARTS})
  set_property(GLOBAL PROPERTY VTIME_GUEST_${name}_BOARD_ONLY ${ARG_BOARD_ONLY})
  set_property(GLOBAL PROPERTY VTIME_GUEST_${name}_NO_EXPECTED ${ARG_NO_EXPECTED})
  set_property(GLOBAL PROPERTY VTIME_GUEST_${name}_BOARD_ARGS "${ARG_BOARD_ARGS}")
endfunction()

# BOARD_ONLY_VAR: TRUE when the guest runs only on vtime's board; BOARD_ARGS_VAR:
# the list of extra `vtime run` options its board test passes (may be empty).
function(vtime_guest_board_info name board_only_var board_args_var)
  get_property(board_only GLOBAL PROPERTY VTIME_GUEST_${name}_BOARD_ONLY)
  get_property(board_args GLOBAL PROPERTY VTIME_GUEST_${name}_BOARD_ARGS)
  set(${board_only_var} ${board_only} PARENT_SCOPE)
  set(${board_args_var} "${board_args}" PARENT_SCOPE)
endfunction()

# HAS_EXPECTED_VAR: TRUE unless the guest was added with NO_EXPECTED.
function(vtime_guest_has_expected name has_expected_var)
  get_property(no_expected GLOBAL PROPERTY VTIME_GUEST_${name}_NO_EXPECTED)
  if(no_expected)
    set(${has_expected_var} FALSE PARENT_SCOPE)
  else()
    set(${has_expected_var} TRUE PARENT_SCOPE)
  endif()
endfunction()

function(vtime_guest_info name elf_var bin_var harts_var)
  get_property(elf GLOBAL PROPERTY VTIME_GUEST_${name}_ELF)
  get_property(bin GLOBAL PROPERTY VTIME_GUEST_${name}_BIN)
  get_property(harts GLOBAL PROPERTY VTIME_GUEST_${name}_HARTS)
  set(${elf_var} ${elf} PARENT_SCOPE)
  set(${bin_var} ${bin} PARENT_SCOPE)
  set(${harts_var} ${harts} PARENT_SCOPE)
endfunction()

# The guest's file name is fixed by its name, so this works before or after the
# guest's own vtime_add_guest() has run (tools/ is configured before guests/).
function(vtime_embed_guest name)
  cmake_parse_arguments(ARG "" "TARGET;SYMBOL;FORMAT" "" ${ARGN})
  if(NOT ARG_TARGET)
    message(FATAL_ERROR "vtime_embed_guest(${name}) needs TARGET")
  endif()
  if(NOT ARG_SYMBOL)
    set(ARG_SYMBOL kDefaultGuest)
  endif()
  if(NOT ARG_FORMAT)
    set(ARG_FORMAT ELF)
  endif()
  string(TOLOWER ${ARG_FORMAT} ext)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded_${name}_${ARG_SYMBOL}.cc)
  if(VTIME_GUESTS_ENABLED)
    if(ext STREQUAL "elf")
      set(input ${VTIME_GUEST_BINARY_DIR}/${name}.stripped.elf) # no debug info to embed
    else()
      set(input ${VTIME_GUEST_BINARY_DIR}/${name}.${ext})
    endif()
    add_custom_command(
      OUTPUT ${output}
      COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${ARG_SYMBOL}
              -P ${VTIME_GUEST_SOURCE_DIR}/embed_binary.cmake
      DEPENDS ${input} ${VTIME_GUEST_SOURCE_DIR}/embed_binary.cmake
      COMMENT "Embedding guest ${name}.${ext} as ${ARG_SYMBOL}"
      VERBATIM)
    add_dependencies(${ARG_TARGET} guest_${name})
  else()
    execute_process(COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DSYMBOL=${ARG_SYMBOL}
                            -P ${VTIME_GUEST_SOURCE_DIR}/embed_binary.cmake)
  endif()
  target_sources(${ARG_TARGET} PRIVATE ${output})
endfunction()
