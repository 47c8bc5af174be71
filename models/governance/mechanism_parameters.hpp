#pragma once
// Typed parameters of the county-level mechanisms, each kept in its mechanism's folder and bound
// there (ODD 3.9).
#include "costs_types.hpp"
#include "decisions_types.hpp"
#include "discipline_types.hpp"
#include "levels_types.hpp"
#include "taskforce_types.hpp"
