"""coordsim.Scenario: loading, dotted-path get/set with the command line's rules and messages."""
import copy
import pickle

import numpy as np
import pytest

import coordsim


def test_default_is_the_embedded_county_scenario(scenarios_dir):
    default = coordsim.Scenario.default()
    from_file = coordsim.Scenario.load(scenarios_dir / "county.yaml")
    assert default.model == "society"
    assert default.variants[0] == "baseline"
    assert default.variants == from_file.variants
    assert default.parameters == from_file.parameters
    assert default == coordsim.Scenario.from_yaml(default.to_yaml())


def test_get_values_by_dotted_path(small_scenario):
    sc = small_scenario
    assert sc["lead.rank"] == pytest.approx(0.35)
    assert sc["parameters.lead.rank"] == sc["lead.rank"]
    assert sc["departments.count"] == 20 and isinstance(sc["departments.count"], int)
    assert sc["lead.leading_group"] is False
    assert sc["assessment.regime"] == "outcome_only"
    assert sc["run.steps"] == 40 and sc["run.replications"] == 3 and sc["run.seed"] == 11
    assert sc["output.agents"] is True and sc["output.agent_every"] == 4
    assert sc["run"] == {"steps": 40, "seed": 11, "replications": 3}
    assert sc["lead"]["rank"] == pytest.approx(0.35)  # a block as a dict
    assert sc["variants.high_rank_lead"] == {"lead.rank": 0.9}
    assert sc["variants.high_rank_lead.lead.rank"] == pytest.approx(0.9)
    assert sc["variants.baseline.lead.rank"] == pytest.approx(0.35)
    assert sc.variants == ["baseline", "high_rank_lead", "cooperation"]
    assert sc.overrides == {"baseline": {}, "high_rank_lead": {"lead.rank": 0.9},
                            "cooperation": {"assessment.regime": "cooperation_degree"}}
    assert sc.parameters["tasks.count"] == 3
    assert set(sc.keys()) == set(sc.parameters)
    assert "lead.rank" in sc and "lead.rnak" not in sc
    assert sc.source == "small.yaml" and sc.description == "small test world"


def test_unknown_key_is_a_key_error_with_a_suggestion(small_scenario):
    with pytest.raises(KeyError, match="did you mean 'lead.rank'"):
        small_scenario["lead.rnak"]
    with pytest.raises(KeyError, match="unknown variant"):
        small_scenario["variants.nope.lead.rank"]


def test_set_values_like_the_command_line(small_scenario):
    sc = small_scenario
    sc["lead.rank"] = 0.5
    assert sc["lead.rank"] == 0.5
    # A base change reaches every variant that does not override it.
    assert sc["variants.baseline.lead.rank"] == 0.5
    assert sc["variants.high_rank_lead.lead.rank"] == pytest.approx(0.9)
    sc["run.steps"] = 50
    sc["run.seed"] = 2**64 - 1
    sc["output.agents"] = False
    sc["assessment.regime"] = "joint"
    sc["lead.leading_group"] = np.bool_(True)
    sc["departments.count"] = np.int64(30)
    sc["lead.chase_decay"] = np.float32(0.5)
    sc["variants.high_rank_lead.lead.rank"] = 0.8
    sc["lead.trust_initial"] = 1  # an int is a valid real
    assert (sc["run.steps"], sc["run.seed"], sc["output.agents"]) == (50, 2**64 - 1, False)
    assert sc["assessment.regime"] == "joint" and sc["lead.leading_group"] is True
    assert sc["departments.count"] == 30 and sc["lead.chase_decay"] == 0.5
    assert sc["variants.high_rank_lead.lead.rank"] == pytest.approx(0.8)
    assert sc["lead.trust_initial"] == 1.0 and isinstance(sc["lead.trust_initial"], float)
    sc.validate()
    again = coordsim.Scenario.from_yaml(sc.to_yaml())
    assert again == sc and again.parameters == sc.parameters and again.overrides == sc.overrides


@pytest.mark.parametrize("key, value, expected", [
    ("lead.rank", 2.0, "<command line>: lead.rank: expected a real number in [0, 1], found 2"),
    ("lead.rank", "0.9", 'lead.rank: expected a real number in [0, 1], found the string "0.9"'),
    ("lead.rnak", 0.5, "lead.rnak: unknown parameter of model 'governance'; did you mean 'lead.rank'?"),
    ("run.steps", 0, "run.steps: expected an integer in [1, 1000000000], found 0"),
    ("run.seed", -1, "run.seed: expected an integer"),
    ("departments.count", 2.5, "departments.count: expected an integer"),
    ("assessment.regime", "joint2", "did you mean 'joint'?"),
    ("lead.leading_group", 1, "lead.leading_group: expected"),
    ("lead.rank", float("nan"), "lead.rank: expected a real number"),
    ("variants.nope.lead.rank", 0.5, "unknown variant"),
])
def test_invalid_values_raise_scenario_error_and_change_nothing(small_scenario, key, value, expected):
    before = small_scenario.to_yaml()
    with pytest.raises(coordsim.ScenarioError) as caught:
        small_scenario[key] = value
    error = caught.value
    assert expected in str(error)
    assert str(error).startswith("<command line>: ")
    assert isinstance(error, ValueError)
    assert error.file == "<command line>" and error.line is None and error.column is None
    assert error.key == key
    assert error.problem and error.problem in str(error)
    assert small_scenario.to_yaml() == before


@pytest.mark.parametrize("key, value, text", [("lead.rank", 2, "2"), ("lead.rnak", 0.5, "0.5"),
                                              ("assessment.regime", "joint2", "joint2")])
def test_message_is_the_command_lines(run_cli, scenarios_dir, key, value, text):
    """Same text as `coordsim validate --set key=value` prints after 'error: '."""
    path = scenarios_dir / "governance" / "county.yaml"
    result = run_cli("validate", path, "--set", f"{key}={text}")
    assert result.returncode == 2
    sc = coordsim.Scenario.load(path)
    with pytest.raises(coordsim.ScenarioError) as caught:
        sc[key] = value
    assert result.stderr.strip() == f"error: {caught.value}"


def test_file_errors_name_file_line_and_column(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("model: governance\nparameters:\n  lead:\n    rnak: 0.9\n")
    with pytest.raises(coordsim.ScenarioError) as caught:
        coordsim.Scenario.load(path)
    error = caught.value
    assert str(error).startswith(f"{path}:4:5: parameters.lead.rnak: unknown parameter")
    assert "did you mean 'rank'?" in str(error)
    assert (error.file, error.line, error.column, error.key) == (str(path), 4, 5, "parameters.lead.rnak")

    with pytest.raises(coordsim.ScenarioError, match=r"^text\.yaml:3:14: parameters\.lead\.rank: expected a real"):
        coordsim.Scenario.from_yaml("model: governance\nparameters:\n  lead.rank: high\n", "text.yaml")
    with pytest.raises(coordsim.ScenarioError, match="no such file"):
        coordsim.Scenario.load(tmp_path / "missing.yaml")


def test_wrong_python_types_are_type_errors(small_scenario):
    with pytest.raises(TypeError, match="cannot set 'lead.rank'"):
        small_scenario["lead.rank"] = object()
    with pytest.raises(coordsim.ScenarioError, match="cannot contain '='"):
        small_scenario["lead.rank=0.1"] = 0.2


def test_update_is_all_or_nothing(small_scenario):
    with pytest.raises(coordsim.ScenarioError, match="lead.rank"):
        small_scenario.update({"run.steps": 10, "lead.rank": 7.0})
    assert small_scenario["run.steps"] == 40
    small_scenario.update({"run.steps": 10, "lead.rank": 0.7})
    assert (small_scenario["run.steps"], small_scenario["lead.rank"]) == (10, 0.7)


def test_copies_are_independent_and_pickle_round_trips(small_scenario):
    for other in (small_scenario.copy(), copy.copy(small_scenario), copy.deepcopy(small_scenario),
                  pickle.loads(pickle.dumps(small_scenario))):
        assert other == small_scenario
        other["lead.rank"] = 0.99
        assert small_scenario["lead.rank"] == pytest.approx(0.35)


def test_variant_parameters_and_schema(small_scenario):
    resolved = small_scenario.variant_parameters("high_rank_lead")
    assert resolved["lead.rank"] == pytest.approx(0.9) and resolved["departments.count"] == 20
    params = coordsim.params("governance")
    for name in ("lead.rank", "assessment.regime", "departments.count"):
        assert name in params.index
    assert params.loc["lead.rank", "type"] == "real"
    assert "cooperation_degree" in params.loc["assessment.regime", "choices"]
    assert "governance" in coordsim.models()
    with pytest.raises(ValueError, match="unknown model"):
        coordsim.params("nope")


def test_params_without_a_model_describe_the_default_scenarios_model():
    # The bindings name no model: the default comes from the registry's default scenario.
    default_model = coordsim.Scenario.default().model
    assert coordsim.parameter_specs() == coordsim.parameter_specs(default_model)
    assert coordsim.params().equals(coordsim.params(default_model))
