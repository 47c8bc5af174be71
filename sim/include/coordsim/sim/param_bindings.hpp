#pragma once
// Parameters declared once. A model keeps its parameters in a typed struct (`Root`) read once when a
// world is built, so that no string lookup happens while stepping. A binding ties a dotted path to a
// member of that struct together with the path's type, default, unit, range and description: the
// schema (validation and `coordsim params`) and the reading of a ParamSet into the struct are both
// derived from that one declaration, so a parameter can no longer be declared under one key and
// read under another.
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "coordsim/sim/param.hpp"

namespace coordsim::sim {

template <class Root>
class ParamBindings {
 public:
  using Reader = std::function<void(const ParamSet&, Root&)>;

  // The parameters of one block ("pools" for "pools.count") bound to the members of
  // the block's struct, itself a member of Root.
  template <class Block>
  class BlockBinder {
   public:
    BlockBinder(ParamBindings& owner, std::string prefix, std::function<Block&(Root&)> access)
        : owner_(owner), prefix_(std::move(prefix)), block_(std::move(access)) {}

    BlockBinder& real(std::string name, double Block::*member, double default_value, double minimum, double maximum,
                      std::string unit, std::string description) {
      const auto path = path_of(name);
      owner_.add([=](ParamSchema& s) { s.real(path, default_value, minimum, maximum, unit, description); },
                 [path, block = block_, member](const ParamSet& p, Root& r) { block(r).*member = p.real(path); });
      return *this;
    }
    BlockBinder& integer(std::string name, std::int64_t Block::*member, std::int64_t default_value,
                         std::int64_t minimum, std::int64_t maximum, std::string unit, std::string description) {
      const auto path = path_of(name);
      owner_.add([=](ParamSchema& s) { s.integer(path, default_value, minimum, maximum, unit, description); },
                 [path, block = block_, member](const ParamSet& p, Root& r) { block(r).*member = p.integer(path); });
      return *this;
    }
    BlockBinder& boolean(std::string name, bool Block::*member, bool default_value, std::string description) {
      const auto path = path_of(name);
      owner_.add([=](ParamSchema& s) { s.boolean(path, default_value, description); },
                 [path, block = block_, member](const ParamSet& p, Root& r) { block(r).*member = p.boolean(path); });
      return *this;
    }
    // A choice read into an enumeration: `options` pairs each accepted name with its value, in the
    // order `coordsim params` lists them.
    template <class Enum>
    BlockBinder& choice(std::string name, Enum Block::*member, std::string default_value,
                        std::vector<std::pair<std::string, Enum>> options, std::string description) {
      const auto path = path_of(name);
      std::vector<std::string> names;
      for (const auto& option : options) names.push_back(option.first);
      owner_.add([=](ParamSchema& s) { s.choice(path, default_value, names, description); },
                 [path, block = block_, member, options](const ParamSet& p, Root& r) {
                   const std::string& chosen = p.choice(path);
                   for (const auto& option : options)
                     if (option.first == chosen) {
                       block(r).*member = option.second;
                       return;
                     }
                   throw std::invalid_argument(path + ": unknown choice '" + chosen + "'");
                 });
      return *this;
    }
    BlockBinder& real_list(std::string name, std::vector<double> Block::*member, std::vector<double> default_value,
                           double minimum, double maximum, std::string unit, std::string description) {
      const auto path = path_of(name);
      owner_.add(
          [=](ParamSchema& s) { s.real_list(path, default_value, minimum, maximum, unit, description); },
          [path, block = block_, member](const ParamSet& p, Root& r) { block(r).*member = p.real_list(path); });
      return *this;
    }

   private:
    std::string path_of(const std::string& name) const { return prefix_ + "." + name; }
    ParamBindings& owner_;
    std::string prefix_;
    std::function<Block&(Root&)> block_;
  };

  template <class Block>
  BlockBinder<Block> block(std::string prefix, Block Root::*member) {
    return BlockBinder<Block>(*this, std::move(prefix), [member](Root& r) -> Block& { return r.*member; });
  }
  // A block kept in Root's sim::Extensions (extensions.hpp), for a mechanism whose parameters are
  // not a member of Root.
  template <class Block>
  BlockBinder<Block> extension(std::string prefix) {
    return BlockBinder<Block>(*this, std::move(prefix),
                              [](Root& r) -> Block& { return r.extensions.template get<Block>(); });
  }

  // A value derived from parameters already read (e.g. hours rescaled by a switch), applied after
  // every binding declared before it has been read.
  void derive(std::function<void(Root&)> rule) {
    declarations_.push_back(nullptr);
    readers_.push_back([rule = std::move(rule)](const ParamSet&, Root& r) { rule(r); });
  }

  void declare(ParamSchema& schema) const {
    for (const auto& declaration : declarations_)
      if (declaration) declaration(schema);
  }
  void read(const ParamSet& set, Root& root) const {
    for (const auto& reader : readers_) reader(set, root);
  }
  // Bindings and rules of `other`, after this one's.
  void append(const ParamBindings& other) {
    declarations_.insert(declarations_.end(), other.declarations_.begin(), other.declarations_.end());
    readers_.insert(readers_.end(), other.readers_.begin(), other.readers_.end());
  }

 private:
  void add(std::function<void(ParamSchema&)> declaration, Reader reader) {
    declarations_.push_back(std::move(declaration));
    readers_.push_back(std::move(reader));
  }
  std::vector<std::function<void(ParamSchema&)>> declarations_;
  std::vector<Reader> readers_;
};

}  // namespace coordsim::sim
