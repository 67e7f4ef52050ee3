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

# fazhi_embed_files(<target> NAMESPACE <ns> FILES <file>...)
#
# Turns files (a web page's assets) into a C++ source defining
#   const std::vector<std::pair<std::string_view, std::string_view>>&
#       <ns>::EmbeddedFiles();   // (file name, bytes)
# and adds it to <target>: the binary needs no folder of files at run time.
set(FAZHI_EMBED_FILES_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_files.cmake)

function(fazhi_embed_files target)
  cmake_parse_arguments(E "" "NAMESPACE" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_files.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${E_NAMESPACE}
            "-DFILES=${E_FILES}" -P ${FAZHI_EMBED_FILES_SCRIPT}
    DEPENDS ${E_FILES} ${FAZHI_EMBED_FILES_SCRIPT}
    COMMENT "Embedding files for ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
