# Script mode helper for fazhi_embed_migrations: writes OUT from FILES.
set(body "")
foreach(file ${FILES})
  get_filename_component(name ${file} NAME_WE)
  if(NOT name MATCHES "^([0-9]+)_(.+)$")
    message(FATAL_ERROR "Migration file name must be NNNN_name.sql: ${file}")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  set(label ${CMAKE_MATCH_2})
  file(READ ${file} sql)
  string(APPEND body "      {${version}, \"${label}\", R\"fazhi_sql(${sql})fazhi_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from migrations/*.sql; do not edit.
#include <vector>

#include \"services/common/sql/migrations.h\"

namespace ${NAMESPACE} {

const std::vector<fazhi::sql::Migration>& Migrations() {
  static const auto* const kMigrations = new std::vector<fazhi::sql::Migration>{
${body}  };
  return *kMigrations;
}

}  // namespace ${NAMESPACE}
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
