// Staff pages for the involvement pool. (Routes come with the pages.)
#include "web/application.h"

namespace coproduce::web {

void add_people_routes(Router&) {}

}  // namespace coproduce::web
