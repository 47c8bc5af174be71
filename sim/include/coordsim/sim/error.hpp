#pragma once
// Errors a user can cause with their input. They carry the location of the fault so the CLI
// and the Python bindings print the same "file:line:column: key: expected X, found Y" message.
#include <stdexcept>
#include <string>

namespace coordsim::sim {

struct SourceLocation {
  std::string file;  // path as the user gave it, or "<default>", "<command line>"
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

// Invalid scenario, sweep or override: the run must not start and nothing may be written.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(SourceLocation where, std::string key_path, std::string problem);
  const SourceLocation& where() const noexcept { return where_; }
  const std::string& key_path() const noexcept { return key_path_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  SourceLocation where_;
  std::string key_path_;
  std::string problem_;
};

// Faults while reading or writing result files (permissions, disk full, not a coordsim file).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file given as input (result file, shard, journal) that is damaged, of the wrong kind or
// inconsistent with the others: invalid input, so the command exits with code 2.
class BadFileError : public OutputError {
 public:
  using OutputError::OutputError;
};

}  // namespace coordsim::sim
