#pragma once
// Shared by the libFuzzer harnesses (tests/fuzz/README.md): the real model registry, and a private
// scratch file for harnesses whose reader takes a path.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "coordsim/models/register_models.hpp"
#include "coordsim/sim/model.hpp"

namespace coordsim::fuzz {

inline const sim::ModelRegistry& registry() {
  static const sim::ModelRegistry instance = [] {
    sim::ModelRegistry r;
    models::register_all(r);
    r.set_default_scenario("county.yaml", std::string(models::default_scenario_text()));
    return r;
  }();
  return instance;
}

// A file in a directory of this process, rewritten for every input.
inline std::string scratch_path(const std::string& name) {
  static const std::filesystem::path directory = [] {
    auto path = std::filesystem::temp_directory_path() / ("coordsim-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  return (directory / name).string();
}

inline void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) __builtin_trap();
  if (size > 0 && std::fwrite(data, 1, size, file) != size) __builtin_trap();
  std::fclose(file);
}

}  // namespace coordsim::fuzz
