# Runs one guest program on vtime's own board under icount shift=4,sleep=off,
# twice. Passes when both runs exit with status 0, print exactly EXPECTED, and
# are byte-identical to each other (the determinism invariant).
# Inputs: VTIME, ELF, HARTS, EXPECTED, WORK (a scratch directory), and
# BOARD_ARGS: extra `vtime run` options, '|'-separated (may be empty).
string(REPLACE "|" ";" board_args "${BOARD_ARGS}")
foreach(run 1 2)
  execute_process(
    COMMAND ${VTIME} run -smp ${HARTS} --icount shift=4,sleep=off --report none ${board_args} ${ELF}
    INPUT_FILE /dev/null
    OUTPUT_VARIABLE out_${run}
    ERROR_VARIABLE err_${run}
    RESULT_VARIABLE status_${run}
    TIMEOUT 120)
  if(NOT status_${run} EQUAL 0)
    message(FATAL_ERROR "run ${run}: exit status ${status_${run}}\n--- stdout\n${out_${run}}\n--- stderr\n${err_${run}}")
  endif()
endforeach()

file(READ ${EXPECTED} expected)
if(NOT out_1 STREQUAL expected)
  file(MAKE_DIRECTORY ${WORK})
  get_filename_component(name ${EXPECTED} NAME_WE)
  file(WRITE ${WORK}/${name}.actual.txt "${out_1}")
  execute_process(COMMAND diff -u ${EXPECTED} ${WORK}/${name}.actual.txt OUTPUT_VARIABLE diff)
  message(FATAL_ERROR "output differs from ${EXPECTED}:\n${diff}")
endif()
if(NOT out_1 STREQUAL out_2)
  message(FATAL_ERROR "two runs printed different output (not deterministic):\n${out_1}\n---\n${out_2}")
endif()
message(STATUS "same output as expected, twice")
