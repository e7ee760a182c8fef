# certigraph_set_warnings(<target>): the one place where warning and sanitizer
# flags are chosen. Applied PRIVATE, so they never leak to consumers.
function(certigraph_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wnon-virtual-dtor -Wold-style-cast)
  if(CERTIGRAPH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(CERTIGRAPH_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${CERTIGRAPH_SANITIZE}
                                             -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${CERTIGRAPH_SANITIZE})
  endif()
endfunction()
