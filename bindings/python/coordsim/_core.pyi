"""Type stubs of the compiled module coordsim._core (bindings/src/*.cpp)."""
from __future__ import annotations

import os
from typing import Any, Callable, Dict, List, NotRequired, Optional, Sequence, TypedDict, Union

import numpy as np
import numpy.typing as npt

__version__: str
__commit__: str  # git commit of the build, or "unknown"
FORMAT_VERSION: int

ParamValue = Union[bool, int, float, str, List[float]]
SettableValue = Union[bool, int, float, str, Sequence[float], np.generic, Dict[str, Any]]

class ScenarioError(ValueError):
    """Invalid scenario, value or override: 'FILE:LINE:COLUMN: KEY.PATH: PROBLEM'."""

    file: Optional[str]
    """File path, '<command line>' for values set from Python, or the from_yaml source."""
    line: Optional[int]
    """1-based line, None when unknown (always None for values set from Python)."""
    column: Optional[int]
    key: Optional[str]
    """Dotted key path, e.g. 'lead.rank' or 'variants.high_rank_lead.lead.rank'."""
    problem: Optional[str]
    """What was expected and what was found."""

class OutputError(OSError):
    """A result file could not be written or read."""

class Scenario:
    """A validated scenario; values by dotted path, validated like ``--set key.path=value``."""

    @staticmethod
    def load(path: Union[str, os.PathLike[str]]) -> Scenario: ...
    @staticmethod
    def default() -> Scenario: ...
    @staticmethod
    def from_yaml(text: str, source: str = "<string>") -> Scenario: ...
    def __getitem__(self, key: str) -> Any: ...
    def __setitem__(self, key: str, value: SettableValue) -> None: ...
    def __contains__(self, key: str) -> bool: ...
    def keys(self) -> List[str]: ...
    def update(self, values: Dict[str, SettableValue]) -> None: ...
    @property
    def model(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def variants(self) -> List[str]: ...
    @property
    def parameters(self) -> Dict[str, ParamValue]: ...
    @property
    def overrides(self) -> Dict[str, Dict[str, ParamValue]]: ...
    def variant_parameters(self, name: str) -> Dict[str, ParamValue]: ...
    def validate(self) -> None: ...
    def to_yaml(self) -> str: ...
    def copy(self) -> Scenario: ...
    def __copy__(self) -> Scenario: ...
    def __deepcopy__(self, memo: Any) -> Scenario: ...
    def __eq__(self, other: object) -> bool: ...

class ParameterSpec(TypedDict):
    path: str
    type: str
    default: ParamValue
    unit: str
    minimum: Optional[float]
    maximum: Optional[float]
    choices: List[str]
    description: str

def models() -> List[str]: ...
def parameter_specs(model: Optional[str] = None) -> List[ParameterSpec]: ...

class VariableData(TypedDict):
    name: str
    units: str
    long_name: str
    data: npt.NDArray[np.float64]
    """Views of the engine's buffer: ``data.base`` is the owning PyCapsule."""

class SummaryData(VariableData):
    key: bool

class AgentKindData(TypedDict):
    kind: str
    count: int
    steps: List[int]
    variables: List[VariableData]

class RawRun(TypedDict):
    attrs: Dict[str, Any]
    variants: List[str]
    series: List[VariableData]
    summary: List[SummaryData]
    agents: List[AgentKindData]
    failures: List[str]
    output: Optional[str]
    profile: NotRequired[str]
    """With profile=True: the table of `coordsim run --profile`."""

def run(scenario: Scenario, *, seed: Optional[int] = None, replications: Optional[int] = None,
        steps: Optional[int] = None, threads: int = 0, agents: bool = False, agent_every: Optional[int] = None,
        output: Optional[str] = None, progress: Optional[Callable[[int, int], None]] = None,
        profile: bool = False) -> RawRun: ...
def describe(path: Union[str, os.PathLike[str]]) -> str: ...

class SweepInfo(TypedDict):
    model: str
    design: str
    """'grid', 'lhs' or 'saltelli'."""
    runs: int
    """Design points."""
    variants: int
    replications: int
    steps: int
    parameters: List[str]
    """Dotted paths of the varied parameters, in the sweep's order."""

class SweepOutcome(SweepInfo):
    output: str
    runs_in_scope: int
    resumed: int
    computed: int
    failed: int
    failures: List[str]
    """'run 12 (lead.rank=0.3): message', at most 20."""

def check_sweep(scenario: Scenario, text: str) -> SweepInfo:
    """Validate a sweep (sweep-file text without ``base``; ``scenario`` is the base) as ``coordsim sweep`` does."""
def sweep(scenario: Scenario, text: str, *, output: str, threads: int = 0, resume: bool = False,
          progress: Optional[Callable[[int, int], None]] = None) -> SweepOutcome:
    """Run it through the sweep runner into ``output`` (GIL released); use coordsim.sweep for xarray."""


def calibrate(calibration: str, output: str, threads: int = 0, resume: bool = False) -> dict:
    """Run a calibration file into ``output`` (GIL released); use coordsim.calibrate for xarray."""
    ...
