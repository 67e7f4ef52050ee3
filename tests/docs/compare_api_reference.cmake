# Fails when docs/api.md is not what the protos generate.
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${GENERATED} ${CHECKED_IN}
                RESULT_VARIABLE differs)
if(differs)
  message(FATAL_ERROR
          "docs/api.md differs from the reference the protos generate (${GENERATED}). "
          "Regenerate it: cmake --build build --target api_reference_update")
endif()
message(STATUS "docs/api.md is the reference the protos generate")
