#pragma once
// Typed slots for mechanisms that bring their own parameters or state. A model's parameter struct
// and world state each hold one Extensions; a mechanism added without editing those structs keeps
// its own struct here, found by type (one lookup per phase step, never per agent). Copies are deep,
// so worlds copied from a template (the members of an ensemble) never share a mechanism's state.
#include <atomic>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace coordsim::sim {

class Extensions {
 public:
  Extensions() = default;
  Extensions(const Extensions& other) { copy_from(other); }
  Extensions& operator=(const Extensions& other) {
    if (this != &other) {
      slots_.clear();
      copy_from(other);
    }
    return *this;
  }
  Extensions(Extensions&&) noexcept = default;
  Extensions& operator=(Extensions&&) noexcept = default;

  // The slot of type T, created (value-initialised) on first use.
  template <class T>
  T& get() {
    const std::size_t id = slot_id<T>();
    if (slots_.size() <= id) slots_.resize(id + 1);
    if (!slots_[id]) slots_[id] = std::make_unique<Holder<T>>();
    return static_cast<Holder<T>*>(slots_[id].get())->value;
  }
  // The slot of type T; it must exist.
  template <class T>
  const T& get() const {
    return static_cast<const Holder<T>*>(slots_.at(slot_id<T>()).get())->value;
  }
  template <class T>
  bool has() const noexcept {
    const std::size_t id = slot_id<T>();
    return id < slots_.size() && slots_[id] != nullptr;
  }

 private:
  struct Slot {
    virtual ~Slot() = default;
    virtual std::unique_ptr<Slot> clone() const = 0;
  };
  template <class T>
  struct Holder final : Slot {
    T value{};
    std::unique_ptr<Slot> clone() const override { return std::make_unique<Holder>(*this); }
  };
  static std::size_t next_id() noexcept {
    static std::atomic<std::size_t> count{0};
    return count.fetch_add(1);
  }
  template <class T>
  static std::size_t slot_id() noexcept {
    static const std::size_t id = next_id();
    return id;
  }
  void copy_from(const Extensions& other) {
    slots_.resize(other.slots_.size());
    for (std::size_t i = 0; i < other.slots_.size(); ++i)
      if (other.slots_[i]) slots_[i] = other.slots_[i]->clone();
  }
  std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace coordsim::sim
