# Turns a file into a C++ source defining `std::string_view <SYMBOL>()` whose
# content is the file's bytes. Run in script mode:
#   cmake -DINPUT=... -DOUTPUT=... -DSYMBOL=... -DNAMESPACE=... -P EmbedFile.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}"
"// Generated from ${INPUT} by cmake/EmbedFile.cmake; do not edit.
#include <string_view>
namespace ${NAMESPACE} {
namespace {
constexpr char data[] = {${bytes} '\\0'};
}  // namespace
std::string_view ${SYMBOL}() { return {data, ${byte_count}}; }
}  // namespace ${NAMESPACE}
")
