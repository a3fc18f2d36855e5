// The PostgreSQL backend, on libpq: for several server processes sharing
// one database (docs/decisions/0800-postgresql-store.md).
#ifndef COPRODUCE_STORE_POSTGRES_DATABASE_H_
#define COPRODUCE_STORE_POSTGRES_DATABASE_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "store/database.h"

namespace coproduce::store {

struct PostgresOptions {
  // At most this many connections are open at once in this process. Each
  // thread keeps its connection until the thread ends (or close()); a
  // thread asking when all are taken waits up to `connection_wait` for one
  // to be given back, then gets Unavailable.
  int max_connections = 8;
  std::chrono::milliseconds connection_wait{30'000};
  // Every statement is cancelled after this long (SET statement_timeout).
  std::chrono::milliseconds statement_timeout{30'000};
};

// The advisory lock every write transaction takes ("Coproduc" in ASCII),
// so that writers run one at a time across all processes. Changes to the
// schema made outside migrations (a text index made on first use) take it
// too.
inline constexpr const char* kPostgresWriterLock = "4859226159753491811";

// Whether `location` names a PostgreSQL database: it starts with
// postgresql:// or postgres://.
bool is_postgres_location(std::string_view location);

// Reads the options this program adds to a PostgreSQL URI (pool_size, and
// statement_timeout in milliseconds, as query parameters) into `options`
// and returns the URI without them, for libpq, which refuses parameters it
// does not know. A bad value is InvalidInput.
StatusOr<std::string> take_postgres_options(const std::string& uri, PostgresOptions* options);

// `uri` with any password in it replaced by ***, for messages and logs.
std::string redact_postgres_uri(const std::string& uri);

// Opens a pool of connections to the PostgreSQL database at `uri` (a libpq
// connection URI) and opens this thread's connection at once, so an
// unreachable server fails here: Unavailable, naming the server (host or
// socket) and libpq's reason. Each thread that calls connection() gets its
// own connection; they are given back to the pool when the thread ends.
StatusOr<std::unique_ptr<Database>> open_postgres(const std::string& uri, PostgresOptions options = {});

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_POSTGRES_DATABASE_H_
