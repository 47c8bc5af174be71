#include <algorithm>
#include <stdexcept>

#include "coordsim/sim/model.hpp"
#include "coordsim/sim/scenario.hpp"

namespace coordsim::sim {

void ModelRegistry::add(std::unique_ptr<Model> model) {
  if (!model) throw std::invalid_argument("ModelRegistry::add: null model");
  if (find(model->name()) != nullptr)
    throw std::invalid_argument("ModelRegistry::add: model '" + std::string(model->name()) + "' registered twice");
  models_.push_back(std::move(model));
}

const Model* ModelRegistry::find(std::string_view name) const {
  const auto it = std::find_if(models_.begin(), models_.end(), [&](const auto& m) { return m->name() == name; });
  return it == models_.end() ? nullptr : it->get();
}

std::vector<std::string> ModelRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& m : models_) out.emplace_back(m->name());
  return out;
}

void ModelRegistry::set_default_scenario(std::string name, std::string yaml_text) {
  default_name_ = std::move(name);
  default_text_ = std::move(yaml_text);
}

std::string ModelRegistry::default_model() const {
  if (!default_text_.empty()) return parse_scenario(default_text_, default_name_, *this).model;
  return models_.empty() ? std::string() : std::string(models_.front()->name());
}

}  // namespace coordsim::sim
