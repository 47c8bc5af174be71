#pragma once
// Scenario files: YAML naming a model, its parameters, run settings and the variants
// (named sets of overrides, one per mechanism) to compare. Parsing validates everything
// against the model's schema and throws ScenarioError with file, line, column and key path.
//
//   model: NAME                                      # a registered model
//   extends: FILE                                    # optional: start from another scenario
//   description: one line
//   run:       { steps: 250, seed: 1, replications: 20 }
//   output:    { agents: true, agent_every: 1 }
//   parameters: { <block>: { <name>: value } }        # nested or dotted keys
//   variants:  { baseline: {}, other: { <block>.<name>: value } }
//   labels:    { variants: { other: "text" }, outcomes: { <outcome>: "text" } }   # optional
//
// extends: names a scenario file (relative to this file; 'default' for the registry's default
// scenario) whose model, description, run and output settings, parameters, variants and labels this
// file starts from; its own keys change them (run and output key by key, parameters one by one).
// Without variants of its own the file keeps the parent's, each with its overrides applied to this
// file's parameters; with variants, only its own. 'model:' may be left out; if given it must match.
#include <cstdint>
#include <string>
#include <vector>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/param.hpp"

namespace coordsim::sim {

class ModelRegistry;

struct RunSettings {
  std::int64_t steps = 250;
  std::uint64_t seed = 1;
  std::int64_t replications = 10;
};

struct OutputSettings {
  bool agents = true;            // write per-agent outcomes under /agents
  std::int64_t agent_every = 1;  // keep every k-th step of per-agent outcomes
};

struct Variant {
  std::string name;
  ParamSet parameters;  // base parameters with this variant's overrides applied
  std::vector<std::string> overridden;  // dotted paths this variant changes
};

// A readable name for a variant or an outcome, shown by reports and the explorer.
struct Label {
  std::string name;  // variant or outcome (series, summary or per-agent variable) name
  std::string text;
};

struct Labels {
  std::vector<Label> variants;  // file order
  std::vector<Label> outcomes;
};

struct Scenario {
  std::string source;  // file path or "<default>"
  std::string model;
  std::string description;
  RunSettings run;
  OutputSettings output;
  ParamSet base;                  // resolved parameters before variant overrides
  std::vector<Variant> variants;  // never empty: "baseline" when the file lists none
  Labels labels;                  // optional readable names; every name is checked

  // Canonical YAML of the fully resolved scenario (every parameter, every variant's
  // overrides, run and output settings). Parsing it again yields the same scenario.
  std::string resolved_yaml() const;
};

// Parse scenario text. `source` names it in error messages.
Scenario parse_scenario(const std::string& text, const std::string& source,
                        const ModelRegistry& registry);
// Read and parse a file; missing, unreadable, empty and binary files are ScenarioErrors.
Scenario load_scenario(const std::string& path, const ModelRegistry& registry);

// Apply a command-line override "key.path=value" (value in YAML syntax). Keys under
// run., output. and parameters (with or without the "parameters." prefix) are accepted;
// a parameter override applies to the base and to every variant that does not set it.
void apply_override(Scenario& scenario, const std::string& assignment,
                    const ModelRegistry& registry);

}  // namespace coordsim::sim
