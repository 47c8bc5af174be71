#pragma once
// YAML text helpers shared by parameter formatting and scenario parsing: the scalar grammar
// of the YAML 1.2 core schema (stricter than yaml-cpp's own conversions, which take "yes",
// "0x1f" or "1_000") and quoting for the YAML we write back.
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "coordsim/sim/param.hpp"

namespace coordsim::sim::detail {

inline bool is_yaml_true(std::string_view text) { return text == "true" || text == "True" || text == "TRUE"; }
inline bool is_yaml_false(std::string_view text) {
  return text == "false" || text == "False" || text == "FALSE";
}

// Words another YAML reader (YAML 1.1, or yaml-cpp's as<bool>) would not read as a string.
inline bool is_reserved_word(std::string_view text) {
  static constexpr std::string_view kReserved[] = {
      "null", "Null", "NULL", "true",  "True",  "TRUE",  "false", "False", "FALSE", "yes", "Yes",
      "YES",  "no",   "No",   "NO",    "on",    "On",    "ON",    "off",   "Off",   "OFF", "y",
      "Y",    "n",    "N"};
  for (const auto word : kReserved)
    if (text == word) return true;
  return false;
}

enum class NumberParse { Ok, NotANumber, OutOfRange };

// [-+]?[0-9]+ : decimal only, so "0x10", "1e3", "2.5" and "1_000" are not integers.
inline NumberParse parse_yaml_integer(std::string_view text, std::int64_t& out) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return NumberParse::NotANumber;
  for (const char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c))) return NumberParse::NotANumber;
  std::uint64_t magnitude = 0;
  const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  if (result.ec == std::errc::result_out_of_range) return NumberParse::OutOfRange;
  constexpr std::uint64_t kLargest = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (magnitude > kLargest + (negative ? 1 : 0)) return NumberParse::OutOfRange;
  // Negating in unsigned arithmetic keeps INT64_MIN representable.
  out = negative ? static_cast<std::int64_t>(~magnitude + 1) : static_cast<std::int64_t>(magnitude);
  return NumberParse::Ok;
}

inline NumberParse parse_yaml_unsigned(std::string_view text, std::uint64_t& out) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  if (digits.empty()) return NumberParse::NotANumber;
  for (const char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c))) return NumberParse::NotANumber;
  const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (result.ec == std::errc::result_out_of_range) return NumberParse::OutOfRange;
  return NumberParse::Ok;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? : the core schema's finite numbers.
// .inf and .nan are refused on purpose: no parameter has a meaningful infinite value.
inline NumberParse parse_yaml_real(std::string_view text, double& out) {
  std::size_t i = 0;
  const auto digits_from = [&](std::size_t start) {
    std::size_t end = start;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    return end;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t mantissa_start = i;
  std::size_t end = digits_from(i);
  const bool integer_digits = end > i;
  i = end;
  bool fraction_digits = false;
  if (i < text.size() && text[i] == '.') {
    end = digits_from(i + 1);
    fraction_digits = end > i + 1;
    i = end;
  }
  if (!integer_digits && !fraction_digits) return NumberParse::NotANumber;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t exponent = i + 1;
    if (exponent < text.size() && (text[exponent] == '+' || text[exponent] == '-')) ++exponent;
    end = digits_from(exponent);
    if (end == exponent) return NumberParse::NotANumber;
    i = end;
  }
  if (i != text.size()) return NumberParse::NotANumber;
  // std::from_chars takes no leading '+'.
  const bool negative = mantissa_start > 0 && text[0] == '-';
  const char* begin = text.data() + mantissa_start;
  double magnitude = 0.0;
  const auto result = std::from_chars(begin, text.data() + text.size(), magnitude);
  if (result.ec == std::errc::result_out_of_range) return NumberParse::OutOfRange;
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return NumberParse::NotANumber;
  out = negative ? -magnitude : magnitude;
  return NumberParse::Ok;
}

// Shortest text that reads back as the same double (std::to_chars without a precision). Plain
// positional digits between 1e-5 and 1e16, as Python prints them, so a bound of 100000 reads
// "100000" rather than the shorter "1e+05"; exponent form outside that span.
inline std::string shortest_real(double value) {
  char buffer[400];
  const double magnitude = std::fabs(value);
  const bool positional = magnitude == 0.0 || (magnitude >= 1e-5 && magnitude < 1e16);
  const auto result = positional ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
                                 : std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// A real as YAML writes it: shortest round-trip digits, with ".0" added where the digits alone
// would read as an integer, and the core schema's spelling of the non-finite values.
inline std::string format_yaml_real(double value) {
  if (std::isnan(value)) return ".nan";
  if (std::isinf(value)) return value > 0 ? ".inf" : "-.inf";
  std::string text = shortest_real(value);
  if (text.find_first_not_of("-0123456789") == std::string::npos) text += ".0";
  return text;
}

// True when `text` can be written as a plain YAML scalar and read back as the same string.
inline bool is_plain_safe(std::string_view text) {
  if (text.empty() || is_reserved_word(text)) return false;
  const auto first = static_cast<unsigned char>(text.front());
  if (!std::isalpha(first) && first != '_') return false;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (!std::isalnum(byte) && c != '_' && c != '-' && c != '.' && c != '/') return false;
  }
  return true;
}

// Double-quoted YAML string; every byte that is not printable ASCII or UTF-8 is escaped.
inline std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(byte));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

inline std::string format_yaml_string(std::string_view text) {
  return is_plain_safe(text) ? std::string(text) : double_quoted(text);
}

// A range bound as people write it ("0", "0.5", "100000"); bounds at the limits of the type
// mean "unbounded" and are left out of messages.
inline bool is_unbounded(double bound, ParamType type) {
  if (type == ParamType::Integer) return std::fabs(bound) >= 9.2e18;  // ~ the int64 limits
  return !std::isfinite(bound) || std::fabs(bound) >= std::numeric_limits<double>::max();
}

inline std::string bound_text(double bound, ParamType type) {
  if (type == ParamType::Integer) return std::to_string(static_cast<std::int64_t>(bound));
  return shortest_real(bound);
}

// "[0, 1]", ">= 1", "<= 5" or "" for the numeric types.
inline std::string range_text(const ParamSpec& spec) {
  const bool has_minimum = !is_unbounded(spec.minimum, spec.type);
  const bool has_maximum = !is_unbounded(spec.maximum, spec.type);
  // Built by appending: "literal" + std::string trips a GCC 12 -Wrestrict false positive.
  std::string text;
  if (has_minimum && has_maximum) {
    text.append("[").append(bound_text(spec.minimum, spec.type)).append(", ");
    text.append(bound_text(spec.maximum, spec.type)).append("]");
  } else if (has_minimum) {
    text.append(">= ").append(bound_text(spec.minimum, spec.type));
  } else if (has_maximum) {
    text.append("<= ").append(bound_text(spec.maximum, spec.type));
  }
  return text;
}

inline std::string join(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += separator;
    out += words[i];
  }
  return out;
}

// What a parameter accepts, for "expected ..., found ..." messages.
inline std::string expected_text(const ParamSpec& spec) {
  const std::string range = range_text(spec);
  const auto with_range = [&](std::string what) {
    if (range.empty()) return what;
    return what + (range.front() == '[' ? " in " : " ") + range;
  };
  switch (spec.type) {
    case ParamType::Boolean: return "true or false";
    case ParamType::Integer: return with_range("an integer");
    case ParamType::Real: return with_range("a real number");
    case ParamType::Choice: return "one of [" + join(spec.choices, ", ") + "]";
    case ParamType::RealList: return with_range("a list of real numbers");
  }
  return "a value";
}

}  // namespace coordsim::sim::detail
