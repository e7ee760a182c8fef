# Fails if FILE exists: a refused command must leave nothing behind.
#   cmake -DFILE=... -P absent.cmake
if(EXISTS "${FILE}" OR EXISTS "${FILE}.tmp")
  message(FATAL_ERROR "${FILE} was written by a command that refused its input")
endif()
