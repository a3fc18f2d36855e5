// `coproduce routes`: the route table and who may use each route.
#include <iostream>

#include "app/common.h"
#include "web/application.h"

namespace coproduce::app {

void add_routes_command(CLI::App& app, int& exit_code) {
  auto as_json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("routes", "List every route and the roles that may use it");
  cmd->add_flag("--json", *as_json, "Print JSON");
  cmd->callback([as_json, &exit_code] {
    nlohmann::json routes = web::describe_routes(web::build_router());
    if (*as_json) {
      std::cout << routes.dump(2) << "\n";
    } else {
      for (const auto& r : routes) {
        std::string roles;
        for (const auto& role : r["roles"]) roles += (roles.empty() ? "" : ",") + role.get<std::string>();
        std::cout << r["method"].get<std::string>() << "\t" << r["path"].get<std::string>() << "\t" << roles << "\n";
      }
    }
    exit_code = 0;
  });
}

}  // namespace coproduce::app
