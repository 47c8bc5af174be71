# Install rules for `cmake --install build --prefix P [--component C]`. Components:
#   runtime      P/bin/coordsim and P/share/coordsim/scenarios/*.yaml
#   development  static libraries, public headers, the CMake package P/lib/cmake/coordsim
#   python       the coordsim package under P/lib/pythonX.Y/site-packages (bindings/CMakeLists.txt)
#
# The libraries are installed static: the executable and the Python module then carry the engine
# with them (no RPATH to get right, a wheel needs no shared library beside the module), and a
# model built against the package links into one self-contained program. The cost: a consumer links
# what the engine links privately (HDF5, yaml-cpp, zlib, MPI when built with it), so the package
# finds those with find_dependency (cmake/coordsimConfig.cmake.in); header-only ones (Boost, CLI11)
# never reach the consumer.
include(CMakePackageConfigHelpers)

set(COORDSIM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/coordsim
    CACHE STRING "Install folder (relative to the prefix) of coordsimConfig.cmake")
set(COORDSIM_INSTALL_SCENARIODIR ${CMAKE_INSTALL_DATADIR}/coordsim/scenarios)

set_target_properties(coordsim_sim PROPERTIES EXPORT_NAME sim)
set_target_properties(coordsim_cli PROPERTIES EXPORT_NAME cli)
set_target_properties(coordsim_governance PROPERTIES EXPORT_NAME governance)
set_target_properties(coordsim_society PROPERTIES EXPORT_NAME society)
set_target_properties(coordsim_models PROPERTIES EXPORT_NAME models)

install(TARGETS coordsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${COORDSIM_INSTALL_SCENARIODIR}
        COMPONENT runtime FILES_MATCHING PATTERN "*.yaml")

install(TARGETS coordsim_sim coordsim_cli coordsim_governance coordsim_society coordsim_models EXPORT coordsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Whole include trees: every public header of the engine (and of the model kit beside it) comes along.
foreach(include_dir sim/include models/include models/governance/include models/society/include)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${include_dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          COMPONENT development FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
endforeach()
install(EXPORT coordsimTargets NAMESPACE coordsim:: DESTINATION ${COORDSIM_INSTALL_CMAKEDIR}
        COMPONENT development)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/coordsimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/coordsimConfig.cmake
  INSTALL_DESTINATION ${COORDSIM_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_BINDIR COORDSIM_INSTALL_SCENARIODIR)
# Before 1.0 a minor version may break the API: only the same major.minor is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/coordsimConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/coordsimConfig.cmake ${PROJECT_BINARY_DIR}/cmake/coordsimConfigVersion.cmake
        DESTINATION ${COORDSIM_INSTALL_CMAKEDIR} COMPONENT development)
