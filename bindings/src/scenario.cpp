// Scenarios from Python: load, read and change values by dotted path, validate, write back.
// Every change goes through sim::apply_override with the value written as YAML, so Python gets
// exactly the command line's rules and messages (`--set key.path=value`), and a rejected change
// leaves the scenario as it was. User errors raise coordsim.ScenarioError (a ValueError) with the
// engine's "file:line:column: key: problem" text and the parts as attributes.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "coordsim/sim/error.hpp"
#include "coordsim/sim/param.hpp"
#include "coordsim/sim/scenario.hpp"

namespace coordsim::bindings {
namespace {

constexpr const char* kCommandLine = "<command line>";

// The Python class coordsim.ScenarioError. Created once per process and deliberately never
// released: the translator below may run until the interpreter is gone.
PyObject* scenario_error_type = nullptr;

void register_scenario_error(py::module_& module) {
  scenario_error_type = PyErr_NewExceptionWithDoc(
      "coordsim._core.ScenarioError",
      "Invalid scenario, value or override. The message is the command line's\n"
      "'FILE:LINE:COLUMN: KEY.PATH: PROBLEM'; the parts are the attributes file, line, column\n"
      "(None when unknown), key and problem.",
      PyExc_ValueError, nullptr);
  if (scenario_error_type == nullptr) throw py::error_already_set();
  py::handle type(scenario_error_type);
  for (const char* name : {"file", "line", "column", "key", "problem"}) type.attr(name) = py::none();
  module.add_object("ScenarioError", type);

  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const sim::ScenarioError& error) {
      const auto& where = error.where();
      py::object instance = py::reinterpret_borrow<py::object>(scenario_error_type)(error.what());
      instance.attr("file") = where.file;
      instance.attr("line") = where.line > 0 ? py::object(py::int_(where.line)) : py::object(py::none());
      instance.attr("column") = where.column > 0 ? py::object(py::int_(where.column)) : py::object(py::none());
      instance.attr("key") = error.key_path();
      instance.attr("problem") = error.problem();
      PyErr_SetObject(scenario_error_type, instance.ptr());
    }
  });
}

[[noreturn]] void fail(const std::string& key, const std::string& problem) {
  throw sim::ScenarioError(sim::SourceLocation{kCommandLine, 0, 0}, key, problem);
}

// ---------------------------------------------------------------------------------------------
// Python values as YAML text for apply_override. Types are kept: a Python str is always a YAML
// string (quoted unless plain text reads as a string anyway), so sc["lead.rank"] = "0.9" is
// refused like a quoted "0.9" in a file would be.

std::string yaml_double_quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(byte));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Text that every YAML reader takes as a string when written plain: written plain, so messages
// match the command line's ("found \"joint2\"" rather than "found the string \"joint2\"").
bool is_plain_string(const std::string& text) {
  if (text.empty()) return false;
  const auto first = static_cast<unsigned char>(text.front());
  if (!std::isalpha(first) && first != '_') return false;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (!std::isalnum(byte) && c != '_' && c != '-' && c != '.') return false;
  }
  static const char* const kReserved[] = {"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
                                          "yes",  "Yes",  "YES",  "no",   "No",   "NO",   "on",    "On",    "ON",
                                          "off",  "Off",  "OFF",  "y",    "Y",    "n",    "N"};
  for (const char* word : kReserved)
    if (text == word) return false;
  return true;
}

std::string yaml_real(double value) {
  if (std::isnan(value)) return ".nan";
  if (std::isinf(value)) return value > 0 ? ".inf" : "-.inf";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest round trip
  std::string text(buffer, result.ptr);
  // "1e+20" is a YAML 1.2 float; "3" would read back as an integer, which a Real accepts too.
  return text;
}

bool is_numpy_bool(py::handle value) {
  const auto type = py::type::handle_of(value);
  return py::str(type.attr("__module__")).cast<std::string>() == "numpy" &&
         py::str(type.attr("__name__")).cast<std::string>() == "bool_";
}

std::string yaml_value(py::handle value, const std::string& key, int depth = 0) {
  if (depth > 8) fail(key, "value nested too deeply");
  PyObject* object = value.ptr();
  if (PyBool_Check(object) || is_numpy_bool(value)) return PyObject_IsTrue(object) ? "true" : "false";
  if (PyUnicode_Check(object)) {
    const auto text = value.cast<std::string>();
    return is_plain_string(text) ? text : yaml_double_quoted(text);
  }
  if (PyFloat_Check(object)) return yaml_real(value.cast<double>());
  if (PyIndex_Check(object)) return py::str(py::reinterpret_steal<py::object>(PyNumber_Index(object)));
  if (py::hasattr(value, "__float__") && !PySequence_Check(object)) return yaml_real(value.cast<double>());
  if (PyDict_Check(object)) {
    std::string out = "{";
    for (const auto& [item_key, item_value] : py::reinterpret_borrow<py::dict>(value)) {
      if (!PyUnicode_Check(item_key.ptr())) throw py::type_error("mapping keys must be str, found " + std::string(py::repr(item_key)));
      out += (out.size() > 1 ? ", " : "") + yaml_double_quoted(item_key.cast<std::string>()) + ": " +
             yaml_value(item_value, key, depth + 1);
    }
    return out + "}";
  }
  if (PySequence_Check(object) && !PyBytes_Check(object)) {
    std::string out = "[";
    const auto sequence = py::reinterpret_borrow<py::sequence>(value);
    for (std::size_t i = 0; i < sequence.size(); ++i)
      out += (i > 0 ? ", " : "") + yaml_value(sequence[i], key, depth + 1);
    return out + "]";
  }
  throw py::type_error("cannot set '" + key + "' to a value of type " +
                       py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>() +
                       "; expected bool, int, float, str, or a list of them");
}

// ---------------------------------------------------------------------------------------------
// Reading values back by dotted path.

const sim::Model& model_of(const sim::Scenario& scenario) {
  const sim::Model* model = registry().find(scenario.model);
  if (model == nullptr) fail("model", "unknown model '" + scenario.model + "'");
  return *model;
}

py::object python_value(const sim::ParamValue& value) { return py::cast(value); }

py::dict parameter_dict(const sim::ParamSet& parameters, const std::string& block = "") {
  py::dict out;
  const std::string prefix = block.empty() ? "" : block + ".";
  for (const auto& [path, value] : parameters.values())
    if (prefix.empty() || path.compare(0, prefix.size(), prefix) == 0)
      out[py::str(path.substr(prefix.size()))] = python_value(value);
  return out;
}

py::dict run_dict(const sim::Scenario& scenario) {
  py::dict out;
  out["steps"] = scenario.run.steps;
  out["seed"] = scenario.run.seed;
  out["replications"] = scenario.run.replications;
  return out;
}

py::dict output_dict(const sim::Scenario& scenario) {
  py::dict out;
  out["agents"] = scenario.output.agents;
  out["agent_every"] = scenario.output.agent_every;
  return out;
}

py::dict overrides_of(const sim::Variant& variant) {
  py::dict out;
  for (const auto& path : variant.overridden) out[py::str(path)] = python_value(variant.parameters.value(path));
  return out;
}

[[noreturn]] void missing_key(const std::string& key, const std::string& detail) {
  throw py::key_error(key + ": " + detail);
}

// A parameter or a block of them in `parameters`; `shown` is the key as the user wrote it.
py::object parameter_or_block(const sim::Scenario& scenario, const sim::ParamSet& parameters,
                              const std::string& path, const std::string& shown) {
  const auto& schema = model_of(scenario).schema();
  if (schema.find(path) != nullptr) return python_value(parameters.value(path));
  if (schema.is_block(path)) return parameter_dict(parameters, path);
  std::string detail = "unknown parameter of model '" + scenario.model + "'";
  if (const auto guess = schema.suggest(path)) detail += "; did you mean '" + *guess + "'?";
  missing_key(shown, detail);
}

py::object get_value(const sim::Scenario& scenario, const std::string& key) {
  const auto starts = [&](const std::string& prefix) { return key.compare(0, prefix.size(), prefix) == 0; };
  if (key == "model") return py::str(scenario.model);
  if (key == "description") return py::str(scenario.description);
  if (key == "run") return run_dict(scenario);
  if (key == "output") return output_dict(scenario);
  if (starts("run.") || starts("output.")) {
    const py::dict block = starts("run.") ? run_dict(scenario) : output_dict(scenario);
    const std::string name = key.substr(key.find('.') + 1);
    if (block.contains(name)) return block[py::str(name)];
    missing_key(key, "unknown setting");
  }
  if (key == "parameters") return parameter_dict(scenario.base);
  if (starts("parameters.")) return parameter_or_block(scenario, scenario.base, key.substr(11), key);
  if (key == "variants") {
    py::dict out;
    for (const auto& variant : scenario.variants) out[py::str(variant.name)] = overrides_of(variant);
    return out;
  }
  if (starts("variants.")) {
    const std::string rest = key.substr(9);
    const std::string name = rest.substr(0, rest.find('.'));
    for (const auto& variant : scenario.variants) {
      if (variant.name != name) continue;
      if (rest.size() == name.size()) return overrides_of(variant);
      return parameter_or_block(scenario, variant.parameters, rest.substr(name.size() + 1), key);
    }
    missing_key(key, "unknown variant '" + name + "'");
  }
  return parameter_or_block(scenario, scenario.base, key, key);
}

}  // namespace

void set_by_path(sim::Scenario& scenario, const std::string& key, py::handle value) {
  if (key.find('=') != std::string::npos || key.find('\n') != std::string::npos)
    fail(key, "a key path cannot contain '=' or a line break");
  const std::string assignment = key + "=" + yaml_value(value, key);
  sim::apply_override(scenario, assignment, registry());
}

namespace {

std::string describe(const sim::Scenario& scenario) {
  return "<coordsim.Scenario " + scenario.source + ": model '" + scenario.model + "', " +
         std::to_string(scenario.variants.size()) + " variant(s), " + std::to_string(scenario.run.replications) +
         " replication(s) x " + std::to_string(scenario.run.steps) + " steps>";
}

py::list parameter_specs(const std::optional<std::string>& requested) {
  const std::string model_name = requested ? *requested : registry().default_model();
  const sim::Model* model = registry().find(model_name);
  if (model == nullptr) {
    std::string known;
    for (const auto& name : registry().names()) known += (known.empty() ? "" : ", ") + name;
    throw py::value_error("unknown model '" + model_name + "'; available: " + known);
  }
  py::list out;
  for (const auto& spec : model->schema().specs()) {
    py::dict row;
    row["path"] = spec.path;
    row["type"] = sim::to_string(spec.type);
    row["default"] = python_value(spec.default_value);
    row["unit"] = spec.unit;
    const bool ranged = spec.type == sim::ParamType::Integer || spec.type == sim::ParamType::Real ||
                        spec.type == sim::ParamType::RealList;
    row["minimum"] = ranged ? py::object(py::float_(spec.minimum)) : py::object(py::none());
    row["maximum"] = ranged ? py::object(py::float_(spec.maximum)) : py::object(py::none());
    row["choices"] = spec.choices;
    row["description"] = spec.description;
    out.append(row);
  }
  return out;
}

}  // namespace

void register_scenario(py::module_& module) {
  register_scenario_error(module);

  py::class_<sim::Scenario>(module, "Scenario", R"doc(
A validated scenario: model, run and output settings, parameters, variants.

Values are read and changed by dotted path, with the command line's rules and messages
(``coordsim run --set key.path=value``)::

    sc = coordsim.Scenario.default()
    sc["lead.rank"]                 # a parameter (base value)
    sc["lead.rank"] = 0.9           # base and every variant that does not override it
    sc["run.steps"] = 50            # run.steps, run.seed, run.replications
    sc["output.agents"] = False     # output.agents, output.agent_every
    sc["variants.high_rank_lead.lead.rank"] = 0.8

Values keep their Python type: a str is a YAML string, so ``sc["lead.rank"] = "0.9"`` is
refused. An invalid value raises ScenarioError and leaves the scenario unchanged.
)doc")
      .def_static("load", [](const py::object& path) {
            const std::string text = py::str(py::module_::import("os").attr("fspath")(path));
            return sim::load_scenario(text, registry());
          }, py::arg("path"), "Read and validate a scenario file (YAML).")
      .def_static("default", [] {
            return sim::parse_scenario(registry().default_scenario_text(), registry().default_scenario_name(),
                                       registry());
          }, "The embedded default scenario of the registered models, as `coordsim run` uses it.")
      .def_static("from_yaml", [](const std::string& text, const std::string& source) {
            return sim::parse_scenario(text, source, registry());
          }, py::arg("text"), py::arg("source") = "<string>",
          "Parse scenario text; `source` names it in error messages.")
      .def("__getitem__", &get_value, py::arg("key"),
           "Value at a dotted path: a parameter ('lead.rank' or 'parameters.lead.rank'), a block of\n"
           "them ('lead' -> dict), 'run.steps', 'output.agents', 'variants.NAME' (its overrides) or\n"
           "'variants.NAME.lead.rank' (the variant's resolved value). Unknown keys raise KeyError.")
      .def("__setitem__", &set_by_path, py::arg("key"), py::arg("value"),
           "Set a value by dotted path, validated like `--set key.path=value`.")
      .def("__contains__", [](const sim::Scenario& scenario, const std::string& key) {
            try {
              get_value(scenario, key);
              return true;
            } catch (const py::key_error&) {
              return false;
            }
          }, py::arg("key"))
      .def("keys", [](const sim::Scenario& scenario) {
            std::vector<std::string> keys;
            for (const auto& [path, value] : scenario.base.values()) keys.push_back(path);
            return keys;
          }, "Dotted paths of every parameter of the model.")
      .def("update", [](sim::Scenario& scenario, const py::dict& values) {
            // All or nothing: a rejected value leaves the scenario as it was.
            sim::Scenario updated = scenario;
            for (const auto& [key, value] : values) set_by_path(updated, py::str(key), value);
            scenario = std::move(updated);
          }, py::arg("values"), "Set several values (dotted path -> value); all or nothing.")
      .def_property_readonly("model", [](const sim::Scenario& s) { return s.model; }, "Model name.")
      .def_property_readonly("description", [](const sim::Scenario& s) { return s.description; })
      .def_property_readonly("source", [](const sim::Scenario& s) { return s.source; },
                             "File path, '<default>'-like name or the `source` given to from_yaml.")
      .def_property_readonly("variants", [](const sim::Scenario& s) {
            std::vector<std::string> names;
            for (const auto& variant : s.variants) names.push_back(variant.name);
            return names;
          }, "Variant names in order; the first is the baseline of comparisons.")
      .def_property_readonly("parameters", [](const sim::Scenario& s) { return parameter_dict(s.base); },
                             "Base values of every parameter: {dotted path: value} (a copy).")
      .def_property_readonly("overrides", [](const sim::Scenario& s) {
            py::dict out;
            for (const auto& variant : s.variants) out[py::str(variant.name)] = overrides_of(variant);
            return out;
          }, "What each variant changes: {variant: {dotted path: value}}.")
      .def("variant_parameters", [](const sim::Scenario& s, const std::string& name) {
            for (const auto& variant : s.variants)
              if (variant.name == name) return parameter_dict(variant.parameters);
            throw py::key_error("unknown variant '" + name + "'");
          }, py::arg("name"), "Every parameter of one variant, overrides applied.")
      .def("validate", [](const sim::Scenario& s) {
            // Reading the resolved text again runs every check of a scenario file.
            (void)sim::parse_scenario(s.resolved_yaml(), s.source, registry());
          }, "Check the whole scenario again (schema and the model's cross-parameter checks);\n"
             "raises ScenarioError.")
      .def("to_yaml", &sim::Scenario::resolved_yaml,
           "The fully resolved scenario as YAML; Scenario.from_yaml of it gives the same runs.")
      .def("copy", [](const sim::Scenario& s) { return s; }, "An independent copy.")
      .def("__copy__", [](const sim::Scenario& s) { return s; })
      .def("__deepcopy__", [](const sim::Scenario& s, const py::object&) { return s; }, py::arg("memo"))
      .def("__eq__", [](const sim::Scenario& a, const sim::Scenario& b) {
            return a.resolved_yaml() == b.resolved_yaml();
          }, py::is_operator())
      .def("__repr__", &describe)
      .def(py::pickle([](const sim::Scenario& s) { return py::make_tuple(s.source, s.resolved_yaml()); },
                      [](const py::tuple& state) {
                        return sim::parse_scenario(state[1].cast<std::string>(), state[0].cast<std::string>(),
                                                   registry());
                      }));

  module.def("models", [] { return registry().names(); }, "Names of the registered models.");
  module.def("parameter_specs", &parameter_specs, py::arg("model") = py::none(),
             "Every parameter of a model as dicts: path, type, default, unit, minimum, maximum,\n"
             "choices, description (what `coordsim params MODEL` prints). Without a model: the\n"
             "model of the default scenario.");
}

}  // namespace coordsim::bindings
