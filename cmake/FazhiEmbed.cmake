# fazhi_embed_migrations(<target> NAMESPACE <ns> DIR <folder of NNNN_name.sql>)
#
# Turns a folder of versioned SQL files into a C++ source defining
#   const std::vector<fazhi::sql::Migration>& <ns>::Migrations();
# and adds it to <target>. Files are ordered by their numeric prefix.
set(FAZHI_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_migrations.cmake)

function(fazhi_embed_migrations target)
  cmake_parse_arguments(E "" "NAMESPACE;DIR" "" ${ARGN})
  file(GLOB sql_files CONFIGURE_DEPENDS ${E_DIR}/*.sql)
  list(SORT sql_files)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_migrations.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${E_NAMESPACE}
            "-DFILES=${sql_files}" -P ${FAZHI_EMBED_SCRIPT}
    DEPENDS ${sql_files} ${FAZHI_EMBED_SCRIPT}
    COMMENT "Embedding migrations for ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
