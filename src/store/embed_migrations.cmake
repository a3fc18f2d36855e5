# Writes OUTPUT, a C++ file defining bundled_migrations() from the .sql files
# in DIR. Run by the build whenever a migration changes.
file(GLOB sql_files "${DIR}/*.sql")
list(SORT sql_files)
set(body "")
foreach(f IN LISTS sql_files)
  get_filename_component(name "${f}" NAME_WE)
  string(REGEX MATCH "^[0-9]+" number "${name}")
  math(EXPR version "${number}")
  file(READ "${f}" sql)
  string(APPEND body "    {${version}, \"${name}\", R\"coproduce_sql(${sql})coproduce_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from migrations/*.sql by embed_migrations.cmake. Do not edit.
#include \"store/migrations.h\"
namespace coproduce::store {
const std::vector<Migration>& bundled_migrations() {
  static const std::vector<Migration> kMigrations = {
${body}  };
  return kMigrations;
}
}  // namespace coproduce::store
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
