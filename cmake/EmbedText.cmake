# Turns a text file into a C++ source defining `std::string_view NAME()` in namespace NS.
# Run as: cmake -DINPUT=... -DOUTPUT=... -DNAME=... -DNS=... -P EmbedText.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")coordsim_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE "${OUTPUT}.new"
  "// Generated from ${INPUT} by cmake/EmbedText.cmake. Do not edit.\n"
  "#include <string_view>\n"
  "namespace ${NS} {\n"
  "std::string_view ${NAME}() {\n"
  "  static constexpr std::string_view text = R\"coordsim_embed(${content})coordsim_embed\";\n"
  "  return text;\n"
  "}\n"
  "}  // namespace ${NS}\n")
file(COPY_FILE "${OUTPUT}.new" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.new")
