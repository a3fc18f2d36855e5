# Writes OUTPUT, a C++ file defining `std::string_view NAME()` that returns
# the contents of INPUT, in NAMESPACE (coproduce::web when not given). Run by
# the build whenever INPUT changes.
if(NOT NAMESPACE)
  set(NAMESPACE coproduce::web)
endif()
file(READ "${INPUT}" content)
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by embed_file.cmake. Do not edit.
#include <string_view>
namespace ${NAMESPACE} {
std::string_view ${NAME}() {
  static constexpr std::string_view kText = R\"coproduce_embed(${content})coproduce_embed\";
  return kText;
}
}  // namespace ${NAMESPACE}
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
