#pragma once
// A thin RAII layer over the HDF5 C API, internal to the engine. Every HDF5 identifier is owned by
// a move-only Handle that remembers which H5?close releases it, so no early return or exception
// can leak an open object (a leaked object keeps the file open and blocks rename/remove).
// Failed calls become OutputError with the caller's wording plus HDF5's most specific reason.
#include <hdf5.h>

#include <string>
#include <string_view>
#include <utility>

#include "coordsim/sim/error.hpp"

namespace coordsim::sim::hdf5 {

using CloseFunction = herr_t (*)(hid_t);

class Handle {
 public:
  Handle() noexcept = default;
  Handle(hid_t id, CloseFunction closer) noexcept : id_(id), close_(closer) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(other.close_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      close_ = other.close_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  [[nodiscard]] hid_t get() const noexcept { return id_; }
  [[nodiscard]] bool valid() const noexcept { return id_ >= 0; }

  // Closes now, reporting failure; used where a failed close means lost data (the file itself).
  herr_t close() noexcept {
    if (!valid()) return 0;
    return close_(std::exchange(id_, H5I_INVALID_HID));
  }
  // Closes now, ignoring failure; for destructors and unwinding.
  void reset() noexcept { static_cast<void>(close()); }

 private:
  hid_t id_ = H5I_INVALID_HID;
  CloseFunction close_ = nullptr;
};

// HDF5's most specific description of the last failure on this thread (the innermost entry of
// the error stack, which usually carries errno text such as "Permission denied"), then clears it.
inline std::string last_error_description() {
  std::string description;
  // Walking from the API call inwards, the last entry seen is the innermost one.
  const auto remember_innermost = [](unsigned, const H5E_error2_t* entry, void* out) -> herr_t {
    if (entry->desc != nullptr && entry->desc[0] != '\0') *static_cast<std::string*>(out) = entry->desc;
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, remember_innermost, &description);
  H5Eclear2(H5E_DEFAULT);
  if (description.empty()) return "unknown HDF5 error";
  // System-call failures read "..., errno = 13, error message = 'Permission denied', ...": the
  // quoted strerror text is what a user needs, the rest is noise (file descriptors, offsets).
  constexpr std::string_view marker = "error message = '";
  const auto begin = description.find(marker);
  if (begin == std::string::npos) return description;
  const auto text_begin = begin + marker.size();
  const auto end = description.find('\'', text_begin);
  if (end == std::string::npos) return description;
  return description.substr(text_begin, end - text_begin);
}

[[noreturn]] inline void fail(std::string_view what) {
  throw OutputError(std::string(what) + ": " + last_error_description());
}

// Throws OutputError when an HDF5 call that returns a status failed.
inline void check(herr_t status, std::string_view what) {
  if (status < 0) fail(what);
}

// Takes ownership of a freshly returned identifier, throwing OutputError when it is invalid.
inline Handle checked(hid_t id, CloseFunction close, std::string_view what) {
  if (id < 0) fail(what);
  return {id, close};
}

inline Handle file(hid_t id, std::string_view what) { return checked(id, H5Fclose, what); }
inline Handle group(hid_t id, std::string_view what) { return checked(id, H5Gclose, what); }
inline Handle dataset(hid_t id, std::string_view what) { return checked(id, H5Dclose, what); }
inline Handle dataspace(hid_t id, std::string_view what) { return checked(id, H5Sclose, what); }
inline Handle datatype(hid_t id, std::string_view what) { return checked(id, H5Tclose, what); }
inline Handle property_list(hid_t id, std::string_view what) { return checked(id, H5Pclose, what); }
inline Handle attribute(hid_t id, std::string_view what) { return checked(id, H5Aclose, what); }
inline Handle object(hid_t id, std::string_view what) { return checked(id, H5Oclose, what); }

// Turns off HDF5's automatic printing of its error stack to stderr for the current scope and
// thread (the library is built thread-safe, so the setting is per thread: every entry point
// that may run on a writer thread needs its own). Failures are reported through OutputError.
class QuietErrors {
 public:
  QuietErrors() noexcept {
    H5Eget_auto2(H5E_DEFAULT, &previous_function_, &previous_data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, previous_function_, previous_data_); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t previous_function_ = nullptr;
  void* previous_data_ = nullptr;
};

}  // namespace coordsim::sim::hdf5
