// The public "get involved" journey: a person tells the organisation they
// want to take part. (Routes come with the journey itself.)
#include "web/application.h"

namespace coproduce::web {

void add_get_involved_routes(Router&) {}

}  // namespace coproduce::web
