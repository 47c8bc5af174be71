#pragma once
// The service platform with village service agents (益村, MODEL.md §3.8, S3).
#include "parameters.hpp"

namespace coordsim::models::governance {

// Factor on the reporting hours of dispatched tasks: the platform's electronic record replaces
// platform.paperwork_cut of them.
double paperwork_factor(const PlatformParameters& platform) noexcept;
// Township hours to take in one demand: a platform demand costs platform.handling_factor of an
// off-platform one (the village agent does the rest).
double township_intake_hours(const Parameters& parameters, bool on_platform) noexcept;
// Hours per step of a township's village service agents (0 without the platform).
double agent_hours(const PlatformParameters& platform, double villages) noexcept;
// Probability that a department (or a one-stop window) acts on a demand this step.
double response_probability(double base, bool on_platform, const PlatformParameters& platform) noexcept;
// True when a demand drawn with uniform `u` is made on the platform.
bool on_platform(const PlatformParameters& platform, double u) noexcept;

}  // namespace coordsim::models::governance
