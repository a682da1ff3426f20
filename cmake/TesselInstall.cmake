# Install rules and the exported CMake package, so another MLIR compiler can
#   find_package(Tessel) and link Tessel::TesselSpecDialect.
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(TESSEL_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/tessel)
set(TESSEL_EXPORTED_LIBRARIES TesselSpecDialect TesselLinalgToSpec)
list(APPEND TESSEL_EXPORTED_LIBRARIES TesselSynthesis TesselSpecSynthesis
  TesselSpecTransforms)
list(APPEND TESSEL_EXPORTED_LIBRARIES TesselMemo)
list(APPEND TESSEL_EXPORTED_LIBRARIES TesselTransformOps)
list(APPEND TESSEL_EXPORTED_LIBRARIES TesselUkernelDialect TesselSpecToLoops
  TesselUkernelToVector TesselPipelines TesselExecution)

install(TARGETS ${TESSEL_EXPORTED_LIBRARIES} EXPORT TesselTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS TesselCAPI LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tessel-c
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tessel
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.def" PATTERN "*.td")
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/tessel
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.inc")
install(EXPORT TesselTargets NAMESPACE Tessel::
  DESTINATION ${TESSEL_INSTALL_CMAKEDIR})

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/TesselConfig.cmake.in
  ${PROJECT_BINARY_DIR}/TesselConfig.cmake
  INSTALL_DESTINATION ${TESSEL_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/TesselConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/TesselConfig.cmake
  ${PROJECT_BINARY_DIR}/TesselConfigVersion.cmake
  DESTINATION ${TESSEL_INSTALL_CMAKEDIR})

# The shipped target descriptions, to copy and edit (they are also built in).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/targets/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/tessel/targets
  FILES_MATCHING PATTERN "*.target")
