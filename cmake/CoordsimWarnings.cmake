# Warnings live on an INTERFACE target that every coordsim target links privately.
add_library(coordsim_warnings INTERFACE)
add_library(coordsim::warnings ALIAS coordsim_warnings)
target_compile_options(coordsim_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>
  $<$<AND:$<BOOL:${COORDSIM_WARNINGS_AS_ERRORS}>,$<CXX_COMPILER_ID:GNU,Clang>>:-Werror>)
