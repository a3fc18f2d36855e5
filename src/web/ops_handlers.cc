// Endpoints for machines: health, metrics and static files.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/migrations.h"
#include "web/application.h"

namespace coproduce::web {
namespace {

using nlohmann::json;

Response healthz(Context& ctx) {
  std::string db_state = "ok";
  int status = 200;
  auto conn = ctx.services.db.connection();
  if (!conn.ok() || !(*conn)->query("SELECT 1").ok()) {
    db_state = "unavailable";
    status = 503;
  }
  return ctx.send_json(status, {{"status", status == 200 ? "ok" : "unavailable"},
                           {"version", ctx.services.version},
                           {"database", db_state}});
}

Response metrics(Context& ctx) {
  Response r = Response::text(200, ctx.services.metrics.render());
  r.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  return r;
}

std::string content_type_for(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> kTypes = {
      {".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".svg", "image/svg+xml"},
      {".png", "image/png"}, {".ico", "image/x-icon"}, {".woff2", "font/woff2"},
      {".woff", "font/woff"}, {".json", "application/json"}, {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}};
  auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

Response static_file(Context& ctx) {
  namespace fs = std::filesystem;
  std::string rel = ctx.param("*");
  // Only plain relative names: no "..", no hidden files, no absolute paths.
  for (const auto& part : fs::path(rel)) {
    std::string s = part.string();
    if (s.empty() || s == ".." || s == "." || s[0] == '.' || s == "/") return ctx.error(404);
  }
  fs::path file = fs::path(ctx.services.static_dir) / rel;
  struct stat st{};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return ctx.error(404);
  std::string etag = "\"" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtime) + "\"";
  Response r;
  if (ctx.request.header("if-none-match") == etag) {
    r.status = 304;
  } else {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    r = Response{200, {}, buf.str()};
    r.set_header("Content-Type", content_type_for(file));
  }
  r.set_header("ETag", etag);
  r.set_header("Cache-Control", "public, max-age=3600");
  return r;
}

}  // namespace

void add_ops_routes(Router& router) {
  router.add({"GET", "/healthz", Access::anyone(), Channel::kOps, healthz});
  router.add({"GET", "/metrics", Access::anyone(), Channel::kOps, metrics});
  router.add({"GET", "/static/*", Access::anyone(), Channel::kOps, static_file});
}

}  // namespace coproduce::web
