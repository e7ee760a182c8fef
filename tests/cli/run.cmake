# run(EXPECTED_EXIT REGEX COMMAND...): runs the command and fails the test unless it
# exits with EXPECTED_EXIT and its standard output and error match REGEX. Included by
# the CLI test scripts of this folder.
function(run expected_code regex)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT code STREQUAL "${expected_code}")
    message(FATAL_ERROR "${ARGN}: exit ${code}, expected ${expected_code}")
  endif()
  if(NOT "${out}${err}" MATCHES "${regex}")
    message(FATAL_ERROR "${ARGN}: output does not match ${regex}")
  endif()
endfunction()
