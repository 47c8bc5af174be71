#include "coordsim/sim/error.hpp"

#include <cstdio>
#include <string_view>

namespace coordsim::sim {
namespace {

// what() must stay on one line so a terminal, a log line and a Python traceback all show the
// whole message: control characters that slipped in through file names, keys or values are
// written as escapes instead.
std::string single_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(byte));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

// "FILE:LINE:COLUMN: KEY.PATH: PROBLEM", the form compilers use, so editors can jump to it.
std::string compose_message(const SourceLocation& where, const std::string& key_path,
                            const std::string& problem) {
  std::string message = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) {
    message += ':' + std::to_string(where.line);
    if (where.column > 0) message += ':' + std::to_string(where.column);
  }
  message += ": ";
  if (!key_path.empty()) message += key_path + ": ";
  message += problem;
  return single_line(message);
}

}  // namespace

ScenarioError::ScenarioError(SourceLocation where, std::string key_path, std::string problem)
    : std::runtime_error(compose_message(where, key_path, problem)),
      where_(std::move(where)),
      key_path_(std::move(key_path)),
      problem_(std::move(problem)) {}

}  // namespace coordsim::sim
