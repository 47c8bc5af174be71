#include "coordsim/sim/output.hpp"

#include <algorithm>
#include <limits>

namespace coordsim::sim {

Recorder::Recorder(const OutputLayout& layout, std::size_t steps, bool agents_on, std::size_t agent_every,
                   RunRecord& record, std::size_t series_rows)
    : layout_(layout),
      n_series_(layout.series.size()),
      series_rows_(series_rows == 0 ? std::max<std::size_t>(steps, 1) : series_rows),
      agents_on_(agents_on),
      agent_every_(agent_every == 0 ? 1 : agent_every),
      record_(record) {
  constexpr double missing = std::numeric_limits<double>::quiet_NaN();
  record_.steps = steps;
  record_.series.assign(std::min(steps, series_rows_) * n_series_, missing);
  record_.agents.clear();
  const std::size_t records = recorded_steps(steps, agents_on_, agent_every_);
  for (const auto& kind : layout.agent_kinds)
    record_.agents.emplace_back(records * kind.variables.size() * kind.count, missing);
  record_.summaries.assign(layout.summaries.size(), missing);
}

double* Recorder::agent_row(std::size_t kind, std::size_t variable, std::size_t step) noexcept {
  const auto& spec = layout_.agent_kinds[kind];
  const std::size_t record = step / agent_every_;
  return record_.agents[kind].data() + (record * spec.variables.size() + variable) * spec.count;
}

}  // namespace coordsim::sim
