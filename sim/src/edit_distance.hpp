#pragma once
// Edit distance for "did you mean ...?" hints on misspelt keys, parameter and model names.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coordsim::sim::detail {

// Optimal-string-alignment distance (Damerau-Levenshtein without repeated edits of one
// substring): insertions, deletions, substitutions and swaps of neighbours each cost 1, so the
// common typo "cuont" is one edit from "count".
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t rows = a.size() + 1;
  const std::size_t cols = b.size() + 1;
  std::vector<std::size_t> d(rows * cols);
  const auto at = [cols](std::size_t i, std::size_t j) { return i * cols + j; };
  for (std::size_t i = 0; i < rows; ++i) d[at(i, 0)] = i;
  for (std::size_t j = 0; j < cols; ++j) d[at(0, j)] = j;
  for (std::size_t i = 1; i < rows; ++i) {
    for (std::size_t j = 1; j < cols; ++j) {
      const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t best = std::min({d[at(i - 1, j)] + 1, d[at(i, j - 1)] + 1,
                                   d[at(i - 1, j - 1)] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, d[at(i - 2, j - 2)] + 1);
      d[at(i, j)] = best;
    }
  }
  return d[at(rows - 1, cols - 1)];
}

// How many edits still count as a typo of a word this long: short words allow fewer, or every
// three-letter key would "match" every other one.
inline std::size_t typo_allowance(std::size_t length) {
  if (length <= 1) return 0;
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

// The candidate closest to `query` within the typo allowance; ties go to the earlier candidate.
inline std::optional<std::string> closest_match(std::string_view query,
                                                const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = typo_allowance(query.size()) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(query, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace coordsim::sim::detail
