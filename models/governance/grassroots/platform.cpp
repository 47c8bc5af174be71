// The 益村 service platform (MODEL.md §3.8; seed S3 "益村平台能够解决村民80%的办事需求",
// "村民不跑冤枉路,干部不用瞎折腾"). With platform.enabled a share platform.share of citizen
// demands is made online: a village service agent (便民服务员, one per village, platform.agent_hours
// a step) takes it in, the township spends only platform.handling_factor of the intake hours, the
// citizen makes no trip, and departments act on the electronic sign-off platform.response_factor
// times as readily ("掌上办理"). Its traceable record ("程序可回溯,上级部门需要下来检查的各项工作,
// 在网上一目了然") replaces platform.paperwork_cut of the reporting hours of dispatched tasks.
#include "platform.hpp"

#include <algorithm>

namespace coordsim::models::governance {

double paperwork_factor(const PlatformParameters& f) noexcept { return f.enabled ? 1.0 - f.paperwork_cut : 1.0; }

double township_intake_hours(const Parameters& p, bool platform_demand) noexcept {
  return p.citizens.intake_hours * (platform_demand ? p.platform.handling_factor : 1.0);
}

double agent_hours(const PlatformParameters& f, double villages) noexcept {
  return f.enabled ? f.agent_hours * villages : 0.0;
}

double response_probability(double base, bool platform_demand, const PlatformParameters& f) noexcept {
  return std::min(1.0, base * (platform_demand ? f.response_factor : 1.0));
}

bool on_platform(const PlatformParameters& f, double u) noexcept { return f.enabled && u < f.share; }

}  // namespace coordsim::models::governance
