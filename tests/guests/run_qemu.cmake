# cmake -DQEMU=qemu-system-riscv64 -DELF=guest.elf -DHARTS=n [-DEXPECTED=file] -P run_qemu.cmake
# Runs one guest on QEMU's virt board under icount shift=4,sleep=off (so the run
# is deterministic), with no console input; fails on a non-zero exit status or,
# if EXPECTED is given, on any difference from that text.
execute_process(
  COMMAND ${QEMU} -M virt -m 128M -bios none -nographic -smp ${HARTS}
          -icount shift=4,sleep=off -kernel ${ELF}
  INPUT_FILE /dev/null
  OUTPUT_VARIABLE output
  ERROR_VARIABLE errors
  RESULT_VARIABLE status
  TIMEOUT 100)
message("${output}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "guest ${ELF} exited with status ${status}\n${errors}")
endif()
if(EXPECTED)
  file(READ ${EXPECTED} want)
  if(NOT output STREQUAL want)
    file(WRITE ${ELF}.qemu.txt "${output}")
    message(FATAL_ERROR "output differs from ${EXPECTED}; QEMU's output is in ${ELF}.qemu.txt "
                        "(diff -u ${EXPECTED} ${ELF}.qemu.txt)")
  endif()
endif()
